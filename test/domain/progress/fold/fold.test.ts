/**
 * The fold against the recomputation it replaces: for random histories split into random
 * batches, recorded in an order that differs from the order they were answered in (late
 * answers from offline devices), the figures read off the folded state equal
 * `studentFigures` over all the answers, on the day of the last fold and days later.
 */
import { describe, expect, it } from 'vitest';
import type { ModuleFigures, ProgressAnswer } from '../../../../src/domain/progress/figures.ts';
import { streakOfRuns, withActiveDay } from '../../../../src/domain/progress/fold/day-runs.ts';
import { moduleFiguresOf, progressOf } from '../../../../src/domain/progress/fold/figures.ts';
import {
  type FoldTarget,
  foldAnswer,
  pruneDays,
  settleWords,
} from '../../../../src/domain/progress/fold/fold.ts';
import { withAttempt } from '../../../../src/domain/progress/fold/recent.ts';
import { emptyRoot } from '../../../../src/domain/progress/fold/state.ts';
import { studentFigures } from '../../../../src/domain/progress/student-figures.ts';
import { addDays, localDate, startOfLocalDay } from '../../../../src/domain/time-zone.ts';
import { type Random, seeded } from '../../../../src/seed/random.ts';
import { createFsrsModel } from '../../../../src/services/review/memory-model.ts';
import { ANSWERS, EXPECTED, MODULE_WORDS, STUDENT, TIME_ZONE, TODAY } from '../hand-example.ts';

const model = createFsrsModel(0.9);

const fold = (
  batches: readonly (readonly ProgressAnswer[])[],
  timeZone: string,
  days: readonly string[],
) => {
  const target: FoldTarget = { model, root: emptyRoot(), modules: new Map(), words: new Map() };
  batches.forEach((batch, index) => {
    for (const answer of batch) foldAnswer(target, answer, timeZone);
    // As a fold step does before it writes: late answers' cards replayed once.
    settleWords(target, new Set(batch.map((answer) => answer.word)), timeZone);
    const day = days[index];
    if (day !== undefined) target.root = pruneDays(target.root, day);
  });
  return target;
};

const figuresOf = (
  target: FoldTarget,
  moduleWords: ReadonlyMap<string, readonly string[]>,
  today: string,
) => {
  const modules: Record<string, ModuleFigures> = {};
  for (const [moduleId, words] of target.modules)
    modules[moduleId] = moduleFiguresOf(words, moduleWords.get(moduleId));
  return progressOf({
    studentId: STUDENT,
    root: target.root,
    modules,
    today,
    moduleWords: (moduleId) => moduleWords.get(moduleId),
  });
};

/** A random history: few words so that words repeat, ties in time, three zones of days. */
const history = (random: Random, zone: string, today: string): ProgressAnswer[] => {
  const words = ['apple', 'pear', 'fig', 'kiwi', 'plum', 'lime', 'date'];
  const modules = ['m-1', 'm-2', 'm-3', 'm-gone'];
  const end = startOfLocalDay(addDays(today, 1), zone).getTime();
  const count = random.int(0, 160);
  return Array.from({ length: count }, (_, i) => {
    // Mostly recent days, some far back, some in the same millisecond as another.
    const daysBack = random.chance(0.15) ? random.int(30, 400) : random.int(0, 40);
    const ms = end - daysBack * 86_400_000 - random.int(1, 86_400_000);
    return {
      answer_id: `a-${random.int(0, 9)}${i}`,
      module_id: random.pick(modules),
      word: random.pick(words),
      correct: random.chance(0.7),
      answered_at: new Date(
        random.chance(0.1) ? Math.floor(ms / 60_000) * 60_000 : ms,
      ).toISOString(),
    };
  });
};

/** Splits answers into batches in a shuffled (recorded) order. */
const batchesOf = (random: Random, answers: readonly ProgressAnswer[]) => {
  const shuffled = [...answers];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j] as ProgressAnswer, shuffled[i] as ProgressAnswer];
  }
  const batches: ProgressAnswer[][] = [];
  for (let start = 0; start < shuffled.length; ) {
    const size = random.int(1, 25);
    batches.push(shuffled.slice(start, start + size));
    start += size;
  }
  return batches;
};

