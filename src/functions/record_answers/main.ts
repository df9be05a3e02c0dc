/** `record_answers`: `POST /answers`; DESIGN section 3. */
import { runtimeFor } from '../runtime.ts';
import { createRecordAnswersHandler } from './handler.ts';

export const handle = createRecordAnswersHandler(() => runtimeFor('record_answers'));
