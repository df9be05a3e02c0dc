/**
 * Loads a function's entry point (`src/functions/<name>/main.ts`) the way Lambda would:
 * by its module, taking its exported `handle`.
 */
import type { Context } from 'aws-lambda';
import { LmsError } from '../../errors.ts';
import { type FunctionName, functions } from '../../functions/catalog.ts';

export type Handle = (event: unknown, context: Context) => Promise<unknown>;

export class UnknownFunctionError extends LmsError {
  readonly code = 'UNKNOWN_FUNCTION';
}

const functionsDir = new URL('../../functions/', import.meta.url);

export const isFunctionName = (name: string): name is FunctionName =>
  Object.hasOwn(functions, name);

/**
 * @example
 * ```ts
 * const handle = await loadFunction('calc_all_stats');
 * await handle({}, localContext('calc_all_stats'));
 * ```
 */
export const loadFunction = async (name: string): Promise<Handle> => {
  if (!isFunctionName(name)) {
    throw new UnknownFunctionError(
      `unknown function ${JSON.stringify(name)}; known: ${Object.keys(functions).join(', ')}`,
    );
  }
  const module: unknown = await import(new URL(`${name}/main.ts`, functionsDir).href);
  const handle =
    typeof module === 'object' && module !== null && 'handle' in module ? module.handle : undefined;
  if (typeof handle !== 'function') {
    throw new UnknownFunctionError(
      `src/functions/${name}/main.ts does not export handle(event, context)`,
    );
  }
  return async (event, context) => handle(event, context);
};
