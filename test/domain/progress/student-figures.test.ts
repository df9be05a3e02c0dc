import { describe, expect, it } from 'vitest';
import { studentFigures } from '../../../src/domain/progress/student-figures.ts';
import { createFsrsModel } from '../../../src/services/review/memory-model.ts';
import { ANSWERS, EXPECTED, MODULE_WORDS, STUDENT, TIME_ZONE, TODAY } from './hand-example.ts';

const model = createFsrsModel(0.9);

const figures = (overrides: Partial<Parameters<typeof studentFigures>[0]> = {}) =>
  studentFigures({
    studentId: STUDENT,
    answers: ANSWERS,
    moduleWords: MODULE_WORDS,
    today: TODAY,
    timeZone: TIME_ZONE,
    model,
    ...overrides,
  });

const answer = (id: string, word: string, correct: boolean, at: string, module = 'm-1') => ({
  answer_id: id,
  module_id: module,
  word,
  correct,
  answered_at: at,
});

describe('studentFigures', () => {
  it('gives every field of the hand-computed example', () => {
    expect(figures()).toEqual(EXPECTED);
  });

  it('does not depend on the order the answers are read in', () => {
    expect(figures({ answers: [...ANSWERS].reverse() })).toEqual(EXPECTED);
  });

  it('gives zeros and nulls without answers', () => {
    expect(figures({ answers: [] })).toEqual({
      student_id: STUDENT,
      attempts: 0,
      correct: 0,
      accuracy: null,
      words_practised: 0,
      words_mastered: 0,
      last_active_at: null,
      streak_days: 0,
      daily: {},
      modules: {},
      words_due: 0,
      due_words: [],
      practised_words: [],
      next_due_day: null,
    });
  });

  it('breaks a tie in answered_at by answer_id for "most recent"', () => {
    const at = '2026-11-24T03:00:00.000Z';
    // Stored in the opposite order to the tie-break: a-5 first, then a-4, same instant.
    const tie = (a4: boolean, a5: boolean) => [
      answer('a-5', 'apple', a5, at),
      answer('a-4', 'apple', a4, at),
      answer('a-6', 'apple', true, '2026-11-24T04:00:00.000Z'),
      answer('a-7', 'apple', true, '2026-11-24T05:00:00.000Z'),
    ];
    // In order a-4, a-5, a-6, a-7: the last three are a-5, a-6, a-7.
    expect(figures({ answers: tie(false, true) }).words_mastered).toBe(1);
    expect(figures({ answers: tie(true, false) }).words_mastered).toBe(0);
  });

  it('masters a word across modules at the top level, per module only from its own attempts', () => {
    const answers = [
      answer('a-1', 'apple', true, '2026-11-24T01:00:00.000Z', 'm-1'),
      answer('a-2', 'apple', true, '2026-11-24T02:00:00.000Z', 'm-2'),
      answer('a-3', 'apple', true, '2026-11-24T03:00:00.000Z', 'm-1'),
    ];
    const result = figures({ answers });
    expect(result.words_mastered).toBe(1);
    expect(result.modules['m-1']?.words_mastered).toBe(0);
    expect(result.modules['m-2']?.words_mastered).toBe(0);
    // The most recent attempt is wrong in another module: not mastered at the top level.
    const lastWrong = [
      ...answers,
      answer('a-4', 'apple', false, '2026-11-24T04:00:00.000Z', 'm-2'),
    ];
    expect(figures({ answers: lastWrong }).words_mastered).toBe(0);
  });

  it('keeps a module entry with zero attempts when all its answers are to words no longer listed', () => {
    const answers = [answer('a-1', 'plum', true, '2026-11-24T01:00:00.000Z', 'm-2')];
    expect(figures({ answers }).modules).toEqual({
      'm-2': {
        attempts: 0,
        correct: 0,
        accuracy: null,
        words_practised: 0,
        words_mastered: 0,
        words_total: 2,
        words_due: 0,
      },
    });
    expect(figures({ answers }).attempts).toBe(1);
  });

  it('counts streaks ending today, ending yesterday, and broken ones', () => {
    const on = (day: string, id: string) => answer(id, 'apple', true, `${day}T04:00:00.000Z`);
    const three = [on('2026-11-22', 'a-1'), on('2026-11-23', 'a-2'), on('2026-11-24', 'a-3')];
    expect(figures({ answers: three }).streak_days).toBe(3);
    expect(figures({ answers: three.slice(0, 2) }).streak_days).toBe(2); // ends yesterday
    expect(figures({ answers: three.slice(0, 1) }).streak_days).toBe(0); // ended two days ago
    expect(
      figures({ answers: [on('2026-11-22', 'a-1'), on('2026-11-24', 'a-3')] }).streak_days,
    ).toBe(1);
    // An answer dated after the day of the run does not count towards the streak.
    expect(figures({ answers: [on('2026-11-25', 'a-9')] }).streak_days).toBe(0);
  });

  it('keeps the 30 days ending today in daily, switching at Shanghai midnight', () => {
    const answers = [
      answer('a-1', 'apple', true, '2026-10-25T15:59:59.999Z'), // 10-25, the 31st day back
      answer('a-2', 'apple', true, '2026-10-25T16:00:00.000Z'), // 10-26, the 30th
      answer('a-3', 'apple', false, '2026-11-24T15:59:59.999Z'), // 11-24, today
      answer('a-4', 'apple', true, '2026-11-24T16:00:00.000Z'), // 11-25, tomorrow
    ];
    const result = figures({ answers });
    expect(result.daily).toEqual({
      '2026-10-26': { attempts: 1, correct: 1 },
      '2026-11-24': { attempts: 1, correct: 0 },
    });
    expect(result.attempts).toBe(4);
    expect(result.last_active_at).toBe('2026-11-24T16:00:00.000Z');
  });
});

