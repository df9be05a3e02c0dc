import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Ddb } from '../src/adapters/dynamodb/ddb.ts';
import type { Db } from '../src/repositories/db.ts';
import type { SeedPlan } from '../src/seed/generate.ts';
import type { Counter } from './counter.ts';
import type { CountingPg } from './pg-counter.ts';
import type { Row } from './report.ts';

/** The DynamoDB-only parts: the raw requests of the floors, the proxy of the shards rows. */
export interface DynamoParts {
  readonly ddb: Ddb;
  readonly client: DynamoDBClient;
  readonly endpoint: string;
}

/** The PostgreSQL-only parts: the executor the floors and set-based SQL are sent through. */
export interface PostgresParts {
  /** The repositories' own executor: floors share its pool and its counters. */
  readonly pg: CountingPg;
  /** The schema of the bench's prefix (`"bench-"`). */
  readonly schema: string;
  readonly databaseUrl: string;
}

export interface BenchContext {
  /** `dynalite`, `dynamodb-local`, `postgres` or `pglite`. */
  readonly engine: string;
  readonly db: Db;
  readonly prefix: string;
  /** The engine's process, for its CPU time; undefined when it runs in this process. */
  readonly enginePid: number | undefined;
  readonly counter: Counter;
  readonly plan: SeedPlan;
  readonly repetitions: number;
  readonly log: (line: string) => void;
  /** Set on DynamoDB engines only. */
  readonly dynamo?: DynamoParts;
  /** Set on PostgreSQL engines only. */
  readonly postgres?: PostgresParts;
}

/** The DynamoDB parts, for rows that only exist there. */
export const dynamoOf = (context: BenchContext): DynamoParts => {
  if (context.dynamo === undefined) throw new Error(`${context.engine} is not a DynamoDB engine`);
  return context.dynamo;
};

export interface ScenarioResult {
  readonly rows: Row[];
  readonly notes: string[];
  readonly raw: Record<string, unknown>;
}

export type { Counter };
