import { createHttpHandler } from '../../http/http-handler.ts';
import { pathParameter } from '../../http/params.ts';
import { getParentSummary } from '../../services/results/parent-summary.ts';

/**
 * `GET /parents/{id}/summary` (DESIGN sections 3-5): the stored `parent_summaries` item,
 * 404 until the aggregate job has written it.
 */
export const createHandler = createHttpHandler(
  'parent_summary',
  async (request, principal, { db, logger }) => ({
    body: await getParentSummary(db, principal, pathParameter(request, 'id'), logger),
  }),
);
