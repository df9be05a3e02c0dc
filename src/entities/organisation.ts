/**
 * The organisation tables, written by the LMS app (DESIGN section 2). We read them and
 * write only `stats`. Schemas are loose: attributes the LMS app adds survive a read.
 * Links (`group_code`, `school_code`, `teacher_id`, `class_code`) are optional because
 * records legitimately exist before they are linked, and links can dangle.
 */
import * as z from 'zod';
import { count, id, idList, utcTimestamp } from './common.ts';

/**
 * `stats` as stored. Every count is optional so that a `stats` written by an older system
 * (or a partial one) is still readable: the nightly job then sees it as changed and
 * rewrites it, instead of failing on the record.
 */
const stats = z
  .looseObject({
    schools: count.optional(),
    teachers: count.optional(),
    classes: count.optional(),
    students: count.optional(),
    updated_at: utcTimestamp.optional(),
  })
  .optional();

export const groupSchema = z.looseObject({ code: id, name: z.string(), stats });
export type Group = z.output<typeof groupSchema>;

export const schoolSchema = z.looseObject({
  code: id,
  name: z.string(),
  group_code: id.optional(),
  stats,
});
export type School = z.output<typeof schoolSchema>;

export const teacherSchema = z.looseObject({
  id,
  name: z.string(),
  school_code: id.optional(),
  stats,
});
export type Teacher = z.output<typeof teacherSchema>;

export const classSchema = z.looseObject({
  code: id,
  name: z.string(),
  teacher_id: id.optional(),
  school_code: id.optional(),
  level: z.union([z.string(), z.number()]).optional(),
  stats,
});
export type Class = z.output<typeof classSchema>;

export const studentSchema = z.looseObject({
  id,
  name: z.string(),
  class_code: id.optional(),
  parent_ids: idList,
});
export type Student = z.output<typeof studentSchema>;

export const parentSchema = z.looseObject({ id, name: z.string(), student_ids: idList });
export type Parent = z.output<typeof parentSchema>;

const word = z.string().min(1);

export const moduleSchema = z.looseObject({
  id,
  title: z.string(),
  level: z.union([z.string(), z.number()]).optional(),
  /**
   * An ordered list (DESIGN section 2). A string set (written by a tool that took the
   * words for a set) holds the same words without their order, which DynamoDB does not
   * keep: it is read in code-unit order, so that replies are stable, instead of making
   * the module unreadable. Every figure depends only on which words are listed; only the
   * order of `module_results.words` differs from the module's.
   */
  words: z.union([z.array(word), z.set(word).transform((words) => [...words].sort())]),
});
export type Module = z.output<typeof moduleSchema>;
