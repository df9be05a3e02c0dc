/** A student's words to review (recall bars), a word's forgetting curve, a class's due words. */
import * as Plot from '@observablehq/plot';
import { localDate } from '../../../src/domain/time-zone.ts';
import { percent } from '../dom.ts';
import { forgettingCurve } from '../recall.ts';
import type { ClassReview, ReviewWord } from '../schemas.ts';
import type { Chart } from './fit.ts';
import { CATEGORY_COLOURS, nameMargin } from './scales.ts';

/** The day a word falls due, in `LMS_TIMEZONE`: the zone the API's days are in. */
export const dueDay = (word: ReviewWord, timeZone: string): string =>
  localDate(word.due_at, timeZone);

export const recallTitle = (word: ReviewWord, timeZone: string): string =>
  `${word.word}: recall ${percent(word.recall)}, due ${dueDay(word, timeZone)} (${word.reviews} reviews, ${word.lapses} lapses)`;

interface BarRow {
  readonly word: string;
  readonly recall: number;
  readonly label: string;
  readonly title: string;
}

/**
 * Recall from 0 to 1, a word a row, with its figure and due day written beside the bar. A
 * tick at the recall too, so a recall of 0 (a bar of no width) is still a mark, not a gap.
 */
export const recallBars = (
  words: readonly ReviewWord[],
  timeZone: string,
  width: number,
): Chart => {
  const rows: BarRow[] = words.map((w) => ({
    word: w.word,
    recall: w.recall,
    label: `${percent(w.recall)} · due ${dueDay(w, timeZone)}`,
    title: recallTitle(w, timeZone),
  }));
  const marginLeft = nameMargin(rows.map((r) => r.word));
  return Plot.plot({
    // The bar's room plus the figure written after it; below this the box scrolls.
    width: Math.max(marginLeft + 320, width),
    height: 50 + rows.length * 26,
    marginLeft,
    marginRight: 150,
    x: { domain: [0, 1], tickFormat: '%', label: 'Recall now (chance of remembering)', grid: true },
    y: { domain: rows.map((r) => r.word), label: null },
    marks: [
      Plot.barX(rows, {
        x: 'recall',
        y: 'word',
        fill: CATEGORY_COLOURS[0],
        title: 'title',
        className: 'recall-bars',
      }),
      Plot.tickX(rows, {
        x: 'recall',
        y: 'word',
        stroke: '#111',
        strokeWidth: 2,
        className: 'recall-ticks',
      }),
      Plot.text(rows, {
        x: 'recall',
        y: 'word',
        text: 'label',
        dx: 6,
        textAnchor: 'start',
        className: 'recall-labels',
      }),
      Plot.ruleX([0]),
    ],
  });
};

/** Recall over the next 30 days from the card: a step a day, the due day and now marked. */
export const curveChart = (
  word: ReviewWord,
  generatedAt: string,
  retention: number,
  timeZone: string,
  width: number,
): Chart => {
  const curve = forgettingCurve(word, generatedAt);
  const due = dueDay(word, timeZone);
  return Plot.plot({
    width: Math.max(320, width),
    height: 260,
    marginRight: 20,
    x: { type: 'utc', domain: [curve.start, curve.end], label: null },
    y: { domain: [0, 1], tickFormat: '%', label: `Recall of ${word.word}`, grid: true },
    marks: [
      // The recall reviews are scheduled for: a word falls due about where the curve crosses it.
      Plot.ruleY([retention], { stroke: '#666', strokeDasharray: '4,3' }),
      Plot.text([retention], {
        y: (r: number) => r,
        // At the right end: the due day's label is at the top left, where a card due soon is.
        frameAnchor: 'right',
        textAnchor: 'end',
        dy: -7,
        dx: -4,
        text: () => `target ${percent(retention)}`,
        fill: '#444',
      }),
      Plot.line(curve.points, {
        x: 'at',
        y: 'recall',
        curve: 'step-after',
        stroke: CATEGORY_COLOURS[0],
        strokeWidth: 2,
        className: 'curve-line',
      }),
      Plot.ruleX([curve.due.at], {
        stroke: CATEGORY_COLOURS[1],
        strokeWidth: 2,
        className: 'curve-due',
        title: () => `due ${due}: recall ${percent(curve.due.recall)} then`,
      }),
      Plot.text([curve.due], {
        x: 'at',
        frameAnchor: 'top',
        dy: 4,
        dx: 4,
        textAnchor: 'start',
        text: () => `due ${due}`,
        fill: '#7a5200',
        className: 'curve-due-label',
      }),
      Plot.dot([curve.now], {
        x: 'at',
        y: 'recall',
        r: 4,
        fill: CATEGORY_COLOURS[2],
        title: (p: { recall: number }) => `now: recall ${percent(p.recall)}`,
        className: 'curve-now',
      }),
    ],
  });
};

type ClassWord = ClassReview['words'][number];

/** The class's words by students due, each over a lighter bar of the students who practised it. */
export const classDueBars = (review: ClassReview, width: number): Chart => {
  const words = review.words;
  const marginLeft = nameMargin(words.map((w) => w.word));
  const most = Math.max(1, ...words.map((w) => w.students_practised));
  const title = (w: ClassWord) =>
    `${w.word}: ${w.students_due} students due of ${w.students_practised} who practised it`;
  return Plot.plot({
    width: Math.max(marginLeft + 240, width),
    height: 60 + words.length * 24,
    marginLeft,
    marginRight: 60,
    // Students are whole: a tick a student while they fit, never a tick between two.
    x: {
      label: 'Students',
      grid: true,
      tickFormat: 'd',
      ticks: most <= 12 ? Array.from({ length: most + 1 }, (_, i) => i) : 10,
    },
    y: { domain: words.map((w) => w.word), label: null },
    color: {
      domain: ['due today', 'practised'],
      range: [CATEGORY_COLOURS[1], '#c9dced'],
      legend: true,
    },
    marks: [
      Plot.barX(words, {
        x: 'students_practised',
        y: 'word',
        fill: () => 'practised',
        title,
        className: 'class-practised-bars',
      }),
      Plot.barX(words, {
        x: 'students_due',
        y: 'word',
        fill: () => 'due today',
        title,
        className: 'class-due-bars',
      }),
      Plot.text(words, {
        x: 'students_practised',
        y: 'word',
        text: (w: ClassWord) => `${w.students_due} of ${w.students_practised}`,
        dx: 4,
        textAnchor: 'start',
        className: 'class-due-labels',
      }),
      Plot.ruleX([0]),
    ],
  });
};
