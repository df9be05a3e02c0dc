/**
 * The Lambda side of a function: the only place that reads the process environment for a
 * function. Every `src/functions/<name>/main.ts` is one call of `lambdaHandle`.
 */
import type { FunctionName } from '../catalog/functions.ts';
import { loadConfig } from '../config/config.ts';
import { createRuntime, type Handle, type HandlerFactory, type Runtime } from './runtime.ts';

/**
 * A function's `handle` as deployed: its runtime is built on the first invocation (not at
 * import, so a bad configuration fails that invocation with an error naming the variable,
 * which an HTTP function still turns into a JSON reply) and kept for the container's life.
 *
 * @example
 * ```ts
 * // src/functions/record_answers/main.ts
 * export const handle = lambdaHandle('record_answers', createHandler);
 * ```
 */
export const lambdaHandle = <R>(name: FunctionName, create: HandlerFactory<R>): Handle<R> => {
  let runtime: Runtime | undefined;
  return create(() => {
    runtime ??= createRuntime(name, loadConfig(process.env));
    return runtime;
  });
};
