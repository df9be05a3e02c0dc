/**
 * Folding one answer into each part of the state (pure). The caller decides which answers
 * a part has not seen yet (see `services/aggregates/fold/`); each function here adds one.
 */
import type { MemoryModel } from '../../review/card.ts';
import { dueDay, foldIntoMemory, settled } from '../../review/memory.ts';
import { addDays, localDate } from '../../time-zone.ts';
import { DAILY_DAYS, type DayFigures, type ProgressAnswer } from '../figures.ts';
import { withActiveDay } from './day-runs.ts';
import { masteredBy, withAttempt } from './recent.ts';
import { emptyWordStats, type RootState, type WordStats } from './state.ts';

/**
 * Days kept in the root beyond the {@link DAILY_DAYS} that `daily` shows: a run whose
 * "today" is up to this many days earlier than the latest fold's still finds its window.
 */
export const DAYS_KEPT_BEFORE_WINDOW = 7;

/**
 * @example
 * ```ts
 * foldIntoWord(emptyWordStats(), answer); // { attempts: 1, correct: 1, recent: [answer] }
 * ```
 */
export const foldIntoWord = (stats: WordStats, answer: ProgressAnswer): WordStats => ({
  attempts: stats.attempts + 1,
  correct: stats.correct + (answer.correct ? 1 : 0),
  recent: withAttempt(stats.recent, {
    at: answer.answered_at,
    id: answer.answer_id,
    ok: answer.correct,
  }),
});

/** What a word contributes to the top-level counts: practised once attempted, mastered by its last three. */
export const wordContribution = (stats: WordStats | undefined) => ({
  practised: stats !== undefined && stats.attempts > 0 ? 1 : 0,
  mastered: stats !== undefined && masteredBy(stats.recent) ? 1 : 0,
});

/**
 * The root with one more answer: totals, last activity, its day.
 *
 * @example
 * ```ts
 * foldIntoRoot(emptyRoot(), answer, 'Asia/Shanghai').attempts; // 1
 * ```
 */
export const foldIntoRoot = (
  root: RootState,
  answer: ProgressAnswer,
  timeZone: string,
): RootState => {
  const day = localDate(answer.answered_at, timeZone);
  const days = new Map(root.days);
  const figures: DayFigures = days.get(day) ?? { attempts: 0, correct: 0 };
  days.set(day, {
    attempts: figures.attempts + 1,
    correct: figures.correct + (answer.correct ? 1 : 0),
  });
  const later =
    root.last_active_at === null ||
    Date.parse(answer.answered_at) > Date.parse(root.last_active_at);
  return {
    ...root,
    attempts: root.attempts + 1,
    correct: root.correct + (answer.correct ? 1 : 0),
    last_active_at: later ? new Date(answer.answered_at).toISOString() : root.last_active_at,
    days,
    runs: withActiveDay(root.runs, day),
  };
};

/**
 * The root's word counts after a word part went from `before` to `after`.
 *
 * @example
 * ```ts
 * withWordChange(root, undefined, foldIntoWord(emptyWordStats(), answer)).words_practised; // +1
 * ```
 */
export const withWordChange = (
  root: RootState,
  before: ReturnType<typeof wordContribution>,
  after: ReturnType<typeof wordContribution>,
): RootState => ({
  ...root,
  words_practised: root.words_practised + after.practised - before.practised,
  words_mastered: root.words_mastered + after.mastered - before.mastered,
});

/**
 * Drops the days no `daily` from `today` on can show (kept: from {@link DAILY_DAYS} +
 * {@link DAYS_KEPT_BEFORE_WINDOW} days before `today`, and any day after it). The runs
 * keep every day for the streak.
 *
 * @example
 * ```ts
 * pruneDays(root, '2026-11-24').days.has('2026-09-01'); // false
 * ```
 */
export const pruneDays = (root: RootState, today: string): RootState => {
  const first = addDays(today, -(DAILY_DAYS - 1 + DAYS_KEPT_BEFORE_WINDOW));
  const days = new Map([...root.days].filter(([day]) => day >= first));
  return days.size === root.days.size ? root : { ...root, days };
};

/** The parts of a student's state loaded for a fold, changed in place as answers go in. */
export interface FoldTarget {
  /** The memory model the word parts' cards follow. */
  readonly model: MemoryModel;
  root: RootState;
  /** module id → word → stats, for the modules of the answers being folded. */
  readonly modules: Map<string, Map<string, WordStats>>;
  /** word → stats across modules, for the words of the answers being folded. */
  readonly words: Map<string, WordStats>;
}

/**
 * Which parts still lack an answer: after a fold that wrote some parts and not others (a
 * crash), the parts written already hold it and must not count it again.
 */
export interface FoldInto {
  readonly root: boolean;
  readonly module: boolean;
  readonly word: boolean;
}

const EVERY_PART: FoldInto = { root: true, module: true, word: true };

/**
 * Folds one answer into the loaded parts that lack it. A word part's change moves the
 * root's word counts only when the root takes this answer too: otherwise the root already
 * counted it (see `services/aggregates/fold/` for how the parts' versions decide).
 *
 * @example
 * ```ts
 * const target = { root: emptyRoot(), modules: new Map(), words: new Map() };
 * for (const answer of answers) foldAnswer(target, answer, 'Asia/Shanghai');
 * ```
 */
export const foldAnswer = (
  target: FoldTarget,
  answer: ProgressAnswer,
  timeZone: string,
  into: FoldInto = EVERY_PART,
): void => {
  if (into.root) target.root = foldIntoRoot(target.root, answer, timeZone);
  if (into.module) {
    let words = target.modules.get(answer.module_id);
    if (words === undefined) {
      words = new Map();
      target.modules.set(answer.module_id, words);
    }
    words.set(answer.word, foldIntoWord(words.get(answer.word) ?? emptyWordStats(), answer));
  }
  if (into.word) {
    const before = target.words.get(answer.word);
    const after: WordStats = {
      ...foldIntoWord(before ?? emptyWordStats(), answer),
      memory: foldIntoMemory(target.model, before?.memory, answer, timeZone),
    };
    target.words.set(answer.word, after);
    if (into.root) {
      target.root = withWordChange(target.root, wordContribution(before), wordContribution(after));
    }
  }
};

/**
 * Settles the cards of `words` (replays those a late answer changed) and records when each
 * falls due in the root's review index: after a fold step's answers, before its writes. The
 * index follows the word parts, so a part taken over from a leftover updates it too.
 *
 * @example
 * ```ts
 * for (const answer of answers) foldAnswer(target, answer, zone);
 * settleWords(target, new Set(answers.map((a) => a.word)), zone);
 * ```
 */
export const settleWords = (
  target: FoldTarget,
  words: Iterable<string>,
  timeZone: string,
): void => {
  const review = new Map(target.root.review);
  for (const word of words) {
    const stats = target.words.get(word);
    const memory = stats?.memory === undefined ? undefined : settled(target.model, stats.memory);
    if (stats !== undefined && memory !== undefined) {
      target.words.set(word, { ...stats, memory });
      review.set(word, { day: dueDay(memory.card, timeZone), module_ids: memory.module_ids });
    } else {
      review.delete(word);
    }
  }
  target.root = { ...target.root, review };
};
