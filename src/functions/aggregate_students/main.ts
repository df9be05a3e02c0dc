/** `aggregate_students`: scheduled hourly (incremental) and on demand; DESIGN section 3. */
import { createAggregateStudentsHandler } from '../../handlers/aggregate-students.ts';
import { runtimeFor } from '../runtime.ts';

export const handle = createAggregateStudentsHandler(() => runtimeFor('aggregate_students'));
