/**
 * A memory card of one student and word (DESIGN section 4, "Review"), as plain data: what
 * FSRS keeps of a word's reviews. The domain does not compute it; a {@link MemoryModel}
 * does (`services/review/memory-model.ts`, over `ts-fsrs`), so the domain imports nothing but itself and
 * the fold stays pure given a model.
 */

/** DESIGN's default `LMS_REVIEW_RETENTION`: reviews are scheduled for a 90 % chance of recall. */
export const DEFAULT_REVIEW_RETENTION = 0.9;

/**
 * The retentions a deployment may choose: FSRS's recommended range. Below 0.7 a word comes
 * back only once it is mostly forgotten; above 0.97 reviews come so often that the work
 * grows steeply for little more recall (at 0.99 about ten times the reviews of 0.9).
 */
export const REVIEW_RETENTION_RANGE = { min: 0.7, max: 0.97 } as const;

/** A card, with instants as epoch milliseconds (stored exactly, compared cheaply). */
export interface MemoryCard {
  /** When the next review is scheduled. */
  readonly due: number;
  readonly stability: number;
  readonly difficulty: number;
  readonly elapsed_days: number;
  readonly scheduled_days: number;
  readonly learning_steps: number;
  /** Reviews so far. */
  readonly reps: number;
  /** Reviews rated Again after the first (forgotten once learnt). */
  readonly lapses: number;
  /** FSRS's state: 0 new, 1 learning, 2 review, 3 relearning. */
  readonly state: number;
  /** The last review's instant; null before any. */
  readonly last_review: number | null;
}

/**
 * The memory model the review figures are computed with: the port `services/review/memory-model.ts` fills.
 *
 * @example
 * ```ts
 * let card = model.start(at);
 * card = model.review(card, at, true);   // rated Good
 * model.recall(card, Date.now());        // probability of recall now, 0..1
 * ```
 */
export interface MemoryModel {
  /** The recall probability reviews are scheduled for (`request_retention`). */
  readonly retention: number;
  /** An empty card created at an instant (before its first review). */
  start(at: number): MemoryCard;
  /** The card after a review at `at`: correct is rated Good, wrong Again. */
  review(card: MemoryCard, at: number, correct: boolean): MemoryCard;
  /** The card's retrievability at an instant: the probability of recall then. */
  recall(card: MemoryCard, at: number): number;
}
