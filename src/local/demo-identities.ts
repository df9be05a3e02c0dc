/**
 * Who to be in the demo: a teacher with a class, the module that class answered in most
 * recently, the student of it who answered last and the student's parent, read from the
 * data, so the printed tokens and `curl` lines show something on whatever the tables hold
 * (a seeded class moves on from one module to the next over the 30 days).
 */
import { compareCodeUnits } from '../domain/ordering.ts';
import type { Db } from '../repositories/db.ts';
import type { Role } from '../services/access/principal.ts';

export interface DemoIdentities {
  readonly teacherId: string | undefined;
  /** A teacher who does not teach the demo class: who sees the API's 403 for it. */
  readonly otherTeacherId: string | undefined;
  readonly classCode: string | undefined;
  readonly moduleId: string | undefined;
  readonly word: string | undefined;
  readonly studentId: string | undefined;
  readonly parentId: string | undefined;
}

/** Classes looked at for answers before settling for one without any (a bound on reads). */
const CLASSES_TRIED = 20;

interface Latest {
  readonly studentId: string;
  readonly moduleId: string;
  readonly at: string;
}

/** The latest answer among a class's students, to a module that exists. */
const latestAnswer = async (
  db: Db,
  studentIds: readonly string[],
  moduleIds: ReadonlySet<string>,
): Promise<Latest | undefined> => {
  let latest: Latest | undefined;
  for (const studentId of studentIds) {
    const answers = await db.answers.get(
      { student_id: studentId },
      { project: ['module_id', 'answered_at'] },
    );
    for (const answer of answers) {
      if (!moduleIds.has(answer.module_id)) continue;
      if (latest === undefined || answer.answered_at > latest.at) {
        latest = { studentId, moduleId: answer.module_id, at: answer.answered_at };
      }
    }
  }
  return latest;
};

/** The admin and service users of the demo: users of the pool, no records of the LMS. */
export const DEMO_ADMIN_ID = 'admin';
export const DEMO_SERVICE_ID = 'lms-app';

/**
 * The LMS id to sign in as for each role: what the banner prints tokens for and the
 * console offers. A Record over every role, so a role added to the policy fails to compile
 * here until it has a demo identity.
 */
export const demoLoginIds = (demo: DemoIdentities): Record<Role, string | undefined> => ({
  admin: DEMO_ADMIN_ID,
  teacher: demo.teacherId,
  parent: demo.parentId,
  student: demo.studentId,
  service: DEMO_SERVICE_ID,
});

/** The first teacher, in class order, of a class the demo teacher does not teach. */
const otherTeacher = (
  classes: readonly { readonly teacher_id?: string | undefined }[],
  teacherId: string | undefined,
) => classes.find((c) => c.teacher_id !== teacherId)?.teacher_id;

export const findDemoIdentities = async (db: Db): Promise<DemoIdentities> => {
  const classes = (
    await db.classes.get({}, { scan: true, project: ['code', 'teacher_id', 'level'] })
  )
    .filter((c) => c.teacher_id !== undefined)
    .sort((a, b) => compareCodeUnits(a.code, b.code));
  const modules = (
    await db.modules.get({}, { scan: true, project: ['id', 'level', 'words'] })
  ).sort((a, b) => compareCodeUnits(a.id, b.id));
  const moduleIds = new Set(modules.map((m) => m.id));
  for (const klass of classes.slice(0, CLASSES_TRIED)) {
    const students = (
      await db.students.get({ class_code: klass.code }, { project: ['id', 'parent_ids'] })
    ).sort((a, b) => compareCodeUnits(a.id, b.id));
    const latest = await latestAnswer(
      db,
      students.map((s) => s.id),
      moduleIds,
    );
    if (latest === undefined) continue;
    const student = students.find((s) => s.id === latest.studentId);
    return {
      teacherId: klass.teacher_id,
      otherTeacherId: otherTeacher(classes, klass.teacher_id),
      classCode: klass.code,
      moduleId: latest.moduleId,
      word: modules.find((m) => m.id === latest.moduleId)?.words[0],
      studentId: latest.studentId,
      parentId: student?.parent_ids[0],
    };
  }
  // No answers anywhere yet: the first class, a module of its level, its first student.
  const klass = classes[0];
  const module = modules.find(
    (m) => klass === undefined || String(m.level) === String(klass.level),
  );
  const students =
    klass === undefined
      ? []
      : await db.students.get({ class_code: klass.code }, { project: ['id', 'parent_ids'] });
  const student = students.sort((a, b) => compareCodeUnits(a.id, b.id))[0];
  return {
    teacherId: klass?.teacher_id,
    otherTeacherId: otherTeacher(classes, klass?.teacher_id),
    classCode: klass?.code,
    moduleId: module?.id,
    word: module?.words[0],
    studentId: student?.id,
    parentId: student?.parent_ids[0],
  };
};
