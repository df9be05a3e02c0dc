/**
 * Validation of a `POST /answers` body (DESIGN section 4) with zod. Items are validated
 * one by one so that every bad item is named (index and field), not only the first.
 */
import * as z from 'zod';
import { utcTimestamp } from '../../entities/common.ts';
import { zodIssues } from '../../lib/zod-issues.ts';
import { type AnswerIssue, AnswersValidationError, TooManyAnswersError } from './errors.ts';

/** At most this many answers per request (DESIGN section 4). */
export const MAX_ANSWERS_PER_REQUEST = 500;

/**
 * Longest id (student, module, answer) and word, in characters. The sort key
 * `<module_id>#<answer_id>` must stay under DynamoDB's 1024-byte limit even in 4-byte
 * UTF-8 characters: 100 + 1 + 100 characters is at most 801 bytes.
 */
export const MAX_ID_LENGTH = 100;
export const MAX_WORD_LENGTH = 100;

/** An answer as accepted: valid, `answered_at` normalised to UTC `toISOString()`. */
export interface ValidAnswer {
  readonly answer_id: string;
  readonly student_id: string;
  readonly module_id: string;
  readonly word: string;
  readonly correct: boolean;
  readonly answered_at: string;
  readonly duration_ms?: number;
}

const expecting = (what: string) => ({
  error: (issue: { readonly input?: unknown }) =>
    issue.input === undefined ? 'is required' : `must be ${what}`,
});

const text = (maxLength: number) =>
  z
    .string(expecting('a string'))
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`);

/**
 * Module and answer ids form the sort key around `#`, so they must not contain one (a
 * pattern rather than a refinement, so that the OpenAPI document carries the rule).
 */
const keySegment = text(MAX_ID_LENGTH).regex(/^[^#]*$/, 'must not contain "#"');

const toUtc = (value: string): string => new Date(value).toISOString();

const answerSchema = z.strictObject({
  answer_id: keySegment,
  student_id: text(MAX_ID_LENGTH),
  module_id: keySegment,
  word: text(MAX_WORD_LENGTH),
  correct: z.boolean(expecting('true or false')),
  answered_at: z.iso
    .datetime({
      offset: true,
      ...expecting('an ISO-8601 date-time with Z or an offset, such as 2026-03-01T08:15:00+08:00'),
    })
    .refine(
      (value) => utcTimestamp.safeParse(toUtc(value)).success,
      'must fall within the years 0000 to 9999 in UTC',
    ),
  duration_ms: z
    .number(expecting('a number of milliseconds'))
    .int('must be a whole number of milliseconds')
    .nonnegative('must not be negative')
    .optional(),
});

/**
 * The whole body as one schema: what the OpenAPI document publishes. Validation itself
 * goes item by item (below), so that every bad item is named with its index.
 */
export const answersBodySchema = z.strictObject({
  answers: z.array(answerSchema).max(MAX_ANSWERS_PER_REQUEST),
});

const bodySchema = z.strictObject(
  { answers: z.array(z.unknown(), expecting('an array of answers')) },
  { error: 'must be a JSON object with an "answers" array' },
);

/** zod issues → our issues, each naming the answer (`index`, null for the body). */
const issuesOf = (error: z.ZodError, index: number | null): AnswerIssue[] =>
  zodIssues(error).map(({ path, message }) => ({
    index,
    field: path === '' ? (index === null ? '(body)' : '(answer)') : path,
    message,
  }));

/**
 * The answers of a request body, all valid, or an error naming every problem.
 *
 * @example
 * ```ts
 * validateAnswers({ answers: [{ answer_id: 'a1', student_id: 's-1', module_id: 'm-1',
 *   word: 'apple', correct: true, answered_at: '2026-03-01T08:15:00+08:00' }] });
 * // [{ ..., answered_at: '2026-03-01T00:15:00.000Z' }]
 * validateAnswers({ answers: [{ correct: 'yes' }] }); // throws AnswersValidationError
 * ```
 */
export const validateAnswers = (body: unknown): ValidAnswer[] => {
  const envelope = bodySchema.safeParse(body);
  if (!envelope.success) throw new AnswersValidationError(issuesOf(envelope.error, null));
  const items = envelope.data.answers;
  if (items.length > MAX_ANSWERS_PER_REQUEST) {
    throw new TooManyAnswersError(items.length, MAX_ANSWERS_PER_REQUEST);
  }
  const issues: AnswerIssue[] = [];
  const answers: ValidAnswer[] = [];
  items.forEach((item, index) => {
    const result = answerSchema.safeParse(item);
    if (result.success) {
      const { duration_ms, ...answer } = result.data;
      answers.push({
        ...answer,
        answered_at: toUtc(answer.answered_at),
        ...(duration_ms === undefined ? {} : { duration_ms }),
      });
    } else {
      issues.push(...issuesOf(result.error, index));
    }
  });
  if (issues.length > 0) throw new AnswersValidationError(issues);
  return answers;
};
