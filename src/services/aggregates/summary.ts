import type { AggregateMode } from '../../domain/progress/run-modes.ts';
import type { AggregateWarning } from '../../domain/progress/warnings.ts';
import type { ListedWarnings } from '../warning-log.ts';
import type { StudentCounts } from './process-students.ts';

/** What every aggregate run reports. `scanned = updated + unchanged + failed`. */
export interface AggregateSummaryBase extends ListedWarnings<AggregateWarning> {
  readonly mode: AggregateMode;
  readonly dry_run: boolean;
  /** The day of the run in `time_zone`: the day the figures are for. */
  readonly today: string;
  readonly time_zone: string;
  readonly scanned: number;
  /** Written (in a dry run: that would be written). */
  readonly updated: number;
  /** Computed and found equal to what is stored (ignoring `updated_at`): not written. */
  readonly unchanged: number;
  /** Not finished: they stay marked, and the run fails after logging this summary. */
  readonly failed: number;
  readonly marks_read: number;
  readonly marks_cleared: number;
  /**
   * Marks left in place because their token changed during the run (new work arrived), or
   * because another run wrote the student's progress first.
   */
  readonly remarked: number;
  readonly started_at: string;
  readonly duration_ms: number;
}

export interface StudentsSummary extends AggregateSummaryBase, Readonly<StudentCounts> {
  readonly job: 'aggregate_students';
  /** This run brought the date-dependent figures up to `today` (first run of the day). */
  readonly rollover: boolean;
  /** The settle window: answers younger than this at the run's start were left for later. */
  readonly settle_seconds: number;
  /**
   * `started_at` plus the settle window: a run started at or after this folds every answer
   * recorded before this one started, so a student `deferred` for young answers counts then.
   */
  readonly settles_at: string;
}

export interface ParentsSummary extends AggregateSummaryBase {
  readonly job: 'aggregate_parents';
  /** Children listed in the summaries computed. */
  readonly children: number;
  /** Listed children that no longer exist (left out, each reported as a warning). */
  readonly children_missing: number;
  /** Summaries of parents that no longer exist, removed (in a dry run: that would be). */
  readonly summaries_removed: number;
}

export type AggregateSummary = StudentsSummary | ParentsSummary;

/**
 * The one-line summary a CLI prints at the end.
 *
 * @example
 * ```ts
 * summaryLine(summary);
 * // 'aggregate_students (incremental, 2026-11-24): 12 recomputed, 11 updated, 1 unchanged, 0 failed, 1 still marked, 0 warning(s) in 0.4 s'
 * ```
 */
export const summaryLine = (summary: AggregateSummary): string => {
  const unit = summary.job === 'aggregate_students' ? 'students' : 'parents';
  const written = summary.dry_run ? 'would be updated' : 'updated';
  const line = `${summary.job} (${summary.mode}${summary.dry_run ? ', dry run' : ''}, ${summary.today}): ${summary.scanned} ${unit} recomputed, ${summary.updated} ${written}, ${summary.unchanged} unchanged, ${summary.failed} failed, ${summary.remarked} still marked, ${summary.warnings_total} warning(s) in ${(summary.duration_ms / 1000).toFixed(1)} s`;
  return summary.job === 'aggregate_students' ? `${line}${deferredPart(summary)}` : line;
};

/**
 * Why answers just posted are not in the figures yet, and when they will be: without it a
 * run right after posting reads as if it had ignored them. Empty when none waits (and for
 * a summary from before these fields, which `lms aggregate` may still print).
 */
const deferredPart = (summary: StudentsSummary): string => {
  if (summary.deferred === 0 || typeof summary.settles_at !== 'string') return '';
  const students = summary.deferred === 1 ? '1 student' : `${summary.deferred} students`;
  return `; ${students} deferred: answers younger than ${summary.settle_seconds} s (or still being written) count from ${clockTime(summary.settles_at)} (next run)`;
};

/** `17:32:10 UTC`: the window is seconds long, so the time of day says when. */
const clockTime = (iso: string): string => `${iso.slice(11, 19)} UTC`;
