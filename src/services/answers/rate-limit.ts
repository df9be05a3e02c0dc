/**
 * The per-student cap on `POST /answers` (issue 20): one token (a looping device, a buggy
 * sync, the service account) must not take the API's shared rate for itself.
 *
 * A fixed one-minute window per student, counted in `answer_rates` by ONE conditional
 * UpdateItem per student of a request: `ADD answers :n` if the stored count is at most
 * `limit - n` (or absent: a new window). DynamoDB applies the condition and the addition
 * atomically, so concurrent requests of one student never admit more than the limit, with
 * no read and no transaction (neither dynalite nor a 500-answer batch would allow one).
 * A token bucket would need the elapsed time multiplied by a rate inside the update, which
 * update expressions cannot do, so a read first; the window's known cost is a burst of up to
 * twice the limit across a window boundary.
 *
 * The limit is at least one full batch (`MAX_ANSWERS_PER_REQUEST`, `config.ts` refuses
 * less): an offline device syncing a day's answers posts 500 at once, and a cap below that
 * would refuse such a batch in every window, forever.
 *
 * The clock is the runtime's `now`: instances' clocks differ by milliseconds, which moves a
 * window's edge by as much; a rate limit needs no more.
 */
import pMap from 'p-map';
import { when } from '../../repositories/condition.ts';
import type { Db } from '../../repositories/db.ts';
import { ConditionFailedError } from '../../repositories/errors.ts';
import { AnswersRateLimitedError } from './errors.ts';

/** The window the cap counts in. */
export const RATE_WINDOW_MS = 60_000;

/**
 * TTL may delete a window's counter this long after its end: well past any request that
 * could still count in it, and TTL itself deletes only within a few days anyway.
 */
const KEEP_AFTER_WINDOW_S = 3600;

/** Counters updated at once for a batch of many students (the service account's). */
const CONCURRENCY = 16;

export interface RateWindow {
  /** The window's first instant, the sort key of its counters. */
  readonly start: string;
  /** Epoch milliseconds of its end (exclusive). */
  readonly endMs: number;
}

/**
 * The fixed window an instant falls in.
 *
 * @example
 * ```ts
 * rateWindow(new Date('2026-03-01T08:15:42.123Z'));
 * // { start: '2026-03-01T08:15:00.000Z', endMs: Date.parse('2026-03-01T08:16:00.000Z') }
 * ```
 */
export const rateWindow = (now: Date): RateWindow => {
  const startMs = Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS;
  return { start: new Date(startMs).toISOString(), endMs: startMs + RATE_WINDOW_MS };
};

/**
 * Counts a batch's answers against each of its students' window, or refuses the batch
 * (no limit, `undefined`: admits it without a request).
 * When any student is over the cap, the counts just added for the others are taken back
 * (a refused request uses nobody's allowance) and {@link AnswersRateLimitedError} names the
 * students over it, with the seconds until the window ends.
 *
 * @example
 * ```ts
 * await admitAnswers(db, ['s-1', 's-1', 's-2'], 600, new Date());
 * // s-1 counts 2 more and s-2 1 more in this minute, or AnswersRateLimitedError
 * ```
 */
export const admitAnswers = async (
  db: Db,
  studentIds: readonly string[],
  limit: number | undefined,
  now: Date,
): Promise<void> => {
  if (limit === undefined) return;
  const perStudent = new Map<string, number>();
  for (const id of studentIds) perStudent.set(id, (perStudent.get(id) ?? 0) + 1);
  const window = rateWindow(now);
  const expiresAt = Math.ceil(window.endMs / 1000) + KEEP_AFTER_WINDOW_S;
  const counted: [string, number][] = [];
  const over: string[] = [];
  await pMap(
    perStudent,
    async ([studentId, answers]) => {
      try {
        await db.answer_rates.update(
          { student_id: studentId, window_start: window.start },
          { set: { expires_at: expiresAt }, add: { answers } },
          { condition: when.any(when.absent('answers'), when.atMost('answers', limit - answers)) },
        );
        counted.push([studentId, answers]);
      } catch (error) {
        if (!(error instanceof ConditionFailedError)) throw error;
        over.push(studentId);
      }
    },
    { concurrency: CONCURRENCY },
  );
  if (over.length === 0) return;
  // Best effort: a refund that fails leaves a student counted for answers it did not store,
  // until its window ends (under a minute); the refusal stands either way.
  await Promise.allSettled(
    counted.map(([studentId, answers]) =>
      db.answer_rates.update(
        { student_id: studentId, window_start: window.start },
        { set: { expires_at: expiresAt }, add: { answers: -answers } },
        // Never creates a counter: one gone meanwhile (TTL) has nothing to give back.
        { condition: when.exists('answers') },
      ),
    ),
  );
  const retryAfterSeconds = Math.max(1, Math.ceil((window.endMs - now.getTime()) / 1000));
  throw new AnswersRateLimitedError(over.sort(), limit, retryAfterSeconds);
};
