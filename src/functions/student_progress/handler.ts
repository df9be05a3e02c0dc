import { createHttpHandler } from '../../http/http-handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getStudentProgress } from '../../services/results/student-progress.ts';

/**
 * `GET /students/{id}/progress` (DESIGN sections 3-5): the stored `student_progress` item,
 * 404 until the aggregate job has written it.
 */
export const createHandler = createHttpHandler(
  'student_progress',
  async (request, principal, { db, logger }) => ({
    body: await getStudentProgress(db, principal, pathParameter(request, 'id'), logger),
  }),
);
