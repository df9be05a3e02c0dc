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
  studentName,
} from '../charts/heatmap.ts';
import { EMPTY_FILL, EMPTY_STROKE } from '../charts/scales.ts';
import { h, percent, when } from '../dom.ts';
import { api } from '../endpoints.ts';
import { resultsHash } from '../routes.ts';
import { type ModuleResults, moduleResultsSchema } from '../schemas.ts';
import { type Column, table } from '../table.ts';
import type { ViewContext } from '../view.ts';

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

const legend = (results: ModuleResults): HTMLElement => {
  const names = new Map(results.students.map((s) => [s.id, studentName(s)]));
  return h(
    'div',
    { class: 'marks' },
    h(
      'p',
      { class: 'swatch-line' },
      h('span', {
        class: 'swatch',
        style: `background:${EMPTY_FILL};border:1px dashed ${EMPTY_STROKE}`,
      }),
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

export const resultsView = async (route: ResultsRoute, context: ViewContext): Promise<Node> => {
  const results = await request(
    api.moduleResults(route.classCode, route.moduleId, route),
    moduleResultsSchema,
    { signal: context.signal },
  );
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
      h(
        'small',
        {},
        `Class ${results.class_code}, module ${results.module_id}, as of ${when(results.generated_at)}`,
      ),
    ),
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
    legend(results),
    results.students.length === 0 || results.words.length === 0
      ? h('p', {}, 'No students or no words: nothing to show.')
      : fittedChart(
          { class: 'scroll chart', 'data-chart': 'heatmap' },
          (width) => heatmap(results, width),
          context.signal,
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
