/**
 * Students × words of a module: colour = accuracy, the number = attempts, dashed = none; or
 * colour = recall now, the number = recall in %, from the students' reviews.
 */
import * as Plot from '@observablehq/plot';
import { percent } from '../dom.ts';
import type { ModuleResults } from '../schemas.ts';
import type { Chart } from './fit.ts';
import { ACCURACY_LABEL, ACCURACY_SCHEME, EMPTY_FILL, EMPTY_STROKE, textOn } from './scales.ts';

export const NEEDS_REVIEW = '⚠';
export const NEEDS_HELP = '⚑';

export interface HeatCell {
  readonly student_id: string;
  readonly word: string;
  readonly attempts: number;
  readonly correct: number;
  readonly accuracy: number | null;
  readonly title: string;
}

interface Named {
  readonly id: string;
  readonly name: string | null;
}

/**
 * Names students as a teacher knows them: the name alone, its id added only where the name
 * does not tell the student apart ("Li Liu (s-000123)" when two share it) or is missing.
 */
export const studentNamer = (students: readonly Named[]): ((student: Named) => string) => {
  const counts = new Map<string, number>();
  for (const { name } of students) if (name !== null) counts.set(name, (counts.get(name) ?? 0) + 1);
  return (student) =>
    student.name === null
      ? `no name (${student.id})`
      : (counts.get(student.name) ?? 0) > 1
        ? `${student.name} (${student.id})`
        : student.name;
};

/** A student and word as one key: NUL is in no id or word, so no two pairs share a key. */
export const cellKey = (studentId: string, word: string): string => `${studentId}\u0000${word}`;

/** One cell per student and word, in the reply's orders, each labelled with its figures. */
export const heatCells = (results: ModuleResults): HeatCell[] => {
  const studentName = studentNamer(results.students);
  const byPair = new Map(results.cells.map((cell) => [cellKey(cell.student_id, cell.word), cell]));
  return results.students.flatMap((student) =>
    results.words.map(({ word }) => {
      const cell = byPair.get(cellKey(student.id, word));
      const attempts = cell?.attempts ?? 0;
      const correct = cell?.correct ?? 0;
      const accuracy = attempts === 0 ? null : correct / attempts;
      const figures =
        attempts === 0 ? 'no attempts' : `${correct} of ${attempts} correct (${percent(accuracy)})`;
      return {
        student_id: student.id,
        word,
        attempts,
        correct,
        accuracy,
        title: `${studentName(student)} · ${word}: ${figures}`,
      };
    }),
  );
};

/** A column's width: the narrowest that keeps a count legible, the widest still a cell. */
const BAND = { min: 40, max: 64 } as const;

/** The students × words grid both heatmaps draw on: its axes, marks and colour scale. */
const grid = (
  results: ModuleResults,
  width: number,
  colour: { readonly label: string; readonly tickFormat: string },
  marks: Plot.Markish[],
): Chart => {
  const review = new Set(results.needs_review);
  const help = new Set(results.needs_help);
  const studentName = studentNamer(results.students);
  const names = new Map(results.students.map((s) => [s.id, studentName(s)]));
  const longestName = Math.max(8, ...[...names.values()].map((name) => name.length));
  const marginLeft = Math.min(220, 16 + longestName * 7);
  const columns = (band: number) => marginLeft + results.words.length * band + 24;
  return Plot.plot({
    width: Math.min(Math.max(columns(BAND.min), width), columns(BAND.max)),
    height: 110 + results.students.length * 28,
    marginLeft,
    marginTop: 100,
    marginBottom: 8,
    padding: 0.06,
    x: {
      axis: 'top',
      domain: results.words.map((w) => w.word),
      tickRotate: -50,
      tickFormat: (word: string) => (review.has(word) ? `${NEEDS_REVIEW} ${word}` : word),
      label: null,
    },
    y: {
      domain: results.students.map((s) => s.id),
      tickFormat: (id: string) => `${help.has(id) ? `${NEEDS_HELP} ` : ''}${names.get(id) ?? id}`,
      label: null,
    },
    color: {
      type: 'linear',
      scheme: ACCURACY_SCHEME,
      domain: [0, 1],
      tickFormat: colour.tickFormat,
      legend: true,
      label: colour.label,
    },
    marks,
  });
};

