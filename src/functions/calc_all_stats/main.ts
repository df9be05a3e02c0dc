/** `calc_all_stats`: scheduled; DESIGN section 3. */
import { ALL_LEVELS } from '../../domain/stats/levels.ts';
import { createStatsHandler } from '../../handlers/stats.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createStatsHandler('calc_all_stats', ALL_LEVELS, () =>
  runtimeFor('calc_all_stats'),
);
