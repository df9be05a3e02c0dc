/**
 * The parents' step of the one chunk loop (`chunks.ts`): read the parents (when not yet read), their
 * children's records and progress and the stored summaries with one batch get per table,
 * then for each parent: compute → write the summary if it changed → clear the mark if its
 * token is unchanged. No answer is read: a child's figures come from its progress.
 */
import pMap from 'p-map';
import { parentChildren } from '../../domain/progress/parent-children.ts';
import { sameFigures } from '../../domain/progress/same-figures.ts';
import { aggregateWarning } from '../../domain/progress/warnings.ts';
import { when } from '../../repositories/condition.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import { ConditionFailedError, type InvalidStoredItemError } from '../../repositories/errors.ts';
import { type ChunkContext, type ChunkCounts, emptyChunkCounts, processChunks } from './chunks.ts';
import { clearParentMark } from './marks.ts';

/** A parent a run recomputes, as a shard's source gave it. */
export interface ParentTask {
  readonly parentId: string;
  /** The mark's token as read, when the parent is marked. */
  readonly token?: string;
  /** The parent's `student_ids`, when already read (a full run scans them). */
  readonly studentIds?: readonly string[];
}

/** A parents run needs nothing beyond what every step is given. */
export type ProcessParentsContext = ChunkContext;

/** A parents run's counts: the chunk loop's, and these. */
export interface ParentCounts extends ChunkCounts {
  children: number;
  children_missing: number;
  /** Summaries of parents that no longer exist, deleted (in a dry run: that would be). */
  summaries_removed: number;
}

export const emptyParentCounts = (): ParentCounts => ({
  ...emptyChunkCounts(),
  children: 0,
  children_missing: 0,
  summaries_removed: 0,
});

/** The attributes of a progress item a child's figures use (not `modules`, the big part). */
const PROGRESS_FIELDS = [
  'student_id',
  'daily',
  'streak_days',
  'words_mastered',
  'last_active_at',
] as const;

/**
 * @example
 * ```ts
 * const counts = await processParents(context, [...tasks.values()]);
 * ```
 */
export const processParents = (
  context: ProcessParentsContext,
  tasks: readonly ParentTask[],
): Promise<ParentCounts> => {
  const counts = emptyParentCounts();
  return processChunks(
    context,
    {
      unit: 'parents',
      idOf: (task) => task.parentId,
      step: (chunk, { fail }) => processChunk(context, chunk, counts, fail),
    },
    tasks,
    counts,
  );
};

const processChunk = async (
  context: ProcessParentsContext,
  chunk: readonly ParentTask[],
  counts: ParentCounts,
  fail: (task: ParentTask, error: unknown) => void,
): Promise<void> => {
  const { db } = context;
  // A parent whose record fails validation exists: its summary is not a leftover.
  const invalidParents = new Set<unknown>();
  const onInvalid = (error: InvalidStoredItemError) => {
    if (error.table === 'parents') invalidParents.add(error.key.id);
    context.onInvalid(error);
  };
  const unread = chunk.filter((task) => task.studentIds === undefined);
  const records =
    unread.length === 0
      ? []
      : await db.parents.findMany(
          unread.map((task) => ({ id: task.parentId })),
          { project: ['id', 'student_ids'], onInvalid },
        );
  const studentIdsOf = new Map<string, readonly string[]>(
    records.map((record) => [record.id, record.student_ids]),
  );
  for (const task of chunk) {
    if (task.studentIds !== undefined) studentIdsOf.set(task.parentId, task.studentIds);
  }

  const childIds = [...new Set([...studentIdsOf.values()].flat())];
  const [students, progress, stored] = await Promise.all([
    db.students.findMany(
      childIds.map((id) => ({ id })),
      { project: ['id', 'name', 'class_code'], onInvalid },
    ),
    db.student_progress.findMany(
      childIds.map((id) => ({ student_id: id })),
      { project: [...PROGRESS_FIELDS], onInvalid },
    ),
    // Every task's, the gone parents' too: a leftover summary is removed.
    db.parent_summaries.findMany(
      chunk.map((task) => ({ parent_id: task.parentId })),
      { onInvalid },
    ),
  ]);
  const studentOf = new Map(students.map((student) => [student.id, student]));
  const progressOf = new Map(progress.map((item) => [item.student_id, item]));
  const storedOf = new Map(stored.map((summary) => [summary.parent_id, summary]));

  await pMap(
    chunk,
    async (task) => {
      try {
        const studentIds = studentIdsOf.get(task.parentId);
        let changed = false;
        if (studentIds === undefined) {
          const leftover = invalidParents.has(task.parentId)
            ? undefined
            : storedOf.get(task.parentId);
          if (leftover !== undefined) {
            if (!context.dryRun) await removeSummary(db, leftover);
            counts.summaries_removed += 1;
            changed = true;
          }
          const removed = leftover === undefined ? '' : ', its summary removed';
          context.warnings.add(
            aggregateWarning(
              'parent_missing',
              task.token === undefined
                ? `parent ${task.parentId} does not exist${removed}`
                : `parent ${task.parentId} is marked but does not exist; mark cleared${removed}`,
            ),
          );
        } else {
          const { children, missing } = parentChildren({
            studentIds,
            students: studentOf,
            progress: progressOf,
            today: context.today,
            timeZone: context.timeZone,
          });
          counts.children += children.length;
          counts.children_missing += missing.length;
          for (const studentId of missing) {
            context.warnings.add(
              aggregateWarning(
                'child_missing',
                `parent ${task.parentId} lists student ${studentId}, who does not exist; left out`,
              ),
            );
          }
          const figures = { parent_id: task.parentId, children };
          changed = !sameFigures(storedOf.get(task.parentId), figures);
          if (changed && !context.dryRun) {
            await db.parent_summaries.put({ ...figures, updated_at: context.updatedAt });
          }
        }
        if (task.token !== undefined && !context.dryRun) {
          const result = await clearParentMark(db, task.parentId, task.token, context.updatedAt);
          counts[result === 'cleared' ? 'marks_cleared' : 'remarked'] += 1;
        }
        counts[changed ? 'updated' : 'unchanged'] += 1;
      } catch (error) {
        fail(task, error);
      }
    },
    { concurrency: context.concurrency },
  );
};

/**
 * Deletes the summary of a parent that no longer exists, unless it changed since it was
 * read (`updated_at`): the route already answers 404 for it, this keeps the table to the
 * parents that exist.
 */
const removeSummary = async (db: Db, summary: Entity<'parent_summaries'>): Promise<void> => {
  try {
    await db.parent_summaries.delete(
      { parent_id: summary.parent_id },
      { condition: when.equals('updated_at', summary.updated_at) },
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
};
