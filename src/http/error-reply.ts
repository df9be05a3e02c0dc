/**
 * The ONE place where errors become HTTP replies: a status per error code and the body
 * `{ "error": { "code", "message" } }` (DESIGN section 5), plus `details` where a client
 * can act on them (every bad item of a batch, every conflict). Anything not listed here
 * is a 500 with a generic message: internals (table names, stack traces, SDK messages)
 * go to the log, never to the client.
 */

import { LmsError } from '../errors.ts';
import { clip } from '../lib/text.ts';
import type { Logger } from '../observability/logger.ts';
import { type HttpReply, jsonReply } from './reply.ts';

/** The status of each error code a client may see. */
export const HTTP_STATUS_BY_CODE = {
  INVALID_EVENT: 400,
  INVALID_JSON: 400,
  INVALID_PARAMETER: 400,
  VALIDATION_FAILED: 400,
  TOO_MANY_ANSWERS: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CLASS_NOT_FOUND: 404,
  MODULE_NOT_FOUND: 404,
  MODULE_UNREADABLE: 404,
  PROGRESS_NOT_FOUND: 404,
  SUMMARY_NOT_FOUND: 404,
  PROGRESS_UNREADABLE: 404,
  SUMMARY_UNREADABLE: 404,
  REVIEW_NOT_FOUND: 404,
  UNSUPPORTED_MEDIA_TYPE: 400,
  ANSWER_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 429>;

export type ClientErrorCode = keyof typeof HTTP_STATUS_BY_CODE;

/** The code and message of every error we do not explain to the client. */
export const INTERNAL_ERROR = {
  code: 'INTERNAL_ERROR',
  message: 'internal error; the request id identifies it in the logs',
} as const;

/**
 * The bounds of an error reply, whatever the request: at most this many `details` (the
 * rest counted in `details_omitted`), and every string of the message and the details cut
 * to a length. A body with 150,000 unknown fields, or one field name of a megabyte, would
 * otherwise be echoed back whole, past Lambda's 6 MB reply limit (API Gateway then answers
 * 500). With these bounds a reply stays under 64 KB even if every character is escaped.
 */
export const ERROR_REPLY_LIMITS = {
  details: 20,
  messageLength: 2000,
  detailStringLength: 200,
} as const;

/** The body of an error reply. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: readonly unknown[];
    /** How many details were left out of `details` ({@link ERROR_REPLY_LIMITS}). */
    readonly details_omitted?: number;
  };
}

export const isClientErrorCode = (code: string): code is ClientErrorCode =>
  Object.hasOwn(HTTP_STATUS_BY_CODE, code);

/**
 * The headers an error reply adds: `Retry-After` (whole seconds, RFC 9110) where the error
 * knows when a retry is admitted (a 429), so a client waits for the window that admits it
 * instead of retrying into the same refusal.
 */
const headersOf = (error: LmsError): Readonly<Record<string, string>> =>
  error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };

/** A detail (a flat record) with each of its strings cut to the limit. */
const boundedDetail = (detail: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(detail).map(([name, value]) => [
      name,
      typeof value === 'string' ? clip(value, ERROR_REPLY_LIMITS.detailStringLength) : value,
    ]),
  );

/** `details` and `details_omitted` of a reply, within {@link ERROR_REPLY_LIMITS}. */
const boundedDetails = (details: readonly object[] | undefined) => {
  if (details === undefined) return {};
  const listed = details.slice(0, ERROR_REPLY_LIMITS.details).map(boundedDetail);
  const omitted = details.length - listed.length;
  return { details: listed, ...(omitted > 0 && { details_omitted: omitted }) };
};

/**
 * The reply for an error, logged at a level that fits: a client's mistake at `info`, ours
 * (with the stack) at `error`.
 *
 * @example
 * ```ts
 * try { ... } catch (error) { return errorReply(error, logger); }
 * ```
 */
export const errorReply = (error: unknown, logger: Logger): HttpReply => {
  if (error instanceof LmsError && isClientErrorCode(error.code)) {
    const message = clip(error.message, ERROR_REPLY_LIMITS.messageLength);
    logger.info('request refused', { code: error.code, reason: message });
    const body: ErrorBody = {
      error: { code: error.code, message, ...boundedDetails(error.details) },
    };
    return jsonReply(HTTP_STATUS_BY_CODE[error.code], body, headersOf(error));
  }
  logger.error('request failed', error instanceof Error ? error : String(error));
  const body: ErrorBody = { error: { ...INTERNAL_ERROR } };
  return jsonReply(500, body);
};
