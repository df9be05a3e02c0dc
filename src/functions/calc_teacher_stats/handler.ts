/** `calc_teacher_stats` (DESIGN section 3): teachers.stats = { classes, students }. */
import { createStatsHandler } from '../../services/stats/stats-handler.ts';

export const createHandler = createStatsHandler('calc_teacher_stats', ['teacher']);
