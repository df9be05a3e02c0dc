/**
 * The students' step of the one chunk loop (`chunks.ts`). For each student, in this order:
 * read the mark (done by the caller) → read the mark again and the batches in flight →
 * fold the answers recorded since the last fold into the state → figures off the state →
 * write the progress if it changed → mark the parents → clear the mark if its token is
 * unchanged. Every step
 * happens after the data it depends on, so a crash or a concurrent writer at any point
 * leaves either finished work or a mark that makes the next run finish it.
 */
import pMap from 'p-map';
import { dependsOnDate } from '../../domain/progress/rollover.ts';
import type { AggregateMode } from '../../domain/progress/run-modes.ts';
import { sameFigures } from '../../domain/progress/same-figures.ts';
import { aggregateWarning } from '../../domain/progress/warnings.ts';
import type { MemoryModel } from '../../domain/review/card.ts';
import { when } from '../../repositories/condition.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';
import {
  type ChunkContext,
  type ChunkCounts,
  type ChunkRun,
  emptyChunkCounts,
  processChunks,
} from './chunks.ts';
import { clearRebuildRequests, MarkChangedError, readBatchGuard } from './fold/batch-guard.ts';
import { LeftoverAheadError } from './fold/fold-student.ts';
import {
  FOLD_ATTEMPTS,
  FOLD_WORK,
  type FoldWork,
  foldVersionOf,
  type StudentFold,
  studentFold,
} from './fold/student-figures.ts';
import { clearStudentMark, hasUnsettled, markParents } from './marks.ts';
import { FOLD_PAGE_SIZE } from './options.ts';

/** A student a run recomputes, as a shard's source gave it. */
export interface StudentTask {
  readonly studentId: string;
  /** The mark's token as read, when the student is marked. */
  readonly token?: string;
  /** The student's parents, when already read (a full run scans them with the students). */
  readonly parentIds?: readonly string[];
  /** Modules whose word list changed: their figures are recomputed from the fold state. */
  readonly modules: readonly string[];
}

export interface ProcessStudentsContext extends ChunkContext {
  readonly mode: AggregateMode;
  /** The last `recorded_key` this run folds (see `settledKey`). */
  readonly settledKey: string;
  /** The run's clock (for batches in flight whose invocation died, `batch-guard.ts`). */
  readonly now: Date;
  readonly newToken: () => string;
  /** The model of the memory cards (`LMS_REVIEW_RETENTION`). */
  readonly model: MemoryModel;
  readonly moduleWords: ReadonlyMap<string, readonly string[]>;
  /** Set when the run rolls the day over (see `sharded/students.ts`). */
  readonly rollover: { readonly threshold: string | undefined } | undefined;
}

/** A students run's counts: the chunk loop's, and these. */
export interface StudentCounts extends ChunkCounts {
  /**
   * Marks left in place because some answers are too recent to fold, a batch of the
   * student's answers was still being written (`batch-guard.ts`), or another run with a
   * later cut-off is folding the student (`LeftoverAheadError`).
   */
  deferred: number;
  /** Students whose state was rebuilt from their answers (full runs, students new to the fold). */
  rebuilt: number;
  /** Distinct parents marked for `aggregate_parents` (in a dry run: that would be). */
  parents_marked: number;
  answers_read: number;
}

export const emptyStudentCounts = (): StudentCounts => ({
  ...emptyChunkCounts(),
  deferred: 0,
  rebuilt: 0,
  parents_marked: 0,
  answers_read: 0,
});

type Outcome =
  | { readonly task: StudentTask; readonly ok: false }
  | {
      readonly task: StudentTask;
      readonly ok: true;
      readonly changed: boolean;
      /** The mark's token as the fold read it, to clear; `undefined`: nothing to clear. */
      readonly token: string | undefined;
      /** Parents to mark (empty when the student's figures cannot have changed for them). */
      readonly parentIds: readonly string[];
      /** Answers too recent for this run: the mark stays. */
      readonly unsettled: boolean;
      /** Another run wrote the progress first: the mark stays (see `computeChunk`). */
      readonly superseded: boolean;
    };

/**
 * @example
 * ```ts
 * const counts = await processStudents(context, [...tasks.values()]);
 * ```
 */
export const processStudents = async (
  context: ProcessStudentsContext,
  tasks: readonly StudentTask[],
): Promise<StudentCounts> => {
  const parentsMarked = new Set<string>();
  const counts = emptyStudentCounts();
  await processChunks(
    context,
    {
      unit: 'students',
      idOf: (task) => task.studentId,
      step: (chunk, run) => studentsChunk(context, chunk, counts, parentsMarked, run),
    },
    tasks,
    counts,
  );
  counts.parents_marked = parentsMarked.size;
  return counts;
};

