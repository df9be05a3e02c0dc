/**
 * `aggregate_students` as a sharded run (a Step Functions workflow on AWS; see
 * `workflow/protocol.ts`): the plan fixes the run and splits what it must read into
 * parallel scan segments, each worker folds its segment's students a page at a time until
 * its time is nearly up, and the finish records the roll-over day once every shard is done.
 *
 * Which students a shard takes, from its sources in order:
 * - `marks`: its segment of `student_marks` (new answers);
 * - `progress` (first run of a day): its segment of `student_progress`, the students whose
 *   figures move with the date and who are not marked (those are in `marks`);
 * - `edited` (first run of a day): students with a part of a module whose word list was
 *   edited, those whose id hashes to this shard;
 * - full runs: its segment of `students`, then of `student_progress` and `student_marks`
 *   for students without a record (found through a batch read of `students`).
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import {
  dependsOnDate,
  needsRollover,
  rolloverThreshold,
} from '../../../domain/progress/rollover.ts';
import type { AggregateMode } from '../../../domain/progress/run-modes.ts';
import { localDate } from '../../../domain/time-zone.ts';
import { fnv1a } from '../../../lib/fnv.ts';
import type { Db } from '../../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../../repositories/errors.ts';
import type { PageKey } from '../../../repositories/repository.ts';
import type { PlanResult, Shard, WorkResult } from '../../../workflow/protocol.ts';
import type { ShardClock } from '../../../workflow/work-shard.ts';
import { recordRollover, studentsJobState } from '../job-state.ts';
import { releaseLease } from '../lease.ts';
import { settledKey } from '../marks.ts';
import { changedModules, fingerprints } from '../module-lists.ts';
import { moduleWords } from '../module-words.ts';
import { DEFAULT_CONCURRENCY } from '../options.ts';
import { emptyStudentCounts, processStudents } from '../process-students.ts';
import { MARK_FIELDS, markOf, type StudentTask } from '../student-tasks.ts';
import type { StudentsSummary } from '../summary.ts';
import {
  aggregateRunSchema,
  DEFAULT_PAGE_SIZE,
  leasedPlan,
  summedShards,
  workAggregateShard,
} from './aggregate-shard.ts';

export const STUDENTS_JOB = 'aggregate_students';

/** Shards of a run unless told otherwise: parallel scan segments of each table it reads. */
export const DEFAULT_SHARDS = 8;

/** What the plan fixes for the whole run (crosses the workflow as JSON). */
export const studentsRunSchema = aggregateRunSchema.extend({
  settled_key: z.string(),
  /** Set on the first run of a day: see `domain/progress/rollover.ts`. */
  rollover: z.object({ threshold: z.iso.date().nullable() }).nullable(),
  edited_modules: z.array(z.string()),
});
export type StudentsRun = z.output<typeof studentsRunSchema>;

export interface PlanStudentsOptions {
  readonly mode: AggregateMode;
  readonly dryRun: boolean;
  readonly timeZone: string;
  readonly now: () => Date;
  readonly today?: string;
  readonly settleMs: number;
  readonly shards?: number;
  readonly concurrency?: number;
  readonly pageSize?: number;
}

/**
 * @example
 * ```ts
 * const plan = await planStudents(db, { mode: 'incremental', dryRun: false, timeZone, now, settleMs: 60_000 });
 * plan.shards.length; // 8
 * ```
 */
export const planStudents = async (db: Db, options: PlanStudentsOptions): Promise<PlanResult> => {
  const started = options.now();
  const today = options.today ?? localDate(started, options.timeZone);
  const state = await studentsJobState(db);
  const rollover = needsRollover(state.lastRolloverDay, today)
    ? { threshold: rolloverThreshold(state.lastRolloverDay, today) ?? null }
    : null;
  const edited =
    rollover !== null && options.mode !== 'full'
      ? changedModules(state.moduleLists, fingerprints(await moduleWords(db, () => {})))
      : [];
  const run: StudentsRun = {
    run_id: randomUUID(),
    job: STUDENTS_JOB,
    mode: options.mode,
    dry_run: options.dryRun,
    today,
    time_zone: options.timeZone,
    started_at: started.toISOString(),
    settled_key: settledKey(new Date(started.getTime() - options.settleMs)),
    rollover,
    edited_modules: edited,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    page_size: options.pageSize ?? DEFAULT_PAGE_SIZE,
  };
  // A dry run changes nothing, so it needs no lease and never waits for one.
  return leasedPlan(db, run, started, options.shards ?? DEFAULT_SHARDS);
};

