/**
 * `aggregate_students` as a sharded run (a Step Functions workflow on AWS; see
 * `workflow/protocol.ts`): the plan fixes the run and splits what it must read into
 * parallel scan segments, each worker folds its segment's students a page at a time until
 * its time is nearly up, and the finish records the roll-over day once every shard is done.
 *
 * Which students a shard takes, from its sources in order:
 * - `progress` (first run of a day): its segment of `student_progress`, the students whose
 *   figures move with the date and who are not marked (those are in `marks`);
 * - `marks`: its segment of `student_marks` (new answers);
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
  reviewDependsOnDate,
  rolloverThreshold,
} from '../../../domain/progress/rollover.ts';
import { DEFAULT_REVIEW_RETENTION } from '../../../domain/review/card.ts';
import { fnv1a } from '../../../lib/fnv.ts';
import type { Db } from '../../../repositories/db.ts';
import type { PlanResult } from '../../../workflow/protocol.ts';
import { createFsrsModel } from '../../review/memory-model.ts';
import { recordRollover, STUDENTS_JOB, studentsJobState } from '../job-state.ts';
import { settledKey } from '../marks.ts';
import { changedModules, fingerprints } from '../module-lists.ts';
import { moduleWords } from '../module-words.ts';
import { emptyStudentCounts, processStudents, type StudentTask } from '../process-students.ts';
import type { StudentsSummary } from '../summary.ts';
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

/** What the plan fixes for the whole run (crosses the workflow as JSON). */
export const studentsRunSchema = aggregateRunSchema.extend({
  settled_key: z.string(),
  /** Set on the first run of a day: see `domain/progress/rollover.ts`. */
  rollover: z.object({ threshold: z.iso.date().nullable() }).nullable(),
  edited_modules: z.array(z.string()),
  /** The cards' `request_retention` (`LMS_REVIEW_RETENTION`), one for every shard. */
  review_retention: z.number().default(DEFAULT_REVIEW_RETENTION),
});
export type StudentsRun = z.output<typeof studentsRunSchema>;

export interface PlanStudentsOptions extends PlanOptions {
  readonly settleMs: number;
  /** `LMS_REVIEW_RETENTION`; default DESIGN's 0.9. */
  readonly reviewRetention?: number;
}

/**
 * What a run reads of a student's mark when it lists the marked students; the fold reads
 * the mark again, consistently, before it reads any answer (`fold/batch-guard.ts`).
 */
const MARK_FIELDS = ['student_id', 'token'] as const;

/** The task fields of a mark read with {@link MARK_FIELDS}. */
const markOf = (mark: { readonly token: string }): Pick<StudentTask, 'token'> => ({
  token: mark.token,
});

/**
 * @example
 * ```ts
 * const plan = await planStudents(db, { mode: 'incremental', dryRun: false, timeZone, now, settleMs: 60_000 });
 * plan.shards.length; // 8
 * ```
 */
export const planStudents = async (db: Db, options: PlanStudentsOptions): Promise<PlanResult> => {
  const started = options.now();
  const base = baseRun(STUDENTS_JOB, options, started);
  const state = await studentsJobState(db);
  const rollover = needsRollover(state.lastRolloverDay, base.today)
    ? { threshold: rolloverThreshold(state.lastRolloverDay, base.today) ?? null }
    : null;
  const edited =
    rollover !== null && options.mode !== 'full'
      ? changedModules(state.moduleLists, fingerprints(await moduleWords(db, () => {})))
      : [];
  const run: StudentsRun = {
    ...base,
    settled_key: settledKey(new Date(started.getTime() - options.settleMs)),
    rollover,
    edited_modules: edited,
    review_retention: options.reviewRetention ?? DEFAULT_REVIEW_RETENTION,
  };
  // An incremental run off the day's roll-over only has the marks to do: none, nothing to
  // do (one item read tells), and a whole run with nothing to do costs two requests.
  const idle =
    options.idleWithoutLease === true &&
    options.mode !== 'full' &&
    rollover === null &&
    (await db.student_marks.readPage({}, { scan: true, pageSize: 1, project: ['student_id'] }))
      .items.length === 0;
  // A dry run changes nothing, so it needs no lease and never waits for one.
  return leasedPlan(db, run, started, options.shards ?? DEFAULT_SHARDS, idle);
};

