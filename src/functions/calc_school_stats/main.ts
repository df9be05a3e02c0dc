/** `calc_school_stats`: scheduled; DESIGN section 3. */
import { createStatsHandler } from '../../handlers/stats.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createStatsHandler('calc_school_stats', ['school'], () =>
  runtimeFor('calc_school_stats'),
);
