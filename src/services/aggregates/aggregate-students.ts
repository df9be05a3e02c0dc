/**
 * `aggregate_students`: recompute `student_progress` (DESIGN section 4) for the students
 * marked by `record_answers` (incremental, the default) or for every student (full), from
 * each student's own answers. Never scans `answers`. See `docs/aggregates.md`.
 */
import { randomUUID } from 'node:crypto';
import { needsRollover, rolloverThreshold } from '../../domain/progress/rollover.ts';
import type { Db } from '../../repositories/db.ts';
import { recordRollover, studentsJobState } from './job-state.ts';
import { withLease } from './lease.ts';
import { settledKey } from './marks.ts';
import { changedModules, fingerprints, studentsOfModule } from './module-lists.ts';
import { moduleWords } from './module-words.ts';
import { type AggregateOptions, ANSWER_SETTLE_MS, DEFAULT_CONCURRENCY } from './options.ts';
import { emptyStudentCounts, processStudents } from './process-students.ts';
import type { AggregateRunEvent } from './run-events.ts';
import { startRun } from './run-start.ts';
import { readStudentTasks, taskOf } from './student-tasks.ts';
import type { StudentsSummary } from './summary.ts';

export type AggregateStudentsOptions = AggregateOptions<AggregateRunEvent>;

/**
 * @example
 * ```ts
 * const summary = await aggregateStudents(db, { timeZone: 'Asia/Shanghai' });
 * summary.updated; // progress items written
 * summary.remarked; // students that got new answers during the run: next run redoes them
 * ```
 */
export const aggregateStudents = async (
  db: Db,
  options: AggregateStudentsOptions,
): Promise<StudentsSummary> => {
  const { started, tick, mode, dryRun, today, warnings, onInvalid } = startRun(options);
  const { timeZone, onProgress } = options;

  const jobState = await studentsJobState(db);
  const lastDay = jobState.lastRolloverDay;
  const rollover = needsRollover(lastDay, today)
    ? { threshold: rolloverThreshold(lastDay, today) }
    : undefined;
  const { tasks, marksRead } = await readStudentTasks(db, {
    mode,
    rollover,
    timeZone,
    onInvalid,
    onProgress,
  });

  // The word lists: for the figures, and once a day to find the lists edited since.
  let words: Map<string, readonly string[]> | undefined;
  const currentWords = async () => {
    words ??= await moduleWords(db, onInvalid, onProgress);
    return words;
  };
  if (rollover !== undefined && mode !== 'full') {
    const edited = changedModules(jobState.moduleLists, fingerprints(await currentWords()));
    for (const moduleId of edited) {
      for await (const ids of studentsOfModule(db, moduleId)) {
        for (const studentId of ids) taskOf(tasks, studentId).modules.push(moduleId);
      }
    }
  }

  // Nothing marked and no roll-over: nothing else is read (not even the modules), and no
  // lease is needed for a run that writes nothing.
  const counts =
    tasks.size === 0 && rollover === undefined
      ? emptyStudentCounts()
      : await withLease(
          db,
          'aggregate_students',
          { now: options.now ?? (() => new Date()), dryRun, runId: randomUUID() },
          async (renew) => {
            const done =
              tasks.size === 0
                ? emptyStudentCounts()
                : await processStudents(
                    {
                      db,
                      mode,
                      // Everything recorded up to this instant is in place (ANSWER_SETTLE_MS).
                      settledKey: settledKey(
                        new Date(started.getTime() - (options.settleMs ?? ANSWER_SETTLE_MS)),
                      ),
                      now: started,
                      newToken: randomUUID,
                      today,
                      timeZone,
                      moduleWords: await currentWords(),
                      dryRun,
                      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
                      updatedAt: started.toISOString(),
                      rollover,
                      warnings,
                      onInvalid,
                      onProgress,
                      beforeChunk: renew,
                    },
                    [...tasks.values()],
                  );
            // Only once every student of the roll-over is done; otherwise the next run
            // rolls over again.
            if (rollover !== undefined && done.failed === 0 && !dryRun) {
              await recordRollover(db, today, started, fingerprints(await currentWords()));
            }
            return done;
          },
        );

  return {
    job: 'aggregate_students',
    mode,
    dry_run: dryRun,
    today,
    time_zone: timeZone,
    rollover: rollover !== undefined,
    ...counts,
    marks_read: marksRead,
    ...warnings.summary(),
    started_at: started.toISOString(),
    duration_ms: Math.round(performance.now() - tick),
  };
};
