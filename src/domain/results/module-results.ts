/**
 * The figures of `module_results` (DESIGN section 4), computed from what the service read:
 * pure, so the hand-computed examples of the tests check the arithmetic directly.
 */
import { accuracy } from '../accuracy.ts';
import { type Orderable, orderAttempts } from '../attempts.ts';
import { isMastered } from '../mastery.ts';
import { median } from '../median.ts';
import { compareByNameThenId } from '../ordering.ts';
import { type InstantRange, isWithin } from '../time-zone.ts';
import { RESULT_THRESHOLDS } from './thresholds.ts';

export interface ResultStudent {
  readonly id: string;
  /** Null for a student whose stored record has no readable name: still a student of the class. */
  readonly name: string | null;
}

/** One stored answer of the module, as far as the results need it. */
export interface ResultAnswer extends Orderable {
  readonly student_id: string;
  readonly word: string;
  readonly correct: boolean;
  readonly duration_ms?: number | undefined;
}

export interface ModuleResultsInput {
  readonly classCode: string;
  /** The class's `name`; null when its record has none that can be read. */
  readonly className: string | null;
  readonly module: {
    readonly id: string;
    /** The module's `title`; null when its record has none that can be read. */
    readonly title: string | null;
    readonly words: readonly string[];
  };
  /** The class's current students, in any order. */
  readonly students: readonly ResultStudent[];
  /** Answers of this module (any student; others than `students` are ignored). */
  readonly answers: readonly ResultAnswer[];
  /** Only answers whose `answered_at` lies in this range count; open ends count all. */
  readonly range: InstantRange;
  readonly generatedAt: Date;
}

export interface Figures {
  readonly attempts: number;
  readonly correct: number;
  readonly accuracy: number | null;
}

export interface OverallResult extends Figures {
  readonly students_total: number;
  readonly students_attempted: number;
}

export interface WordResult extends Figures {
  readonly word: string;
  readonly students_attempted: number;
  /** Accuracy of each student's first counted attempt at the word; null if none. */
  readonly first_try_accuracy: number | null;
  /** Median `duration_ms` of the counted attempts that have one; null if none has. */
  readonly median_duration_ms: number | null;
}

export interface StudentResult extends Figures {
  readonly id: string;
  readonly name: string | null;
  readonly words_attempted: number;
  readonly words_mastered: number;
}

export interface CellResult {
  readonly student_id: string;
  readonly word: string;
  readonly attempts: number;
  readonly correct: number;
}

/** The reply of `GET /classes/{class_code}/modules/{module_id}/results`. */
export interface ModuleResults {
  readonly class_code: string;
  readonly class_name: string | null;
  readonly module_id: string;
  readonly module_title: string | null;
  readonly generated_at: string;
  readonly overall: OverallResult;
  readonly words: readonly WordResult[];
  readonly students: readonly StudentResult[];
  readonly cells: readonly CellResult[];
  readonly needs_review: readonly string[];
  readonly needs_help: readonly string[];
}

interface Tally {
  attempts: number;
  correct: number;
}

interface WordTally extends Tally {
  students: number;
  /** Students whose first counted attempt was correct. */
  firstTriesCorrect: number;
  durations: number[];
}

const emptyWordTally = (): WordTally => ({
  attempts: 0,
  correct: 0,
  students: 0,
  firstTriesCorrect: 0,
  durations: [],
});

const isFlagged = (tally: Tally, minAttempts: number): boolean =>
  tally.attempts >= minAttempts && tally.correct / tally.attempts < RESULT_THRESHOLDS.accuracyBelow;

const figures = (tally: Tally): Figures => ({
  attempts: tally.attempts,
  correct: tally.correct,
  accuracy: accuracy(tally.correct, tally.attempts),
});

/** Keeps the first of each key, in order (a module listing a word twice counts it once). */
const uniqueBy = <T>(items: readonly T[], key: (item: T) => string): T[] => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/**
 * Accuracy over words and over students of one module in one class.
 *
 * Counted answers are those of the class's students, to words in the module's list, within
 * the range. Words keep the module's order; students are sorted by name then id; a cell
 * exists only for a (student, word) pair with attempts, in students order then word order.
 *
 * @example
 * ```ts
 * const results = computeModuleResults({
 *   classCode: 'c-001',
 *   className: '3B',
 *   module: { id: 'm-01', title: 'Fruit', words: ['apple', 'pear'] },
 *   students: [{ id: 's-1', name: 'Ann' }],
 *   answers: [{ student_id: 's-1', answer_id: 'a1', word: 'apple', correct: true,
 *               answered_at: '2026-03-01T01:00:00.000Z' }],
 *   range: { start: undefined, end: undefined },
 *   generatedAt: new Date(),
 * });
 * results.words[0]; // { word: 'apple', attempts: 1, correct: 1, accuracy: 1, ... }
 * ```
 */
