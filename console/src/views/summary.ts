/** `#/parents/<id>/summary`: one card per child, its 7-day figures and days. */
import { request } from '../api.ts';
import { attemptBars } from '../charts/daily.ts';
import { fittedChart } from '../charts/fit.ts';
import { lastDays } from '../days.ts';
import { h, percent, plural, when } from '../dom.ts';
import { api, local } from '../endpoints.ts';
import { progressHash } from '../routes.ts';
import { directorySchema, type ParentSummary, parentSummarySchema } from '../schemas.ts';
import { errorBox, type ViewContext } from '../view.ts';
import { viewNotice } from '../waiting.ts';
import { fetchProgress } from './progress.ts';

type Child = ParentSummary['children'][number];

const childChart = async (child: Child, context: ViewContext): Promise<Node> => {
  try {
    const progress = await fetchProgress(child.student_id, context.signal);
    const days = lastDays(progress, 7, context.timezone);
    return fittedChart(
      { class: 'chart', 'data-chart': 'last-7-days' },
      (width) => attemptBars(days, width, 150),
      context.signal,
    );
  } catch (error) {
    return errorBox(error);
  }
};

const card = async (
  child: Child,
  className: string | undefined,
  context: ViewContext,
): Promise<Node> =>
  h(
    'li',
    { class: 'card', 'data-child': child.student_id },
    h('h2', {}, child.name),
    // The class by its name, as the parent knows it; the code only when no name is stored.
    h('p', { 'data-class-name': '' }, className ?? `Class ${child.class_code ?? '–'}`),
    h(
      'dl',
      { class: 'pairs' },
      h('dt', {}, 'Attempts (7 days)'),
      h('dd', { 'data-figure': 'attempts_7d' }, child.attempts_7d),
      h('dt', {}, 'Correct (7 days)'),
      h('dd', { 'data-figure': 'correct_7d' }, child.correct_7d),
      h('dt', {}, 'Accuracy (7 days)'),
      h('dd', { 'data-figure': 'accuracy_7d' }, percent(child.accuracy_7d)),
      h('dt', {}, 'Words mastered'),
      h('dd', { 'data-figure': 'words_mastered' }, child.words_mastered),
      h('dt', {}, 'Streak'),
      h('dd', { 'data-figure': 'streak_days' }, plural(child.streak_days, 'day')),
      h('dt', {}, 'Last active'),
      h('dd', {}, when(child.last_active_at, context.timezone)),
    ),
    await childChart(child, context),
    h('a', { href: progressHash(child.student_id) }, 'Full progress'),
  );

export const summaryView = async (parentId: string, context: ViewContext): Promise<Node> => {
  const [summary, directory, notice] = await Promise.all([
    request(api.parentSummary(parentId), parentSummarySchema, { signal: context.signal }),
    // Only for class names: without it the cards say the class code.
    request(local.directory(), directorySchema, { signal: context.signal }).catch(() => undefined),
    // The cards' figures are the summary's, which follows aggregate_parents, not the answers.
    viewNotice(context.signal, { parents: true }),
  ]);
  const classNames = new Map(
    directory?.students.flatMap((s) => (s.class_name === null ? [] : [[s.id, s.class_name]])),
  );
  context.title('My children');
  return h(
    'section',
    { 'data-view': 'summary' },
    h('h1', {}, 'My children'),
    notice,
    summary.children.length === 0
      ? h('p', {}, 'No children listed for this parent.')
      : h(
          'ul',
          { class: 'cards' },
          await Promise.all(
            summary.children.map((child) => card(child, classNames.get(child.student_id), context)),
          ),
        ),
    h('p', {}, h('small', {}, `Summarised ${when(summary.updated_at, context.timezone)}`)),
  );
};
