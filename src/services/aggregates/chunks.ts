/**
 * The one chunk loop of both aggregate jobs, in the shape of Powertools'
 * `BasePartialProcessor`: one `processChunks` over a per-chunk step that each job supplies.
 * The loop owns what both jobs must do alike: the counts of what was taken, and a failed
 * chunk's read failing every task of it (nothing of it was written, so all of it stays
 * marked for the next run). The lease is renewed per worker invocation, not here
 * (`sharded/aggregate-shard.ts`).
 */
import { type AggregateWarning, aggregateWarning } from '../../domain/progress/warnings.ts';
import { errorMessage } from '../../errors.ts';
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import type { WarningLog } from '../warning-log.ts';
import { CHUNK_SIZE } from './options.ts';

/** The counts every job's chunks keep (each job adds its own). */
export interface ChunkCounts {
  /** Taken: `updated + unchanged + failed`. */
  scanned: number;
  /** Written (in a dry run: that would be written). */
  updated: number;
  /** Computed and found equal to what is stored (ignoring `updated_at`): not written. */
  unchanged: number;
  /** Not finished: they stay marked. */
  failed: number;
  /** Marks cleared (their token was unchanged). */
  marks_cleared: number;
  /**
   * Marks left in place because new work arrived during the run (the token changed), or
   * because another run wrote first.
   */
  remarked: number;
}

export const emptyChunkCounts = (): ChunkCounts => ({
  scanned: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  marks_cleared: 0,
  remarked: 0,
});

/** What the loop hands a job's step for one chunk. */
export interface ChunkRun<Task> {
  /** A task failed: counted, and a `failed` warning naming it. */
  readonly fail: (task: Task, error: unknown) => void;
}

/** One job's part of the loop. */
export interface ChunkJob<Task> {
  readonly unit: 'students' | 'parents';
  /** The task's id, in warnings (`student s-1: ...`). */
  readonly idOf: (task: Task) => string;
  /**
   * One chunk: the reads it shares (batch gets), then each task. A throw means the shared
   * reads failed before any task was written.
   */
  readonly step: (chunk: readonly Task[], run: ChunkRun<Task>) => Promise<void>;
}

/** What every job's step is given, and the loop itself uses. */
export interface ChunkContext {
  readonly db: Db;
  /** The day of the run in `timeZone`. */
  readonly today: string;
  readonly timeZone: string;
  /** Compute and report; write, mark and clear nothing. */
  readonly dryRun: boolean;
  /** Students or parents in flight at once. */
  readonly concurrency: number;
  /** `updated_at` of what the run writes, and `marked_at` of the marks it sets. */
  readonly updatedAt: string;
  readonly warnings: WarningLog<AggregateWarning>;
  /** Skips an invalid stored item, keeping a warning of it. */
  readonly onInvalid: (error: InvalidStoredItemError) => void;
}

/**
 * @example
 * ```ts
 * const counts = await processChunks(context, { unit: 'parents', idOf, step }, tasks, emptyParentCounts());
 * ```
 */
export const processChunks = async <Task, C extends ChunkCounts>(
  context: ChunkContext,
  job: ChunkJob<Task>,
  tasks: readonly Task[],
  counts: C,
): Promise<C> => {
  const { unit } = job;
  const one = unit === 'students' ? 'student' : 'parent';
  const run: ChunkRun<Task> = {
    fail: (task, error) => {
      counts.failed += 1;
      context.warnings.add(
        aggregateWarning('failed', `${one} ${job.idOf(task)}: ${errorMessage(error)}`),
      );
    },
  };
  for (let start = 0; start < tasks.length; start += CHUNK_SIZE) {
    const chunk = tasks.slice(start, start + CHUNK_SIZE);
    counts.scanned += chunk.length;
    try {
      await job.step(chunk, run);
    } catch (error) {
      for (const task of chunk) run.fail(task, error);
    }
  }
  return counts;
};
