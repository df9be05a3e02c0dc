import { createHttpHandler } from '../../http/http-handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getStudentReview } from '../../services/review/student-review.ts';

/**
 * `GET /students/{id}/review` (DESIGN sections 3-5): the words the student should practise
 * today and in the coming week, `recall` at the request's instant; 404 until the
 * aggregate job has folded the student's answers.
 */
export const createHandler = createHttpHandler(
  'student_review',
  async (request, principal, { db, now, config, logger }) => ({
    body: await getStudentReview(
      { db, logger, now: now(), timeZone: config.timezone },
      principal,
      pathParameter(request, 'id'),
    ),
  }),
);
