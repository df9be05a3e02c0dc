/** Bar charts: per-word accuracy and first-try accuracy side by side, and simple counts. */
import * as Plot from '@observablehq/plot';
import { percent } from '../dom.ts';
import type { ModuleResults } from '../schemas.ts';
import type { Chart } from './fit.ts';
import { CATEGORY_COLOURS, nameMargin } from './scales.ts';

const MEASURES = ['accuracy', 'first-try accuracy'] as const;

export const wordAccuracyBars = (results: ModuleResults, width: number): Chart => {
  const rows = results.words.flatMap((w) =>
    (
      [
        [MEASURES[0], w.accuracy],
        [MEASURES[1], w.first_try_accuracy],
      ] as const
    ).flatMap(([measure, value]) =>
      value === null
        ? []
        : [{ word: w.word, measure, value, title: `${w.word}: ${measure} ${percent(value)}` }],
    ),
  );
  return Plot.plot({
    // Two bars a word wide enough to tell apart, else the box scrolls.
    width: Math.max(360, 60 + results.words.length * 48, width),
    height: 280,
    marginBottom: 70,
    marginLeft: 50,
    fx: { domain: results.words.map((w) => w.word), tickRotate: -45, label: null, padding: 0.15 },
    x: { domain: [...MEASURES], axis: null },
    y: { domain: [0, 1], tickFormat: '%', label: 'Accuracy', grid: true },
    color: {
      domain: [...MEASURES],
      range: [CATEGORY_COLOURS[0], CATEGORY_COLOURS[1]],
      legend: true,
      label: 'Measure',
    },
    marks: [
      Plot.barY(rows, {
        fx: 'word',
        x: 'measure',
        y: 'value',
        fill: 'measure',
        title: 'title',
        ariaDescription: 'word accuracy bars',
      }),
      Plot.ruleY([0]),
      // A tick at each value and its percentage: a word at 0 % is a visible mark at zero,
      // not an absent bar that reads as missing data.
      Plot.tickY(rows, {
        fx: 'word',
        x: 'measure',
        y: 'value',
        stroke: 'measure',
        strokeWidth: 3,
        title: 'title',
        className: 'word-ticks',
      }),
      Plot.text(rows, {
        fx: 'word',
        x: 'measure',
        y: 'value',
        text: (r: { value: number }) => percent(r.value),
        dy: -8,
        fontSize: 9,
        className: 'word-values',
      }),
    ],
  });
};

export interface CountRow {
  readonly label: string;
  readonly value: number;
}

/** Horizontal bars of counts (students per school), labelled with their numbers. */
export const countBars = (rows: readonly CountRow[], label: string, width: number): Chart => {
  const marginLeft = nameMargin(
    rows.map((r) => r.label),
    220,
  );
  return Plot.plot({
    // Room for the longest bar beside the names, else the box scrolls.
    width: Math.max(marginLeft + 160, width),
    height: 40 + rows.length * 26,
    marginLeft,
    marginRight: 40,
    x: { label, grid: true },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      Plot.barX(rows, {
        x: 'value',
        y: 'label',
        fill: CATEGORY_COLOURS[0],
        title: (r: CountRow) => `${r.label}: ${r.value}`,
      }),
      Plot.text(rows, { x: 'value', y: 'label', text: 'value', dx: 4, textAnchor: 'start' }),
      Plot.ruleX([0]),
    ],
  });
};
