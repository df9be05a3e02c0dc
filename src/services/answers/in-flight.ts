/**
 * The writer's half of "batches in flight" (`tables.answer_batches`; the reader's half is
 * `services/aggregates/fold/batch-guard.ts`). `record_answers` opens a row per student of
 * its batch before anything else, and closes it once its answers are all written. A run
 * that sees an open row folds nothing at or after its `started_at` for that student, so a
 * watermark never passes answers still in flight: this holds whatever the settle window
 * and whatever the run's clock says, because the row is data, not an inference from time.
 *
 * A row left open by an invocation that died is taken for abandoned by a run once it is
 * older than {@link ABANDONED_AFTER_MS} (by the run's clock) and deleted. If the
 * invocation was in fact alive (a clock wrong by more than that), it finds its row gone
 * when it closes it and asks for a rebuild of the student from all its answers instead:
 * a clock error delays figures, it never loses an answer.
 */
import pMap from 'p-map';
import { when } from '../../repositories/condition.ts';
import type { Db } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';

/**
 * How old an open row must be (by the run's clock) before a run takes its invocation for
 * dead. `record_answers` lives at most its timeout (29 s, `src/catalog/functions.ts`);
 * ten minutes on top tolerates a run's clock that far ahead before it could misjudge a
 * live invocation (which would then still be repaired by the rebuild request), and costs a
 * student whose invocation really died ten minutes' delay.
 */
export const ABANDONED_AFTER_MS = 10 * 60_000;

/** Writes concurrently issued when closing a batch's rows (one conditional delete each). */
const CLOSE_CONCURRENCY = 16;

/**
 * Opens the batch for each student: the rows are in place before any answer is written.
 *
 * @example
 * ```ts
 * await openBatch(db, ['s-1'], batchId, new Date().toISOString());
 * ```
 */
export const openBatch = async (
  db: Db,
  studentIds: readonly string[],
  batchId: string,
  startedAt: string,
): Promise<void> => {
  await db.answer_batches.putMany(
    studentIds.map((studentId) => ({
      student_id: studentId,
      batch_id: batchId,
      started_at: startedAt,
    })),
  );
};

/**
 * Closes the batch's rows. A row already gone was taken for abandoned by a run that may
 * have folded past this batch's answers: for those students a rebuild is requested (a
 * row with `rebuild`, which no run takes for a batch in flight) and they are marked
 * again, so the next run rebuilds them from all their answers. Returns those students.
 * A delete that landed but whose response was lost is retried by the SDK and then finds
 * its row gone too: that costs one needless rebuild, never an answer (telling the two
 * apart would take a record of who deleted the row, for a rare and harmless case).
 */
export const closeBatch = async (
  db: Db,
  studentIds: readonly string[],
  batchId: string,
  options: { readonly now: string; readonly newToken: () => string },
): Promise<string[]> => {
  const lost: string[] = [];
  await pMap(
    studentIds,
    async (studentId) => {
      try {
        await db.answer_batches.delete(
          { student_id: studentId, batch_id: batchId },
          { condition: when.exists('batch_id') },
        );
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        lost.push(studentId);
      }
    },
    { concurrency: CLOSE_CONCURRENCY },
  );
  if (lost.length > 0) {
    await db.answer_batches.putMany(
      lost.map((studentId) => ({
        student_id: studentId,
        batch_id: batchId,
        started_at: options.now,
        rebuild: true,
      })),
    );
    await db.student_marks.putMany(
      lost.map((studentId) => ({
        student_id: studentId,
        token: options.newToken(),
        marked_at: options.now,
      })),
    );
  }
  return lost;
};
