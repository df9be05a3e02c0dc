/**
 * The error replies as zod schemas, for the OpenAPI document: the body
 * `src/http/error-reply.ts` writes (`ErrorBody`, a type test keeps both the same), and the
 * body API Gateway writes itself when its JWT authorizer refuses a request.
 */
import * as z from 'zod';
import { type ClientErrorCode, ERROR_REPLY_LIMITS, INTERNAL_ERROR } from '../http/error-reply.ts';
import { answerConflictSchema, answerIssueSchema } from '../services/answers/schemas.ts';

/** The `details` of the codes that carry them (the rest carry none). */
export const DETAILS_BY_CODE: Partial<Record<ClientErrorCode, z.ZodType>> = {
  VALIDATION_FAILED: answerIssueSchema,
  ANSWER_CONFLICT: answerConflictSchema,
};

/**
 * `{ "error": { "code", "message", "details"?, "details_omitted"? } }` for the given codes.
 *
 * @example
 * ```ts
 * errorBodySchema(['CLASS_NOT_FOUND', 'MODULE_NOT_FOUND']);
 * ```
 */
export const errorBodySchema = (codes: readonly [string, ...string[]]) => {
  const details = codes.flatMap((code) => {
    const schema = DETAILS_BY_CODE[code as ClientErrorCode];
    return schema === undefined ? [] : [schema];
  });
  const [first, ...rest] = details;
  const item = first === undefined ? undefined : rest.length === 0 ? first : z.union(details);
  return z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string().max(ERROR_REPLY_LIMITS.messageLength),
      ...(item === undefined
        ? {}
        : {
            details: z.array(item).max(ERROR_REPLY_LIMITS.details).optional(),
            details_omitted: z
              .number()
              .int()
              .positive()
              .optional()
              .describe(
                `how many details beyond the first ${ERROR_REPLY_LIMITS.details} were left out`,
              ),
          }),
    }),
  });
};

/** The 500 reply: a fixed code and message, the details only in the log. */
export const internalErrorBodySchema = z.object({
  error: z.object({ code: z.literal(INTERNAL_ERROR.code), message: z.string() }),
});

/** What API Gateway answers itself (401 from the JWT authorizer, 413 over 10 MB). */
export const gatewayErrorBodySchema = z.object({ message: z.string() });
