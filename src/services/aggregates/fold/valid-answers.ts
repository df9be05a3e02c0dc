/**
 * A student's answers as the fold and the rebuild read them: a page at a time, each answer
 * that does not validate left out and handed to `onInvalid` (its key and what is wrong).
 * `answers` is written by others too (an import from the old system may bring
 * `correct: "yes"`), and one such answer must not fail its student on every run: the
 * figures follow from the valid answers, as module results count them.
 *
 * Both readers validate the same attributes through this one read, so an answer the
 * incremental fold leaves out is left out by the full rebuild as well, and both give the
 * same figures.
 */
import type { Db } from '../../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../../repositories/errors.ts';
import type { SortKeyCondition } from '../../../repositories/repository.ts';

/** The attributes of an answer a fold reads. */
export const FOLD_ANSWER_FIELDS = [
  'answer_id',
  'module_id',
  'word',
  'correct',
  'answered_at',
  'recorded_at',
  'recorded_key',
] as const;

/** A query reads only what it projects, and an answer left out is named by its key. */
const READ_FIELDS = ['student_id', 'answer_key', ...FOLD_ANSWER_FIELDS] as const;

export interface AnswerRead {
  /** The `recorded_key` index (the fold), or the table itself (the rebuild). */
  readonly index?: 'recorded_key';
  readonly sortKey?: SortKeyCondition;
  readonly pageSize: number;
}

export interface AnswerPage<A> {
  /** The answers of the page that validate, in the order read. */
  readonly answers: A[];
  /** Answers of the page that do not validate: left out, reported to `onInvalid`. */
  readonly skipped: number;
}

/**
 * @example
 * ```ts
 * for await (const page of validAnswerPages(db, 's-1', { pageSize: 500 }, onInvalid)) {
 *   for (const answer of page.answers) foldAnswer(target, answer, timeZone);
 * }
 * ```
 */
export async function* validAnswerPages(
  db: Db,
  studentId: string,
  read: AnswerRead,
  onInvalid: (error: InvalidStoredItemError) => void,
) {
  let skipped = 0;
  // A page is validated before it is handed on, so the count is this page's.
  for await (const answers of db.answers.pages(
    { student_id: studentId },
    {
      ...read,
      consistent: true,
      project: [...READ_FIELDS],
      onInvalid: (error) => {
        skipped += 1;
        onInvalid(error);
      },
    },
  )) {
    const page: AnswerPage<(typeof answers)[number]> = { answers, skipped };
    skipped = 0;
    yield page;
  }
}
