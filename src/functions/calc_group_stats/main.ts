/** `calc_group_stats`: scheduled; DESIGN section 3. */
import { createStatsHandler } from '../../handlers/stats.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createStatsHandler('calc_group_stats', ['group'], () =>
  runtimeFor('calc_group_stats'),
);
