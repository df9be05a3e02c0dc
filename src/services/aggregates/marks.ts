/**
 * The mark protocol shared by both jobs: a mark is cleared only if its token is still the
 * one the run read. A writer that marks again during the run (new answers, a child's new
 * figures) sets a fresh token, the conditional delete fails, and the mark stays for the
 * next run: nothing is lost, at worst something is computed twice. Two overlapping runs
 * (a CLI run during a scheduled one) are safe too: see `clearMark`.
 */
import { randomUUID } from 'node:crypto';
import { when } from '../../repositories/condition.ts';
import type { Db } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';

export type ClearOutcome = 'cleared' | 'remarked';

/**
 * What clearing needs of a marks table: a conditional delete and a put-if-absent, with
 * the store's "condition did not hold" as {@link ConditionFailedError}.
 */
interface MarkStore {
  deleteIfToken(token: string): Promise<void>;
  putIfAbsent(token: string, markedAt: string): Promise<void>;
}

const ignoreConditionFailed = async (write: Promise<void>): Promise<void> => {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
};

/**
 * Deletes a mark if it still holds `token`. If it does not, either a writer marked again
 * (the mark stays: work for the next run) or another run of the same job, overlapping this
 * one, already cleared it; then what this run wrote may be older than what that run wrote,
 * so the mark is put back (if still absent) and the next run recomputes from all answers.
 */
const clearMark = async (store: MarkStore, token: string, now: string): Promise<ClearOutcome> => {
  try {
    await store.deleteIfToken(token);
    return 'cleared';
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    await ignoreConditionFailed(store.putIfAbsent(randomUUID(), now));
    return 'remarked';
  }
};

/**
 * Deletes a student's mark if it still holds `token` (see `clearMark` above).
 *
 * @example
 * ```ts
 * await clearStudentMark(db, 's-1', token, now); // 'remarked' if new answers arrived meanwhile
 * ```
 */
export const clearStudentMark = (
  db: Db,
  studentId: string,
  token: string,
  now: string,
): Promise<ClearOutcome> =>
  clearMark(
    {
      deleteIfToken: (expected) =>
        db.student_marks.delete(
          { student_id: studentId },
          { condition: when.equals('token', expected) },
        ),
      putIfAbsent: (fresh, markedAt) =>
        db.student_marks.put(
          { student_id: studentId, token: fresh, marked_at: markedAt },
          { condition: when.absent('student_id') },
        ),
    },
    token,
    now,
  );

/** Deletes a parent's mark if it still holds `token` (see {@link clearStudentMark}). */
export const clearParentMark = (
  db: Db,
  parentId: string,
  token: string,
  now: string,
): Promise<ClearOutcome> =>
  clearMark(
    {
      deleteIfToken: (expected) =>
        db.parent_marks.delete(
          { parent_id: parentId },
          { condition: when.equals('token', expected) },
        ),
      putIfAbsent: (fresh, markedAt) =>
        db.parent_marks.put(
          { parent_id: parentId, token: fresh, marked_at: markedAt },
          { condition: when.absent('parent_id') },
        ),
    },
    token,
    now,
  );

/**
 * Marks parents for `aggregate_parents`, each with a fresh token (so a run of that job
 * already under way keeps the mark: see {@link clearParentMark}).
 *
 * @example
 * ```ts
 * await markParents(db, ['p-1', 'p-2'], new Date().toISOString());
 * ```
 */
export const markParents = async (
  db: Db,
  parentIds: Iterable<string>,
  markedAt: string,
): Promise<void> => {
  await db.parent_marks.putMany(
    [...parentIds].map((parentId) => ({
      parent_id: parentId,
      token: randomUUID(),
      marked_at: markedAt,
    })),
  );
};

// The settle window belongs to the protocol: a mark stays while its student has answers
// beyond the run's cut-off, so those answers wait for the next run.

/**
 * The inclusive upper bound of the `recorded_key`s recorded up to `instant`: keys are
 * `<recorded_at>#...`, and `$` sorts right after `#`.
 *
 * @example
 * ```ts
 * settledKey(new Date('2026-11-24T08:00:00Z')); // '2026-11-24T08:00:00.000Z$'
 * ```
 */
export const settledKey = (instant: Date): string => `${instant.toISOString()}$`;

/**
 * Whether the student has answers recorded after `settledKey`, which this run leaves to
 * the next one (its mark stays). One item read at most.
 */
export const hasUnsettled = async (db: Db, studentId: string, key: string): Promise<boolean> => {
  for await (const page of db.answers.pages(
    { student_id: studentId },
    {
      index: 'recorded_key',
      sortKey: { gte: key },
      consistent: true,
      pageSize: 1,
      project: ['recorded_key'],
    },
  )) {
    return page.length > 0;
  }
  return false;
};
