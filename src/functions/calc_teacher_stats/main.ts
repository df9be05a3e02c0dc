/** `calc_teacher_stats`: scheduled; DESIGN section 3. */
import { createStatsHandler } from '../../handlers/stats.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createStatsHandler('calc_teacher_stats', ['teacher'], () =>
  runtimeFor('calc_teacher_stats'),
);
