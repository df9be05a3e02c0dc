import { LmsError } from '../../errors.ts';
import { describeIssues } from '../../lib/zod-issues.ts';

/** One problem of a request body: which answer (`index`, or null for the body), which field. */
export interface AnswerIssue {
  readonly index: number | null;
  readonly field: string;
  readonly message: string;
}

/** The batch is invalid; every problem found is named. Nothing of the batch is stored. */
export class AnswersValidationError extends LmsError {
  readonly code = 'VALIDATION_FAILED';

  constructor(readonly issues: readonly AnswerIssue[]) {
    super(
      `invalid request: ${describeIssues(
        issues.slice(0, 20).map((issue) => ({
          path: issue.index === null ? issue.field : `answers[${issue.index}].${issue.field}`,
          message: issue.message,
        })),
        '(body)',
      )}${issues.length > 20 ? `; and ${issues.length - 20} more` : ''}`,
    );
  }

  override get details(): readonly AnswerIssue[] {
    return this.issues;
  }
}

/** More answers in one request than allowed. Nothing of the batch is stored. */
export class TooManyAnswersError extends LmsError {
  readonly code = 'TOO_MANY_ANSWERS';

  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(`at most ${limit} answers per request, got ${count}`);
  }
}

/** An answer whose identity is already taken by different content. */
export interface AnswerConflict {
  readonly index: number;
  readonly student_id: string;
  readonly module_id: string;
  readonly answer_id: string;
  /** The earlier answer of the same request it contradicts, or null: the stored answer. */
  readonly conflicting_index: number | null;
}

/**
 * Some answers carry an identity (student, module, answer_id) that is stored, or sent
 * earlier in the batch, with different content. Nothing of the batch is stored.
 */
export class AnswerConflictError extends LmsError {
  readonly code = 'ANSWER_CONFLICT';

  constructor(readonly conflicts: readonly AnswerConflict[]) {
    super(
      `${conflicts.length} answer(s) conflict with different content under the same identity: ${conflicts
        .slice(0, 20)
        .map(
          (conflict) =>
            `answers[${conflict.index}] (${conflict.student_id}, ${conflict.module_id}, ${conflict.answer_id}) differs from ${
              conflict.conflicting_index === null
                ? 'the stored answer'
                : `answers[${conflict.conflicting_index}]`
            }`,
        )
        .join('; ')}${conflicts.length > 20 ? '; …' : ''}`,
    );
  }

  override get details(): readonly AnswerConflict[] {
    return this.conflicts;
  }
}

/**
 * Students of the batch are over their answers per minute (`rate-limit.ts`). Nothing of the
 * batch is stored, and nothing is counted against the students that were under the cap.
 */
export class AnswersRateLimitedError extends LmsError {
  readonly code = 'RATE_LIMITED';

  constructor(
    readonly studentIds: readonly string[],
    readonly limit: number,
    /** Whole seconds until the window ends, when a retry is counted afresh (`Retry-After`). */
    readonly secondsToWindowEnd: number,
  ) {
    const listed = studentIds.slice(0, 5).join(', ');
    const more = studentIds.length > 5 ? ` and ${studentIds.length - 5} more` : '';
    super(
      `at most ${limit} answers per student per minute: over it for ${listed}${more}; retry after ${secondsToWindowEnd} s`,
    );
  }

  override get retryAfterSeconds(): number {
    return this.secondsToWindowEnd;
  }
}
