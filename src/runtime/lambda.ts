/**
 * The Lambda side of a function: the only place that reads the process environment for a
 * function. Every `src/functions/<name>/main.ts` is one call of `lambdaHandle`.
 */
import type {
  FunctionName,
  TableFunctionName,
  TablelessFunctionName,
} from '../catalog/functions.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { Db } from '../repositories/db.ts';
import {
  type CoreRuntime,
  createRuntime,
  type Handle,
  type HandlerFactory,
  type Runtime,
} from './runtime.ts';

/**
 * The stage a function is deployed in, from the name Lambda gives it
 * (`AWS_LAMBDA_FUNCTION_NAME`): the stack names each function `${stage}-${name}`
 * (`infra/constructs/functions.ts`). Anything else (a function renamed by hand) keeps its
 * whole name, so its metrics never mix with a stage's.
 *
 * @example
 * ```ts
 * deployedStage('prod-record_answers', 'record_answers'); // 'prod'
 * ```
 */
export const deployedStage = (functionName: string, name: FunctionName): string => {
  const suffix = `-${name}`;
  return functionName.endsWith(suffix) && functionName.length > suffix.length
    ? functionName.slice(0, -suffix.length)
    : functionName;
};

/** How Lambda connects the Db of a function with tables: `connectTables` (DynamoDB, or PostgreSQL when `DATABASE_URL` is set). */
export type ConnectDb = (config: Config) => { readonly db: Db };

/**
 * A function's `handle` as deployed: its runtime is built on the first invocation (not at
 * import, so a bad configuration fails that invocation with an error naming the variable,
 * which an HTTP function still turns into a JSON reply) and kept for the container's life.
 * In Lambda its metrics go to standard output as EMF, which CloudWatch Logs turns into
 * metrics.
 *
 * A function with tables passes how to connect (`connectTables`); one without passes
 * nothing and gets a runtime without a Db. The connection is an argument, not an import
 * here, so that only the bundles of functions with tables hold the adapters and
 * load the SDK's client at init (the catalogue's entry decides which form type-checks).
 *
 * @example
 * ```ts
 * // src/functions/record_answers/main.ts
 * export const handle = lambdaHandle('record_answers', createHandler, connectTables);
 * // src/functions/pre_token_generation/main.ts
 * export const handle = lambdaHandle('pre_token_generation', createHandler);
 * ```
 */
export const lambdaHandle = <R>(
  ...args:
    | [name: TablelessFunctionName, create: HandlerFactory<R, CoreRuntime>]
    | [name: TableFunctionName, create: HandlerFactory<R>, connect: ConnectDb]
): Handle<R> => {
  const [name] = args;
  const deployed = () => {
    const config = loadConfig(process.env);
    const logger = createLogger(name, config.logLevel);
    const deployedAs = process.env.AWS_LAMBDA_FUNCTION_NAME;
    // A `main.ts` run outside Lambda (a test of a function as deployed) keeps EMF off
    // standard output, as every local runtime does (createRuntime's default).
    const options = {
      logger,
      ...(deployedAs !== undefined && {
        metrics: createMetrics(name, {
          stage: deployedStage(deployedAs, name),
          logger,
          emit: 'stdout',
        }),
      }),
    };
    return { config, options };
  };
  if (args.length === 2) {
    const [, create] = args;
    let runtime: CoreRuntime | undefined;
    return create(() => {
      if (runtime === undefined) {
        const { config, options } = deployed();
        runtime = createRuntime(name, config, options);
      }
      return runtime;
    });
  }
  const [, create, connect] = args;
  let runtime: Runtime | undefined;
  return create(() => {
    if (runtime === undefined) {
      const { config, options } = deployed();
      runtime = createRuntime(name, config, { ...options, db: connect(config).db });
    }
    return runtime;
  });
};
