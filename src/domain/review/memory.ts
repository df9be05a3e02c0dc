/**
 * A student's memory of one word: its reviews, one a day, and the card they give (DESIGN
 * section 4, "Review"). A day's review is its first attempt at the word (by `answered_at`,
 * then `answer_id`); the card is the model's empty card at the first review, then one
 * review for each day in time order.
 *
 * Folding an answer costs one review when it opens a day after the last reviewed one (the
 * usual case). An answer that changes an earlier day (a late answer: a new earlier day, or
 * an earlier first attempt of a day) leaves the card to be replayed from the word's own
 * reviews ({@link settled}), never from the student's answers; a fold settles each word
 * once per step, however many late answers it took.
 */
import { compareAttempts } from '../attempts.ts';
import { compareCodeUnits } from '../ordering.ts';
import { addDays, localDate } from '../time-zone.ts';
import type { MemoryCard, MemoryModel } from './card.ts';

/** One day's review: the day's first attempt. */
export interface Review {
  /** `answered_at` as epoch milliseconds. */
  readonly at: number;
  readonly id: string;
  readonly correct: boolean;
}

/**
 * A review packed into one string, as it is stored and as a memory holds it: the instant in
 * base 36 (epoch milliseconds), `+` correct or `-` wrong, then the answer id. One string
 * rather than an object with a string: a rebuild holds every review of a student at once
 * (100,000 answers are about 90,000 reviews), and objects took several times the heap.
 *
 * @example
 * ```ts
 * packReview({ at: 1767225600000, id: 'a-1', correct: true }); // 'mjuohs00+a-1'
 * ```
 */
export type PackedReview = string;

/**
 * A word's reviews as one string, the packed reviews joined by a line feed: what a memory
 * holds. One string per word rather than one per review: a rebuild holds every review of
 * the student at once, and a string's own header and its slot in an array cost more than
 * the 17 bytes of a review (measured: a 100,000-answer rebuild held 6.4 MB as strings).
 */
export type ReviewHistory = string;

/** A line feed or a backslash in an answer id, escaped so it can sit in a history. */
const escapeId = (id: string): string =>
  /[\\\n]/.test(id) ? id.replaceAll('\\', '\\\\').replaceAll('\n', '\\n') : id;

const unescapeId = (id: string): string =>
  id.includes('\\') ? id.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : id;

// `join`, not a template literal: V8 builds a template of three parts as a tree of cons
// strings that keeps the answer id alive; `join` writes one flat string.
export const packReview = (review: Review): PackedReview =>
  [review.at.toString(36), review.correct ? '+' : '-', escapeId(review.id)].join('');

/** A history's packed reviews, in time order. */
export const reviewsOf = (history: ReviewHistory): PackedReview[] =>
  history === '' ? [] : history.split('\n');

/** Packed reviews as a history (one flat string). */
export const historyOf = (reviews: readonly PackedReview[]): ReviewHistory => reviews.join('\n');

const signOf = (packed: PackedReview): number => packed.search(/[+-]/);

/** The instant of a packed review, without unpacking the rest. */
export const reviewAt = (packed: PackedReview): number =>
  Number.parseInt(packed.slice(0, signOf(packed)), 36);

export const unpackReview = (packed: PackedReview): Review => {
  const sign = signOf(packed);
  return {
    at: Number.parseInt(packed.slice(0, sign), 36),
    correct: packed[sign] === '+',
    id: unescapeId(packed.slice(sign + 1)),
  };
};

export interface WordMemory {
  /** One review per day with an attempt, in time order ({@link reviewsOf}). */
  readonly history: ReviewHistory;
  /** The card after every review; null while a late answer waits for {@link settled}. */
  readonly card: MemoryCard | null;
  /** The modules the word was answered in, in code-unit order. */
  readonly module_ids: readonly string[];
}

/** A memory whose card is computed. */
export interface SettledMemory extends WordMemory {
  readonly card: MemoryCard;
}

/** What folding needs of an answer. */
export interface MemoryAnswer {
  readonly answer_id: string;
  readonly module_id: string;
  readonly correct: boolean;
  /** UTC instant as `toISOString()` writes it. */
  readonly answered_at: string;
}

const asOrderable = (review: Review) => ({
  answered_at: new Date(review.at).toISOString(),
  answer_id: review.id,
});

