/**
 * Writes `stats` where they changed: an update of that one attribute (whatever else the
 * LMS app wrote meanwhile survives), conditional on the record still existing (a record
 * deleted during the run is not re-created), with bounded concurrency.
 */
import pMap from 'p-map';
import type { StatsTarget } from '../../domain/stats/compute.ts';
import type { StatsLevel } from '../../domain/stats/levels.ts';
import { when } from '../../repositories/condition.ts';
import type { Db } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';
import type { StatsProgressListener } from './progress.ts';

export type WriteOutcome = 'updated' | 'vanished' | 'failed' | 'out_of_time';

/** Time kept in hand: no write starts with less left (a write takes milliseconds). */
export const WRITE_RESERVE_MS = 30_000;

export interface WriteResult {
  readonly target: StatsTarget;
  readonly outcome: WriteOutcome;
  readonly error?: unknown;
}

type Stats = Record<string, number | string>;

const writer = (db: Db): Record<StatsLevel, (key: string, stats: Stats) => Promise<void>> => ({
  class: (code, stats) =>
    db.classes.update({ code }, { set: { stats } }, { condition: when.exists('code') }),
  teacher: (id, stats) =>
    db.teachers.update({ id }, { set: { stats } }, { condition: when.exists('id') }),
  school: (code, stats) =>
    db.schools.update({ code }, { set: { stats } }, { condition: when.exists('code') }),
  group: (code, stats) =>
    db.groups.update({ code }, { set: { stats } }, { condition: when.exists('code') }),
});

export const writeStats = async (
  db: Db,
  targets: readonly StatsTarget[],
  options: {
    readonly updatedAt: string;
    readonly concurrency: number;
    readonly onProgress?: StatsProgressListener;
    /** What is left of the invocation; without it, time is not what stops a run. */
    readonly remainingMs?: () => number;
  },
): Promise<WriteResult[]> => {
  const write = writer(db);
  let done = 0;
  options.onProgress?.({ phase: 'write', done, total: targets.length });
  return pMap(
    targets,
    async (target): Promise<WriteResult> => {
      if (options.remainingMs !== undefined && options.remainingMs() < WRITE_RESERVE_MS) {
        done += 1;
        return { target, outcome: 'out_of_time' };
      }
      try {
        await write[target.level](target.key, { ...target.counts, updated_at: options.updatedAt });
        return { target, outcome: 'updated' };
      } catch (error) {
        if (error instanceof ConditionFailedError) return { target, outcome: 'vanished' };
        return { target, outcome: 'failed', error };
      } finally {
        done += 1;
        options.onProgress?.({ phase: 'write', done, total: targets.length });
      }
    },
    { concurrency: options.concurrency },
  );
};
