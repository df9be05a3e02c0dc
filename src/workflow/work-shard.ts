/**
 * The loop of one worker invocation of a sharded job (see `protocol.ts`): read a page of the
 * shard's current source from its cursor, process it, and go on while time remains; then
 * return the shard with its cursor, or done. A page is the unit of work, so an invocation
 * stopped at any point redoes at most one page, and every job's processing is idempotent.
 * Nothing here knows what a job reads or computes: that is the job's `ShardWork`.
 */
import * as z from 'zod';
import type { PageKey } from '../repositories/repository.ts';
import type { Shard } from './protocol.ts';

/** Where a shard is: which of its sources, and where in it. */
export const cursorSchema = z.object({
  source: z.number().int().nonnegative(),
  key: z.record(z.string(), z.string()).nullable(),
});
export type ShardCursor = z.output<typeof cursorSchema>;

/** Warnings a shard carries to the finishing step (the rest are counted and logged). */
export const SHARD_WARNINGS = 10;

export interface ShardWork<Task> {
  /** Warnings the shard carries (default {@link SHARD_WARNINGS}). */
  readonly warningsKept?: number;
  /** The sources of this shard, read in order (each a scan segment or a query). */
  readonly sources: readonly string[];
  readPage(
    source: string,
    startKey: PageKey | undefined,
  ): Promise<{
    readonly tasks: readonly Task[];
    readonly next: PageKey | undefined;
    /** Items of the page skipped (invalid), reported with the shard's warnings. */
    readonly warnings?: readonly ShardWarning[];
    /** What reading the page counted (added to the shard's counts). */
    readonly counts?: Readonly<Record<string, number>>;
  }>;
  process(tasks: readonly Task[]): Promise<{
    readonly counts: Readonly<Record<string, number>>;
    readonly warnings: readonly ShardWarning[];
  }>;
}

export type ShardWarning = NonNullable<Shard['warnings']>[number];

export interface ShardClock {
  /** What is left of the invocation (`context.getRemainingTimeInMillis()`). */
  readonly remainingMs: () => number;
  readonly now: () => Date;
}

/**
 * Time kept in hand when an invocation decides whether to read another page: the slowest
 * page so far, three times over, and never less than this.
 */
export const MIN_RESERVE_MS = 20_000;

const add = (counts: Record<string, number>, more: Readonly<Record<string, number>>): void => {
  for (const [name, value] of Object.entries(more)) counts[name] = (counts[name] ?? 0) + value;
};

/**
 * @example
 * ```ts
 * const { shard, done } = await workShard(work, shard, { remainingMs: () => context.getRemainingTimeInMillis() });
 * ```
 */
export const workShard = async <Task>(
  work: ShardWork<Task>,
  shard: Shard,
  clock: ShardClock,
): Promise<{ shard: Shard; done: boolean }> => {
  let cursor: ShardCursor =
    shard.cursor === null ? { source: 0, key: null } : cursorSchema.parse(shard.cursor);
  const counts: Record<string, number> = { ...shard.counts };
  const warnings = [...(shard.warnings ?? [])];
  const kept = work.warningsKept ?? SHARD_WARNINGS;
  let slowest = 0;
  let pages = 0;
  // At least one page per invocation, so a run always moves forward.
  while (cursor.source < work.sources.length) {
    if (pages > 0 && clock.remainingMs() < Math.max(MIN_RESERVE_MS, 3 * slowest)) break;
    const started = performance.now();
    const source = work.sources[cursor.source] ?? '';
    const page = await work.readPage(source, cursor.key ?? undefined);
    const skipped = page.warnings ?? [];
    counts.warnings_total = (counts.warnings_total ?? 0) + skipped.length;
    for (const warning of skipped) {
      if (warnings.length < kept) warnings.push(warning);
    }
    add(counts, page.counts ?? {});
    if (page.tasks.length > 0) {
      const result = await work.process(page.tasks);
      add(counts, result.counts);
      counts.warnings_total = (counts.warnings_total ?? 0) + result.warnings.length;
      for (const warning of result.warnings) {
        if (warnings.length < kept) warnings.push(warning);
      }
    }
    cursor =
      page.next === undefined
        ? { source: cursor.source + 1, key: null }
        : { source: cursor.source, key: { ...page.next } };
    pages += 1;
    slowest = Math.max(slowest, performance.now() - started);
  }
  const done = cursor.source >= work.sources.length;
  return {
    shard: {
      ...shard,
      cursor: done ? null : cursor,
      invocations: shard.invocations + 1,
      counts,
      warnings,
    },
    done,
  };
};

/** The shards of a new run: one per scan segment, nothing done yet. */
export const newShards = (segments: number): Shard[] =>
  Array.from({ length: segments }, (_, segment) => ({
    segment,
    segments,
    cursor: null,
    invocations: 0,
    counts: {},
  }));

/**
 * The counts of every shard summed into `empty`'s fields (and `warnings_total`), and the
 * warnings they carried.
 */
export const sumShards = <C extends { readonly [K in keyof C]: number }>(
  shards: readonly { readonly shard: Shard }[],
  empty: C,
): { counts: C; warningsTotal: number; warnings: ShardWarning[] } => {
  const totals = new Map<string, number>();
  let warningsTotal = 0;
  const warnings: ShardWarning[] = [];
  for (const { shard } of shards) {
    for (const [name, value] of Object.entries(shard.counts)) {
      totals.set(name, (totals.get(name) ?? 0) + value);
    }
    warningsTotal += shard.counts.warnings_total ?? 0;
    warnings.push(...(shard.warnings ?? []));
  }
  const counts = { ...empty };
  for (const name of Object.keys(empty) as (keyof C & string)[]) {
    // Only `empty`'s own fields, each a number: the sum stays a C.
    counts[name] = (empty[name] + (totals.get(name) ?? 0)) as C[keyof C & string];
  }
  return { counts, warningsTotal, warnings };
};
