/** A student's days: attempts as bars, accuracy as a line (days without answers left out). */
import * as Plot from '@observablehq/plot';
import type { Day } from '../days.ts';
import { percent } from '../dom.ts';
import type { Chart } from './fit.ts';
import { CATEGORY_COLOURS } from './scales.ts';

/** Below this, a month's bars and ticks run together: the box scrolls instead. */
const MIN_WIDTH = 280;

const dayTitle = (d: Day) =>
  `${d.date}: ${d.attempts} attempts, ${d.correct} correct (${percent(d.accuracy)})`;

export const attemptBars = (days: readonly Day[], width: number, height = 220): Chart =>
  Plot.plot({
    width: Math.max(MIN_WIDTH, width),
    height,
    marginBottom: 40,
    x: {
      domain: days.map((d) => d.date),
      label: null,
      tickFormat: (date: string) => date.slice(5),
      tickRotate: days.length > 10 ? -45 : 0,
      // Every tick of a month would overlap; every few days reads as a calendar.
      ticks: days
        .filter((_, i) => days.length <= 10 || i % 5 === days.length % 5)
        .map((d) => d.date),
    },
    y: { label: 'Attempts', grid: true },
    marks: [
      Plot.barY(days, {
        x: 'date',
        y: 'attempts',
        fill: CATEGORY_COLOURS[0],
        title: dayTitle,
        ariaDescription: 'attempts per day',
      }),
      Plot.ruleY([0]),
    ],
  });

export const accuracyLine = (days: readonly Day[], width: number): Chart => {
  const answered = days.filter((d) => d.accuracy !== null);
  return Plot.plot({
    width: Math.max(MIN_WIDTH, width),
    height: 200,
    x: {
      type: 'utc',
      label: null,
      domain: [new Date(days[0]?.date ?? 0), new Date(days.at(-1)?.date ?? 0)],
    },
    y: { domain: [0, 1], tickFormat: '%', label: 'Accuracy', grid: true },
    marks: [
      Plot.lineY(answered, {
        x: (d: Day) => new Date(d.date),
        y: 'accuracy',
        stroke: CATEGORY_COLOURS[1],
        strokeWidth: 2,
      }),
      Plot.dot(answered, {
        x: (d: Day) => new Date(d.date),
        y: 'accuracy',
        fill: CATEGORY_COLOURS[1],
        title: dayTitle,
        ariaDescription: 'accuracy per day',
      }),
    ],
  });
};