/** Cells without a figure: light grey, dashed, never a colour of the scale. */
const emptyCells = <C extends { readonly word: string; readonly student_id: string }>(
  cells: readonly C[],
  className: string,
) =>
  Plot.cell(cells, {
    x: 'word',
    y: 'student_id',
    fill: EMPTY_FILL,
    stroke: EMPTY_STROKE,
    strokeDasharray: '3,2',
    inset: 1,
    title: 'title',
    className,
  });

export const heatmap = (results: ModuleResults, width: number): Chart => {
  const cells = heatCells(results);
  return grid(results, width, { label: ACCURACY_LABEL, tickFormat: '%' }, [
    emptyCells(
      cells.filter((c) => c.accuracy === null),
      'heatmap-empty-cells',
    ),
    Plot.cell(
      cells.filter((c) => c.accuracy !== null),
      {
        x: 'word',
        y: 'student_id',
        fill: 'accuracy',
        inset: 0.5,
        title: 'title',
        className: 'heatmap-cells',
      },
    ),
    Plot.text(
      cells.filter((c) => c.accuracy !== null),
      {
        x: 'word',
        y: 'student_id',
        text: (c: HeatCell) => String(c.attempts),
        fill: (c: HeatCell) => textOn(c.accuracy ?? 0),
        fontSize: 11,
        className: 'heatmap-counts',
        pointerEvents: 'none',
      },
    ),
  ]);
};

/** What the recall heatmap knows of a student and word. */
export type RecallState =
  /** A card in the student's review (due today or within a week): its recall now. */
  | {
      readonly kind: 'recall';
      readonly recall: number;
      readonly due: boolean;
      readonly dueDay: string;
    }
  /** Not in the student's cards: it never answered the word, in any module. */
  | { readonly kind: 'none' }
  /** The student's review could not be read (the API's message). */
  | { readonly kind: 'error'; readonly message: string };

export interface RecallCell {
  readonly student_id: string;
  readonly word: string;
  readonly state: RecallState;
  readonly recall: number | null;
  readonly title: string;
}

export const RECALL_LABEL = 'Recall now (chance of remembering, %)';

const recallText = (state: RecallState): string => {
  switch (state.kind) {
    case 'recall':
      return `recall ${percent(state.recall)}, due ${state.dueDay}${state.due ? ' (due today)' : ''}`;
    case 'none':
      return 'no card (never answered)';
    case 'error':
      return `review not available: ${state.message}`;
  }
};

/** One cell per student and word, in the module results' orders, from each student's review. */
export const recallCells = (
  results: ModuleResults,
  stateOf: (studentId: string, word: string, attempted: boolean) => RecallState,
): RecallCell[] => {
  const attempted = new Set(
    results.cells.filter((c) => c.attempts > 0).map((c) => cellKey(c.student_id, c.word)),
  );
  const studentName = studentNamer(results.students);
  return results.students.flatMap((student) =>
    results.words.map(({ word }) => {
      const state = stateOf(student.id, word, attempted.has(cellKey(student.id, word)));
      return {
        student_id: student.id,
        word,
        state,
        recall: state.kind === 'recall' ? state.recall : null,
        title: `${studentName(student)} · ${word}: ${recallText(state)}`,
      };
    }),
  );
};

/** Colour = recall now; "!" on a word due today; dashed grey = no card. */
export const recallHeatmap = (
  results: ModuleResults,
  cells: readonly RecallCell[],
  width: number,
): Chart => {
  const known = cells.filter((c) => c.recall !== null);
  return grid(results, width, { label: RECALL_LABEL, tickFormat: '%' }, [
    emptyCells(
      cells.filter((c) => c.state.kind === 'none' || c.state.kind === 'error'),
      'recall-empty-cells',
    ),
    Plot.cell(known, {
      x: 'word',
      y: 'student_id',
      fill: 'recall',
      inset: 0.5,
      title: 'title',
      className: 'recall-cells',
    }),
    Plot.text(known, {
      x: 'word',
      y: 'student_id',
      text: (c: RecallCell) =>
        `${Math.round((c.recall ?? 0) * 100)}${c.state.kind === 'recall' && c.state.due ? '!' : ''}`,
      fill: (c: RecallCell) => textOn(c.recall ?? 0),
      fontSize: 11,
      className: 'recall-figures',
      pointerEvents: 'none',
    }),
  ]);
};
