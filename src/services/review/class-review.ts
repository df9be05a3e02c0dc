/**
 * `GET /classes/{class_code}/review` (DESIGN section 4, "Review"): which words a class
 * should practise, from its students' progress as the last aggregate run left it
 * (`due_words`, `practised_words`): no card is read. A progress that does not validate
 * counts its student as having nothing due (logged at WARN): one bad record degrades the
 * figures, never the route.
 */
import { compareByNameThenId, compareCodeUnits } from '../../domain/ordering.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { ACTIONS, assertMayAttempt } from '../access/permissions.ts';
import { assertMayReadClass } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { ClassNotFoundError } from '../results/errors.ts';
import { resultWarning } from '../results/result-warnings.ts';
import type { ClassReview } from './schemas.ts';

/**
 * @example
 * ```ts
 * const review = await getClassReview({ db, logger, now: new Date() }, principal, 'c-001');
 * review.words[0]; // { word: 'apple', students_due: 12, students_practised: 25 }
 * ```
 */
export const getClassReview = async (
  deps: { readonly db: Db; readonly logger: Logger; readonly now: Date },
  principal: Principal,
  classCode: string,
): Promise<ClassReview> => {
  const { db, logger } = deps;
  assertMayAttempt(principal, ACTIONS.readClassReview);
  const warn = (served: string) => (error: InvalidStoredItemError) =>
    logger.warn('invalid stored record', { ...resultWarning(error, served) });
  const klass = await db.classes.find(
    { code: classCode },
    { project: ['code', 'teacher_id'], onInvalid: warn('counted as missing') },
  );
  assertMayReadClass(principal, klass);
  if (klass === undefined) throw new ClassNotFoundError(classCode);

  const unnamed: { id: string; name: null }[] = [];
  const students = await db.students.get(
    { class_code: classCode },
    {
      project: ['id', 'name'],
      onInvalid: (error) => {
        const id = error.key.id;
        if (typeof id === 'string') unnamed.push({ id, name: null });
        warn('listed with name null')(error);
      },
    },
  );
  const listed = [...students.map((s) => ({ id: s.id, name: s.name ?? null })), ...unnamed];
  const progress = new Map<string, Partial<Entity<'student_progress'>>>(
    (
      await db.student_progress.findMany(
        listed.map((student) => ({ student_id: student.id })),
        {
          project: ['student_id', 'words_due', 'due_words', 'practised_words'],
          onInvalid: warn('counted with no word due'),
        },
      )
    ).flatMap((item) => (item.student_id === undefined ? [] : [[item.student_id, item]])),
  );

  const due = new Map<string, number>();
  const practised = new Map<string, number>();
  const count = (into: Map<string, number>, words: readonly string[] | undefined) => {
    for (const word of new Set(words ?? [])) into.set(word, (into.get(word) ?? 0) + 1);
  };
  for (const student of listed) {
    const figures = progress.get(student.id);
    count(due, figures?.due_words);
    count(practised, figures?.practised_words);
  }
  const words = [...new Set([...practised.keys(), ...due.keys()])]
    .map((word) => ({
      word,
      students_due: due.get(word) ?? 0,
      students_practised: practised.get(word) ?? 0,
    }))
    .sort((a, b) => b.students_due - a.students_due || compareCodeUnits(a.word, b.word));
  return {
    class_code: classCode,
    generated_at: deps.now.toISOString(),
    words,
    students: listed
      .sort((a, b) =>
        compareByNameThenId({ id: a.id, name: a.name ?? '' }, { id: b.id, name: b.name ?? '' }),
      )
      .map((student) => ({
        id: student.id,
        name: student.name,
        words_due: progress.get(student.id)?.words_due ?? 0,
      })),
  };
};
