/**
 * A card's forgetting curve as FSRS draws it (no DOM here: tested in Node against ts-fsrs's own
 * scheduler). The API's memory model is `fsrs(...)` at the package's default parameters
 * (DESIGN section 4, "Review"), so the curve is ts-fsrs's `forgetting_curve` at its default
 * weights rather than a formula of our own that could drift from the package's.
 */
import { default_w, forgetting_curve } from 'ts-fsrs';
import type { ReviewWord } from './schemas.ts';

const DAY_MS = 86_400_000;

/** Recall after `elapsed` whole days at `stability`, as `get_retrievability` computes it. */
export const recallAfter = (elapsed: number, stability: number): number =>
  // get_retrievability rounds the stability to 8 places before the curve: so do we.
  forgetting_curve(default_w, Math.max(elapsed, 0), +stability.toFixed(8));

/**
 * Whole days since the last review at `generated_at`, as `get_retrievability` counts them
 * (`Math.floor` of the milliseconds over a day). The reply's `last_review` gives them exactly;
 * where it is null (no review: no card on the lists should be), the curve inverted at the
 * reply's `recall` does, rounded to the whole day it was.
 */
export const elapsedDays = (word: ReviewWord, generatedAt: string): number => {
  if (word.last_review !== null)
    return Math.max(
      Math.floor((Date.parse(generatedAt) - Date.parse(word.last_review)) / DAY_MS),
      0,
    );
  // R = (1 + factor * t / S) ^ decay, decay = -w[20], factor = 0.9 ^ (1 / decay) - 1.
  const decay = -(default_w[20] ?? 0.1542);
  const factor = 0.9 ** (1 / decay) - 1;
  if (word.recall <= 0) return 0;
  const t = (word.stability / factor) * (word.recall ** (1 / decay) - 1);
  return Math.max(Math.round(t), 0);
};

export interface CurvePoint {
  readonly at: Date;
  readonly recall: number;
  /** Whole days since the last review at `at`. */
  readonly elapsed: number;
}

export interface Curve {
  readonly points: readonly CurvePoint[];
  readonly start: Date;
  readonly end: Date;
  readonly due: CurvePoint;
  readonly now: CurvePoint;
}

/**
 * Recall from `generated_at` to 30 days on (from the due instant if that was earlier, at most
 * 30 days back), a point at each instant the whole days change. FSRS schedules the due
 * instant a whole number of days after the last review (no short-term steps), so the days
 * change at `due_at` plus or minus whole days: that is known without the last review's instant.
 */
export const forgettingCurve = (word: ReviewWord, generatedAt: string, days = 30): Curve => {
  const now = Date.parse(generatedAt);
  const due = Date.parse(word.due_at);
  const start = Math.max(Math.min(now, due), now - days * DAY_MS);
  const end = now + days * DAY_MS;
  const t0 = elapsedDays(word, generatedAt);
  const elapsedAt = (at: number) =>
    t0 + Math.floor((at - due) / DAY_MS) - Math.floor((now - due) / DAY_MS);
  const point = (at: number): CurvePoint => {
    const elapsed = elapsedAt(at);
    return { at: new Date(at), recall: recallAfter(elapsed, word.stability), elapsed };
  };
  const points = [point(start)];
  // The first day boundary after start, then one a day.
  let boundary = due + Math.ceil((start - due) / DAY_MS) * DAY_MS;
  if (boundary === start) boundary += DAY_MS;
  for (; boundary < end; boundary += DAY_MS) points.push(point(boundary));
  points.push(point(end));
  return {
    points,
    start: new Date(start),
    end: new Date(end),
    due: point(due),
    now: { ...point(now), recall: word.recall },
  };
};
