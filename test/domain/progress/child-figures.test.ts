import { describe, expect, it } from 'vitest';
import { childFigures, NO_FIGURES } from '../../../src/domain/progress/child-figures.ts';
import { parentChildren } from '../../../src/domain/progress/parent-children.ts';
import { studentFigures } from '../../../src/domain/progress/student-figures.ts';
import { addDays } from '../../../src/domain/time-zone.ts';
import { createFsrsModel } from '../../../src/services/review/memory-model.ts';
import {
  ANSWERS,
  EXPECTED,
  EXPECTED_CHILD,
  MODULE_WORDS,
  STUDENT,
  TIME_ZONE,
  TODAY,
} from './hand-example.ts';

const model = createFsrsModel(0.9);

const at = (today: string) =>
  studentFigures({
    studentId: STUDENT,
    answers: ANSWERS,
    moduleWords: MODULE_WORDS,
    today,
    timeZone: TIME_ZONE,
    model,
  });

describe('childFigures', () => {
  it('gives the hand-computed 7-day figures, mastery, streak and last activity', () => {
    expect(childFigures(EXPECTED, TODAY, TIME_ZONE)).toEqual(EXPECTED_CHILD);
  });

  it('gives zeros and nulls for a child without progress', () => {
    expect(childFigures(undefined, TODAY, TIME_ZONE)).toEqual(NO_FIGURES);
    expect(NO_FIGURES).toEqual({
      attempts_7d: 0,
      correct_7d: 0,
      accuracy_7d: null,
      words_mastered: 0,
      streak_days: 0,
      last_active_at: null,
    });
  });

  it('equals a recomputation on later days from progress computed earlier (no new answers)', () => {
    // The progress of 11-24, read by a parents run 1..8 days later, must give what the
    // progress of that later day gives: the window moves and the streak breaks by the date.
    for (let later = 0; later <= 8; later++) {
      const day = addDays(TODAY, later);
      expect(childFigures(at(TODAY), day, TIME_ZONE), day).toEqual(
        childFigures(at(day), day, TIME_ZONE),
      );
    }
    expect(childFigures(at(TODAY), '2026-11-25', TIME_ZONE).streak_days).toBe(3);
    expect(childFigures(at(TODAY), '2026-11-26', TIME_ZONE).streak_days).toBe(0);
    expect(childFigures(at(TODAY), '2026-11-27', TIME_ZONE)).toMatchObject({
      attempts_7d: 7, // 11-21..11-27: 11-22, 11-23, 11-24
      correct_7d: 6,
    });
  });

  it('starts the 7-day window at local midnight in a zone with daylight saving time', () => {
    const progress = studentFigures({
      studentId: 's-1',
      answers: [
        // 10-31 23:59:59.999 EDT and 11-01 00:00 EDT (the day of the change)
        {
          answer_id: 'x-1',
          module_id: 'm',
          word: 'a',
          correct: true,
          answered_at: '2026-11-01T03:59:59.999Z',
        },
        {
          answer_id: 'x-2',
          module_id: 'm',
          word: 'a',
          correct: true,
          answered_at: '2026-11-01T04:00:00.000Z',
        },
      ],
      moduleWords: new Map(),
      today: '2026-11-07',
      timeZone: 'America/New_York',
      model,
    });
    // 7 days ending 11-07: 11-01..11-07.
    expect(childFigures(progress, '2026-11-07', 'America/New_York').attempts_7d).toBe(1);
    expect(childFigures(progress, '2026-11-06', 'America/New_York').attempts_7d).toBe(2);
  });
});

describe('parentChildren', () => {
  const students = new Map([
    ['s-3', { id: 's-3', name: 'anna', class_code: 'c-1' }],
    ['s-2', { id: 's-2', name: 'Zoe', class_code: 'c-2' }],
    ['s-1', { id: 's-1', name: 'Zoe' }],
  ]);

  it('lists existing children sorted by name (code units) then id, and reports missing ones', () => {
    const { children, missing } = parentChildren({
      studentIds: ['s-3', 's-9', 's-2', 's-1', 's-2'],
      students,
      progress: new Map([['s-1', EXPECTED]]),
      today: TODAY,
      timeZone: TIME_ZONE,
    });
    expect(missing).toEqual(['s-9']);
    expect(children).toEqual([
      { student_id: 's-1', name: 'Zoe', class_code: null, ...EXPECTED_CHILD },
      { student_id: 's-2', name: 'Zoe', class_code: 'c-2', ...NO_FIGURES },
      { student_id: 's-3', name: 'anna', class_code: 'c-1', ...NO_FIGURES },
    ]);
  });
});
