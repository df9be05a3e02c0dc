import { createHttpHandler } from '../../http/http-handler.ts';
import { dateRangeQuery, moduleIdParameter, pathParameter } from '../../http/params.ts';
import { getModuleResults } from '../../services/results/module-results.ts';

/**
 * `GET /classes/{class_code}/modules/{module_id}/results[?from=YYYY-MM-DD&to=YYYY-MM-DD]`
 * (DESIGN sections 3-5): the results of a module in a class, dates in `LMS_TIMEZONE`.
 */
export const createHandler = createHttpHandler(
  'module_results',
  async (request, principal, { db, now, config, logger }) => {
    const query = {
      classCode: pathParameter(request, 'class_code'),
      moduleId: moduleIdParameter(request, 'module_id'),
      ...dateRangeQuery(request),
    };
    return {
      body: await getModuleResults(
        { db, now, timezone: config.timezone, logger },
        principal,
        query,
      ),
    };
  },
);
