import { createHttpHandler } from '../../http/http-handler.ts';
import { flagQuery, pathParameter } from '../../http/params.ts';
import { getStudentReview } from '../../services/review/student-review.ts';

/**
 * `GET /students/{id}/review` (DESIGN sections 3-5): the words the student should practise
 * today and in the coming week (`?all=true`: every card, the later ones in `later`),
 * `recall` at the request's instant; 404 until the aggregate job has reached the student.
 */
export const createHandler = createHttpHandler(
  'student_review',
  async (request, principal, { db, now, config, logger }) => ({
    body: await getStudentReview(
      { db, logger, now: now(), timeZone: config.timezone, retention: config.reviewRetention },
      principal,
      pathParameter(request, 'id'),
      { all: flagQuery(request, 'all') },
    ),
  }),
);