/** One chunk: compute and write each student, then mark the parents, then clear the marks. */
const studentsChunk = async (
  context: ProcessStudentsContext,
  chunk: readonly StudentTask[],
  counts: StudentCounts,
  parentsMarked: Set<string>,
  { fail }: ChunkRun<StudentTask>,
): Promise<void> => {
  const outcomes = await computeChunk(context, chunk, counts, fail);
  const succeeded = outcomes.filter((outcome) => outcome.ok);

  // Parents after the progress they will read, before the marks are cleared.
  const parents = new Set(succeeded.flatMap((outcome) => outcome.parentIds));
  let finished = succeeded;
  if (parents.size > 0 && !context.dryRun) {
    try {
      await markParents(context.db, parents, context.updatedAt);
    } catch (error) {
      // Their progress may be written, but their parents are not marked: keep them marked.
      finished = succeeded.filter((outcome) => outcome.parentIds.length === 0);
      for (const outcome of succeeded) {
        if (outcome.parentIds.length > 0) fail(outcome.task, error);
      }
      parents.clear();
    }
  }
  for (const parentId of parents) parentsMarked.add(parentId);

  await pMap(
    finished,
    async (outcome) => {
      const { token } = outcome;
      const { studentId } = outcome.task;
      if (token !== undefined && outcome.unsettled) {
        counts.deferred += 1;
      } else if (token !== undefined && outcome.superseded) {
        counts.remarked += 1;
      } else if (token !== undefined && !context.dryRun) {
        try {
          const result = await clearStudentMark(context.db, studentId, token, context.updatedAt);
          counts[result === 'cleared' ? 'marks_cleared' : 'remarked'] += 1;
        } catch (error) {
          fail(outcome.task, error);
          return;
        }
      }
      counts[outcome.changed ? 'updated' : 'unchanged'] += 1;
    },
    { concurrency: context.concurrency },
  );
};

/**
 * What a progress write is conditional on: the fold version the run read. `absent`: the
 * item was not there, or it had no version. `unreadable`: an item is stored whose
 * `fold_version` itself does not validate, so no equality can be stated: it is replaced
 * if it still exists. Runs do not overlap (the lease), so the condition is a second line.
 */
const overVersionRead = (version: number | 'unreadable' | undefined) =>
  version === undefined
    ? when.absent('fold_version')
    : version === 'unreadable'
      ? when.exists('student_id')
      : when.equals('fold_version', version);

/**
 * The fold versions of stored progress items that did not validate as a whole: without
 * them a write conditional on "no version" would fail for ever on such an item, and the
 * student would stay marked and never be repaired. Read with a projection, so only the
 * version itself must validate.
 */
const storedVersionsOf = async (
  db: Db,
  studentIds: readonly string[],
): Promise<ReadonlyMap<string, number | 'unreadable'>> => {
  if (studentIds.length === 0) return new Map();
  const versions = new Map<string, number | 'unreadable'>(
    studentIds.map((id) => [id, 'unreadable']),
  );
  const read = await db.student_progress.findMany(
    studentIds.map((id) => ({ student_id: id })),
    // Already reported by the whole-item read: here an invalid one only stays 'unreadable'.
    { project: ['student_id', 'fold_version'], onInvalid: () => {} },
  );
  for (const item of read) {
    const version: unknown = item.fold_version;
    if (typeof version === 'number') versions.set(item.student_id, version);
    else if (version === undefined) versions.delete(item.student_id);
  }
  return versions;
};

