/** `module_results`: `GET /classes/{class_code}/modules/{module_id}/results`; DESIGN section 3. */
import { runtimeFor } from '../runtime.ts';
import { createModuleResultsHandler } from './handler.ts';

export const handle = createModuleResultsHandler(() => runtimeFor('module_results'));
