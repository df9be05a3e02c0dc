/**
 * The shapes `POST /answers` replies with, as zod schemas: the 200 body and the `details`
 * of its 400 / 409 errors. Published in the OpenAPI document (`src/openapi/`); the
 * service builds these values from the interfaces beside them, and a type test keeps
 * both the same. Not imported by the function, so its bundle does not carry them.
 */
import * as z from 'zod';
import { count } from '../../entities/common.ts';

/** The reply of `POST /answers`: {@link RecordAnswersResult}. */
export const recordAnswersResultSchema = z.object({
  accepted: count,
  duplicates: count,
});

/** One problem of a refused body (`VALIDATION_FAILED` details): {@link AnswerIssue}. */
export const answerIssueSchema = z.object({
  index: count.nullable(),
  field: z.string(),
  message: z.string(),
});

/** One conflicting answer (`ANSWER_CONFLICT` details): {@link AnswerConflict}. */
export const answerConflictSchema = z.object({
  index: count,
  student_id: z.string(),
  module_id: z.string(),
  answer_id: z.string(),
  conflicting_index: count.nullable(),
});
