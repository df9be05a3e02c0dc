/**
 * A seed that survives an interruption. Its plan and progress are kept in the `jobs` item
 * `seed` before anything is written, so a start that finds a seed begun and not finished
 * writes the same plan again (the generator is deterministic, so every rewritten item is
 * the one already there), then runs what follows the seed, and only then marks it done.
 */
import * as z from 'zod';
import { utcTimestamp } from '../entities/common.ts';
import { LmsError } from '../errors.ts';
import { zodIssues } from '../lib/zod-issues.ts';
import type { Db } from '../repositories/db.ts';
import { SEED_SIZES, type SeedSizeName } from './sizes.ts';
import { type SeedSummary, writeSeed } from './write.ts';

/** The `jobs` item `seed` is not what this file writes (edited by hand, or by another version). */
export class InvalidSeedRecordError extends LmsError {
  readonly code = 'INVALID_SEED_RECORD';
}

/** The `jobs` item that records the demo seed. */
export const SEED_JOB = 'seed';

/** Where a recorded seed stands: items being written, written (what follows not yet run), done. */
export const SeedStatus = {
  Writing: 'writing',
  Written: 'written',
  Done: 'done',
} as const;
export type SeedStatus = (typeof SeedStatus)[keyof typeof SeedStatus];

const sizeName = z.custom<SeedSizeName>(
  (value) => typeof value === 'string' && Object.hasOwn(SEED_SIZES, value),
  'must name a seed size',
);

/** What is kept of a seed: enough to write exactly the same items again. */
const seedRecordSchema = z.looseObject({
  name: z.literal(SEED_JOB),
  seed_status: z.enum([SeedStatus.Writing, SeedStatus.Written, SeedStatus.Done]),
  seed_size: sizeName,
  seed_number: z.number().int().min(0),
  seed_today: z.iso.date(),
  seed_timezone: z.string().min(1),
  seed_not_after: utcTimestamp,
  started_at: utcTimestamp,
  completed_at: utcTimestamp.optional(),
});
export type SeedRecord = z.output<typeof seedRecordSchema>;

export interface SeedRequest {
  readonly size: SeedSizeName;
  readonly seed: number;
  readonly today: string;
  readonly timezone: string;
  /** No answer later than this (the moment of the first start). */
  readonly notAfter: Date;
}

export interface ResumableSeedOptions {
  /** What a new seed writes; a seed found unfinished is completed with its own plan. */
  readonly request: SeedRequest;
  /** Whether the tables hold data no seed record accounts for (then nothing is seeded). */
  readonly hasData: () => Promise<boolean>;
  /** What follows the seed (the jobs), run once it is written, before it is marked done. */
  readonly afterSeed: () => Promise<void>;
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
  /** The line per table written (default: `log`); `lms start` keeps them for `LOG_LEVEL=debug`. */
  readonly progress?: (line: string) => void;
}

export type ResumableSeedOutcome =
  | { readonly kind: 'seeded'; readonly resumed: boolean; readonly summary?: SeedSummary }
  | { readonly kind: 'done-before' }
  | { readonly kind: 'not-empty' };

/** The seed's record, validated; an invalid one is reported, not trusted. */
export const readSeedRecord = async (db: Db): Promise<SeedRecord | undefined> => {
  const item = await db.jobs.find({ name: SEED_JOB }, { consistent: true });
  if (item === undefined) return undefined;
  const result = seedRecordSchema.safeParse(item);
  if (!result.success) {
    throw new InvalidSeedRecordError(
      `the jobs item "${SEED_JOB}" is not a seed record (${zodIssues(result.error)
        .map((issue) => `${issue.path || 'item'}: ${issue.message}`)
        .join('; ')}); delete it to seed again`,
    );
  }
  return result.data;
};

const describePlan = (record: SeedRecord) =>
  `${record.seed_size} #${record.seed_number} up to ${record.seed_today}`;

/**
 * @example
 * ```ts
 * await runResumableSeed(db, {
 *   request: { size: 'small', seed: 1, today: '2026-11-24', timezone, notAfter: new Date() },
 *   hasData: async () => (await db.students.count({}, { scan: true })) > 0,
 *   afterSeed: () => runJobs(),
 *   log: console.error,
 * });
 * ```
 */
export const runResumableSeed = async (
  db: Db,
  options: ResumableSeedOptions,
): Promise<ResumableSeedOutcome> => {
  const { log, signal } = options;
  let record = await readSeedRecord(db);
  if (record?.seed_status === SeedStatus.Done) return { kind: 'done-before' };
  const resumed = record !== undefined;
  if (record === undefined) {
    if (await options.hasData()) return { kind: 'not-empty' };
    const { request } = options;
    record = {
      name: SEED_JOB,
      seed_status: SeedStatus.Writing,
      seed_size: request.size,
      seed_number: request.seed,
      seed_today: request.today,
      seed_timezone: request.timezone,
      seed_not_after: request.notAfter.toISOString(),
      started_at: new Date().toISOString(),
    };
    // Recorded before the first item, so an interruption at any point is seen as one.
    await db.jobs.put(record);
    log(`demo data: writing seed ${describePlan(record)}`);
  } else {
    log(
      `demo data: the seed ${describePlan(record)} begun at ${record.started_at} was interrupted (${record.seed_status}); finishing it`,
    );
  }
  let summary: SeedSummary | undefined;
  if (record.seed_status === SeedStatus.Writing) {
    summary = await writeSeed(
      db,
      {
        size: SEED_SIZES[record.seed_size],
        seed: record.seed_number,
        today: record.seed_today,
        timezone: record.seed_timezone,
        notAfter: new Date(record.seed_not_after),
      },
      {
        ...(signal === undefined ? {} : { signal }),
        // A line per table as it completes: the seed of a first start takes a while.
        onProgress: ({ table, written, total }) => {
          if (written === total) (options.progress ?? log)(`demo data: ${table} ${written}`);
        },
      },
    );
    record = { ...record, seed_status: SeedStatus.Written };
    await db.jobs.put(record);
    log(
      `demo data: ${Object.entries(summary.written)
        .map(([table, count]) => `${count} ${table}`)
        .join(', ')}`,
    );
  }
  signal?.throwIfAborted();
  await options.afterSeed();
  signal?.throwIfAborted();
  await db.jobs.put({
    ...record,
    seed_status: SeedStatus.Done,
    completed_at: new Date().toISOString(),
  });
  return { kind: 'seeded', resumed, ...(summary === undefined ? {} : { summary }) };
};
