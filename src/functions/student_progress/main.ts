/** `student_progress`: `GET /students/{id}/progress`; DESIGN section 3. */
import { runtimeFor } from '../runtime.ts';
import { createStudentProgressHandler } from './handler.ts';

export const handle = createStudentProgressHandler(() => runtimeFor('student_progress'));
