/**
 * What a function needs at run time: its configuration, a logger, its metrics and a clock,
 * and, for a function whose catalogue entry uses a table, the Db.
 *
 * A leaf: it takes its configuration (and Db) as arguments and imports no function, frame,
 * adapter or local tool, so the Lambda entry (`lambda.ts`, configuration from the
 * environment), the local stack and `lms invoke` (configuration from flags), the tests and
 * the bench all build a runtime the same way, with `createRuntime`. It never connects to
 * DynamoDB itself: a function without tables (`pre_token_generation`, a Cognito trigger
 * with 5 seconds in all) must not load the DynamoDB SDK at init, nor carry the adapter in
 * its bundle, and an import here would put both in every bundle.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Config } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics, logSink, type RunMetrics } from '../observability/metrics.ts';
import type { Db } from '../repositories/db.ts';

/** The runtime of a function that uses no table: it has no Db to ask for. */
export interface CoreRuntime {
  readonly config: Config;
  readonly logger: Logger;
  /** Custom metrics (EMF); the function's frame flushes them once per invocation. */
  readonly metrics: RunMetrics;
  /** The clock; injectable so tests control "now" and "today". */
  readonly now: () => Date;
}

/** The runtime of a function whose catalogue entry uses a table. */
export interface Runtime extends CoreRuntime {
  readonly db: Db;
}

/** Where a function gets its runtime when it is invoked (built on first use in Lambda). */
export type RuntimeProvider<T extends CoreRuntime = Runtime> = () => T;

export interface RuntimeOptions {
  /**
   * The Db of a function with tables: Lambda's own connection (`lambda.ts`), or one to
   * share (the local stack's connection, a test's tables). Without it, a runtime has none.
   */
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
 * The runtime of a function: with a Db when one is given (Lambda connects one for a
 * function with tables, `lambda.ts`; the local stack, `lms invoke`, the tests and the bench
 * share theirs), without one otherwise.
 *
 * @example
 * ```ts
 * const local = createRuntime('module_results', config, { db: connection.db }); // Runtime
 * const trigger = createRuntime('pre_token_generation', config); // CoreRuntime: no db
 * ```
 */
export function createRuntime(
  functionName: string,
  config: Config,
  options: RuntimeOptions & { readonly db: Db },
): Runtime;
export function createRuntime(
  functionName: string,
  config: Config,
  options?: RuntimeOptions & { readonly db?: undefined },
): CoreRuntime;
export function createRuntime(
  functionName: string,
  config: Config,
  options: RuntimeOptions = {},
): CoreRuntime | Runtime {
  const logger = options.logger ?? createLogger(functionName, config.logLevel);
  const core: CoreRuntime = {
    config,
    logger,
    metrics:
      options.metrics ??
      createMetrics(functionName, { stage: 'local', logger, emit: logSink(logger) }),
    now: options.now ?? (() => new Date()),
  };
  return options.db === undefined ? core : { ...core, db: options.db };
}

/**
 * A Lambda entry point as the seed defined it: `handle(event, context)`. The context is
 * optional because a job may be run without one (a test, `lms invoke` builds one).
 */
export type Handle<R = unknown> = (event: unknown, context?: Context) => Promise<R>;

/**
 * What each `src/functions/<name>/handler.ts` exports as `createHandler`: the function's
 * `handle`, given where it gets its runtime. Lambda passes a provider that reads the
 * environment once; the local stack, `lms invoke`, tests and the bench pass a runtime they
 * built with `createRuntime`. A function without tables takes a {@link CoreRuntime}
 * (`HandlerFactory<R, CoreRuntime>`), so its handler cannot reach for a Db.
 */
export type HandlerFactory<R = unknown, T extends CoreRuntime = Runtime> = (
  runtime: RuntimeProvider<T>,
) => Handle<R>;
