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
  return `${summary.job} (${summary.mode}${summary.dry_run ? ', dry run' : ''}, ${summary.today}): ${summary.scanned} ${unit} recomputed, ${summary.updated} ${written}, ${summary.unchanged} unchanged, ${summary.failed} failed, ${summary.remarked} still marked, ${summary.warnings_total} warning(s) in ${(summary.duration_ms / 1000).toFixed(1)} s`;
};
