import { createHttpHandler } from '../../http/http-handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getClassReview } from '../../services/review/class-review.ts';

/**
 * `GET /classes/{class_code}/review` (DESIGN sections 3-5): the class's words by students
 * due, from its students' progress as the last aggregate run left it.
 */
export const createHandler = createHttpHandler(
  'class_review',
  async (request, principal, { db, now, logger }) => ({
    body: await getClassReview(
      { db, logger, now: now() },
      principal,
      pathParameter(request, 'class_code'),
    ),
  }),
);
