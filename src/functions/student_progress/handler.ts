import { createHttpHandler, type HttpHandler, type RuntimeProvider } from '../../http/handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getStudentProgress } from '../../services/results/student-progress.ts';

/**
 * `GET /students/{id}/progress` (DESIGN sections 3-5): the stored `student_progress` item,
 * 404 until the aggregate job has written it.
 *
 * @example
 * ```ts
 * export const handle = createStudentProgressHandler(() => runtimeFor('student_progress'));
 * ```
 */
export const createStudentProgressHandler = (runtime: RuntimeProvider): HttpHandler =>
  createHttpHandler('student_progress', runtime, async (request, principal, { db }) => ({
    body: await getStudentProgress(db, principal, pathParameter(request, 'id')),
  }));
