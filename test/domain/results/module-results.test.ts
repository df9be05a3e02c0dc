import { describe, expect, it } from 'vitest';
import {
  computeModuleResults,
  type ResultAnswer,
} from '../../../src/domain/results/module-results.ts';
import { RESULT_THRESHOLDS } from '../../../src/domain/results/thresholds.ts';

const open = { start: undefined, end: undefined };
const generatedAt = new Date('2026-03-05T00:00:00.000Z');

let counter = 0;
/** `n` answers of a student to a word, the first `correct` of them right, an hour apart. */
const answers = (studentId: string, word: string, n: number, correct: number): ResultAnswer[] =>
  Array.from({ length: n }, (_, i) => {
    counter += 1;
    return {
      student_id: studentId,
      answer_id: `x${String(counter).padStart(5, '0')}`,
      word,
      correct: i < correct,
      answered_at: new Date(Date.UTC(2026, 2, 1, i)).toISOString(),
    };
  });

const compute = (words: string[], students: { id: string; name: string }[], list: ResultAnswer[]) =>
  computeModuleResults({
    classCode: 'c-1',
    className: '3B',
    module: { id: 'm-1', title: 'Fruit', words },
    students,
    answers: list,
    range: open,
    generatedAt,
  });

describe('computeModuleResults', () => {
  it('has one place for its thresholds', () => {
    expect(RESULT_THRESHOLDS).toEqual({
      accuracyBelow: 0.6,
      wordMinAttempts: 5,
      studentMinAttempts: 10,
    });
  });

  it('flags words below 0.6 over at least 5 attempts, strictly below, in module order', () => {
    const students = [{ id: 's-1', name: 'A' }];
    const result = compute(['exactly', 'few', 'flagged', 'fine'], students, [
      ...answers('s-1', 'flagged', 5, 2), // 0.4 over 5: flagged
      ...answers('s-1', 'few', 4, 0), // 0 over 4: too few attempts
      ...answers('s-1', 'exactly', 5, 3), // exactly 0.6: not below
      ...answers('s-1', 'fine', 1, 1),
    ]);
    expect(result.needs_review).toEqual(['flagged']);
  });

  it('flags students below 0.6 over at least 10 attempts, in students order', () => {
    const students = [
      { id: 's-4', name: 'D' },
      { id: 's-3', name: 'C' },
      { id: 's-2', name: 'B' },
      { id: 's-1', name: 'A' },
    ];
    const result = compute(['w'], students, [
      ...answers('s-4', 'w', 10, 5), // 0.5 over 10: flagged
      ...answers('s-1', 'w', 12, 0), // flagged
      ...answers('s-2', 'w', 9, 0), // too few attempts
      ...answers('s-3', 'w', 10, 6), // exactly 0.6
    ]);
    expect(result.needs_help).toEqual(['s-1', 's-4']);
  });

  it('counts a word listed twice once, and ignores other words and other students', () => {
    const result = compute(
      ['apple', 'pear', 'apple'],
      [{ id: 's-1', name: 'A' }],
      [
        ...answers('s-1', 'apple', 2, 1),
        ...answers('s-1', 'fig', 3, 3),
        ...answers('s-9', 'apple', 3, 3),
      ],
    );
    expect(result.words.map((w) => [w.word, w.attempts, w.correct])).toEqual([
      ['apple', 2, 1],
      ['pear', 0, 0],
    ]);
    expect(result.overall).toEqual({
      attempts: 2,
      correct: 1,
      accuracy: 0.5,
      students_total: 1,
      students_attempted: 1,
    });
    expect(result.cells).toEqual([{ student_id: 's-1', word: 'apple', attempts: 2, correct: 1 }]);
  });

  it('takes first tries and mastery in attempt order, not input order', () => {
    const at = '2026-03-01T00:00:00.000Z';
    // Newest first; 'a' and 'b' share an instant, so answer_id puts 'a' first.
    const list: ResultAnswer[] = [
      {
        student_id: 's-1',
        answer_id: 'd',
        word: 'w',
        correct: true,
        answered_at: '2026-03-02T00:00:00Z',
      },
      {
        student_id: 's-1',
        answer_id: 'c',
        word: 'w',
        correct: true,
        answered_at: '2026-03-01T12:00:00Z',
      },
      { student_id: 's-1', answer_id: 'b', word: 'w', correct: true, answered_at: at },
      { student_id: 's-1', answer_id: 'a', word: 'w', correct: false, answered_at: at },
    ];
    const result = compute(['w'], [{ id: 's-1', name: 'A' }], list);
    // In order a ✗, b ✓, c ✓, d ✓: the first try was wrong, the latest three right.
    expect(result.words[0]?.first_try_accuracy).toBe(0);
    expect(result.students[0]?.words_mastered).toBe(1);
    const withoutLatest = compute(['w'], [{ id: 's-1', name: 'A' }], list.slice(1));
    expect(withoutLatest.students[0]?.words_mastered).toBe(0); // a ✗, b ✓, c ✓
  });

  it('reports an empty class and a module without answers with null accuracies', () => {
    expect(compute(['w'], [], [])).toEqual({
      class_code: 'c-1',
      class_name: '3B',
      module_id: 'm-1',
      module_title: 'Fruit',
      generated_at: '2026-03-05T00:00:00.000Z',
      overall: {
        attempts: 0,
        correct: 0,
        accuracy: null,
        students_total: 0,
        students_attempted: 0,
      },
      words: [
        {
          word: 'w',
          attempts: 0,
          correct: 0,
          accuracy: null,
          students_attempted: 0,
          first_try_accuracy: null,
          median_duration_ms: null,
        },
      ],
      students: [],
      cells: [],
      needs_review: [],
      needs_help: [],
    });
  });
});
