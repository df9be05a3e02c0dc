/** `#/classes/<code>/modules/<id>/results`: the class's heatmap, word bars, date range. */
import { RESULT_THRESHOLDS } from '../../../src/domain/results/thresholds.ts';
import { request } from '../api.ts';
import { wordAccuracyBars } from '../charts/bars.ts';
import { fittedChart } from '../charts/fit.ts';
import {
  cellKey,
  heatCells,
  heatmap,
  NEEDS_HELP,
  NEEDS_REVIEW,
  type RecallState,
  recallCells,
  recallHeatmap,
  studentNamer,
} from '../charts/heatmap.ts';
import { dueDay } from '../charts/review.ts';
import { EMPTY_FILL, EMPTY_STROKE } from '../charts/scales.ts';
import { h, percent, when } from '../dom.ts';
import { api } from '../endpoints.ts';
import { mapLimited } from '../pool.ts';
import { classReviewHash, resultsHash } from '../routes.ts';
import { type ModuleResults, moduleResultsSchema } from '../schemas.ts';
import { type Column, table } from '../table.ts';
import { errorBox, type ViewContext } from '../view.ts';
import { viewNotice } from '../waiting.ts';
import { fetchReview } from './review.ts';

interface ResultsRoute {
  readonly classCode: string;
  readonly moduleId: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

const dateRange = (route: ResultsRoute): HTMLElement => {
  const input = (name: 'from' | 'to', value: string | undefined) =>
    h('input', { type: 'date', name, value: value ?? '', 'aria-label': name });
  const from = input('from', route.from);
  const to = input('to', route.to);
  const go = () => {
    location.hash = resultsHash(route.classCode, route.moduleId, {
      from: from.value,
      to: to.value,
    });
  };
  from.addEventListener('change', go);
  to.addEventListener('change', go);
  return h(
    'form',
    { class: 'range', onsubmit: (event: Event) => event.preventDefault() },
    h('label', {}, 'From ', from),
    h('label', {}, 'To ', to),
    h(
      'button',
      {
        type: 'button',
        onclick: () => {
          location.hash = resultsHash(route.classCode, route.moduleId);
        },
      },
      'All dates',
    ),
  );
};

/** The API's own thresholds (DESIGN section 4), so the legend says what the marks mean. */
const BELOW = `${Math.round(RESULT_THRESHOLDS.accuracyBelow * 100)} %`;

/** A legend's sample of a cell: its fill and outline. */
const swatch = (fill: string, outline: 'dashed' | 'solid') =>
  h('span', { class: 'swatch', style: `background:${fill};border:1px ${outline} ${EMPTY_STROKE}` });

const legend = (results: ModuleResults): HTMLElement => {
  const studentName = studentNamer(results.students);
  const names = new Map(results.students.map((s) => [s.id, studentName(s)]));
  return h(
    'div',
    { class: 'marks' },
    h(
      'p',
      { class: 'swatch-line' },
      swatch(EMPTY_FILL, 'dashed'),
      ' dashed grey cell = no attempts (not 0 %). The number on a cell is its attempts.',
    ),
    h(
      'p',
      {},
      `${NEEDS_REVIEW} needs review (word accuracy below ${BELOW} over at least ${RESULT_THRESHOLDS.wordMinAttempts} attempts): `,
      results.needs_review.length === 0 ? 'none' : null,
    ),
    h(
      'ul',
      { class: 'inline', 'data-needs-review': '' },
      results.needs_review.map((word) => h('li', { 'data-word': word }, `${NEEDS_REVIEW} ${word}`)),
    ),
    h(
      'p',
      {},
      `${NEEDS_HELP} needs help (student accuracy below ${BELOW} over at least ${RESULT_THRESHOLDS.studentMinAttempts} attempts): `,
      results.needs_help.length === 0 ? 'none' : null,
    ),
    h(
      'ul',
      { class: 'inline', 'data-needs-help': '' },
      results.needs_help.map((id) =>
        h('li', { 'data-student': id }, `${NEEDS_HELP} ${names.get(id) ?? id}`),
      ),
    ),
  );
};

type Student = ModuleResults['students'][number];
type Word = ModuleResults['words'][number];

const numbers = (results: ModuleResults): HTMLElement => {
  const studentName = studentNamer(results.students);
  const cells = new Map(heatCells(results).map((c) => [cellKey(c.student_id, c.word), c]));
  const wordColumns = results.words.map(({ word }): Column<Student> => {
    const cellOf = (student: Student) => cells.get(cellKey(student.id, word));
    return {
      header: word,
      value: (student) => {
        const c = cellOf(student);
        return c === undefined || c.attempts === 0 ? 'no attempts' : `${c.correct}/${c.attempts}`;
      },
      cell: (student) => ({ title: cellOf(student)?.title }),
    };
  });
  return h(
    'details',
    { class: 'numbers' },
    h('summary', { class: 'numbers-toggle' }, 'Show numbers'),
    table<Student>({
      name: 'cells',
      caption: 'Correct of attempts, per student and word',
      columns: [
        { header: 'Student', value: studentName, rowHeader: true },
        ...wordColumns,
        { header: 'Accuracy', value: (s) => percent(s.accuracy) },
        { header: 'Mastered', value: (s) => `${s.words_mastered} of ${results.words.length}` },
      ],
      rows: results.students,
      row: (s) => ({ 'data-student': s.id }),
    }),
    table<Word>({
      name: 'words',
      caption: 'Per word',
      columns: [
        { header: 'Word', value: (w) => w.word, rowHeader: true },
        { header: 'Attempts', value: (w) => w.attempts },
        { header: 'Correct', value: (w) => w.correct },
        { header: 'Accuracy', value: (w) => percent(w.accuracy) },
        { header: 'First-try accuracy', value: (w) => percent(w.first_try_accuracy) },
        { header: 'Students', value: (w) => w.students_attempted },
      ],
      rows: results.words,
      row: (w) => ({ 'data-word': w.word }),
    }),
  );
};

/**
 * A class's students at a time asking for their reviews: the class reply (`class_review`)
 * counts students per word and has no student's recall of a word, so the recall heatmap asks
 * each student's review, a few at a time on a shared 2-core stack rather than all at once.
 */
const REVIEW_CONCURRENCY = 4;

/** Each student's review words by word, or the API's refusal of that one student. */
const fetchRecalls = (results: ModuleResults, context: ViewContext) =>
  mapLimited(results.students, REVIEW_CONCURRENCY, async (student) => {
    try {
      // Every card (`?all=true`): a word due months from now still has a recall to colour.
      const review = await fetchReview(student.id, context.signal, true);
      const due = new Set(review.due.map((w) => w.word));
      return {
        id: student.id,
        words: new Map(
          [...review.due, ...review.upcoming, ...(review.later ?? [])].map((w) => [
            w.word,
            { word: w, due: due.has(w.word) },
          ]),
        ),
      };
    } catch (error) {
      // One student's refusal or absence leaves the others' cells: the view is left only on abort.
      context.signal.throwIfAborted();
      return { id: student.id, error: error instanceof Error ? error.message : String(error) };
    }
  });

const recallArea = async (results: ModuleResults, context: ViewContext): Promise<Node> => {
  const replies = new Map((await fetchRecalls(results, context)).map((r) => [r.id, r]));
  const cells = recallCells(results, (studentId, word): RecallState => {
    const reply = replies.get(studentId);
    if (reply === undefined || 'error' in reply)
      return { kind: 'error', message: reply?.error ?? 'no reply' };
    const card = reply.words.get(word);
    if (card !== undefined)
      return {
        kind: 'recall',
        recall: card.word.recall,
        due: card.due,
        dueDay: dueDay(card.word, context.timezone),
      };
    return { kind: 'none' };
  });
  return h(
    'div',
    { 'data-recall': '' },
    h(
      'div',
      { class: 'marks' },
      h(
        'p',
        { class: 'swatch-line' },
        swatch(EMPTY_FILL, 'dashed'),
        ' dashed grey cell = no card: the student never answered the word (not 0 %).',
      ),
      h(
        'p',
        {},
        'The number on a cell is the recall now in %; "!" marks a word due today. Recall is each student’s review (FSRS), across modules.',
      ),
    ),
    fittedChart(
      { class: 'scroll chart', 'data-chart': 'heatmap-recall' },
      (width) => recallHeatmap(results, cells, width),
      context.signal,
    ),
  );
};

/**
 * Accuracy (this module's answers, the reply's figures) or recall now (each student's
 * review): the accuracy grid is kept, the recall grid asked for once, the first time it is chosen.
 */
const measureToggle = (
  accuracy: Node,
  results: ModuleResults,
  context: ViewContext,
): HTMLElement => {
  const area = h('div', { 'data-measure': 'accuracy' }, accuracy);
  let recall: Promise<Node> | undefined;
  const show = (measure: string) => {
    area.setAttribute('data-measure', measure);
    if (measure !== 'recall') {
      area.replaceChildren(accuracy);
      return;
    }
    area.setAttribute('aria-busy', 'true');
    area.replaceChildren(h('p', { class: 'loading' }, 'Asking each student’s review…'));
    recall ??= recallArea(results, context);
    recall
      .catch((error: unknown) => errorBox(error))
      .then((node) => {
        // Left, or switched back while the replies came: this drawing is for nobody.
        if (context.signal.aborted || area.getAttribute('data-measure') !== 'recall') return;
        area.replaceChildren(node);
        area.setAttribute('aria-busy', 'false');
      });
  };
  const choice = (value: string, text: string) =>
    h(
      'label',
      {},
      h('input', {
        type: 'radio',
        name: 'measure',
        value,
        checked: value === 'accuracy',
        onchange: () => show(value),
      }),
      ` ${text}`,
    );
  return h(
    'div',
    {},
    h(
      'fieldset',
      { class: 'measure' },
      h('legend', { class: 'visually-hidden' }, 'Colour the cells by'),
      'Colour: ',
      choice('accuracy', 'accuracy (this module’s answers)'),
      choice('recall', 'recall now (review)'),
    ),
    area,
  );
};

export const resultsView = async (route: ResultsRoute, context: ViewContext): Promise<Node> => {
  const [results, notice] = await Promise.all([
    request(api.moduleResults(route.classCode, route.moduleId, route), moduleResultsSchema, {
      signal: context.signal,
    }),
    viewNotice(context.signal, {
      // module_results reads the answers themselves: only what the aggregate computes waits.
      lead: 'This module’s attempts and accuracy count every answer as soon as it is posted; the recall colours and each student’s progress follow aggregate_students.',
    }),
  ]);
  const className = results.class_name ?? results.class_code;
  const moduleTitle = results.module_title ?? results.module_id;
  context.title(`${className} · ${moduleTitle}`);
  const { overall } = results;
  return h(
    'section',
    {
      class: 'results',
      'data-view': 'results',
      'data-range': `${route.from ?? ''}/${route.to ?? ''}`,
    },
    h('h1', {}, `${className} · ${moduleTitle}`),
    h(
      'p',
      { class: 'figures', 'data-overall': '' },
      `${overall.attempts} attempts, ${overall.correct} correct (${percent(overall.accuracy)}); `,
      `${overall.students_attempted} of ${overall.students_total} students answered. `,
      // Names for people; the ids, which an operator may need (a curl, a log), on hover.
      h(
        'small',
        { title: `class ${results.class_code}, module ${results.module_id}`, 'data-as-of': '' },
        `${className}, ${moduleTitle}, as of ${when(results.generated_at, context.timezone)}`,
      ),
    ),
    notice,
    results.warnings_total === 0
      ? null
      : h(
          'div',
          { class: 'warning', role: 'status', 'data-warnings': results.warnings_total },
          h(
            'p',
            {},
            `${results.warnings_total} stored ${results.warnings_total === 1 ? 'record' : 'records'} could be read only in part; the figures leave out what could not be read:`,
          ),
          h(
            'ul',
            {},
            results.warnings.map((w) => h('li', {}, `${w.table}: ${w.message}`)),
          ),
        ),
    dateRange(route),
    h('h2', {}, 'Students × words'),
    h(
      'p',
      {},
      h('a', { href: classReviewHash(results.class_code) }, 'Words to review in this class'),
    ),
    results.students.length === 0 || results.words.length === 0
      ? h('p', {}, 'No students or no words: nothing to show.')
      : measureToggle(
          h(
            'div',
            {},
            legend(results),
            fittedChart(
              { class: 'scroll chart', 'data-chart': 'heatmap' },
              (width) => heatmap(results, width),
              context.signal,
            ),
          ),
          results,
          context,
        ),
    numbers(results),
    h('h2', {}, 'Accuracy per word'),
    fittedChart(
      { class: 'scroll chart', 'data-chart': 'word-bars' },
      (width) => wordAccuracyBars(results, width),
      context.signal,
    ),
  );
};