const sourcesOf = (run: StudentsRun): string[] =>
  run.mode === 'full'
    ? ['students', 'orphan-progress', 'orphan-marks']
    : [
        'marks',
        ...(run.rollover === null ? [] : ['progress']),
        ...run.edited_modules.map((moduleId) => `edited:${moduleId}`),
      ];

/**
 * One worker invocation on one shard.
 *
 * @example
 * ```ts
 * const result = await workStudents(db, run, shard, { remainingMs: () => context.getRemainingTimeInMillis() });
 * ```
 */
export const workStudents = (
  db: Db,
  run: StudentsRun,
  shard: Shard,
  clock: ShardClock,
): Promise<WorkResult> => {
  let words: Map<string, readonly string[]> | undefined;
  return workAggregateShard<StudentTask>(db, run, shard, clock, {
    sources: sourcesOf(run),
    readPage: (source, segment, startKey, onInvalid) =>
      readStudentsPage(db, run, source, segment, startKey, onInvalid),
    process: async (tasks, page) => {
      words ??= await moduleWords(db, page.onInvalid);
      return {
        ...(await processStudents(
          {
            db,
            mode: run.mode,
            settledKey: run.settled_key,
            // The plan's clock: a later worker judges rows abandoned no sooner than the plan.
            now: new Date(run.started_at),
            newToken: randomUUID,
            today: run.today,
            timeZone: run.time_zone,
            moduleWords: words,
            dryRun: run.dry_run,
            concurrency: run.concurrency,
            updatedAt: run.started_at,
            rollover:
              run.rollover === null
                ? undefined
                : { threshold: run.rollover.threshold ?? undefined },
            ...page,
          },
          tasks,
        )),
      };
    },
  });
};

