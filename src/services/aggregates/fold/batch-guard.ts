/**
 * The run's half of "batches in flight" (the writer's half is
 * `services/answers/in-flight.ts`): what a fold of one student may take, read before it
 * reads any answer, and checked again before it writes.
 *
 * `record_answers` opens a row in `answer_batches`, then marks the student (a fresh token),
 * then stamps and writes its answers, then closes the row. The guard reads, in this order
 * and consistently, the student's mark (M1), then its open rows; the fold then reads the
 * answers and, before writing, reads the mark again (M2). Every answer the fold read
 * belongs to a batch that marked before the fold's read. If that batch marked before M1,
 * its row was open before M1 too, so the guard saw it open (and the fold takes nothing at
 * or after its `started_at`, which precedes all its answers) or already closed (all its
 * answers were stored before M1, and the fold read them all). If it marked after M1, the
 * token changed and M2 says so: the fold writes nothing and starts again. Nothing here
 * compares clocks, except:
 *
 * - a row is taken for abandoned (its invocation died) once older than
 *   `ABANDONED_AFTER_MS` by the run's clock; a live invocation so misjudged finds its row
 *   gone and requests a rebuild (`closeBatch`), so even then nothing is lost;
 * - an invocation that marks after M2 stamps its answers after that, so they sort after
 *   every answer the fold read, as long as `record_answers` invocations' clocks agree to
 *   within the settle window (Lambda's are synchronised to well under a millisecond).
 */

import { LmsError } from '../../../errors.ts';
import { when } from '../../../repositories/condition.ts';
import type { Db } from '../../../repositories/db.ts';
import { ConditionFailedError, type InvalidStoredItemError } from '../../../repositories/errors.ts';
import { ABANDONED_AFTER_MS } from '../../answers/in-flight.ts';
import { settledKey } from '../marks.ts';

/** The student was marked again while the fold read: what it read may be half a batch. */
export class MarkChangedError extends LmsError {
  readonly code = 'MARK_CHANGED';
}

export interface BatchGuard {
  /** The mark's token at M1; `undefined`: the student was not marked. */
  readonly token: string | undefined;
  /** The last `recorded_key` the fold may take: the run's, or before a batch in flight. */
  readonly settledKey: string;
  /** A batch was in flight: answers are left for the next run, the mark stays. */
  readonly inFlight: boolean;
  /** Batch ids of rebuild requests: the student is rebuilt, then they are deleted. */
  readonly rebuildRequests: readonly string[];
  /** M2: throws {@link MarkChangedError} if the mark is no longer the one of M1. */
  readonly beforeWrite: () => Promise<void>;
}

export interface GuardOptions {
  /** The run's cut-off (`settledKey` of the run's start less the settle window). */
  readonly settledKey: string;
  /** The run's clock, for abandoned rows only. */
  readonly now: Date;
  /** Read only: abandoned rows are left in place. */
  readonly dryRun: boolean;
  readonly onInvalid: (error: InvalidStoredItemError) => void;
}

const markToken = async (db: Db, studentId: string): Promise<string | undefined> => {
  const mark = await db.student_marks.find(
    { student_id: studentId },
    { consistent: true, project: ['student_id', 'token'] },
  );
  return mark?.token;
};

/**
 * @example
 * ```ts
 * const guard = await readBatchGuard(db, 's-1', { settledKey, now, dryRun: false, onInvalid });
 * await foldNewAnswers({ ...context, settledKey: guard.settledKey, beforeWrite: guard.beforeWrite }, root, progress);
 * ```
 */
export const readBatchGuard = async (
  db: Db,
  studentId: string,
  options: GuardOptions,
): Promise<BatchGuard> => {
  const token = await markToken(db, studentId);
  const rows = await db.answer_batches.get(
    { student_id: studentId },
    { consistent: true, onInvalid: options.onInvalid },
  );
  const abandonedBefore = options.now.getTime() - ABANDONED_AFTER_MS;
  let firstLive: number | undefined;
  const rebuildRequests: string[] = [];
  for (const row of rows) {
    if (row.rebuild === true) {
      rebuildRequests.push(row.batch_id);
      continue;
    }
    const started = Date.parse(row.started_at);
    if (started > abandonedBefore) {
      firstLive = Math.min(firstLive ?? started, started);
    } else if (!options.dryRun) {
      // Its invocation is dead: what it stored is all it will ever store. Only this row
      // as read (a retry of the same batch id would be another request's).
      try {
        await db.answer_batches.delete(
          { student_id: studentId, batch_id: row.batch_id },
          { condition: when.equals('started_at', row.started_at) },
        );
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
      }
    }
  }
  // Everything before the first live batch's start: its answers are stamped at or after it.
  const beforeLive = firstLive === undefined ? undefined : settledKey(new Date(firstLive - 1));
  return {
    token,
    settledKey:
      beforeLive !== undefined && beforeLive < options.settledKey ? beforeLive : options.settledKey,
    inFlight: firstLive !== undefined,
    rebuildRequests,
    beforeWrite: async () => {
      const now = await markToken(db, studentId);
      if (now !== token) {
        throw new MarkChangedError(
          `student ${studentId} was marked again while its answers were read; folding again`,
        );
      }
    },
  };
};

/** Deletes the rebuild requests a finished rebuild answered. */
export const clearRebuildRequests = async (
  db: Db,
  studentId: string,
  batchIds: readonly string[],
): Promise<void> => {
  // One at a time: there is rarely more than one, and the run's role deletes single rows.
  for (const batchId of batchIds) {
    await db.answer_batches.delete({ student_id: studentId, batch_id: batchId });
  }
};
