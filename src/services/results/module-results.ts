/**
 * `module_results`: accuracy over words and students of one module in one class. Reads
 * only by key: the class and the module by id, the class's students through the
 * `class_code` index, each student's answers of the module with one key-prefix query.
 */
import pMap from 'p-map';
import {
  computeModuleResults,
  type ModuleResults,
  type ResultStudent,
} from '../../domain/results/module-results.ts';
import { localDayRange } from '../../domain/time-zone.ts';
import { moduleAnswerPrefix } from '../../entities/answer.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Db, Entity } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { ACTIONS, assertMayAttempt } from '../access/permissions.ts';
import { assertMayReadClass } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { type ListedWarnings, WarningLog } from '../warning-log.ts';
import { ClassNotFoundError, ModuleNotFoundError, ModuleUnreadableError } from './errors.ts';
import { type ResultWarning, resultWarning } from './result-warnings.ts';

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
  /** Where stored records that could not be read (and were served partially) are reported. */
  readonly logger: Logger;
}

/** The reply: the figures, plus the stored records that could not be read as they are. */
export type ModuleResultsReply = ModuleResults & ListedWarnings<ResultWarning>;

/**
 * The results of a module in a class, for a principal allowed to see the class.
 *
 * One bad stored record does not take the reply down: a student whose name cannot be read
 * is listed with `name: null`; a class or module whose name or title cannot be read has
 * `class_name` / `module_title` null; an unreadable answer is left out. Each is named in
 * `warnings` and in one WARN log line. Only a module whose words cannot be read at all is
 * refused (`MODULE_UNREADABLE`): without its words there are no results to give.
 *
 * @example
 * ```ts
 * const results = await getModuleResults(
 *   { db, now: () => new Date(), timezone: 'Asia/Shanghai', logger },
 *   { sub: 't-1', role: 'teacher' },
 *   { classCode: 'c-001', moduleId: 'm-01', from: '2026-03-01', to: '2026-03-31' },
 * );
 * ```
 */
export const getModuleResults = async (
  deps: ModuleResultsDeps,
  principal: Principal,
  query: ModuleResultsQuery,
): Promise<ModuleResultsReply> => {
  const { db } = deps;
  assertMayAttempt(principal, ACTIONS.readModuleResults);
  const warnings = new WarningLog<ResultWarning>();
  const skipped = (served: string) => (error: InvalidStoredItemError) =>
    warnings.add(resultWarning(error, served));
  try {
    // The name only labels the reply: a class whose name cannot be read is read again
    // without it, so that access is still decided on its `teacher_id`.
    const klass = await findDegrading<
      Pick<Entity<'classes'>, 'code' | 'teacher_id' | 'name'>,
      Pick<Entity<'classes'>, 'code' | 'teacher_id'>
    >(
      (onInvalid) =>
        db.classes.find(
          { code: query.classCode },
          { project: ['code', 'teacher_id', 'name'], onInvalid },
        ),
      (onInvalid) =>
        db.classes.find({ code: query.classCode }, { project: ['code', 'teacher_id'], onInvalid }),
      skipped('class_name is null'),
    );
    assertMayReadClass(principal, klass.item);
    if (klass.item === undefined) throw new ClassNotFoundError(query.classCode);

    const invalidStudents: ResultStudent[] = [];
    const [module, students] = await Promise.all([
      findDegrading<
        Pick<Entity<'modules'>, 'id' | 'title' | 'words'>,
        Pick<Entity<'modules'>, 'id' | 'words'>
      >(
        (onInvalid) =>
          db.modules.find({ id: query.moduleId }, { project: ['id', 'title', 'words'], onInvalid }),
        (onInvalid) =>
          db.modules.find({ id: query.moduleId }, { project: ['id', 'words'], onInvalid }),
        skipped('module_title is null'),
      ),
      db.students.get(
        { class_code: query.classCode },
        {
          project: ['id', 'name'],
          onInvalid: (error) => {
            // Only `id` (the key) and `name` are read: the name is what is wrong.
            const id = error.key.id;
            if (typeof id === 'string') invalidStudents.push({ id, name: null });
            warnings.add(resultWarning(error, 'listed with name null'));
          },
        },
      ),
    ]);
    if (module.item === undefined) {
      if (module.unreadable === undefined) throw new ModuleNotFoundError(query.moduleId);
      throw new ModuleUnreadableError(query.moduleId, { cause: module.unreadable });
    }

    const classStudents: ResultStudent[] = [...students, ...invalidStudents];
    const prefix = moduleAnswerPrefix(query.moduleId);
    const answers = await pMap(
      classStudents,
      (student) =>
        db.answers.get(
          { student_id: student.id },
          {
            sortKey: { beginsWith: prefix },
            // `answer_key` only so that an invalid answer can be named by its key.
            project: [
              'student_id',
              'answer_key',
              'answer_id',
              'word',
              'correct',
              'answered_at',
              'duration_ms',
            ],
            onInvalid: skipped('the answer is not counted'),
          },
        ),
      { concurrency: ANSWER_QUERY_CONCURRENCY },
    );

    return {
      ...computeModuleResults({
        classCode: query.classCode,
        className: klass.full?.name ?? null,
        module: { ...module.item, title: module.full?.title ?? null },
        students: classStudents,
        answers: answers.flat(),
        range: localDayRange(query.from, query.to, deps.timezone),
        generatedAt: deps.now(),
      }),
      ...warnings.summary(),
    };
  } finally {
    const summary = warnings.summary();
    if (summary.warnings_total > 0) {
      deps.logger.warn('invalid stored records served partially', { ...summary });
    }
  }
};

type OnInvalid = (error: InvalidStoredItemError) => void;

/**
 * A record read with all the attributes the reply would like (`full`), or, if the record
 * does not validate with them, read again with the few it cannot do without. `item` is
 * whichever read succeeded; `unreadable` the error of the second read when that one fails
 * too (`item` is then `undefined`, as if missing, and the caller decides).
 */
const findDegrading = async <F extends object, M extends object>(
  full: (onInvalid: OnInvalid) => Promise<F | undefined>,
  minimal: (onInvalid: OnInvalid) => Promise<M | undefined>,
  onDegraded: OnInvalid,
): Promise<{
  readonly full?: F | undefined;
  readonly item: F | M | undefined;
  readonly unreadable?: InvalidStoredItemError;
}> => {
  let invalid = false;
  const item = await full((error) => {
    invalid = true;
    onDegraded(error);
  });
  if (item !== undefined || !invalid) return { full: item, item };
  let unreadable: InvalidStoredItemError | undefined;
  const fallback = await minimal((error) => {
    unreadable = error;
  });
  return unreadable === undefined ? { item: fallback } : { item: undefined, unreadable };
};