export const computeModuleResults = (input: ModuleResultsInput): ModuleResults => {
  const words = uniqueBy(input.module.words, (word) => word);
  const wordSet = new Set(words);
  // A student without a readable name sorts as if named '' (first), then by id.
  const students = uniqueBy(input.students, (student) => student.id).sort((a, b) =>
    compareByNameThenId({ id: a.id, name: a.name ?? '' }, { id: b.id, name: b.name ?? '' }),
  );
  const studentIds = new Set(students.map((student) => student.id));

  // student id → word → that student's counted attempts at the word
  const byStudent = new Map<string, Map<string, ResultAnswer[]>>();
  for (const answer of input.answers) {
    if (!studentIds.has(answer.student_id) || !wordSet.has(answer.word)) continue;
    if (!isWithin(answer.answered_at, input.range)) continue;
    let byWord = byStudent.get(answer.student_id);
    if (byWord === undefined) {
      byWord = new Map();
      byStudent.set(answer.student_id, byWord);
    }
    const attempts = byWord.get(answer.word);
    if (attempts === undefined) byWord.set(answer.word, [answer]);
    else attempts.push(answer);
  }

  const wordTallies = new Map(words.map((word) => [word, emptyWordTally()]));
  const overall: Tally = { attempts: 0, correct: 0 };
  const studentResults: StudentResult[] = [];
  const cells: CellResult[] = [];
  const needsHelp: string[] = [];
  let studentsAttempted = 0;

  for (const student of students) {
    const byWord = byStudent.get(student.id);
    const tally: Tally = { attempts: 0, correct: 0 };
    let wordsAttempted = 0;
    let wordsMastered = 0;
    for (const word of words) {
      const attempts = byWord?.get(word);
      const wordTally = wordTallies.get(word);
      if (attempts === undefined || wordTally === undefined) continue;
      const ordered = orderAttempts(attempts);
      const correct = ordered.filter((attempt) => attempt.correct).length;
      cells.push({ student_id: student.id, word, attempts: ordered.length, correct });
      tally.attempts += ordered.length;
      tally.correct += correct;
      wordsAttempted += 1;
      if (isMastered(ordered)) wordsMastered += 1;
      wordTally.attempts += ordered.length;
      wordTally.correct += correct;
      wordTally.students += 1;
      if (ordered[0]?.correct === true) wordTally.firstTriesCorrect += 1;
      for (const attempt of ordered) {
        if (attempt.duration_ms !== undefined) wordTally.durations.push(attempt.duration_ms);
      }
    }
    studentResults.push({
      id: student.id,
      name: student.name,
      ...figures(tally),
      words_attempted: wordsAttempted,
      words_mastered: wordsMastered,
    });
    overall.attempts += tally.attempts;
    overall.correct += tally.correct;
    if (tally.attempts > 0) studentsAttempted += 1;
    if (isFlagged(tally, RESULT_THRESHOLDS.studentMinAttempts)) needsHelp.push(student.id);
  }

  const wordResults: WordResult[] = [];
  const needsReview: string[] = [];
  for (const word of words) {
    const tally = wordTallies.get(word) ?? emptyWordTally();
    wordResults.push({
      word,
      ...figures(tally),
      students_attempted: tally.students,
      first_try_accuracy: accuracy(tally.firstTriesCorrect, tally.students),
      median_duration_ms: median(tally.durations),
    });
    if (isFlagged(tally, RESULT_THRESHOLDS.wordMinAttempts)) needsReview.push(word);
  }

  return {
    class_code: input.classCode,
    class_name: input.className,
    module_id: input.module.id,
    module_title: input.module.title,
    generated_at: input.generatedAt.toISOString(),
    overall: {
      ...figures(overall),
      students_total: students.length,
      students_attempted: studentsAttempted,
    },
    words: wordResults,
    students: studentResults,
    cells,
    needs_review: needsReview,
    needs_help: needsHelp,
  };
};
