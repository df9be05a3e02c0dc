/** Path and query parameters, validated where the route reads them. */
import * as z from 'zod';
import { InvalidHttpEventError, InvalidParameterError } from './errors.ts';
import type { HttpRequest } from './event.ts';

/**
 * A path parameter of the route. API Gateway only invokes a route with every parameter
 * filled in, so a missing one means the function is wired to the wrong route.
 *
 * @example
 * ```ts
 * pathParameter(request, 'class_code'); // 'c-001'
 * ```
 */
export const pathParameter = (request: HttpRequest, name: string): string => {
  const value = request.pathParameters[name];
  if (value === undefined || value === '') {
    throw new InvalidHttpEventError(
      `route ${request.routeKey} gave no path parameter "${name}" (is the function wired to the right route?)`,
    );
  }
  return value;
};

/**
 * A path parameter that is a module id: no `#`, since module ids are the prefix of the
 * `answers` sort key up to the first `#`.
 *
 * @example
 * ```ts
 * moduleIdParameter(request, 'module_id'); // 'm-01'
 * ```
 */
export const moduleIdParameter = (request: HttpRequest, name: string): string => {
  const value = pathParameter(request, name);
  if (value.includes('#')) {
    throw new InvalidParameterError(`path parameter "${name}" must not contain "#"`);
  }
  return value;
};

/** A calendar date `YYYY-MM-DD` (`from`, `to`); the OpenAPI document publishes it too. */
export const isoDateSchema = z.iso.date();

/** The optional `from`/`to` calendar dates of a query. */
export interface DateRangeQuery {
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/**
 * The optional `from` and `to` query parameters as ISO calendar dates (`YYYY-MM-DD`),
 * `from` not after `to`.
 *
 * @example
 * ```ts
 * dateRangeQuery(request); // { from: '2026-03-01', to: undefined }
 * ```
 */
export const dateRangeQuery = (request: HttpRequest): DateRangeQuery => {
  const read = (name: 'from' | 'to'): string | undefined => {
    const value = request.query[name];
    if (value === undefined) return undefined;
    if (!isoDateSchema.safeParse(value).success) {
      throw new InvalidParameterError(
        `query parameter "${name}" must be one calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const from = read('from');
  const to = read('to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidParameterError(`"from" (${from}) is after "to" (${to})`);
  }
  return { from, to };
};
