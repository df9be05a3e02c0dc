/**
 * `aggregate_parents` as a sharded run (see `students.ts` for the shape; `aggregate-shard.ts`
 * drives both). A shard takes
 * its segment of `parent_marks` (incremental), or of `parents` and then of `parent_marks`
 * and `parent_summaries` for parents without a record (full: their marks are cleared,
 * their summaries removed).
 */
import type * as z from 'zod';
import type { Db } from '../../../repositories/db.ts';
import type { PlanResult } from '../../../workflow/protocol.ts';
import { emptyParentCounts, type ParentTask, processParents } from '../process-parents.ts';
import {
  type AggregateJob,
  aggregateRunner,
  aggregateRunSchema,
  baseRun,
  DEFAULT_SHARDS,
  leasedPlan,
  type PageAt,
  type PlanOptions,
  type TaskPage,
} from './aggregate-shard.ts';

export const PARENTS_JOB = 'aggregate_parents' as const;

export const parentsRunSchema = aggregateRunSchema;
export type ParentsRun = z.output<typeof parentsRunSchema>;

export const planParents = async (db: Db, options: PlanOptions): Promise<PlanResult> => {
  const started = options.now();
  const run: ParentsRun = baseRun(PARENTS_JOB, options, started);
  // An incremental run has only the marks to do: none, nothing to do (one item read tells).
  const idle =
    options.idleWithoutLease === true &&
    options.mode !== 'full' &&
    (await db.parent_marks.readPage({}, { scan: true, pageSize: 1, project: ['parent_id'] })).items
      .length === 0;
  return leasedPlan(db, run, started, options.shards ?? DEFAULT_SHARDS, idle);
};

/** `aggregate_parents`'s part of the sharded run: its sources and its step. */
const parentsJob: AggregateJob<
  typeof PARENTS_JOB,
  ParentsRun,
  ParentTask,
  ReturnType<typeof emptyParentCounts>,
  Record<never, never>
> = {
  name: PARENTS_JOB,
  runSchema: parentsRunSchema,
  emptyCounts: emptyParentCounts,
  sources: (run) =>
    run.mode === 'full' ? ['parents', 'orphan-marks', 'orphan-summaries'] : ['marks'],
  steps: (db, run) => ({
    readPage: (source, where) => readParentsPage(db, source, where),
    process: (tasks, page) =>
      processParents(
        {
          db,
          today: run.today,
          timeZone: run.time_zone,
          dryRun: run.dry_run,
          concurrency: run.concurrency,
          updatedAt: run.started_at,
          ...page,
        },
        tasks,
      ),
  }),
  extra: () => ({}),
};

const readParentsPage = async (
  db: Db,
  source: string,
  { scan }: PageAt,
): Promise<TaskPage<ParentTask>> => {
  const { onInvalid } = scan;
  if (source === 'parents') {
    const page = await db.parents.readPage({}, { ...scan, project: ['id', 'student_ids'] });
    const marks = await db.parent_marks.findMany(
      page.items.map((parent) => ({ parent_id: parent.id })),
      { project: ['parent_id', 'token'], consistent: true, onInvalid },
    );
    const tokens = new Map(marks.map((mark) => [mark.parent_id, mark.token]));
    return {
      tasks: page.items.map((parent) => {
        const token = tokens.get(parent.id);
        return {
          parentId: parent.id,
          studentIds: parent.student_ids,
          ...(token === undefined ? {} : { token }),
        };
      }),
      next: page.next,
    };
  }
  if (source === 'orphan-summaries') {
    // Summaries whose parent is gone and is not marked: a marked one is `orphan-marks`'s
    // (taken here too, a dry run, which removes nothing, would count its summary twice).
    const summaries = await db.parent_summaries.readPage({}, { ...scan, project: ['parent_id'] });
    const ids = summaries.items.map((summary) => summary.parent_id);
    const keys = ids.map((id) => ({ id }));
    const [parents, marks] = await Promise.all([
      // An invalid parent still exists: counted as known, its summary stays.
      db.parents.findMany(keys, { project: ['id'] }),
      db.parent_marks.findMany(
        ids.map((id) => ({ parent_id: id })),
        { project: ['parent_id'], consistent: true },
      ),
    ]);
    const taken = new Set([
      ...parents.map((parent) => parent.id),
      ...marks.map((mark) => mark.parent_id),
    ]);
    return {
      tasks: ids.filter((id) => !taken.has(id)).map((parentId) => ({ parentId })),
      next: summaries.next,
    };
  }
  const page = await db.parent_marks.readPage({}, { ...scan, project: ['parent_id', 'token'] });
  let marks = page.items;
  if (source === 'orphan-marks') {
    const known = new Set(
      (
        await db.parents.findMany(
          marks.map((mark) => ({ id: mark.parent_id })),
          { project: ['id'] },
        )
      ).map((parent) => parent.id),
    );
    marks = marks.filter((mark) => !known.has(mark.parent_id));
  }
  return {
    tasks: marks.map((mark) => ({ parentId: mark.parent_id, token: mark.token })),
    next: page.next,
    marksRead: page.items.length,
  };
};

/** `aggregate_parents`'s work and finish steps (the workflow's, and the whole run's). */
export const parents = aggregateRunner(parentsJob);
