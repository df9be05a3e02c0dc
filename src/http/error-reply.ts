/**
 * The ONE place where errors become HTTP replies: a status per error code and the body
 * `{ "error": { "code", "message" } }` (DESIGN section 5), plus `details` where a client
 * can act on them (every bad item of a batch, every conflict). Anything not listed here
 * is a 500 with a generic message: internals (table names, stack traces, SDK messages)
 * go to the log, never to the client.
 */

import { LmsError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import { AnswerConflictError, AnswersValidationError } from '../services/answers/errors.ts';
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
  PROGRESS_NOT_FOUND: 404,
  SUMMARY_NOT_FOUND: 404,
  ANSWER_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 409 | 413>;

export type ClientErrorCode = keyof typeof HTTP_STATUS_BY_CODE;

/** The code and message of every error we do not explain to the client. */
export const INTERNAL_ERROR = {
  code: 'INTERNAL_ERROR',
  message: 'internal error; the request id identifies it in the logs',
} as const;

/** The body of an error reply. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: readonly unknown[];
  };
}

export const isClientErrorCode = (code: string): code is ClientErrorCode =>
  Object.hasOwn(HTTP_STATUS_BY_CODE, code);

const detailsOf = (error: LmsError): readonly unknown[] | undefined => {
  if (error instanceof AnswersValidationError) return error.issues;
  if (error instanceof AnswerConflictError) return error.conflicts;
  return undefined;
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
    logger.info('request refused', { code: error.code, reason: error.message });
    const details = detailsOf(error);
    const body: ErrorBody = {
      error: { code: error.code, message: error.message, ...(details && { details }) },
    };
    return jsonReply(HTTP_STATUS_BY_CODE[error.code], body);
  }
  logger.error('request failed', error instanceof Error ? error : String(error));
  const body: ErrorBody = { error: { ...INTERNAL_ERROR } };
  return jsonReply(500, body);
};
