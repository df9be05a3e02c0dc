/** `#/classes/<code>/review`: the class's words by students due, and each student's words due. */
import { request } from '../api.ts';
import { fittedChart } from '../charts/fit.ts';
import { studentNamer } from '../charts/heatmap.ts';
import { classDueBars } from '../charts/review.ts';
import { h, when } from '../dom.ts';
import { api, local } from '../endpoints.ts';
import { reviewHash } from '../routes.ts';
import { type ClassReview, classReviewSchema, directorySchema } from '../schemas.ts';
import { table } from '../table.ts';
import type { ViewContext } from '../view.ts';

type Student = ClassReview['students'][number];
type Word = ClassReview['words'][number];

export const classReviewView = async (classCode: string, context: ViewContext): Promise<Node> => {
  const [review, directory] = await Promise.all([
    request(api.classReview(classCode), classReviewSchema, { signal: context.signal }),
    // Only for the class's name (the review reply has its code): without it, the code.
    request(local.directory(), directorySchema, { signal: context.signal }).catch(() => undefined),
  ]);
  const className =
    directory?.classes.find((c) => c.code === review.class_code)?.name ??
    `class ${review.class_code}`;
  const heading = `Words to review in ${className}`;
  context.title(heading);
  const due = review.words.filter((w) => w.students_due > 0).length;
  const studentName = studentNamer(review.students);
  return h(
    'section',
    { 'data-view': 'class-review' },
    h('h1', {}, heading),
    h(
      'p',
      { class: 'figures', 'data-class-figures': '' },
      `${due} of ${review.words.length} practised words are due today for at least one student. `,
      h(
        'small',
        {},
        `As of ${when(review.generated_at, context.timezone)} (the last aggregate run)`,
      ),
    ),
    h('h2', {}, 'Words by students due'),
    review.words.length === 0
      ? h('p', {}, 'No student of the class has practised a word yet.')
      : fittedChart(
          { class: 'scroll chart', 'data-chart': 'class-review' },
          (width) => classDueBars(review, width),
          context.signal,
        ),
    h(
      'details',
      { class: 'numbers' },
      h('summary', { class: 'numbers-toggle' }, 'Show numbers'),
      table<Word>({
        name: 'class-words',
        caption: 'Students due and practised, per word',
        columns: [
          { header: 'Word', value: (w) => w.word, rowHeader: true },
          { header: 'Students due', value: (w) => w.students_due },
          { header: 'Students practised', value: (w) => w.students_practised },
        ],
        rows: review.words,
        row: (w) => ({ 'data-word': w.word }),
      }),
    ),
    h('h2', {}, 'Students'),
    table<Student>({
      name: 'class-students',
      caption: 'Words due today, per student',
      showCaption: false,
      columns: [
        {
          header: 'Student',
          value: (s) => h('a', { href: reviewHash(s.id) }, studentName(s)),
          rowHeader: true,
        },
        { header: 'Words due', value: (s) => s.words_due },
      ],
      rows: review.students,
      row: (s) => ({ 'data-student': s.id }),
    }),
  );
};
