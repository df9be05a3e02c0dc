/**
 * One stats run: read every needed table once, count in memory, write what changed.
 * The per-level functions and `calc_all_stats` all run this; they differ only in levels.
 */
import { computeStats, statsUnchanged } from '../../domain/stats/compute.ts';
import type { StatsLevel } from '../../domain/stats/levels.ts';
import { ALL_LEVELS } from '../../domain/stats/levels.ts';
import { type StatsWarning, warning } from '../../domain/stats/warnings.ts';
import { errorMessage } from '../../errors.ts';
import type { Db } from '../../repositories/db.ts';
import { WarningLog } from '../warning-log.ts';
import type { StatsProgressListener } from './progress.ts';
import { readSnapshot } from './read-snapshot.ts';
import type { LevelSummary, StatsSummary } from './summary.ts';
import { writeStats } from './write-stats.ts';

export interface RunStatsOptions {
  /** The name the summary carries (the function's name). */
  readonly job: string;
  readonly levels: readonly StatsLevel[];
  readonly dryRun?: boolean;
  /** Writes in flight at once. */
  readonly concurrency?: number;
  /** Parallel scan segments for the students table (default {@link DEFAULT_SEGMENTS}). */
  readonly segments?: number;
  /** What is left of the invocation (`context.getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
  readonly now?: () => Date;
  readonly onProgress?: StatsProgressListener;
}

export const DEFAULT_WRITE_CONCURRENCY = 16;

/** Students are read in this many parallel scan segments: the one table that grows. */
export const DEFAULT_SEGMENTS = 4;

const COUNTERS = ['scanned', 'updated', 'unchanged', 'vanished', 'failed', 'out_of_time'] as const;

const emptyLevel = (): LevelSummary => ({
  scanned: 0,
  updated: 0,
  unchanged: 0,
  vanished: 0,
  failed: 0,
  out_of_time: 0,
});

/**
 * @example
 * ```ts
 * const summary = await runStats(db, { job: 'calc_all_stats', levels: ALL_LEVELS });
 * summary.updated; // records whose stats changed and were written
 * ```
 */
export const runStats = async (db: Db, options: RunStatsOptions): Promise<StatsSummary> => {
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedTick = performance.now();
  const levels = ALL_LEVELS.filter((level) => options.levels.includes(level));
  const dryRun = options.dryRun === true;

  const warnings = new WarningLog<StatsWarning>();
  const read = await readSnapshot(db, levels, {
    warnings,
    segments: options.segments ?? DEFAULT_SEGMENTS,
    onProgress: options.onProgress,
  });
  const computed = computeStats(read.snapshot, levels);
  warnings.addAll(computed.warnings);

  const byLevel: Partial<Record<StatsLevel, LevelSummary>> = {};
  for (const level of levels) byLevel[level] = emptyLevel();
  const changed = computed.targets.filter((target) => {
    const level = byLevel[target.level] ?? emptyLevel();
    level.scanned += 1;
    if (statsUnchanged(target.stored, target.counts)) {
      level.unchanged += 1;
      return false;
    }
    return true;
  });

  if (dryRun) {
    for (const target of changed) {
      const level = byLevel[target.level];
      if (level) level.updated += 1;
    }
  } else {
    const results = await writeStats(db, changed, {
      updatedAt: started.toISOString(),
      concurrency: options.concurrency ?? DEFAULT_WRITE_CONCURRENCY,
      onProgress: options.onProgress,
      ...(options.remainingMs === undefined ? {} : { remainingMs: options.remainingMs }),
    });
    for (const result of results) {
      const level = byLevel[result.target.level];
      if (level) level[result.outcome] += 1;
      if (result.outcome === 'failed') {
        warnings.add(
          warning(
            'write_failed',
            `${result.target.level} ${result.target.key}: ${errorMessage(result.error)}`,
          ),
        );
      }
    }
  }

  const total = emptyLevel();
  for (const level of Object.values(byLevel)) {
    for (const key of COUNTERS) total[key] += level[key];
  }
  return {
    job: options.job,
    levels,
    dry_run: dryRun,
    started_at: started.toISOString(),
    duration_ms: Math.round(performance.now() - startedTick),
    ...total,
    ...warnings.summary(),
    by_level: byLevel,
    items_read: read.itemsRead,
    unassigned_students: read.snapshot.unassignedStudents,
  };
};