/** The first index whose review is at or after `at` (reviews are in time order). */
const insertionPoint = (reviews: readonly PackedReview[], at: number): number => {
  let low = 0;
  let high = reviews.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const review = reviews[middle];
    if (review !== undefined && reviewAt(review) < at) low = middle + 1;
    else high = middle;
  }
  return low;
};

const withModule = (moduleIds: readonly string[], moduleId: string): readonly string[] =>
  moduleIds.includes(moduleId) ? moduleIds : [...moduleIds, moduleId].sort(compareCodeUnits);

/**
 * The memory with one more attempt at the word.
 *
 * @example
 * ```ts
 * let memory = foldIntoMemory(model, undefined, answer, 'Asia/Shanghai');
 * memory = foldIntoMemory(model, memory, nextDaysAnswer, 'Asia/Shanghai'); // one review more
 * ```
 */
export const foldIntoMemory = (
  model: MemoryModel,
  memory: WordMemory | undefined,
  answer: MemoryAnswer,
  timeZone: string,
): WordMemory => {
  const review: Review = {
    at: Date.parse(answer.answered_at),
    id: answer.answer_id,
    correct: answer.correct,
  };
  const module_ids = withModule(memory?.module_ids ?? [], answer.module_id);
  if (memory === undefined || memory.history === '') {
    return {
      history: packReview(review),
      card: model.review(model.start(review.at), review.at, review.correct),
      module_ids,
    };
  }
  const reviews = reviewsOf(memory.history);
  const day = localDate(review.at, timeZone);
  const position = insertionPoint(reviews, review.at);
  // The day's review, if it has one, is beside where this attempt would go.
  const sameDay = [position - 1, position].find((index) => {
    const neighbour = reviews[index];
    return neighbour !== undefined && localDate(reviewAt(neighbour), timeZone) === day;
  });
  if (sameDay !== undefined) {
    const packed = reviews[sameDay];
    const current = packed === undefined ? undefined : unpackReview(packed);
    if (current === undefined || compareAttempts(asOrderable(review), asOrderable(current)) >= 0) {
      return { ...memory, module_ids };
    }
    // An earlier first attempt of a reviewed day: that day's review changes.
    const changed = [...reviews];
    changed[sameDay] = packReview(review);
    return { history: historyOf(changed), card: null, module_ids };
  }
  if (position === reviews.length && memory.card !== null) {
    return {
      history: historyOf([memory.history, packReview(review)]),
      card: model.review(memory.card, review.at, review.correct),
      module_ids,
    };
  }
  // A day before the last reviewed one (or after it while a replay is pending).
  const changed = [...reviews];
  changed.splice(position, 0, packReview(review));
  return { history: historyOf(changed), card: null, module_ids };
};

/** The card of a word's reviews, replayed from the first. */
export const replayCard = (
  model: MemoryModel,
  reviews: readonly PackedReview[],
): MemoryCard | null => {
  const first = reviews[0];
  if (first === undefined) return null;
  return reviews.reduce(
    (card, packed) => {
      const review = unpackReview(packed);
      return model.review(card, review.at, review.correct);
    },
    model.start(reviewAt(first)),
  );
};

/**
 * The memory with its card computed: replayed from its reviews when a late answer changed
 * them, as it is otherwise. Undefined for a memory without reviews.
 */
export const settled = (model: MemoryModel, memory: WordMemory): SettledMemory | undefined => {
  if (memory.card !== null) return { ...memory, card: memory.card };
  const card = replayCard(model, reviewsOf(memory.history));
  return card === null ? undefined : { ...memory, card };
};

/** The calendar day (in `timeZone`) of a card's due instant. */
export const dueDay = (card: MemoryCard, timeZone: string): string => localDate(card.due, timeZone);

/**
 * Whether a word is due on a day: its card's `due` falls on or before that day's end.
 *
 * @example
 * ```ts
 * isDueOn('2026-12-07', '2026-12-07'); // true: due today
 * isDueOn('2026-12-08', '2026-12-07'); // false: due tomorrow
 * ```
 */
export const isDueOn = (due: string, day: string): boolean => due <= day;

/** Whether a word falls due in the `days` days after `today` (not today). */
export const isDueWithin = (due: string, today: string, days: number): boolean =>
  due > today && due <= addDays(today, days);
