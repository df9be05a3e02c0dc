/**
 * What a function needs at run time: its configuration, the Db, a logger, its metrics and a
 * clock.
 *
 * A leaf: it takes its configuration as an argument and imports no function, frame or
 * local tool, so the Lambda entry (`lambda.ts`, configuration from the environment), the
 * local stack and `lms invoke` (configuration from flags), the tests and the bench all
 * build a runtime the same way, with `createRuntime`.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { connectDynamo } from '../adapters/dynamodb/connect.ts';
import type { Config } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics, logSink, type RunMetrics } from '../observability/metrics.ts';
import type { Db } from '../repositories/db.ts';

export interface Runtime {
  readonly config: Config;
  readonly db: Db;
  readonly logger: Logger;
  /** Custom metrics (EMF); the function's frame flushes them once per invocation. */
  readonly metrics: RunMetrics;
  /** The clock; injectable so tests control "now" and "today". */
  readonly now: () => Date;
}

/** Where a function gets its runtime when it is invoked (built on first use in Lambda). */
export type RuntimeProvider = () => Runtime;

export interface RuntimeOptions {
  /** A Db to share (the local stack's connection, a test's tables); default: connect. */
  readonly db?: Db;
  readonly now?: () => Date;
  readonly logger?: Logger;
  /**
   * Default: EMF documents at `debug` on the logger (standard error locally), never on
   * standard output, which `lms invoke` keeps for its result. Lambda passes EMF on stdout.
   */
  readonly metrics?: RunMetrics;
}

/**
 * @example
 * ```ts
 * const runtime = createRuntime('calc_all_stats', loadConfig(process.env));
 * const local = createRuntime('module_results', config, { db: connection.db });
 * ```
 */
export const createRuntime = (
  functionName: string,
  config: Config,
  options: RuntimeOptions = {},
): Runtime => {
  const logger = options.logger ?? createLogger(functionName, config.logLevel);
  return {
    config,
    db: options.db ?? connectDynamo(config).db,
    logger,
    metrics:
      options.metrics ??
      createMetrics(functionName, { stage: 'local', logger, emit: logSink(logger) }),
    now: options.now ?? (() => new Date()),
  };
};

/**
 * A Lambda entry point as the seed defined it: `handle(event, context)`. The context is
 * optional because a job may be run without one (a test, `lms invoke` builds one).
 */
export type Handle<R = unknown> = (event: unknown, context?: Context) => Promise<R>;

/**
 * What each `src/functions/<name>/handler.ts` exports as `createHandler`: the function's
 * `handle`, given where it gets its runtime. Lambda passes a provider that reads the
 * environment once; the local stack, `lms invoke`, tests and the bench pass a runtime they
 * built with `createRuntime`.
 */
export type HandlerFactory<R = unknown> = (runtime: RuntimeProvider) => Handle<R>;
