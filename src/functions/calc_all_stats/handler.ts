/** `calc_all_stats` (DESIGN section 3), the nightly stats job: all four levels in one pass. */
import { ALL_LEVELS } from '../../domain/stats/levels.ts';
import { createStatsHandler } from '../../services/stats/stats-handler.ts';

export const createHandler = createStatsHandler('calc_all_stats', ALL_LEVELS);
