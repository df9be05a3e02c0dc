/**
 * The integrity check of the organisation (`lms check`): every link that can dangle, and
 * parents and students that do not point at each other.
 *
 * Each table is read once, page by page, with only the attributes the checks use. The
 * small tables (groups, schools, teachers, classes, modules, parents) are kept as ids and
 * links; students are streamed and leave only their ids; answers (possibly millions) are
 * streamed and leave only a count per missing id. Findings keep a count and a few examples
 * per kind. An invalid stored item is a finding, never a crash.
 */
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import type { TableName } from '../../tables/definitions.ts';
import { FOLD_ANSWER_FIELDS } from '../aggregates/fold/valid-answers.ts';
import { type ReadProgress, readPages } from '../read-pages.ts';
import {
  type Finding,
  FindingCollector,
  type FindingsByKind,
  MissingTargetCounter,
} from './findings.ts';

/** What a check reports while it reads: the events every job's read reports. */
export type CheckProgress = ReadProgress;

export interface CheckOptions {
  /** Leave out the answers (the biggest table by far). */
  readonly skipAnswers?: boolean;
  /** Examples kept per kind. */
  readonly examples?: number;
  /** Parallel scan segments for the answers. */
  readonly segments?: number;
  readonly now?: () => Date;
  readonly onProgress?: (event: CheckProgress) => void;
}

export interface CheckReport {
  /** No findings. */
  readonly ok: boolean;
  readonly checked_at: string;
  readonly duration_ms: number;
  /** Items read in all tables. */
  readonly records: number;
  readonly items_read: Readonly<Partial<Record<TableName, number>>>;
  readonly answers_checked: boolean;
  /** Kinds with at least one finding. */
  readonly kinds: number;
  readonly findings: number;
  readonly by_kind: FindingsByKind;
}

/** The key of an item as a finding shows it: `s-1`, or `s-1/m-1#a-1` for a composite key. */
const keyText = (key: Readonly<Record<string, unknown>>): string =>
  Object.values(key).map(String).join('/');

/**
 * @example
 * ```ts
 * const report = await runCheck(db, { examples: 5 });
 * if (!report.ok) console.log(Object.keys(report.by_kind)); // ['student_class_missing', ...]
 * ```
 */
