/** `calc_class_stats` (DESIGN section 3): classes.stats = { students }. */
import { createStatsHandler } from '../../services/stats/stats-handler.ts';

export const createHandler = createStatsHandler('calc_class_stats', ['class']);
