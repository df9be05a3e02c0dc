/**
 * The memory model of DESIGN section 4 ("Review") over `ts-fsrs`, exactly as it says:
 * `fsrs({ request_retention, enable_fuzz: false, enable_short_term: false })`, every other
 * parameter at the package's default; `createEmptyCard` at the first review, `next` with
 * `Rating.Good` (correct) or `Rating.Again` (wrong), `get_retrievability(card, at, false)`.
 * The only module that imports `ts-fsrs` (a pure library, so a service may; the domain may not): the domain sees {@link MemoryModel}.
 */
import { type Card, createEmptyCard, fsrs, Rating, State } from 'ts-fsrs';
import {
  DEFAULT_REVIEW_RETENTION,
  type MemoryCard,
  type MemoryModel,
} from '../../domain/review/card.ts';

/** ts-fsrs's states by their number, which is what a stored card holds. */
const STATES = [State.New, State.Learning, State.Review, State.Relearning] as const;

const toCard = (card: MemoryCard): Card => ({
  due: new Date(card.due),
  stability: card.stability,
  difficulty: card.difficulty,
  elapsed_days: card.elapsed_days,
  scheduled_days: card.scheduled_days,
  learning_steps: card.learning_steps,
  reps: card.reps,
  lapses: card.lapses,
  state: STATES[card.state] ?? State.New,
  ...(card.last_review === null ? {} : { last_review: new Date(card.last_review) }),
});

const fromCard = (card: Card): MemoryCard => ({
  due: card.due.getTime(),
  stability: card.stability,
  difficulty: card.difficulty,
  elapsed_days: card.elapsed_days,
  scheduled_days: card.scheduled_days,
  learning_steps: card.learning_steps,
  reps: card.reps,
  lapses: card.lapses,
  state: card.state,
  last_review: card.last_review === undefined ? null : card.last_review.getTime(),
});

/**
 * @example
 * ```ts
 * const model = createFsrsModel(0.9);
 * const card = model.review(model.start(at), at, true);
 * model.recall(card, at + 86_400_000);
 * ```
 */
export const createFsrsModel = (retention: number = DEFAULT_REVIEW_RETENTION): MemoryModel => {
  const scheduler = fsrs({
    request_retention: retention,
    enable_fuzz: false,
    enable_short_term: false,
  });
  return {
    retention,
    start: (at) => fromCard(createEmptyCard(new Date(at))),
    review: (card, at, correct) =>
      fromCard(
        scheduler.next(toCard(card), new Date(at), correct ? Rating.Good : Rating.Again).card,
      ),
    recall: (card, at) => scheduler.get_retrievability(toCard(card), new Date(at), false),
  };
};
