/**
 * Path and query parameters, validated where the route reads them. (That every parameter
 * is well-formed Unicode is checked for all of them with the event, `event.ts`.)
 */
import * as z from 'zod';
import { MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES } from '../entities/key-limits.ts';
import { CONTROL_CHARACTER, clip, utf8Length } from '../lib/text.ts';
import { InvalidHttpEventError, InvalidParameterError } from './errors.ts';
import type { HttpRequest } from './event.ts';

/** How much of a refused value an error message repeats. */
const ECHO_LENGTH = 100;

/**
 * The longest path id, in UTF-8 bytes: every path id (class code, student, parent,
 * module) is the partition key of its table and of the indexes it is queried on.
 */
export const MAX_PATH_ID_BYTES = MAX_PARTITION_KEY_BYTES;

/**
 * The longest module id in a path: `<module_id>#` is the prefix of the `answers` sort key
 * that `module_results` queries, so it must fit a sort key.
 */
export const MAX_MODULE_ID_BYTES = MAX_SORT_KEY_BYTES - 1;

/**
 * A path parameter of the route. API Gateway only invokes a route with every parameter
 * filled in, so a missing one means the function is wired to the wrong route.
 *
 * @example
 * ```ts
 * pathParameter(request, 'class_code'); // 'c-001'
 * ```
 */
export const pathParameter = (
  request: HttpRequest,
  name: string,
  maxBytes: number = MAX_PATH_ID_BYTES,
): string => {
  const value = request.pathParameters[name];
  if (value === undefined || value === '') {
    throw new InvalidHttpEventError(
      `route ${request.routeKey} gave no path parameter "${name}" (is the function wired to the right route?)`,
    );
  }
  const bytes = utf8Length(value);
  if (bytes > maxBytes) {
    throw new InvalidParameterError(
      `path parameter "${name}" is ${bytes} bytes in UTF-8; an id is at most ${maxBytes}`,
    );
  }
  // No id holds one, and a NUL or a newline in a path is a forged or broken request.
  if (CONTROL_CHARACTER.test(value)) {
    throw new InvalidParameterError(`path parameter "${name}" must not contain control characters`);
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
  const value = pathParameter(request, name, MAX_MODULE_ID_BYTES);
  if (value.includes('#')) {
    throw new InvalidParameterError(`path parameter "${name}" must not contain "#"`);
  }
  return value;
};

/**
 * The window of `from` and `to`: no answer is dated before 2000 (`EARLIEST_ANSWERED_AT`),
 * so an earlier `from` means nothing; the upper end keeps the day after `to` (where the
 * counted range ends) a date of four-digit years, far beyond any answer.
 */
export const EARLIEST_QUERY_DATE = '2000-01-01';
export const LATEST_QUERY_DATE = '2999-12-31';

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
        `query parameter "${name}" must be one calendar date YYYY-MM-DD, got ${JSON.stringify(clip(value, ECHO_LENGTH))}`,
      );
    }
    if (value < EARLIEST_QUERY_DATE || value > LATEST_QUERY_DATE) {
      throw new InvalidParameterError(
        `query parameter "${name}" must be a date from ${EARLIEST_QUERY_DATE} to ${LATEST_QUERY_DATE}, got ${value}`,
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

/**
 * A yes/no query parameter: `true` or `false`, absent meaning `false`; anything else is a
 * 400 naming the parameter (a typo such as `?all=yes` is refused, not read as no).
 *
 * @example
 * ```ts
 * flagQuery(request, 'all'); // true for `?all=true`
 * ```
 */
export const flagQuery = (request: HttpRequest, name: string): boolean => {
  const value = request.query[name];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidParameterError(
    `query parameter "${name}" must be true or false, got ${JSON.stringify(clip(value, ECHO_LENGTH))}`,
  );
};