/** Reads the chunk's records and stored progress, then computes and writes each student. */
const computeChunk = async (
  context: ProcessStudentsContext,
  chunk: readonly StudentTask[],
  counts: StudentCounts,
  fail: (task: StudentTask, error: unknown) => void,
): Promise<Outcome[]> => {
  const { db, onInvalid } = context;
  const withoutParents = chunk.filter((task) => task.parentIds === undefined);
  const unreadable: string[] = [];
  const [records, stored] = await Promise.all([
    withoutParents.length === 0
      ? Promise.resolve([])
      : db.students.findMany(
          withoutParents.map((task) => ({ id: task.studentId })),
          { project: ['id', 'parent_ids'], onInvalid },
        ),
    db.student_progress.findMany(
      chunk.map((task) => ({ student_id: task.studentId })),
      {
        onInvalid: (error) => {
          const id = error.key.student_id;
          if (typeof id === 'string') unreadable.push(id);
          onInvalid(error);
        },
      },
    ),
  ]);
  const unreadableVersions = await storedVersionsOf(db, unreadable);
  const parentsOf = new Map(records.map((record) => [record.id, record.parent_ids]));
  const foldContext = {
    db,
    timeZone: context.timeZone,
    model: context.model,
    today: context.today,
    settledKey: context.settledKey,
    pageSize: FOLD_PAGE_SIZE,
    newToken: context.newToken,
    dryRun: context.dryRun,
    moduleWords: context.moduleWords,
    onInvalidAnswer: onInvalid,
  };
  const storedOf = new Map(stored.map((progress) => [progress.student_id, progress]));

  return pMap(
    chunk,
    async (task): Promise<Outcome> => {
      try {
        const existing: Entity<'student_progress'> | undefined = storedOf.get(task.studentId);
        const work =
          context.mode === 'full'
            ? FOLD_WORK.Rebuild
            : task.token !== undefined
              ? FOLD_WORK.New
              : FOLD_WORK.Date;
        const guarded = await guardedFold(context, foldContext, task, work, existing);
        if (guarded.kind === 'deferred') {
          context.warnings.add(aggregateWarning('deferred', guarded.reason));
          return {
            task,
            ok: true,
            changed: false,
            token: guarded.token,
            parentIds: [],
            unsettled: true,
            superseded: false,
          };
        }
        const { fold, guard } = guarded;
        counts.answers_read += fold.answersRead;
        if (fold.rebuilt) counts.rebuilt += 1;
        const { figures } = fold;
        const changed = !sameFigures(existing, figures);
        let superseded = false;
        // With the figures, the fold version they are of (see `studentFold`). Unchanged
        // figures stay as they are: an older version there only makes the next fold read
        // the parts of the modules folded since, once.
        // Only over the progress this run read: a run that overlapped wrote first, and these
        // figures are dropped. That run's fold may be older than this one's (it started
        // earlier and folded fewer answers), so the student stays marked: the next run
        // computes it again over the progress now stored.
        if (changed && !context.dryRun) {
          try {
            await db.student_progress.put(
              {
                ...figures,
                due_words: [...figures.due_words],
                practised_words: [...figures.practised_words],
                fold_version: fold.foldVersion,
                updated_at: context.updatedAt,
              },
              {
                condition: overVersionRead(
                  existing === undefined
                    ? unreadableVersions.get(task.studentId)
                    : foldVersionOf(existing),
                ),
              },
            );
          } catch (error) {
            if (!(error instanceof ConditionFailedError)) throw error;
            superseded = true;
          }
        }
        if (!context.dryRun && guard !== undefined) {
          await clearRebuildRequests(db, task.studentId, guard.rebuildRequests);
        }
        // The mark stays while a batch of the student's was being written, or stored
        // answers are beyond what this fold took.
        const token = guard?.token;
        const unsettled =
          token !== undefined &&
          (guard?.inFlight === true ||
            (await hasUnsettled(db, task.studentId, guard?.settledKey ?? context.settledKey)));
        const parentIds = task.parentIds ?? parentsOf.get(task.studentId);
        if (parentIds === undefined) {
          context.warnings.add(
            aggregateWarning(
              'student_missing',
              `student ${task.studentId} has answers or progress but no record in students; no parent marked`,
            ),
          );
        }
        // A parent's figures of this child changed if the progress did, if new answers came
        // in (covers a retry after a crash between the write and the parents' marks), or if
        // the day rolled over for a child whose 7-day window and streak move with the date.
        const parentsMayChange =
          changed ||
          token !== undefined ||
          (context.rollover !== undefined &&
            dependsOnDate(existing?.last_active_at, context.rollover.threshold, context.timeZone));
        return {
          task,
          ok: true,
          changed: changed && !superseded,
          token,
          parentIds: parentsMayChange ? (parentIds ?? []) : [],
          unsettled,
          superseded,
        };
      } catch (error) {
        fail(task, error);
        return { task, ok: false };
      }
    },
    { concurrency: context.concurrency },
  );
};

type GuardedFold =
  | {
      readonly kind: 'folded';
      readonly fold: StudentFold;
      /** `undefined` for a date-only recomputation, which writes no state. */
      readonly guard: Awaited<ReturnType<typeof readBatchGuard>> | undefined;
    }
  | { readonly kind: 'deferred'; readonly token: string | undefined; readonly reason: string };

/**
 * A student's fold inside its batch guard (`fold/batch-guard.ts`): the mark and the
 * batches in flight are read first, the fold takes nothing at or after a batch still being
 * written, and writes nothing if the student was marked again meanwhile (then it starts
 * over, a few times, before leaving the student marked). A date-only recomputation reads
 * no answer and writes no state: it needs no guard.
 */
const guardedFold = async (
  context: ProcessStudentsContext,
  foldContext: Parameters<typeof studentFold>[0],
  task: StudentTask,
  work: FoldWork,
  existing: Entity<'student_progress'> | undefined,
): Promise<GuardedFold> => {
  if (work === FOLD_WORK.Date) {
    const fold = await studentFold(foldContext, task.studentId, work, existing, task.modules);
    return { kind: 'folded', fold, guard: undefined };
  }
  for (let attempt = 1; ; attempt += 1) {
    const guard = await readBatchGuard(context.db, task.studentId, {
      settledKey: context.settledKey,
      now: context.now,
      dryRun: context.dryRun,
      onInvalid: context.onInvalid,
    });
    try {
      const fold = await studentFold(
        { ...foldContext, settledKey: guard.settledKey, beforeWrite: guard.beforeWrite },
        task.studentId,
        guard.rebuildRequests.length > 0 ? FOLD_WORK.Rebuild : work,
        existing,
        task.modules,
      );
      return { kind: 'folded', fold, guard };
    } catch (error) {
      if (error instanceof LeftoverAheadError) {
        return { kind: 'deferred', token: guard.token, reason: error.message };
      }
      if (!(error instanceof MarkChangedError)) throw error;
      if (attempt >= FOLD_ATTEMPTS) {
        return { kind: 'deferred', token: guard.token, reason: error.message };
      }
    }
  }
};
