import type { TestProject } from 'vitest/node';
import { createEngine, isEngineKind, type LocalEngine } from '../../src/local/aws/engines/index.ts';
import {
  createPostgresEngine,
  isPostgresEngineKind,
  type LocalPostgresEngine,
} from '../../src/local/postgres/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The endpoint of the DynamoDB engine this run started (or the external one); empty on PostgreSQL. */
    dynamodbEndpoint: string;
    /** Which engine answers: `dynalite`, `dynamodb-local`, `external`, `postgres` or `pglite`. */
    dynamodbEngine: string;
    /** The PostgreSQL URL of a `postgres` or `pglite` run; empty on DynamoDB. */
    databaseUrl: string;
  }
}

let engine: LocalEngine | LocalPostgresEngine | undefined;

/**
 * Starts the run's engine; the returned function stops it. `LMS_TEST_ENGINE` picks it:
 * `dynalite` (the default), `dynamodb-local`, `postgres` (Debian's server, in a folder of
 * its own) or `pglite`; `DYNAMODB_ENDPOINT` or `DATABASE_URL` names an external one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const externalDynamo = process.env.DYNAMODB_ENDPOINT;
  const externalPostgres = process.env.DATABASE_URL;
  const requested = externalDynamo
    ? 'external'
    : externalPostgres
      ? 'external-postgres'
      : (process.env.LMS_TEST_ENGINE ?? 'dynalite');
  if (requested === 'external-postgres' && externalPostgres !== undefined) {
    project.provide('dynamodbEndpoint', '');
    project.provide('dynamodbEngine', 'postgres');
    project.provide('databaseUrl', externalPostgres);
    return async () => {};
  }
  if (isPostgresEngineKind(requested)) {
    // Test data need no durability: the server skips fsync (never in `lms start`).
    const postgres = createPostgresEngine({ kind: requested, unsafeNoFsync: true });
    engine = postgres;
    await postgres.start();
    project.provide('dynamodbEndpoint', '');
    project.provide('dynamodbEngine', requested);
    project.provide('databaseUrl', postgres.databaseUrl);
    return async () => {
      await engine?.stop();
    };
  }
  if (!isEngineKind(requested)) {
    throw new Error(
      `LMS_TEST_ENGINE=${requested}: expected dynalite, dynamodb-local, postgres or pglite`,
    );
  }
  const dynamo = createEngine({ kind: requested, endpoint: externalDynamo });
  engine = dynamo;
  await dynamo.start();
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('dynamodbEngine', requested);
  project.provide('databaseUrl', '');
  return async () => {
    await engine?.stop();
  };
}
