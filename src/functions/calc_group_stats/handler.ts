/** `calc_group_stats` (DESIGN section 3): groups.stats = { schools, teachers, classes, students }. */
import { createStatsHandler } from '../../services/stats/stats-handler.ts';

export const createHandler = createStatsHandler('calc_group_stats', ['group']);
