import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Ddb } from '../src/adapters/dynamodb/ddb.ts';
import type { MetricsHandle } from '../src/adapters/dynamodb/request-metrics.ts';
import type { Db } from '../src/repositories/db.ts';
import type { SeedPlan } from '../src/seed/generate.ts';
import type { Row } from './report.ts';

export interface BenchContext {
  readonly db: Db;
  readonly ddb: Ddb;
  readonly client: DynamoDBClient;
  readonly prefix: string;
  readonly endpoint: string;
  /** The engine's process (bench/engine-process.ts), for its CPU time. */
  readonly enginePid: number;
  readonly counter: MetricsHandle;
  readonly plan: SeedPlan;
  readonly repetitions: number;
  readonly log: (line: string) => void;
}

export interface ScenarioResult {
  readonly rows: Row[];
  readonly notes: string[];
  readonly raw: Record<string, unknown>;
}
