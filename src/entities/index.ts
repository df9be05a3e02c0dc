/**
 * Which schema validates the items of which table. Both repository implementations read
 * this map, so an item is validated the same way whatever the store.
 */
import { type TableName, tableNames } from '../tables/definitions.ts';
import { answerRateSchema, answerSchema } from './answer.ts';
import { holdsDataKeyedRecord } from './common.ts';
import { answerBatchSchema, jobSchema, parentMarkSchema, studentMarkSchema } from './job.ts';
import {
  classSchema,
  groupSchema,
  moduleSchema,
  parentSchema,
  schoolSchema,
  studentSchema,
  teacherSchema,
} from './organisation.ts';
import { parentSummarySchema } from './parent-summary.ts';
import { studentProgressSchema } from './student-progress.ts';
import { studentStateSchema } from './student-state.ts';

export const entitySchemas = {
  groups: groupSchema,
  schools: schoolSchema,
  teachers: teacherSchema,
  classes: classSchema,
  students: studentSchema,
  parents: parentSchema,
  modules: moduleSchema,
  answers: answerSchema,
  student_progress: studentProgressSchema,
  parent_summaries: parentSummarySchema,
  jobs: jobSchema,
  student_state: studentStateSchema,
  student_marks: studentMarkSchema,
  answer_batches: answerBatchSchema,
  parent_marks: parentMarkSchema,
  answer_rates: answerRateSchema,
} as const satisfies Record<TableName, unknown>;

export type EntitySchemas = typeof entitySchemas;

/**
 * The tables whose items hold maps keyed by data (`student_progress`: modules by id, days
 * by date), found in their schemas. `student_state` keeps its modules and words in lists.
 */
export const tablesWithDataKeyedMaps: ReadonlySet<TableName> = new Set(
  tableNames.filter((table) => holdsDataKeyedRecord(entitySchemas[table])),
);
