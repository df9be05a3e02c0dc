/**
 * Loads a function the way the local stack, `lms invoke`, the tests and the bench run it:
 * its `createHandler` (`src/functions/<name>/handler.ts`) given a runtime built with
 * `createRuntime`. Lambda runs the same `createHandler` through `main.ts`, which differs
 * only in building its runtime from the environment.
 */
import { type FunctionName, functions } from '../../catalog/functions.ts';
import { LmsError } from '../../errors.ts';
import type { Handle, Runtime } from '../../runtime/runtime.ts';

export type { Handle };

export class UnknownFunctionError extends LmsError {
  readonly code = 'UNKNOWN_FUNCTION';
}

const functionsDir = new URL('../../functions/', import.meta.url);

export const isFunctionName = (name: string): name is FunctionName =>
  Object.hasOwn(functions, name);

/**
 * @example
 * ```ts
 * const runtime = createRuntime('calc_all_stats', config, { db });
 * const handle = await loadFunction('calc_all_stats', runtime);
 * await handle({}, localContext('calc_all_stats'));
 * ```
 */
export const loadFunction = async (name: string, runtime: Runtime): Promise<Handle> => {
  if (!isFunctionName(name)) {
    throw new UnknownFunctionError(
      `unknown function ${JSON.stringify(name)}; known: ${Object.keys(functions).join(', ')}`,
    );
  }
  const module: unknown = await import(new URL(`${name}/handler.ts`, functionsDir).href);
  const create =
    typeof module === 'object' && module !== null && 'createHandler' in module
      ? module.createHandler
      : undefined;
  const handle: unknown = typeof create === 'function' ? create(() => runtime) : undefined;
  if (typeof handle !== 'function') {
    throw new UnknownFunctionError(
      `src/functions/${name}/handler.ts does not export createHandler(runtime) => handle(event, context)`,
    );
  }
  return async (event, context) => handle(event, context);
};
