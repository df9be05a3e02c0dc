/**
 * A student's progress (DESIGN section 4) as a pure function of the student's answers, the
 * modules' current word lists and the day of the run. Nothing else goes in, so recomputing
 * a student from the same answers on the same day gives the same figures: a re-run of the
 * job is idempotent, and an incremental and a full run agree.
 */
import { accuracy } from '../accuracy.ts';
import { orderAttempts } from '../attempts.ts';
import type { MemoryModel } from '../review/card.ts';
import { dueDay, foldIntoMemory, settled, type WordMemory } from '../review/memory.ts';
import { localDate } from '../time-zone.ts';
import { dailyFigures, streakDays } from './day-figures.ts';
import type { ModuleFigures, ProgressAnswer, StudentFigures } from './figures.ts';
import { reviewFiguresOf } from './fold/figures.ts';
import type { WordDue } from './fold/state.ts';
import { wordFigures } from './word-figures.ts';

export interface StudentFiguresInput {
  readonly studentId: string;
  /** Every stored answer of the student, in any order. */
  readonly answers: readonly ProgressAnswer[];
  /**
   * The current word list of every module that exists. A module the student answered in
   * but that is missing here counts all its answers and has `words_total: null`.
   */
  readonly moduleWords: ReadonlyMap<string, readonly string[]>;
  /** The day of the run, `YYYY-MM-DD` in `timeZone`. */
  readonly today: string;
  /** The IANA zone of a school day (`LMS_TIMEZONE`). */
  readonly timeZone: string;
  /** The memory model of the cards (`words_due`). */
  readonly model: MemoryModel;
}

const moduleFigures = (
  ordered: readonly ProgressAnswer[],
  words: readonly string[] | undefined,
): ModuleFigures => {
  // Only answers to words in the module's current list count; without a list, all do.
  const listed = words === undefined ? undefined : new Set(words);
  const counted =
    listed === undefined ? ordered : ordered.filter((answer) => listed.has(answer.word));
  const correct = counted.filter((answer) => answer.correct).length;
  const { practised, mastered } = wordFigures(counted);
  return {
    attempts: counted.length,
    correct,
    accuracy: accuracy(correct, counted.length),
    words_practised: practised,
    words_mastered: mastered,
    words_total: words === undefined ? null : words.length,
    words_due: 0,
  };
};

/** Every word's card from the answers in attempt order: when it falls due, where answered. */
const reviewIndex = (
  ordered: readonly ProgressAnswer[],
  model: MemoryModel,
  timeZone: string,
): Map<string, WordDue> => {
  const memories = new Map<string, WordMemory>();
  for (const answer of ordered) {
    memories.set(answer.word, foldIntoMemory(model, memories.get(answer.word), answer, timeZone));
  }
  const index = new Map<string, WordDue>();
  for (const [word, memory] of memories) {
    const card = settled(model, memory)?.card;
    if (card !== undefined) {
      index.set(word, { day: dueDay(card, timeZone), module_ids: memory.module_ids });
    }
  }
  return index;
};

/**
 * @example
 * ```ts
 * const figures = studentFigures({
 *   studentId: 's-1',
 *   answers,
 *   moduleWords: new Map([['m-1', ['apple', 'banana']]]),
 *   today: '2026-11-24',
 *   timeZone: 'Asia/Shanghai',
 *   model,
 * });
 * figures.streak_days; // consecutive days ending today or yesterday
 * ```
 */
export const studentFigures = (input: StudentFiguresInput): StudentFigures => {
  const ordered = orderAttempts(input.answers);
  const correct = ordered.filter((answer) => answer.correct).length;
  const words = wordFigures(ordered);

  const days = ordered.map((answer) => ({
    day: localDate(answer.answered_at, input.timeZone),
    correct: answer.correct,
  }));

  const byModule = new Map<string, ProgressAnswer[]>();
  for (const answer of ordered) {
    const answers = byModule.get(answer.module_id);
    if (answers === undefined) byModule.set(answer.module_id, [answer]);
    else answers.push(answer);
  }
  const { perModule, ...review } = reviewFiguresOf(
    reviewIndex(ordered, input.model, input.timeZone),
    input.today,
    byModule.keys(),
    (moduleId) => input.moduleWords.get(moduleId),
  );
  // Built from entries, not by assignment: a module id is data and may be `__proto__`.
  const modules: Record<string, ModuleFigures> = Object.fromEntries(
    [...byModule].map(([moduleId, answers]) => [
      moduleId,
      {
        ...moduleFigures(answers, input.moduleWords.get(moduleId)),
        words_due: perModule.get(moduleId) ?? 0,
      },
    ]),
  );

  // The latest instant, whatever the tie-break among equal instants: it is the same instant.
  let latest = Number.NEGATIVE_INFINITY;
  for (const answer of ordered) latest = Math.max(latest, Date.parse(answer.answered_at));

  return {
    student_id: input.studentId,
    attempts: ordered.length,
    correct,
    accuracy: accuracy(correct, ordered.length),
    words_practised: words.practised,
    words_mastered: words.mastered,
    last_active_at: ordered.length === 0 ? null : new Date(latest).toISOString(),
    streak_days: streakDays(new Set(days.map((d) => d.day)), input.today),
    daily: dailyFigures(days, input.today),
    modules,
    ...review,
  };
};
