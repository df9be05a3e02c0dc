/** `#/organisation` (admin): groups → schools → teachers and classes, with nightly stats. */
import { request } from '../api.ts';
import { countBars } from '../charts/bars.ts';
import { fittedChart } from '../charts/fit.ts';
import { h, plural, when } from '../dom.ts';
import { local } from '../endpoints.ts';
import { type Organisation, organisationSchema, type Stats } from '../schemas.ts';
import type { ViewContext } from '../view.ts';

const statsText = (stats: Stats, timeZone: string): string => {
  if (stats === null) return 'stats not computed yet';
  const parts = (
    [
      ['schools', 'school'],
      ['teachers', 'teacher'],
      ['classes', 'class'],
      ['students', 'student'],
    ] as const
  ).flatMap(([key, one]) => {
    const count = stats[key];
    return count === undefined ? [] : [plural(count, one, key)];
  });
  return `${parts.join(' · ') || 'no counts'}${stats.updated_at === undefined ? '' : ` (as of ${when(stats.updated_at, timeZone)})`}`;
};

const stat = (stats: Stats, timeZone: string) =>
  h('span', { class: 'stats' }, statsText(stats, timeZone));

type School = Organisation['schools'][number];

const schoolItem = (organisation: Organisation, school: School, timeZone: string): HTMLElement => {
  const teachers = organisation.teachers.filter((t) => t.school_code === school.code);
  const classes = organisation.classes.filter((c) => c.school_code === school.code);
  return h(
    'li',
    { 'data-school': school.code },
    h('strong', {}, `${school.name} (${school.code})`),
    ' ',
    stat(school.stats, timeZone),
    h(
      'ul',
      {},
      teachers.map((teacher) =>
        h(
          'li',
          { 'data-teacher': teacher.id },
          `Teacher ${teacher.name} (${teacher.id}) `,
          stat(teacher.stats, timeZone),
          h(
            'ul',
            {},
            classes
              .filter((c) => c.teacher_id === teacher.id)
              .map((c) =>
                h(
                  'li',
                  { 'data-class': c.code },
                  `${c.name} (${c.code}, level ${c.level ?? '–'}) `,
                  stat(c.stats, timeZone),
                ),
              ),
          ),
        ),
      ),
    ),
  );
};

/** Records whose link is missing or points at nothing: shown, not lost. */
const unassigned = (organisation: Organisation, timeZone: string): HTMLElement[] => {
  const groups = new Set(organisation.groups.map((g) => g.code));
  const schools = new Set(organisation.schools.map((s) => s.code));
  const teachers = new Map(organisation.teachers.map((t) => [t.id, t]));
  const items: HTMLElement[] = [];
  for (const school of organisation.schools) {
    if (school.group_code === null || !groups.has(school.group_code))
      items.push(schoolItem(organisation, school, timeZone));
  }
  for (const teacher of organisation.teachers) {
    if (teacher.school_code === null || !schools.has(teacher.school_code))
      items.push(
        h(
          'li',
          { 'data-teacher': teacher.id },
          `Teacher ${teacher.name} (${teacher.id}, school ${teacher.school_code ?? 'none'}) `,
          stat(teacher.stats, timeZone),
        ),
      );
  }
  for (const c of organisation.classes) {
    const teacher = c.teacher_id === null ? undefined : teachers.get(c.teacher_id);
    const shown =
      c.school_code !== null &&
      schools.has(c.school_code) &&
      teacher?.school_code === c.school_code;
    if (!shown)
      items.push(
        h(
          'li',
          { 'data-class': c.code },
          `${c.name} (${c.code}, teacher ${c.teacher_id ?? 'none'}, school ${c.school_code ?? 'none'}) `,
          stat(c.stats, timeZone),
        ),
      );
  }
  return items;
};

export const organisationView = async (context: ViewContext): Promise<Node> => {
  context.title('Organisation');
  const organisation = await request(local.organisation(), organisationSchema, {
    signal: context.signal,
  });
  const timeZone = context.timezone;
  const rest = unassigned(organisation, timeZone);
  const students = organisation.schools.map((s) => ({
    label: s.name,
    value: s.stats?.students ?? 0,
  }));
  return h(
    'section',
    { 'data-view': 'organisation' },
    h('h1', {}, 'Organisation'),
    h('h2', {}, 'Students per school'),
    fittedChart(
      { class: 'scroll chart', 'data-chart': 'students-per-school' },
      (width) => countBars(students, 'Students (nightly stats)', width),
      context.signal,
    ),
    h(
      'ul',
      { class: 'tree' },
      organisation.groups.map((group) =>
        h(
          'li',
          { 'data-group': group.code },
          h('h2', {}, `${group.name} (${group.code})`),
          stat(group.stats, timeZone),
          h(
            'ul',
            {},
            organisation.schools
              .filter((s) => s.group_code === group.code)
              .map((s) => schoolItem(organisation, s, timeZone)),
          ),
        ),
      ),
    ),
    h('h2', {}, 'Unassigned'),
    rest.length === 0
      ? h('p', {}, 'Every record is linked.')
      : h('ul', { class: 'tree', 'data-unassigned': '' }, rest),
  );
};
