import type { StatsLevel } from '../../domain/stats/levels.ts';
import type { StatsWarning } from '../../domain/stats/warnings.ts';
import type { ListedWarnings } from '../warning-log.ts';

export interface LevelSummary {
  /** Records of this level whose stats were computed. */
  scanned: number;
  /** Written (or, in a dry run, that would be written). */
  updated: number;
  unchanged: number;
  /** Deleted between the read and the write: not re-created. */
  vanished: number;
  /** Writes that failed (the run as a whole then fails). */
  failed: number;
  /**
   * Changed records left unwritten because the invocation's time was nearly up (the run
   * then fails, and its retry writes them: what is already written reads as unchanged).
   */
  out_of_time: number;
}

/**
 * What a stats run returns and logs. `scanned = updated + unchanged + vanished + failed +
 * out_of_time`, per level and in total.
 */
export interface StatsSummary extends LevelSummary, ListedWarnings<StatsWarning> {
  readonly job: string;
  readonly levels: readonly StatsLevel[];
  readonly dry_run: boolean;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly by_level: Partial<Record<StatsLevel, LevelSummary>>;
  /** Items read per table (each table is read once). */
  readonly items_read: Readonly<Record<string, number>>;
  /** Students with no class at all. */
  readonly unassigned_students: number;
}

/** The one-line summary a CLI prints at the end. */
export const summaryLine = (summary: StatsSummary): string =>
  `${summary.job}${summary.dry_run ? ' (dry run)' : ''}: ${summary.scanned} records, ${summary.updated} ${summary.dry_run ? 'would be updated' : 'updated'}, ${summary.unchanged} unchanged, ${summary.vanished} vanished, ${summary.failed} failed, ${summary.warnings_total} warning(s) in ${(summary.duration_ms / 1000).toFixed(1)} s`;
