/**
 * Validation of a `POST /answers` body (DESIGN section 4) with zod. Items are validated
 * one by one so that every bad item is named (index and field), not only the first.
 */
import * as z from 'zod';
import { MAX_ANSWERS_PER_REQUEST } from '../../domain/answers/limits.ts';
import { CONTROL_CHARACTER, LONE_SURROGATE } from '../../lib/text.ts';
import { zodIssues } from '../../lib/zod-issues.ts';
import { type AnswerIssue, AnswersValidationError, TooManyAnswersError } from './errors.ts';

/**
 * Longest id (student, module, answer) and word, in UTF-16 code units (what zod and
 * JavaScript count). A code unit is at most 3 UTF-8 bytes (a pair, two units, is 4), so
 * 100 units are at most 300 bytes, and every key made of them stays within DynamoDB's
 * limits (`entities/key-limits.ts`): the sort key `<module_id>#<answer_id>` at most 601
 * of 1024 bytes, the `recorded_key` `<recorded_at>#<answer_key>` at most 626, the
 * partition key `student_id` at most 300 of 2048.
 */
export const MAX_ID_LENGTH = 100;
export const MAX_WORD_LENGTH = 100;

/**
 * The plausible window of `answered_at` (DESIGN section 4): nothing before this instant,
 * the start of 2000 in UTC, long before any client of this system existed...
 */
export const EARLIEST_ANSWERED_AT = '2000-01-01T00:00:00.000Z';

/**
 * ...and nothing later than this long after the server's clock: a day covers every time
 * zone and a client clock that runs somewhat fast, while an answer dated next year (which
 * would keep a word unmastered for good and pin `last_active_at`) is refused.
 */
export const MAX_ANSWERED_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Longest `duration_ms`: a day. Nobody answers one word for longer; a larger figure is a
 * client bug, and would skew the median of `module_results` without bound.
 */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

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

/**
 * An id or a word: non-empty, bounded, well-formed Unicode (a lone surrogate cannot be
 * stored: the SDK would write U+FFFD, so two different ids would become one), no control
 * characters, no whitespace at either end (it would never match a stored id or word).
 * Patterns rather than refinements, so that the OpenAPI document carries the rules.
 */
const text = (maxLength: number) =>
  z
    .string(expecting('a string'))
    .min(1, 'must not be empty')
    .max(maxLength, `must be at most ${maxLength} characters`)
    .regex(
      new RegExp(`^[^${LONE_SURROGATE.source}]*$`, 'u'),
      'must be well-formed Unicode (a lone UTF-16 surrogate is not)',
    )
    .regex(
      new RegExp(`^[^${CONTROL_CHARACTER.source}]*$`, 'u'),
      'must not contain control characters',
    )
    .regex(/^(?!\s)[\s\S]*(?<!\s)$/u, 'must not start or end with whitespace');

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
  // The format check (calendar days, 00-59 minutes and seconds, offsets up to ±23:59)
  // is all zod checks here: the window needs the clock, see `outsideWindow`.
  answered_at: z.iso.datetime({
    offset: true,
    ...expecting('an ISO-8601 date-time with Z or an offset, such as 2026-03-01T08:15:00+08:00'),
  }),
  duration_ms: z
    .number(expecting('a number of milliseconds'))
    .int('must be a whole number of milliseconds')
    .nonnegative('must not be negative')
    .max(MAX_DURATION_MS, `must be at most ${MAX_DURATION_MS} (one day)`)
    .optional(),
});

/**
 * Why an `answered_at` (already of the right format) is outside the plausible window, or
 * `undefined` when it is inside.
 */
const outsideWindow = (instant: Date, now: Date): string | undefined => {
  if (Number.isNaN(instant.getTime())) return 'must be a date-time that exists';
  if (instant.getTime() < Date.parse(EARLIEST_ANSWERED_AT)) {
    return `must not be before ${EARLIEST_ANSWERED_AT}`;
  }
  const latest = new Date(now.getTime() + MAX_ANSWERED_AHEAD_MS);
  if (instant > latest) {
    return `must not be more than one day after the server's clock (at most ${latest.toISOString()})`;
  }
  return undefined;
};

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
 * The answers of a request body, all valid, or an error naming every problem. `now` is
 * the server's clock (the runtime's, injectable), against which `answered_at` is checked.
 *
 * @example
 * ```ts
 * validateAnswers({ answers: [{ answer_id: 'a1', student_id: 's-1', module_id: 'm-1',
 *   word: 'apple', correct: true, answered_at: '2026-03-01T08:15:00+08:00' }] }, new Date());
 * // [{ ..., answered_at: '2026-03-01T00:15:00.000Z' }]
 * validateAnswers({ answers: [{ correct: 'yes' }] }, new Date()); // throws AnswersValidationError
 * ```
 */
export const validateAnswers = (body: unknown, now: Date): ValidAnswer[] => {
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
      const problem = outsideWindow(new Date(answer.answered_at), now);
      if (problem !== undefined) {
        issues.push({ index, field: 'answered_at', message: problem });
        return;
      }
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
