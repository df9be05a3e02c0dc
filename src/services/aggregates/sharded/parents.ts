/**
 * `aggregate_parents` as a sharded run (see `students.ts` for the shape). A shard takes
 * its segment of `parent_marks` (incremental), or of `parents` and then of `parent_marks`
 * and `parent_summaries` for parents without a record (full: their marks are cleared,
 * their summaries removed).
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { AggregateMode } from '../../../domain/progress/run-modes.ts';
import { localDate } from '../../../domain/time-zone.ts';
import type { Db } from '../../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../../repositories/errors.ts';
import type { PageKey } from '../../../repositories/repository.ts';
import type { PlanResult, Shard, WorkResult } from '../../../workflow/protocol.ts';
import type { ShardClock } from '../../../workflow/work-shard.ts';
import { releaseLease } from '../lease.ts';
import { DEFAULT_CONCURRENCY } from '../options.ts';
import type { ParentTask } from '../parent-tasks.ts';
import { emptyParentCounts, processParents } from '../process-parents.ts';
import type { ParentsSummary } from '../summary.ts';
import {
  aggregateRunSchema,
  DEFAULT_PAGE_SIZE,
  leasedPlan,
  summedShards,
  workAggregateShard,
} from './aggregate-shard.ts';
import { DEFAULT_SHARDS } from './students.ts';

export const PARENTS_JOB = 'aggregate_parents';

export const parentsRunSchema = aggregateRunSchema;
export type ParentsRun = z.output<typeof parentsRunSchema>;

export const planParents = async (
  db: Db,
  options: {
    readonly mode: AggregateMode;
    readonly dryRun: boolean;
    readonly timeZone: string;
    readonly now: () => Date;
    readonly today?: string;
    readonly shards?: number;
    readonly concurrency?: number;
    readonly pageSize?: number;
  },
): Promise<PlanResult> => {
  const started = options.now();
  const run: ParentsRun = {
    run_id: randomUUID(),
    job: PARENTS_JOB,
    mode: options.mode,
    dry_run: options.dryRun,
    today: options.today ?? localDate(started, options.timeZone),
    time_zone: options.timeZone,
    started_at: started.toISOString(),
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    page_size: options.pageSize ?? DEFAULT_PAGE_SIZE,
  };
  return leasedPlan(db, run, started, options.shards ?? DEFAULT_SHARDS);
};

export const workParents = (
  db: Db,
  run: ParentsRun,
  shard: Shard,
  clock: ShardClock,
): Promise<WorkResult> =>
  workAggregateShard<ParentTask>(db, run, shard, clock, {
    sources: run.mode === 'full' ? ['parents', 'orphan-marks', 'orphan-summaries'] : ['marks'],
    readPage: (source, segment, startKey, onInvalid) =>
      readParentsPage(db, run, source, segment, startKey, onInvalid),
    process: async (tasks, page) => ({
      ...(await processParents(
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
      )),
    }),
  });

const readParentsPage = async (
  db: Db,
  run: ParentsRun,
  source: string,
  segment: { readonly index: number; readonly total: number },
  startKey: PageKey | undefined,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<{ tasks: ParentTask[]; next: PageKey | undefined }> => {
  const scan = {
    pageSize: run.page_size,
    scan: true,
    segment,
    onInvalid,
    ...(startKey === undefined ? {} : { startKey }),
  } as const;
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
    // Summaries whose parent is gone (a marked one was taken from `orphan-marks` already;
    // taken twice, the second finds its summary removed).
    const summaries = await db.parent_summaries.readPage({}, { ...scan, project: ['parent_id'] });
    const ids = summaries.items.map((summary) => summary.parent_id);
    const known = new Set(
      (
        await db.parents.findMany(
          ids.map((id) => ({ id })),
          // An invalid parent still exists: counted as known, its summary stays.
          { project: ['id'] },
        )
      ).map((parent) => parent.id),
    );
    return {
      tasks: ids.filter((id) => !known.has(id)).map((parentId) => ({ parentId })),
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
  };
};

export const finishParents = async (
  db: Db,
  run: ParentsRun,
  shards: readonly WorkResult[],
  now: Date,
): Promise<ParentsSummary> => {
  const { counts, warnings, warnings_total } = summedShards(shards, emptyParentCounts());
  if (!run.dry_run) await releaseLease(db, PARENTS_JOB, run.run_id);
  return {
    job: PARENTS_JOB,
    mode: run.mode,
    dry_run: run.dry_run,
    today: run.today,
    time_zone: run.time_zone,
    ...counts,
    marks_read: 0,
    warnings,
    warnings_total,
    started_at: run.started_at,
    duration_ms: Math.max(0, now.getTime() - Date.parse(run.started_at)),
  };
};
