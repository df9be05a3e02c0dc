/** `#/classes`: the classes the directory lists for the signed-in person, and their modules. */
import { request } from '../api.ts';
import { h } from '../dom.ts';
import { local } from '../endpoints.ts';
import { classReviewHash, progressHash, resultsHash } from '../routes.ts';
import { directorySchema } from '../schemas.ts';
import type { ViewContext } from '../view.ts';

export const classesView = async (context: ViewContext): Promise<Node> => {
  context.title('Classes');
  const directory = await request(local.directory(), directorySchema, { signal: context.signal });
  return h(
    'section',
    { 'data-view': 'classes' },
    h('h1', {}, 'Classes'),
    directory.classes.length === 0
      ? h('p', {}, 'No classes for this sign-in.')
      : h(
          'ul',
          { class: 'cards' },
          directory.classes.map((klass) =>
            h(
              'li',
              { class: 'card', 'data-class': klass.code },
              h('h2', {}, klass.name),
              // The teacher by name; its id only when no teacher record names it.
              h(
                'p',
                { 'data-teacher': klass.teacher_id ?? '' },
                `Level ${klass.level ?? '–'} · ${klass.teacher_name ?? `teacher ${klass.teacher_id ?? 'none'}`}`,
              ),
              h(
                'p',
                {},
                h(
                  'a',
                  { href: classReviewHash(klass.code), 'data-class-review': klass.code },
                  'Words to review',
                ),
              ),
              h(
                'ul',
                {},
                klass.modules.map((module) =>
                  h(
                    'li',
                    {},
                    h(
                      'a',
                      { href: resultsHash(klass.code, module.id) },
                      `${module.title} (${module.words_total} words)`,
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
    directory.students.length === 0
      ? null
      : h(
          'ul',
          {},
          directory.students.map((student) =>
            h('li', {}, h('a', { href: progressHash(student.id) }, student.name)),
          ),
        ),
  );
};