export const runCheck = async (db: Db, options: CheckOptions = {}): Promise<CheckReport> => {
  const started = performance.now();
  const checkedAt = (options.now ?? (() => new Date()))();
  const findings = new FindingCollector(options.examples ?? 10);
  const itemsRead: Partial<Record<TableName, number>> = {};
  const add = (finding: Finding) => findings.add(finding);
  /**
   * An invalid item is reported; it still exists, so links to it are not reported as
   * dangling (`exists` records its key), though its own links cannot be checked.
   */
  const onInvalid =
    (table: TableName, exists?: (id: string) => void) => (error: InvalidStoredItemError) => {
      add({
        kind: 'invalid_item',
        record: { table, id: keyText(error.key) },
        message: error.message,
      });
      exists?.(keyText(error.key));
    };

  // The count each read returns is the report's `items_read`.
  const read = async <T>(table: TableName, pages: AsyncIterable<T[]>, each: (item: T) => void) => {
    itemsRead[table] = await readPages(table, pages, each, options.onProgress);
  };
  const scan = (table: TableName, exists?: (id: string) => void) => ({
    scan: true,
    onInvalid: onInvalid(table, exists),
  });

  const groups = new Set<string>();
  const schools = new Map<string, string | undefined>();
  const teachers = new Map<string, string | undefined>();
  const classes = new Map<string, { teacher: string | undefined; school: string | undefined }>();
  const modules = new Set<string>();
  /** Per parent, the students it lists that have not (yet) listed it back. */
  const parentClaims = new Map<string, Set<string>>();
  // Invalid parents and students exist, but what they list is unknown: no mutual check.
  const unreadableParents = new Set<string>();
  const unreadableStudents = new Set<string>();

  await Promise.all([
    read(
      'groups',
      db.groups.pages({}, { ...scan('groups', (id) => groups.add(id)), project: ['code'] }),
      (g) => groups.add(g.code),
    ),
    read(
      'schools',
      db.schools.pages(
        {},
        { ...scan('schools', (id) => schools.set(id, undefined)), project: ['code', 'group_code'] },
      ),
      (s) => schools.set(s.code, s.group_code),
    ),
    read(
      'teachers',
      db.teachers.pages(
        {},
        {
          ...scan('teachers', (id) => teachers.set(id, undefined)),
          project: ['id', 'school_code'],
        },
      ),
      (t) => teachers.set(t.id, t.school_code),
    ),
    read(
      'classes',
      db.classes.pages(
        {},
        {
          ...scan('classes', (id) => classes.set(id, { teacher: undefined, school: undefined })),
          project: ['code', 'teacher_id', 'school_code'],
        },
      ),
      (c) => classes.set(c.code, { teacher: c.teacher_id, school: c.school_code }),
    ),
    read(
      'modules',
      db.modules.pages({}, { ...scan('modules', (id) => modules.add(id)), project: ['id'] }),
      (m) => modules.add(m.id),
    ),
    read(
      'parents',
      db.parents.pages(
        {},
        { ...scan('parents', (id) => unreadableParents.add(id)), project: ['id', 'student_ids'] },
      ),
      (p) => parentClaims.set(p.id, new Set(p.student_ids)),
    ),
  ]);

  for (const [code, groupCode] of schools) {
    if (groupCode !== undefined && !groups.has(groupCode)) {
      add({
        kind: 'school_group_missing',
        record: { table: 'schools', id: code },
        target: { table: 'groups', id: groupCode },
        message: `school ${code}: group ${groupCode} does not exist`,
      });
    }
  }
  for (const [id, schoolCode] of teachers) {
    if (schoolCode !== undefined && !schools.has(schoolCode)) {
      add({
        kind: 'teacher_school_missing',
        record: { table: 'teachers', id },
        target: { table: 'schools', id: schoolCode },
        message: `teacher ${id}: school ${schoolCode} does not exist`,
      });
    }
  }
  for (const [code, links] of classes) {
    if (links.teacher !== undefined && !teachers.has(links.teacher)) {
      add({
        kind: 'class_teacher_missing',
        record: { table: 'classes', id: code },
        target: { table: 'teachers', id: links.teacher },
        message: `class ${code}: teacher ${links.teacher} does not exist`,
      });
    }
    if (links.school !== undefined && !schools.has(links.school)) {
      add({
        kind: 'class_school_missing',
        record: { table: 'classes', id: code },
        target: { table: 'schools', id: links.school },
        message: `class ${code}: school ${links.school} does not exist`,
      });
    }
  }
  // What is left is not needed for students and answers.
  groups.clear();
  schools.clear();
  teachers.clear();

  const students = new Set<string>();
  await read(
    'students',
    db.students.pages(
      {},
      {
        ...scan('students', (id) => {
          students.add(id);
          unreadableStudents.add(id);
        }),
        project: ['id', 'class_code', 'parent_ids'],
      },
    ),
    (student) => {
      students.add(student.id);
      if (student.class_code !== undefined && !classes.has(student.class_code)) {
        add({
          kind: 'student_class_missing',
          record: { table: 'students', id: student.id },
          target: { table: 'classes', id: student.class_code },
          message: `student ${student.id}: class ${student.class_code} does not exist`,
        });
      }
      for (const parentId of new Set(student.parent_ids)) {
        if (unreadableParents.has(parentId)) continue;
        const claims = parentClaims.get(parentId);
        if (claims === undefined) {
          add({
            kind: 'student_parent_missing',
            record: { table: 'students', id: student.id },
            target: { table: 'parents', id: parentId },
            message: `student ${student.id}: parent ${parentId} does not exist`,
          });
        } else if (!claims.delete(student.id)) {
          add({
            kind: 'parent_lacks_student',
            record: { table: 'students', id: student.id },
            target: { table: 'parents', id: parentId },
            message: `student ${student.id} lists parent ${parentId}, whose student_ids do not list ${student.id}`,
          });
        }
      }
    },
  );
  classes.clear();

  // A claim left is a parent listing a student who did not list the parent back.
  for (const [parentId, claims] of parentClaims) {
    for (const studentId of claims) {
      if (unreadableStudents.has(studentId)) continue;
      add(
        students.has(studentId)
          ? {
              kind: 'student_lacks_parent',
              record: { table: 'parents', id: parentId },
              target: { table: 'students', id: studentId },
              message: `parent ${parentId} lists student ${studentId}, whose parent_ids do not list ${parentId}`,
            }
          : {
              kind: 'parent_student_missing',
              record: { table: 'parents', id: parentId },
              target: { table: 'students', id: studentId },
              message: `parent ${parentId}: student ${studentId} does not exist`,
            },
      );
    }
  }
  parentClaims.clear();
  unreadableParents.clear();
  unreadableStudents.clear();

  if (options.skipAnswers !== true) {
    const missingStudents = new MissingTargetCounter();
    const missingModules = new MissingTargetCounter();
    await read(
      'answers',
      db.answers.pages(
        {},
        {
          ...scan('answers'),
          // What the aggregates read of an answer, so that one they leave out is named here
          // too; a scan reads whole items anyway, only the reply grows.
          project: ['student_id', 'answer_key', ...FOLD_ANSWER_FIELDS],
          segments: options.segments,
        },
      ),
      (answer) => {
        if (!students.has(answer.student_id)) missingStudents.add(answer.student_id);
        if (!modules.has(answer.module_id)) missingModules.add(answer.module_id);
      },
    );
    missingStudents.drainInto(findings, 'answer_student_missing');
    missingModules.drainInto(findings, 'answer_module_missing');
  }

  const byKind = findings.report();
  return {
    ok: findings.total === 0,
    checked_at: checkedAt.toISOString(),
    duration_ms: Math.round(performance.now() - started),
    records: Object.values(itemsRead).reduce((a, b) => a + b, 0),
    items_read: itemsRead,
    answers_checked: options.skipAnswers !== true,
    kinds: Object.keys(byKind).length,
    findings: findings.total,
    by_kind: byKind,
  };
};
