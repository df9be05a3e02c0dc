/**
 * The handler of every stats function: parse the event, run the stats service, log and
 * return the summary. A run with failed writes logs its summary and then fails, so the
 * scheduler retries it (a run is idempotent).
 */
import type { Context } from 'aws-lambda';
import type { StatsLevel } from '../domain/stats/levels.ts';
import type { Runtime } from '../functions/runtime.ts';
import { StatsWriteError } from '../services/stats/errors.ts';
import { runStats } from '../services/stats/run-stats.ts';
import type { StatsSummary } from '../services/stats/summary.ts';
import { jobEventSchema, parseJobEvent } from './job-event.ts';

/**
 * @example
 * ```ts
 * // src/functions/calc_class_stats/main.ts
 * export const handle = createStatsHandler('calc_class_stats', ['class'], () => runtimeFor('calc_class_stats'));
 * ```
 */
export const createStatsHandler =
  (job: string, levels: readonly StatsLevel[], runtime: () => Runtime) =>
  async (event: unknown, context?: Context): Promise<StatsSummary> => {
    const { db, logger, now } = runtime();
    if (context !== undefined) logger.addContext(context);
    const options = parseJobEvent(jobEventSchema, event);
    const summary = await runStats(db, { job, levels, dryRun: options.dry_run, now });
    if (summary.failed > 0) {
      logger.error('stats run failed', { summary });
      throw new StatsWriteError(summary);
    }
    logger.info('stats run', { summary });
    return summary;
  };
