/**
 * One student's answers and the figures computed BY HAND from them (not by the code under
 * test), in Asia/Shanghai (UTC+8, no daylight saving) on 2026-11-24.
 *
 * What it exercises: local midnight on both sides (a-03 / a-04), two answers in the same
 * millisecond (a-05 / a-06), a word answered in two modules (apple: mastered across modules,
 * in neither module alone), a word outside its module's list (kiwi), a missing module
 * (m-3), the first day of the 30-day window (a-11) and the day before it (a-12).
 */
import type { ProgressAnswer, StudentFigures } from '../../../src/domain/progress/figures.ts';

export const TIME_ZONE = 'Asia/Shanghai';
export const TODAY = '2026-11-24';
export const STUDENT = 's-1';

export const MODULE_WORDS = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'banana', 'cherry']],
  ['m-2', ['apple', 'dog']],
  // m-3 has answers but no module record.
]);

const a = (
  answer_id: string,
  module_id: string,
  word: string,
  correct: boolean,
  answered_at: string,
): ProgressAnswer => ({ answer_id, module_id, word, correct, answered_at });

export const ANSWERS: readonly ProgressAnswer[] = [
  a('a-01', 'm-1', 'apple', true, '2026-11-20T02:00:00.000Z'), //   11-20 10:00
  a('a-02', 'm-1', 'banana', false, '2026-11-20T02:01:00.000Z'), // 11-20 10:01
  a('a-03', 'm-1', 'apple', true, '2026-11-22T15:59:59.999Z'), //   11-22 23:59:59.999
  a('a-04', 'm-2', 'apple', true, '2026-11-22T16:00:00.000Z'), //   11-23 00:00
  a('a-05', 'm-1', 'banana', true, '2026-11-23T01:00:00.000Z'), //  11-23 09:00
  a('a-06', 'm-1', 'banana', true, '2026-11-23T01:00:00.000Z'), //  same instant
  a('a-07', 'm-1', 'banana', true, '2026-11-24T03:00:00.000Z'), //  11-24 11:00
  a('a-08', 'm-2', 'dog', false, '2026-11-24T03:01:00.000Z'), //    11-24
  a('a-09', 'm-1', 'kiwi', true, '2026-11-24T03:02:00.000Z'), //    11-24, not in m-1's list
  a('a-10', 'm-3', 'cat', true, '2026-10-20T01:00:00.000Z'), //     10-20: before the window
  a('a-11', 'm-3', 'cat', false, '2026-10-26T01:00:00.000Z'), //    10-26: first day of the window
  a('a-12', 'm-3', 'cat', true, '2026-10-25T15:59:59.000Z'), //     10-25 23:59:59: day before it
];

/**
 * - attempts 12, correct 9 (a-02, a-08, a-11 wrong)
 * - words: apple T,T,T (mastered); banana F,T,T,T (mastered); dog F; kiwi T; cat in time
 *   order a-10 T, a-12 T, a-11 F (not mastered): 5 practised, 2 mastered
 * - active days 11-24, 11-23, 11-22 then a gap on 11-21: streak 3
 * - m-1 counts a-01, a-02, a-03, a-05, a-06, a-07 (kiwi left out): apple 2 attempts (not
 *   mastered here), banana F,T,T,T (mastered)
 * - reviews (each day's first attempt): apple 11-20 T, 11-22 T, 11-23 T; banana 11-20 F,
 *   11-23 T (a-05, before a-06 by id), 11-24 T; dog 11-24 F; kiwi 11-24 T; cat 10-20 T,
 *   10-25 T, 10-26 F. ts-fsrs at 0.9 with these defaults sends a first Good 3 days on and
 *   a first Again 1 day on, so kiwi is due 11-27 and dog 11-25; cat's lapse on 10-26 made
 *   it due 10-28, long past: on 11-24 only cat is due (in m-3, which has no record), and
 *   dog is the next (apple falls due 12-05, banana 11-29).
 */
export const EXPECTED: StudentFigures = {
  student_id: STUDENT,
  attempts: 12,
  correct: 9,
  accuracy: 0.75,
  words_practised: 5,
  words_mastered: 2,
  last_active_at: '2026-11-24T03:02:00.000Z',
  streak_days: 3,
  daily: {
    '2026-10-26': { attempts: 1, correct: 0 },
    '2026-11-20': { attempts: 2, correct: 1 },
    '2026-11-22': { attempts: 1, correct: 1 },
    '2026-11-23': { attempts: 3, correct: 3 },
    '2026-11-24': { attempts: 3, correct: 2 },
  },
  modules: {
    'm-1': {
      attempts: 6,
      correct: 5,
      accuracy: 5 / 6,
      words_practised: 2,
      words_mastered: 1,
      words_total: 3,
      words_due: 0,
    },
    'm-2': {
      attempts: 2,
      correct: 1,
      accuracy: 0.5,
      words_practised: 2,
      words_mastered: 0,
      words_total: 2,
      words_due: 0,
    },
    'm-3': {
      attempts: 3,
      correct: 2,
      accuracy: 2 / 3,
      words_practised: 1,
      words_mastered: 0,
      words_total: null,
      words_due: 1,
    },
  },
  words_due: 1,
  due_words: ['cat'],
  practised_words: ['apple', 'banana', 'cat', 'dog', 'kiwi'],
  next_due_day: '2026-11-25',
};

/** The child figures of this student in a parent's summary on 2026-11-24 (7d: 11-18..11-24). */
export const EXPECTED_CHILD = {
  attempts_7d: 9,
  correct_7d: 7,
  accuracy_7d: 7 / 9,
  words_mastered: 2,
  streak_days: 3,
  last_active_at: '2026-11-24T03:02:00.000Z',
} as const;