const sourcesOf = (run: StudentsRun): string[] =>
  run.mode === 'full'
    ? ['students', 'orphan-progress', 'orphan-marks']
    : [
        // The date's students before the marked ones: those still marked are left to
        // `marks`, so a student is taken once (whose mark `marks` clears is then no longer
        // marked, and would be taken again).
        ...(run.rollover === null ? [] : ['progress']),
        'marks',
        ...run.edited_modules.map((moduleId) => `edited:${moduleId}`),
      ];

/** `aggregate_students`'s part of the sharded run: its sources, its step, its roll-over. */
const studentsJob: AggregateJob<
  typeof STUDENTS_JOB,
  StudentsRun,
  StudentTask,
  ReturnType<typeof emptyStudentCounts>,
  Pick<StudentsSummary, 'rollover' | 'settle_seconds' | 'settles_at'>
> = {
  name: STUDENTS_JOB,
  runSchema: studentsRunSchema,
  emptyCounts: emptyStudentCounts,
  sources: sourcesOf,
  steps: (db, run) => {
    let words: Map<string, readonly string[]> | undefined;
    const model = createFsrsModel(run.review_retention);
    return {
      readPage: (source, where) => readStudentsPage(db, run, source, where),
      process: async (tasks, page) => {
        words ??= await moduleWords(db, page.onInvalid);
        return processStudents(
          {
            db,
            mode: run.mode,
            settledKey: run.settled_key,
            // The plan's clock: a later worker judges rows abandoned no sooner than the plan.
            now: new Date(run.started_at),
            newToken: randomUUID,
            today: run.today,
            timeZone: run.time_zone,
            model,
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
        );
      },
    };
  },
  // Only once every student of the roll-over is done; otherwise the next run rolls over again.
  record: async (db, run) => {
    if (run.rollover === null) return;
    await recordRollover(
      db,
      run.today,
      new Date(run.started_at),
      fingerprints(await moduleWords(db, () => {})),
    );
  },
  extra: (run) => {
    // The plan's cut-off is `settle` before its start; what it left waits that long after.
    const started = Date.parse(run.started_at);
    const settleMs = Math.max(0, started - Date.parse(run.settled_key.slice(0, -1)));
    return {
      rollover: run.rollover !== null,
      settle_seconds: settleMs / 1000,
      settles_at: new Date(started + settleMs).toISOString(),
    };
  },
};

/** A page of a shard's source as tasks. */
const readStudentsPage = async (
  db: Db,
  run: StudentsRun,
  source: string,
  { at, scan, segment }: PageAt,
): Promise<TaskPage<StudentTask>> => {
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
      marksRead: page.items.length,
    };
  }
  if (source === 'progress' || source === 'orphan-progress') {
    const page = await db.student_progress.readPage(
      {},
      { ...scan, project: ['student_id', 'last_active_at', 'words_due', 'next_due_day'] },
    );
    // Not "written by this run" (`updated_at` is the run's start): an earlier run started at
    // the same instant would look the same, and a student missed here keeps stale figures;
    // one taken twice (another shard cleared its mark meanwhile) is only computed twice.
    let ids: string[];
    if (source === 'progress') {
      const threshold = run.rollover?.threshold ?? undefined;
      ids = await withoutMarked(
        db,
        page.items
          .filter(
            (progress) =>
              dependsOnDate(progress.last_active_at, threshold, run.time_zone) ||
              reviewDependsOnDate(progress, run.today),
          )
          .map((progress) => progress.student_id),
      );
    } else {
      ids = await withoutRecord(
        db,
        page.items.map((progress) => progress.student_id),
      );
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
      marksRead: page.items.length,
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

/** `aggregate_students`'s work and finish steps (the workflow's, and the whole run's). */
export const students = aggregateRunner(studentsJob);