describe('studentFigures in a zone with daylight saving time', () => {
  // America/New_York leaves daylight saving time on 2026-11-01 at 02:00 (UTC-4 → UTC-5):
  // that day starts at 04:00Z and ends at 05:00Z the next day (25 hours).
  const ny = (answers: ReturnType<typeof answer>[], today: string) =>
    studentFigures({
      studentId: 's-1',
      answers,
      moduleWords: new Map(),
      today,
      timeZone: 'America/New_York',
      model,
    });
  const answers = [
    answer('x-1', 'apple', true, '2026-10-31T12:00:00.000Z'), // 10-31 08:00 EDT
    answer('x-2', 'apple', true, '2026-11-01T03:59:59.999Z'), // 10-31 23:59:59.999 EDT
    answer('x-3', 'apple', false, '2026-11-01T04:00:00.000Z'), // 11-01 00:00 EDT
    answer('x-4', 'apple', true, '2026-11-02T04:59:59.999Z'), // 11-01 23:59:59.999 EST
    answer('x-5', 'apple', true, '2026-11-02T05:00:00.000Z'), // 11-02 00:00 EST
  ];

  it('puts answers on the local day across the change (a fixed offset would not)', () => {
    const result = ny(answers, '2026-11-02');
    expect(result.daily).toEqual({
      '2026-10-31': { attempts: 2, correct: 2 },
      '2026-11-01': { attempts: 2, correct: 1 },
      '2026-11-02': { attempts: 1, correct: 1 },
    });
    expect(result.streak_days).toBe(3);
  });

  it('drops a day from daily exactly 30 local days later', () => {
    expect(Object.keys(ny(answers, '2026-11-29').daily)).toEqual([
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    expect(Object.keys(ny(answers, '2026-11-30').daily).sort()).toEqual([
      '2026-11-01',
      '2026-11-02',
    ]);
  });

  it('spring forward (2026-03-08, a 23-hour day) in the same way', () => {
    const spring = [
      answer('y-1', 'apple', true, '2026-03-08T04:59:59.999Z'), // 03-07 23:59:59.999 EST
      answer('y-2', 'apple', true, '2026-03-08T05:00:00.000Z'), // 03-08 00:00 EST
      answer('y-3', 'apple', true, '2026-03-09T03:59:59.999Z'), // 03-08 23:59:59.999 EDT
      answer('y-4', 'apple', true, '2026-03-09T04:00:00.000Z'), // 03-09 00:00 EDT
    ];
    expect(ny(spring, '2026-03-09').daily).toEqual({
      '2026-03-07': { attempts: 1, correct: 1 },
      '2026-03-08': { attempts: 2, correct: 2 },
      '2026-03-09': { attempts: 1, correct: 1 },
    });
  });
});