/** A page of a shard's source as tasks. */
const readStudentsPage = async (
  db: Db,
  run: StudentsRun,
  source: string,
  segment: { readonly index: number; readonly total: number },
  startKey: PageKey | undefined,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<{ tasks: StudentTask[]; next: PageKey | undefined }> => {
  const at = {
    pageSize: run.page_size,
    onInvalid,
    ...(startKey === undefined ? {} : { startKey }),
  };
  const scan = { ...at, scan: true, segment } as const;
  const recompute = run.edited_modules;
  const task = (studentId: string, extra: Partial<StudentTask> = {}): StudentTask => ({
    studentId,
    modules: [...recompute],
    ...extra,
  });
  if (source === 'marks') {
    const page = await db.student_marks.readPage({}, { ...scan, project: [...MARK_FIELDS] });
    return {
      tasks: page.items.map((mark) => task(mark.student_id, markOf(mark))),
      next: page.next,
    };
  }
  if (source === 'progress' || source === 'orphan-progress') {
    const page = await db.student_progress.readPage(
      {},
      { ...scan, project: ['student_id', 'last_active_at', 'updated_at'] },
    );
    // Written by this run already (another shard took the student from its mark).
    const fresh = page.items.filter((progress) => progress.updated_at !== run.started_at);
    let ids = fresh.map((progress) => progress.student_id);
    if (source === 'progress') {
      const threshold = run.rollover?.threshold ?? undefined;
      ids = await withoutMarked(
        db,
        fresh
          .filter((progress) => dependsOnDate(progress.last_active_at, threshold, run.time_zone))
          .map((progress) => progress.student_id),
      );
    } else {
      ids = await withoutRecord(db, ids);
    }
    return {
      tasks: await withTokens(
        db,
        ids.map((id) => task(id)),
      ),
      next: page.next,
    };
  }
  if (source === 'orphan-marks') {
    const page = await db.student_marks.readPage({}, { ...scan, project: [...MARK_FIELDS] });
    const ids = await withoutRecord(
      db,
      page.items.map((mark) => mark.student_id),
    );
    const withProgress = new Set(
      (
        await db.student_progress.findMany(
          ids.map((id) => ({ student_id: id })),
          { project: ['student_id'] },
        )
      ).map((progress) => progress.student_id),
    );
    const marks = new Map(page.items.map((mark) => [mark.student_id, markOf(mark)]));
    return {
      // Students with progress were taken from `orphan-progress` already.
      tasks: ids.filter((id) => !withProgress.has(id)).map((id) => task(id, marks.get(id))),
      next: page.next,
    };
  }
  if (source === 'students') {
    const page = await db.students.readPage({}, { ...scan, project: ['id', 'parent_ids'] });
    const tasks = page.items.map((student) => task(student.id, { parentIds: student.parent_ids }));
    return { tasks: await withTokens(db, tasks), next: page.next };
  }
  // `edited:<module>`: the module's parts, this shard's students.
  const moduleId = source.slice('edited:'.length);
  const page = await db.student_state.readPage(
    { module_id: moduleId },
    { ...at, project: ['student_id', 'part'] },
  );
  const ids = page.items
    .map((item) => item.student_id)
    .filter((id) => fnv1a(id) % segment.total === segment.index);
  return {
    tasks: await withTokens(
      db,
      ids.map((id) => task(id)),
    ),
    next: page.next,
  };
};

/** The tasks with the mark of each student that has one (so its mark is cleared). */
const withTokens = async (db: Db, tasks: StudentTask[]): Promise<StudentTask[]> => {
  if (tasks.length === 0) return tasks;
  const marks = await db.student_marks.findMany(
    tasks.map((task) => ({ student_id: task.studentId })),
    { project: [...MARK_FIELDS], consistent: true },
  );
  const byStudent = new Map(marks.map((mark) => [mark.student_id, markOf(mark)]));
  return tasks.map((task) => {
    const mark = byStudent.get(task.studentId);
    return mark === undefined ? task : { ...task, ...mark };
  });
};

const withoutMarked = async (db: Db, ids: readonly string[]): Promise<string[]> => {
  if (ids.length === 0) return [];
  const marked = new Set(
    (
      await db.student_marks.findMany(
        ids.map((id) => ({ student_id: id })),
        { project: ['student_id'] },
      )
    ).map((mark) => mark.student_id),
  );
  return ids.filter((id) => !marked.has(id));
};

const withoutRecord = async (db: Db, ids: readonly string[]): Promise<string[]> => {
  if (ids.length === 0) return [];
  const known = new Set(
    (
      await db.students.findMany(
        ids.map((id) => ({ id })),
        { project: ['id'] },
      )
    ).map((student) => student.id),
  );
  return ids.filter((id) => !known.has(id));
};

/**
 * The finishing step: sums the shards, records the roll-over day when every student of it
 * is done, gives the lease back.
 *
 * @example
 * ```ts
 * const summary = await finishStudents(db, run, shards, new Date());
 * ```
 */
export const finishStudents = async (
  db: Db,
  run: StudentsRun,
  shards: readonly WorkResult[],
  now: Date,
): Promise<StudentsSummary> => {
  const { counts, warnings, warnings_total } = summedShards(shards, emptyStudentCounts());
  if (run.rollover !== null && counts.failed === 0 && !run.dry_run) {
    await recordRollover(
      db,
      run.today,
      new Date(run.started_at),
      fingerprints(await moduleWords(db, () => {})),
    );
  }
  if (!run.dry_run) await releaseLease(db, STUDENTS_JOB, run.run_id);
  return {
    job: STUDENTS_JOB,
    mode: run.mode,
    dry_run: run.dry_run,
    today: run.today,
    time_zone: run.time_zone,
    rollover: run.rollover !== null,
    ...counts,
    marks_read: 0,
    warnings,
    warnings_total,
    started_at: run.started_at,
    duration_ms: Math.max(0, now.getTime() - Date.parse(run.started_at)),
  };
};
