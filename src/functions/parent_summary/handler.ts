import { createHttpHandler, type HttpHandler, type RuntimeProvider } from '../../http/handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getParentSummary } from '../../services/results/parent-summary.ts';

/**
 * `GET /parents/{id}/summary` (DESIGN sections 3-5): the stored `parent_summaries` item,
 * 404 until the aggregate job has written it.
 *
 * @example
 * ```ts
 * export const handle = createParentSummaryHandler(() => runtimeFor('parent_summary'));
 * ```
 */
export const createParentSummaryHandler = (runtime: RuntimeProvider): HttpHandler =>
  createHttpHandler('parent_summary', runtime, async (request, principal, { db }) => ({
    body: await getParentSummary(db, principal, pathParameter(request, 'id')),
  }));
