/**
 * `GET /students/{id}/review` (DESIGN section 4, "Review"): the words a student should
 * practise today and in the coming week, from the cards `aggregate_students` keeps in the
 * student's word parts, with `recall` computed at the request's instant.
 *
 * The cards are read with a projection (card, module ids, word): a word part's reviews,
 * the bulk of it, are never read here. A part that does not read as a card is left out
 * and logged at WARN: one bad word degrades the list, never the route.
 */
import * as z from 'zod';
import { compareCodeUnits } from '../../domain/ordering.ts';
import type { MemoryCard } from '../../domain/review/card.ts';
import { dueDay, isDueOn, isDueWithin } from '../../domain/review/memory.ts';
import { localDate } from '../../domain/time-zone.ts';
import { id } from '../../entities/common.ts';
import { ROOT_PART, storedCardSchema } from '../../entities/student-state.ts';
import { describeIssues, zodIssues } from '../../lib/zod-issues.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Db } from '../../repositories/db.ts';
import { ACTIONS } from '../access/permissions.ts';
import { assertMayReadStudent } from '../access/policy.ts';
import type { Principal } from '../access/principal.ts';
import { resultWarning } from '../results/result-warnings.ts';
import { ReviewNotFoundError } from './errors.ts';
import { createFsrsModel } from './memory-model.ts';
import type { ReviewWord, StudentReview } from './schemas.ts';
import { cardOf } from './stored-card.ts';

/** The coming days `upcoming` covers (DESIGN: the next 7 days). */
export const UPCOMING_DAYS = 7;

const cardPartSchema = z.object({
  word: z.string().min(1),
  card: storedCardSchema,
  module_ids: z.array(id),
});

const rootPartSchema = z.object({ review_retention: z.number(), time_zone: z.string() });

/**
 * @example
 * ```ts
 * const review = await getStudentReview(deps, principal, 's-001');
 * review.due[0]; // { word: 'apple', recall: 0.71, due_at: '…', ... }
 * ```
 */
export const getStudentReview = async (
  deps: {
    readonly db: Db;
    readonly logger: Logger;
    readonly now: Date;
    readonly timeZone: string;
    /** `LMS_REVIEW_RETENTION`: reported when no card was stored yet. */
    readonly retention: number;
  },
  principal: Principal,
  studentId: string,
  /** Also every card due after the coming week (`later`). */
  options: { readonly all?: boolean } = {},
): Promise<StudentReview> => {
  const { db, logger } = deps;
  await assertMayReadStudent(
    db,
    principal,
    studentId,
    (error) =>
      logger.warn('invalid stored record: access not granted through it', {
        ...resultWarning(error, 'counted as missing'),
      }),
    ACTIONS.readStudentReview,
  );
  const rootItem = await db.student_state.find(
    { student_id: studentId, part: ROOT_PART },
    { project: ['student_id', 'part', 'review_retention', 'time_zone'] },
  );
  const root = rootPartSchema.safeParse(rootItem);
  if (!root.success) {
    // No cards: a student the job has computed (a progress exists) has no answers yet, and
    // nothing to practise; otherwise the job has not reached the student.
    const progress = await db.student_progress.find(
      { student_id: studentId },
      { project: ['student_id'], onInvalid: () => undefined },
    );
    if (progress === undefined) throw new ReviewNotFoundError(studentId);
  }
  const retention = root.success ? root.data.review_retention : deps.retention;

  const model = createFsrsModel(retention);
  const at = deps.now.getTime();
  const today = localDate(at, deps.timeZone);
  const due: ReviewWord[] = [];
  const upcoming: ReviewWord[] = [];
  const later: ReviewWord[] = [];
  for await (const page of db.student_state.pages(
    { student_id: studentId },
    {
      sortKey: { beginsWith: 'w#' },
      project: ['student_id', 'part', 'word', 'card', 'module_ids'],
    },
  )) {
    for (const item of page) {
      const part = cardPartSchema.safeParse(item);
      if (!part.success) {
        // An emptied part (no answers left) has no card: nothing to review, nothing wrong.
        if (item.card === null) continue;
        logger.warn('invalid stored record: word left out of the review', {
          table: 'student_state',
          key: { student_id: studentId, part: item.part },
          message: describeIssues(zodIssues(part.error), '(item)'),
        });
        continue;
      }
      const card: MemoryCard = cardOf(part.data.card);
      const day = dueDay(card, deps.timeZone);
      const word: ReviewWord = {
        word: part.data.word,
        module_ids: part.data.module_ids,
        recall: model.recall(card, at),
        due_at: new Date(card.due).toISOString(),
        stability: card.stability,
        difficulty: card.difficulty,
        reviews: card.reps,
        lapses: card.lapses,
        last_review: card.last_review === null ? null : new Date(card.last_review).toISOString(),
      };
      if (isDueOn(day, today)) due.push(word);
      else if (isDueWithin(day, today, UPCOMING_DAYS)) upcoming.push(word);
      else later.push(word);
    }
  }
  due.sort((a, b) => a.recall - b.recall || compareCodeUnits(a.word, b.word));
  const byDueThenWord = (a: ReviewWord, b: ReviewWord) =>
    compareCodeUnits(a.due_at, b.due_at) || compareCodeUnits(a.word, b.word);
  upcoming.sort(byDueThenWord);
  return {
    student_id: studentId,
    generated_at: deps.now.toISOString(),
    retention,
    due,
    upcoming,
    ...(options.all === true ? { later: later.sort(byDueThenWord) } : {}),
  };
};
