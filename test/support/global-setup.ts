import type { TestProject } from 'vitest/node';
import { createEngine, isEngineKind, type LocalEngine } from '../../src/local/aws/engines/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The endpoint of the engine this run started (or the external one). */
    dynamodbEndpoint: string;
    /** Which engine answers: `dynalite`, `dynamodb-local` or `external`. */
    dynamodbEngine: string;
  }
}

let engine: LocalEngine | undefined;

/** Starts the run's DynamoDB engine; the returned function stops it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DYNAMODB_ENDPOINT;
  const requested = external ? 'external' : (process.env.LMS_TEST_ENGINE ?? 'dynalite');
  if (!isEngineKind(requested)) {
    throw new Error(`LMS_TEST_ENGINE=${requested}: expected dynalite or dynamodb-local`);
  }
  engine = createEngine({ kind: requested, endpoint: external });
  await engine.start();
  project.provide('dynamodbEndpoint', engine.endpoint);
  project.provide('dynamodbEngine', requested);
  return async () => {
    await engine?.stop();
  };
}