describe('the fold', () => {
  it('gives every field of the hand-computed example, answers in any order', () => {
    const target = fold([[...ANSWERS].reverse()], TIME_ZONE, [TODAY]);
    expect(figuresOf(target, MODULE_WORDS, TODAY)).toEqual(EXPECTED);
  });

  it.each([
    ['Asia/Shanghai', '2026-11-24'],
    ['America/New_York', '2026-03-09'],
    ['Europe/Paris', '2026-10-26'],
  ])(
    'equals a recomputation from all the answers (%s, %s), late answers included',
    (zone, today) => {
      for (let seed = 1; seed <= 60; seed += 1) {
        const random = seeded(seed).fork(zone);
        const answers = history(random, zone, today);
        const moduleWords = new Map<string, readonly string[]>([
          ['m-1', ['apple', 'pear', 'fig']],
          ['m-2', ['kiwi', 'apple', 'plum', 'lime']],
          ['m-3', []],
        ]);
        // Folds on days up to today; figures then read on today and on later days.
        const batches = batchesOf(random, answers);
        const foldDays = batches.map((_, i) => addDays(today, -(batches.length - 1 - i) % 3));
        const target = fold(batches, zone, foldDays.sort());
        for (const day of [today, addDays(today, 1), addDays(today, 6), addDays(today, 45)]) {
          expect(figuresOf(target, moduleWords, day), `seed ${seed}, ${day}`).toEqual(
            studentFigures({
              studentId: STUDENT,
              answers,
              moduleWords,
              today: day,
              timeZone: zone,
              model,
            }),
          );
        }
        // An edited word list: the same state gives the figures of the new list.
        const edited = new Map([...moduleWords, ['m-1', ['fig', 'date']]]);
        expect(figuresOf(target, edited, today)).toEqual(
          studentFigures({
            studentId: STUDENT,
            answers,
            moduleWords: edited,
            today,
            timeZone: zone,
            model,
          }),
        );
      }
    },
  );

  it('holds a size bounded by words and active days, not by the answers', () => {
    const random = seeded(5);
    const answers = Array.from({ length: 20_000 }, (_, i) => ({
      answer_id: `a-${i}`,
      module_id: `m-${i % 4}`,
      word: `w-${i % 30}`,
      correct: random.chance(0.8),
      answered_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    }));
    const target = fold([answers], 'UTC', ['2028-04-30']);
    expect(target.words.size).toBe(30);
    expect(
      [...target.modules.values()].reduce((n, words) => n + words.size, 0),
    ).toBeLessThanOrEqual(120);
    expect(target.root.days.size).toBeLessThanOrEqual(37);
    expect(target.root.runs).toHaveLength(1);
    expect(target.root.attempts).toBe(20_000);
  });
});

describe('recent attempts', () => {
  it('keeps the three most recent in attempt order, a late one placed by its time', () => {
    const at = (day: number, id = 'a') => ({ at: `2026-11-0${day}T00:00:00.000Z`, id, ok: true });
    const recent = [at(2), at(4), at(6)].reduce(withAttempt, []);
    expect(withAttempt(recent, at(1))).toEqual([at(2), at(4), at(6)]);
    expect(withAttempt(recent, at(5))).toEqual([at(4), at(5), at(6)]);
    // The same instant: the answer id decides.
    expect(withAttempt(recent, at(6, '0'))).toEqual([at(4), at(6, '0'), at(6)]);
  });
});

describe('active-day runs', () => {
  it('joins runs when a late day fills the gap, and reads the streak off them', () => {
    let runs = ['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-06'].reduce(withActiveDay, []);
    expect(runs).toEqual([
      ['2026-11-01', '2026-11-02'],
      ['2026-11-04', '2026-11-04'],
      ['2026-11-06', '2026-11-06'],
    ]);
    runs = withActiveDay(runs, '2026-11-03');
    expect(runs).toEqual([
      ['2026-11-01', '2026-11-04'],
      ['2026-11-06', '2026-11-06'],
    ]);
    expect(streakOfRuns(runs, '2026-11-05')).toBe(4);
    expect(streakOfRuns(runs, '2026-11-06')).toBe(1);
    expect(streakOfRuns(runs, '2026-11-08')).toBe(0);
    expect(streakOfRuns(withActiveDay(runs, '2026-11-05'), '2026-11-07')).toBe(6);
    expect(localDate('2026-11-05T00:00:00.000Z', 'UTC')).toBe('2026-11-05');
  });
});
