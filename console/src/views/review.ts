/**
 * `#/students/<id>/review?word=`: the words due today and in the coming week, each one's
 * recall as a bar, and the forgetting curve of the word chosen (kept in the address).
 */
import { request } from '../api.ts';
import { fittedChart } from '../charts/fit.ts';
import { curveChart, dueDay, recallBars } from '../charts/review.ts';
import { h, percent, when } from '../dom.ts';
import { api } from '../endpoints.ts';
import { reviewHash } from '../routes.ts';
import { type ReviewWord, type StudentReview, studentReviewSchema } from '../schemas.ts';
import { table } from '../table.ts';
import type { ViewContext } from '../view.ts';
import { viewNotice } from '../waiting.ts';
import { studentHeading, studentTabs } from './progress.ts';

export const fetchReview = (
  studentId: string,
  signal: AbortSignal,
  all = false,
): Promise<StudentReview> =>
  request(api.studentReview(studentId, all), studentReviewSchema, { signal });

const figure = (label: string, value: string | number, key: string) =>
  h('div', { class: 'figure', 'data-figure': key }, h('span', {}, label), h('strong', {}, value));

export const reviewView = async (
  route: { readonly studentId: string; readonly word: string | undefined },
  context: ViewContext,
): Promise<Node> => {
  const [review, heading, notice] = await Promise.all([
    fetchReview(route.studentId, context.signal),
    studentHeading('Review', route.studentId, context.signal),
    // The cards are the aggregate's: answers it left for later are not in them yet.
    viewNotice(context.signal),
  ]);
  context.title(heading);
  const words = [...review.due, ...review.upcoming];
  const initial = words.find((w) => w.word === route.word) ?? words[0];

  // The curve of the word chosen: its own signal, so the box it replaces stops being watched.
  const curveBox = h('div', { 'data-curve': '' });
  let curveController: AbortController | undefined;
  const select = h(
    'select',
    { name: 'word', 'aria-label': 'Word whose forgetting curve is shown' },
    words.map((w) =>
      h(
        'option',
        { value: w.word, selected: w === initial },
        `${w.word} (due ${dueDay(w, context.timezone)})`,
      ),
    ),
  );
  const showCurve = (word: ReviewWord | undefined) => {
    curveController?.abort();
    if (word === undefined) {
      curveBox.replaceChildren();
      return;
    }
    const controller = new AbortController();
    curveController = controller;
    context.signal.addEventListener('abort', () => controller.abort(), { once: true });
    select.value = word.word;
    curveBox.setAttribute('data-curve', word.word);
    curveBox.replaceChildren(
      h(
        'p',
        { class: 'figures', 'data-curve-figures': '' },
        `${word.word}: recall ${percent(word.recall)} now, due ${dueDay(word, context.timezone)}; `,
        `stability ${word.stability.toFixed(1)} days, difficulty ${word.difficulty.toFixed(1)}, `,
        `${word.reviews} reviews, ${word.lapses} lapses; modules ${word.module_ids.join(', ') || '–'}.`,
      ),
      fittedChart(
        { class: 'scroll chart', 'data-chart': 'forgetting-curve' },
        (width) => curveChart(word, review.generated_at, review.retention, context.timezone, width),
        controller.signal,
      ),
    );
  };
  const choose = (word: ReviewWord) => {
    showCurve(word);
    // The address keeps the word without a new render: replaceState fires no hashchange.
    history.replaceState(null, '', reviewHash(route.studentId, word.word));
  };
  select.addEventListener('change', () => {
    const word = words.find((w) => w.word === select.value);
    if (word !== undefined) choose(word);
  });
  showCurve(initial);

  /** A list's bars; a click on a bar shows its word's curve, as the select does. */
  const bars = (list: readonly ReviewWord[], key: string, empty: string) =>
    list.length === 0
      ? h('p', { 'data-empty': key }, empty)
      : fittedChart(
          { class: 'scroll chart', 'data-chart': `recall-${key}` },
          (width) => {
            const chart = recallBars(list, context.timezone, width);
            // Plot draws a bar per row in the rows' order.
            chart.querySelectorAll('g.recall-bars > rect').forEach((rect, index) => {
              const word = list[index];
              if (word === undefined) return;
              rect.setAttribute('data-word', word.word);
              rect.addEventListener('click', () => choose(word));
            });
            return chart;
          },
          context.signal,
        );

  const numbers = table<ReviewWord>({
    name: 'review',
    caption: 'Words due today and in the coming week',
    showCaption: false,
    columns: [
      { header: 'Word', value: (w) => w.word, rowHeader: true },
      {
        header: 'When',
        value: (w) => (review.due.includes(w) ? 'due today' : 'coming week'),
      },
      { header: 'Due', value: (w) => dueDay(w, context.timezone) },
      { header: 'Recall now', value: (w) => percent(w.recall) },
      { header: 'Stability (days)', value: (w) => w.stability.toFixed(1) },
      { header: 'Difficulty', value: (w) => w.difficulty.toFixed(1) },
      { header: 'Reviews', value: (w) => w.reviews },
      { header: 'Lapses', value: (w) => w.lapses },
      { header: 'Modules', value: (w) => w.module_ids.join(', ') },
    ],
    rows: words,
    row: (w) => ({ 'data-word': w.word }),
  });

  return h(
    'section',
    { 'data-view': 'review' },
    h('h1', {}, heading),
    studentTabs(route.studentId, 'review'),
    notice,
    h(
      'div',
      { class: 'figures-row' },
      figure('Due today', review.due.length, 'due'),
      figure('Coming week', review.upcoming.length, 'upcoming'),
      figure('Target recall', percent(review.retention), 'retention'),
    ),
    h('h2', {}, 'Due today'),
    bars(review.due, 'due', 'Nothing due today.'),
    h('h2', {}, 'Coming week'),
    bars(review.upcoming, 'upcoming', 'Nothing falls due in the next 7 days.'),
    h('h2', {}, 'Forgetting curve'),
    words.length === 0
      ? h('p', {}, 'No word due this week: no curve to show.')
      : h(
          'div',
          {},
          h('label', { class: 'curve-choice' }, 'Word ', select),
          h(
            'p',
            {},
            h(
              'small',
              {},
              'Recall over the next 30 days if the word is not practised, falling a step a day as FSRS counts whole days since the last review; the orange line is the day it falls due, the dashed line the recall reviews are scheduled for. Click a bar to choose its word.',
            ),
          ),
          curveBox,
        ),
    h(
      'details',
      { class: 'numbers' },
      h('summary', { class: 'numbers-toggle' }, 'Show numbers'),
      numbers,
    ),
    h('p', {}, h('small', {}, `As of ${when(review.generated_at, context.timezone)}`)),
  );
};
