/**
 * `record_answers`: a batch of answers in, each stored once.
 *
 * Idempotency without transactions (dynalite has none, and one holds at most 100 items,
 * fewer than a 500-answer batch): the identity (student, module, answer_id) IS the primary
 * key, so
 *
 * 1. everything is validated first (400 names every bad item; nothing stored);
 * 2. the stored answers under the batch's keys are read (consistent batch get) and each
 *    answer is classified new / duplicate (same content) / conflict (different content);
 * 3. any conflict rejects the batch (409; nothing stored);
 * 4. the batch is opened for its students (`in-flight.ts`), the students are marked, then
 *    only the new answers are written, in batches, then the batch is closed (marks first:
 *    an answer is never stored unmarked; the open batch: a run never folds past answers
 *    still in flight, see below).
 *
 * The race left: two requests carrying the same identity with DIFFERENT content, both
 * read before either writes; both are accepted and the later write wins. It cannot count
 * an answer twice (one key, one item), it needs a client that reuses an answer id for
 * another answer, and its window is one invocation's read-to-write gap (milliseconds).
 * A conditional put per item would close it, at one request per answer instead of one per
 * 25, and it would still leave the batch half-written when the condition fails on a later
 * item, breaking "nothing of a conflicting batch is stored"; see docs/http-api.md.
 */
import { randomUUID } from 'node:crypto';
import { answerKey, recordedKey } from '../../entities/answer.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { assertMayPostAnswersFor } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { answerIdentity, classifyAnswers, keyOf } from './classify.ts';
import { AnswerConflictError } from './errors.ts';
import { closeBatch, openBatch } from './in-flight.ts';
import { admitAnswers } from './rate-limit.ts';
import { type ValidAnswer, validateAnswers } from './validate.ts';

export interface RecordAnswersDeps {
  readonly db: Db;
  readonly now: () => Date;
  /** A fresh mark token or batch id; random by default (tests may make it predictable). */
  readonly newToken?: () => string;
  /**
   * Told of students whose open batch a run took for abandoned while this request was
   * still writing (a clock far off): their rebuild is requested (`closeBatch`).
   */
  readonly onRebuildRequested?: (studentIds: readonly string[]) => void;
  /** The per-student cap (`rate-limit.ts`); undefined: none (the tools that load data). */
  readonly answersPerStudentPerMinute?: number;
}

/** The reply of `POST /answers` (DESIGN section 4). */
export interface RecordAnswersResult {
  readonly accepted: number;
  readonly duplicates: number;
}

// Properties named one by one: an object literal that begins with a spread (`...keyOf(answer)`)
// and goes on took V8 twenty times as long (7 ms for a batch of 500, measured on Node 20).
const toStored = (answer: ValidAnswer, recordedAt: string): Entity<'answers'> => {
  const answer_key = answerKey(answer.module_id, answer.answer_id);
  return {
    student_id: answer.student_id,
    answer_key,
    answer_id: answer.answer_id,
    module_id: answer.module_id,
    word: answer.word,
    correct: answer.correct,
    answered_at: answer.answered_at,
    ...(answer.duration_ms === undefined ? {} : { duration_ms: answer.duration_ms }),
    recorded_at: recordedAt,
    recorded_key: recordedKey(recordedAt, answer_key),
  };
};

/**
 * Validates, authorizes and stores a batch of answers; marks the batch's students for
 * the aggregate jobs.
 *
 * @example
 * ```ts
 * const result = await recordAnswers({ db, now: () => new Date() }, principal, body);
 * // { accepted: 2, duplicates: 1 }
 * ```
 */
export const recordAnswers = async (
  deps: RecordAnswersDeps,
  principal: Principal,
  body: unknown,
): Promise<RecordAnswersResult> => {
  const { db } = deps;
  const batch = validateAnswers(body, deps.now());
  assertMayPostAnswersFor(
    principal,
    batch.map((answer) => answer.student_id),
  );
  await admitAnswers(
    db,
    batch.map((answer) => answer.student_id),
    deps.answersPerStudentPerMinute,
    deps.now(),
  );

  const keys = [
    ...new Map(
      batch.map((answer) => {
        const key = keyOf(answer);
        return [answerIdentity(key), key];
      }),
    ).values(),
  ];
  const stored = await db.answers.findMany(keys, {
    consistent: true,
    project: ['student_id', 'answer_key', 'word', 'correct', 'answered_at', 'duration_ms'],
  });
  const { fresh, duplicates, conflicts } = classifyAnswers(batch, stored);
  if (conflicts.length > 0) throw new AnswerConflictError(conflicts);

  // Open the batch, then mark, then stamp and write the answers, then close the batch.
  // - The open batch comes first: a run that reads the student's mark and then its open
  //   batches, in that order, either sees this batch open (and folds nothing from its
  //   start on) or closed (every answer of it stored), or finds the mark changed when it
  //   reads it again before writing (`services/aggregates/fold/batch-guard.ts`).
  // - The marks come before the answers, so that no answer is ever stored unmarked:
  //   whatever fails after this (an answer batch half-written, a timeout), the marks make
  //   the next run fold what did land, and a client retry stores the rest (the landed ones
  //   are duplicates). A fresh token per mark: a run that read an older mark finds the
  //   token changed and keeps the student marked. Students whose answers are all
  //   duplicates are marked too: a client retrying after a failure of an earlier version
  //   gets them aggregated; a needless mark costs one fold that finds nothing new.
  // - The stamp is taken after both, never before the batch's `started_at`.
  // - The batch is closed even when the answers' write failed (nothing of it is in flight
  //   once that write has settled); an open batch left by a dead invocation is taken for
  //   abandoned after `ABANDONED_AFTER_MS`.
  const newToken = deps.newToken ?? randomUUID;
  const students = [...new Set(batch.map((answer) => answer.student_id))];
  const batchId = newToken();
  const started = deps.now().getTime();
  const startedAt = new Date(started).toISOString();
  await openBatch(db, students, batchId, startedAt);
  try {
    await db.student_marks.putMany(
      students.map((studentId) => ({
        student_id: studentId,
        token: newToken(),
        marked_at: startedAt,
      })),
    );
    const recordedAt = new Date(Math.max(deps.now().getTime(), started)).toISOString();
    await db.answers.putMany(fresh.map((answer) => toStored(answer, recordedAt)));
  } finally {
    const lost = await closeBatch(db, students, batchId, {
      now: deps.now().toISOString(),
      newToken,
    });
    if (lost.length > 0) deps.onRebuildRequested?.(lost);
  }

  return { accepted: fresh.length, duplicates };
};
