/**
 * What a function needs at run time, built once per Lambda container (on first use, not at
 * import, so a bad configuration fails the invocation with a clear error) and shared by
 * every invocation after.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { connectDynamo } from '../adapters/dynamodb/connect.ts';
import { type Config, getConfig } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import type { Db } from '../repositories/db.ts';

export interface Runtime {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  /** The clock; injectable so tests control "now" and "today". */
  readonly now: () => Date;
}

const runtimes = new Map<string, Runtime>();
let shared: { config: Config; db: Db } | undefined;

/**
 * The runtime of a function, by its name (the logger's service name).
 *
 * @example
 * ```ts
 * export const handle = async (event: unknown) => run(event, runtimeFor('calc_all_stats'));
 * ```
 */
export const runtimeFor = (functionName: string): Runtime => {
  let runtime = runtimes.get(functionName);
  if (runtime === undefined) {
    if (shared === undefined) {
      const config = getConfig();
      shared = { config, db: connectDynamo(config).db };
    }
    runtime = {
      config: shared.config,
      db: shared.db,
      logger: createLogger(functionName, shared.config.logLevel),
      now: () => new Date(),
    };
    runtimes.set(functionName, runtime);
  }
  return runtime;
};
