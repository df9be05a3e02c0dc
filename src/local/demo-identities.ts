/**
 * Who to be in the demo: a teacher with a class, one of that class's modules, a student of
 * it and the student's parent, read from the data, so the printed tokens and `curl` lines
 * work on whatever the tables hold.
 */
import { compareCodeUnits } from '../domain/ordering.ts';
import type { Db } from '../repositories/db.ts';

export interface DemoIdentities {
  readonly teacherId: string | undefined;
  readonly classCode: string | undefined;
  readonly moduleId: string | undefined;
  readonly word: string | undefined;
  readonly studentId: string | undefined;
  readonly parentId: string | undefined;
}

export const findDemoIdentities = async (db: Db): Promise<DemoIdentities> => {
  const classes = await db.classes.get(
    {},
    { scan: true, project: ['code', 'teacher_id', 'level'] },
  );
  const klass = classes
    .filter((c) => c.teacher_id !== undefined)
    .sort((a, b) => compareCodeUnits(a.code, b.code))[0];
  const modules = await db.modules.get({}, { scan: true, project: ['id', 'level', 'words'] });
  const module = modules
    .filter((m) => klass === undefined || String(m.level) === String(klass.level))
    .sort((a, b) => compareCodeUnits(a.id, b.id))[0];
  const students =
    klass === undefined
      ? []
      : await db.students.get({ class_code: klass.code }, { project: ['id', 'parent_ids'] });
  const student = students.sort((a, b) => compareCodeUnits(a.id, b.id))[0];
  return {
    teacherId: klass?.teacher_id,
    classCode: klass?.code,
    moduleId: module?.id,
    word: module?.words[0],
    studentId: student?.id,
    parentId: student?.parent_ids[0],
  };
};
