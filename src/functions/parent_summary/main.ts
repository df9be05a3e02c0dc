/** `parent_summary`: `GET /parents/{id}/summary`; DESIGN section 3. */
import { runtimeFor } from '../runtime.ts';
import { createParentSummaryHandler } from './handler.ts';

export const handle = createParentSummaryHandler(() => runtimeFor('parent_summary'));
