/** `calc_school_stats` (DESIGN section 3): schools.stats = { teachers, classes, students }. */
import { createStatsHandler } from '../../services/stats/stats-handler.ts';

export const createHandler = createStatsHandler('calc_school_stats', ['school']);
