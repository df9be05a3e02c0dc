/**
 * `module_results`: accuracy over words and students of one module in one class. Reads
 * only by key: the class and the module by id, the class's students through the
 * `class_code` index, each student's answers of the module with one key-prefix query.
 */
import pMap from 'p-map';
import { computeModuleResults, type ModuleResults } from '../../domain/results/module-results.ts';
import { localDayRange } from '../../domain/time-zone.ts';
import { moduleAnswerPrefix } from '../../entities/answer.ts';
import type { Db } from '../../repositories/db.ts';
import { ACTIONS, assertMayAttempt } from '../access/permissions.ts';
import { assertMayReadClass } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { ClassNotFoundError, ModuleNotFoundError } from './errors.ts';

/** Answer queries in flight at once: enough to hide latency, few enough not to throttle. */
export const ANSWER_QUERY_CONCURRENCY = 8;

export interface ModuleResultsQuery {
  readonly classCode: string;
  readonly moduleId: string;
  /** First calendar date counted (`YYYY-MM-DD`, in `timezone`), inclusive. */
  readonly from?: string | undefined;
  /** Last calendar date counted, inclusive. */
  readonly to?: string | undefined;
}

export interface ModuleResultsDeps {
  readonly db: Db;
  readonly now: () => Date;
  /** The IANA zone of school days (`LMS_TIMEZONE`). */
  readonly timezone: string;
}

/**
 * The results of a module in a class, for a principal allowed to see the class.
 *
 * @example
 * ```ts
 * const results = await getModuleResults(
 *   { db, now: () => new Date(), timezone: 'Asia/Shanghai' },
 *   { sub: 't-1', role: 'teacher' },
 *   { classCode: 'c-001', moduleId: 'm-01', from: '2026-03-01', to: '2026-03-31' },
 * );
 * ```
 */
export const getModuleResults = async (
  deps: ModuleResultsDeps,
  principal: Principal,
  query: ModuleResultsQuery,
): Promise<ModuleResults> => {
  const { db } = deps;
  assertMayAttempt(principal, ACTIONS.readModuleResults);
  const klass = await db.classes.find(
    { code: query.classCode },
    { project: ['code', 'teacher_id'] },
  );
  assertMayReadClass(principal, klass);
  if (klass === undefined) throw new ClassNotFoundError(query.classCode);

  const [module, students] = await Promise.all([
    db.modules.find({ id: query.moduleId }, { project: ['id', 'words'] }),
    db.students.get({ class_code: query.classCode }, { project: ['id', 'name'] }),
  ]);
  if (module === undefined) throw new ModuleNotFoundError(query.moduleId);

  const prefix = moduleAnswerPrefix(query.moduleId);
  const answers = await pMap(
    students,
    (student) =>
      db.answers.get(
        { student_id: student.id },
        {
          sortKey: { beginsWith: prefix },
          project: ['student_id', 'answer_id', 'word', 'correct', 'answered_at', 'duration_ms'],
        },
      ),
    { concurrency: ANSWER_QUERY_CONCURRENCY },
  );

  return computeModuleResults({
    classCode: query.classCode,
    module,
    students,
    answers: answers.flat(),
    range: localDayRange(query.from, query.to, deps.timezone),
    generatedAt: deps.now(),
  });
};
