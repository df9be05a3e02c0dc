/**
 * The figures of DESIGN section 4 read off the folded state: what `studentFigures`
 * computes from all the answers, computed from the state alone. The date-dependent ones
 * (`daily`, `streak_days`) need only the root, so the day roll-over reads no answers.
 */
import { accuracy } from '../../accuracy.ts';
import { addDays } from '../../time-zone.ts';
import type { DayFigures, ModuleFigures, StudentFigures } from '../figures.ts';
import { DAILY_DAYS } from '../figures.ts';
import { streakOfRuns } from './day-runs.ts';
import { masteredBy } from './recent.ts';
import type { ModuleState, RootState } from './state.ts';

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
 * progressOf({ studentId: 's-1', root, modules: { 'm-1': moduleFiguresOf(part, words) }, today: '2026-11-24' });
 * ```
 */
export const progressOf = (input: {
  readonly studentId: string;
  readonly root: RootState;
  readonly modules: Readonly<Record<string, ModuleFigures>>;
  readonly today: string;
}): StudentFigures => {
  const { root, today } = input;
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
    modules: input.modules,
  };
};
