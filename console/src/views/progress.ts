/** `#/students/<id>/progress`: 30 days of attempts and accuracy, streak, module mastery. */
import { compareCodeUnits } from '../../../src/domain/ordering.ts';
import { request } from '../api.ts';
import { accuracyLine, attemptBars } from '../charts/daily.ts';
import { fittedChart } from '../charts/fit.ts';
import { type Day, lastDays } from '../days.ts';
import { h, percent, plural, when } from '../dom.ts';
import { api, local } from '../endpoints.ts';
import { progressHash, reviewHash } from '../routes.ts';
import {
  type Directory,
  directorySchema,
  type StudentProgress,
  studentProgressSchema,
} from '../schemas.ts';
import { table } from '../table.ts';
import type { ViewContext } from '../view.ts';
import { viewNotice } from '../waiting.ts';

export const fetchProgress = (studentId: string, signal: AbortSignal): Promise<StudentProgress> =>
  request(api.studentProgress(studentId), studentProgressSchema, { signal });

const figure = (label: string, value: string | number, key: string) =>
  h('div', { class: 'figure', 'data-figure': key }, h('span', {}, label), h('strong', {}, value));

/** The directory, or undefined: it only names things, so a refusal leaves the ids shown. */
const directoryOf = (signal: AbortSignal): Promise<Directory | undefined> =>
  request(local.directory(), directorySchema, { signal }).catch(() => undefined);

/** "Progress of Ann": the name where the directory lists the student, else its id. */
export const studentHeading = async (
  what: string,
  studentId: string,
  signal: AbortSignal,
): Promise<string> => {
  // Only for the name: a parent's or student's directory lists the student, staff's does not.
  const name = (await directoryOf(signal))?.students.find((s) => s.id === studentId)?.name;
  return `${what} of ${name ?? studentId}`;
};

/** A student's two views, one link each: whoever may see the progress may see the review. */
export const studentTabs = (studentId: string, current: 'progress' | 'review'): HTMLElement =>
  h(
    'nav',
    { class: 'tabs', 'aria-label': 'Student' },
    (
      [
        ['progress', progressHash(studentId), 'Progress'],
        ['review', reviewHash(studentId), 'Review'],
      ] as const
    ).map(([tab, href, text]) =>
      h('a', { href, 'data-tab': tab, 'aria-current': tab === current ? 'page' : false }, text),
    ),
  );

export const progressView = async (studentId: string, context: ViewContext): Promise<Node> => {
  const [progress, directory, notice] = await Promise.all([
    fetchProgress(studentId, context.signal),
    directoryOf(context.signal),
    viewNotice(context.signal),
  ]);
  const name = directory?.students.find((s) => s.id === studentId)?.name;
  const heading = `Progress of ${name ?? studentId}`;
  // Modules by title: "m-001" means nothing to a student or parent.
  const titles = new Map(directory?.modules.map((m) => [m.id, m.title]));
  const title = (id: string) => titles.get(id) ?? id;
  context.title(heading);
  const days = lastDays(progress, 30, context.timezone);
  const modules = Object.entries(progress.modules).sort(([a], [b]) => compareCodeUnits(a, b));
  return h(
    'section',
    { 'data-view': 'progress' },
    h('h1', {}, heading),
    studentTabs(studentId, 'progress'),
    notice,
    h(
      'div',
      { class: 'figures-row' },
      figure('Streak', plural(progress.streak_days, 'day'), 'streak'),
      figure('Attempts', progress.attempts, 'attempts'),
      figure('Accuracy', percent(progress.accuracy), 'accuracy'),
      figure(
        'Words mastered',
        `${progress.words_mastered} of ${progress.words_practised} practised`,
        'mastered',
      ),
      figure('Last active', when(progress.last_active_at, context.timezone), 'last-active'),
      // Written by aggregates before the review model have no count: no figure then.
      progress.words_due === undefined
        ? null
        : figure('Words due today', progress.words_due, 'words-due'),
    ),
    h('h2', {}, 'Last 30 days'),
    fittedChart(
      { class: 'scroll chart', 'data-chart': 'daily-attempts' },
      (width) => attemptBars(days, width),
      context.signal,
    ),
    fittedChart(
      { class: 'scroll chart', 'data-chart': 'daily-accuracy' },
      (width) => accuracyLine(days, width),
      context.signal,
    ),
    h(
      'details',
      { class: 'numbers' },
      h('summary', { class: 'numbers-toggle' }, 'Show numbers'),
      table<Day>({
        name: 'days',
        caption: 'Attempts and accuracy per day with answers',
        showCaption: false,
        columns: [
          { header: 'Day', value: (d) => d.date },
          { header: 'Attempts', value: (d) => d.attempts },
          { header: 'Correct', value: (d) => d.correct },
          { header: 'Accuracy', value: (d) => percent(d.accuracy) },
        ],
        rows: days.filter((d) => d.attempts > 0),
      }),
    ),
    h('h2', {}, 'Mastery per module'),
    modules.length === 0
      ? h('p', {}, 'No answers in any module yet.')
      : h(
          'ul',
          { class: 'mastery' },
          modules.map(([id, m]) =>
            h(
              'li',
              { 'data-module': id },
              h('span', { class: 'module-name' }, title(id)),
              m.words_total === null
                ? h('progress', { 'aria-label': `${title(id)} mastery` })
                : h('progress', {
                    max: Math.max(1, m.words_total),
                    value: m.words_mastered,
                    'aria-label': `${title(id)} mastery`,
                  }),
              h(
                'span',
                { class: 'mastery-figures' },
                `${m.words_mastered} of ${m.words_total ?? '?'} words mastered`,
                ` · ${m.attempts} attempts, ${percent(m.accuracy)}`,
              ),
            ),
          ),
        ),
    h('p', {}, h('small', {}, `Aggregated ${when(progress.updated_at, context.timezone)}`)),
  );
};
