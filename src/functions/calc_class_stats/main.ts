/** `calc_class_stats`: scheduled; DESIGN section 3. */
import { createStatsHandler } from '../../handlers/stats.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createStatsHandler('calc_class_stats', ['class'], () =>
  runtimeFor('calc_class_stats'),
);
