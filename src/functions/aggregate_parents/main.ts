/** `aggregate_parents`: scheduled after `aggregate_students`, and on demand; DESIGN section 3. */
import { createAggregateParentsHandler } from '../../handlers/aggregate-parents.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createAggregateParentsHandler(() => runtimeFor('aggregate_parents'));
