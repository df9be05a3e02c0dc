/**
 * The figures of DESIGN section 4 read off the folded state: what `studentFigures`
 * computes from all the answers, computed from the state alone. The date-dependent ones
 * (`daily`, `streak_days`) need only the root, so the day roll-over reads no answers.
 */
import { accuracy } from '../../accuracy.ts';
import { compareCodeUnits } from '../../ordering.ts';
import { isDueOn } from '../../review/memory.ts';
import { addDays } from '../../time-zone.ts';
import type { DayFigures, ModuleFigures, StudentFigures } from '../figures.ts';
import { DAILY_DAYS } from '../figures.ts';
import { streakOfRuns } from './day-runs.ts';
import { masteredBy } from './recent.ts';
import type { ModuleState, RootState, WordDue } from './state.ts';

/**
 * A module's figures from its part: only the words of its current list count; without a
 * list (the module record is missing) every word does and `words_total` is null. So an
 * edited word list gives the new figures from the same state.
 *
 * @example
 * ```ts
 * moduleFiguresOf(part, ['apple', 'pear']).words_total; // 2
 * ```
 */
export const moduleFiguresOf = (
  state: ModuleState,
  words: readonly string[] | undefined,
): ModuleFigures => {
  const listed = words === undefined ? undefined : new Set(words);
  let attempts = 0;
  let correct = 0;
  let practised = 0;
  let mastered = 0;
  for (const [word, stats] of state) {
    if (listed !== undefined && !listed.has(word)) continue;
    attempts += stats.attempts;
    correct += stats.correct;
    if (stats.attempts > 0) practised += 1;
    if (masteredBy(stats.recent)) mastered += 1;
  }
  return {
    attempts,
    correct,
    accuracy: accuracy(correct, attempts),
    words_practised: practised,
    words_mastered: mastered,
    words_total: words === undefined ? null : words.length,
    // Set by `progressOf`, which has the root's review index.
    words_due: 0,
  };
};

/**
 * The review figures of a student on `today` from the root's review index: the words due,
 * each module's count of them (its current list's words, or without a record the words
 * answered in it), every word with a card, and the next day one falls due.
 *
 * @example
 * ```ts
 * reviewFiguresOf(root.review, '2026-12-07', (id) => lists.get(id)).due_words; // ['apple']
 * ```
 */
export const reviewFiguresOf = (
  review: ReadonlyMap<string, WordDue>,
  today: string,
  moduleIds: Iterable<string>,
  moduleWords: (moduleId: string) => readonly string[] | undefined,
) => {
  const due = [...review].filter(([, entry]) => isDueOn(entry.day, today));
  const dueWords = new Set(due.map(([word]) => word));
  const later = [...review.values()].map((entry) => entry.day).filter((day) => day > today);
  const perModule = new Map<string, number>();
  for (const moduleId of moduleIds) {
    const list = moduleWords(moduleId);
    perModule.set(
      moduleId,
      list === undefined
        ? due.filter(([, entry]) => entry.module_ids.includes(moduleId)).length
        : new Set(list.filter((word) => dueWords.has(word))).size,
    );
  }
  return {
    words_due: dueWords.size,
    due_words: [...dueWords].sort(compareCodeUnits),
    practised_words: [...review.keys()].sort(compareCodeUnits),
    next_due_day: later.sort(compareCodeUnits)[0] ?? null,
    perModule,
  };
};

/** `daily` of the root on `today`: the {@link DAILY_DAYS} ending today, days with answers. */
const dailyOf = (days: ReadonlyMap<string, DayFigures>, today: string) => {
  const first = addDays(today, -(DAILY_DAYS - 1));
  // From entries, not by assignment: the house rule for maps whose keys are data.
  return Object.fromEntries([...days].filter(([day]) => day >= first && day <= today));
};

/**
 * A student's progress from its root and the figures of each module it answered in.
 *
 * @example
 * ```ts
 * progressOf({ studentId: 's-1', root, modules: { 'm-1': moduleFiguresOf(part, words) }, today: '2026-11-24', moduleWords: (id) => lists.get(id) });
 * ```
 */
export const progressOf = (input: {
  readonly studentId: string;
  readonly root: RootState;
  readonly modules: Readonly<Record<string, ModuleFigures>>;
  readonly today: string;
  /** A module's current word list; undefined when its record is missing. */
  readonly moduleWords: (moduleId: string) => readonly string[] | undefined;
}): StudentFigures => {
  const { root, today } = input;
  const { perModule, ...review } = reviewFiguresOf(
    root.review,
    today,
    Object.keys(input.modules),
    input.moduleWords,
  );
  const modules = Object.fromEntries(
    Object.entries(input.modules).map(([moduleId, figures]) => [
      moduleId,
      { ...figures, words_due: perModule.get(moduleId) ?? 0 },
    ]),
  );
  return {
    student_id: input.studentId,
    attempts: root.attempts,
    correct: root.correct,
    accuracy: accuracy(root.correct, root.attempts),
    words_practised: root.words_practised,
    words_mastered: root.words_mastered,
    last_active_at: root.last_active_at,
    streak_days: streakOfRuns(root.runs, today),
    daily: dailyOf(root.days, today),
    modules,
    ...review,
  };
};
