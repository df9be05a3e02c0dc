/**
 * What the console navigates by and the HTTP API has no route for: the classes a teacher
 * teaches (with the modules of their level), a parent's children, and the organisation
 * with its nightly `stats`. Local only (`lms start`): the deployed API serves none of it.
 * Which records are listed is asked of the access policy (`services/access/policy.ts`:
 * `classScopeOf`, `ownStudentIds`, `assertMayReadOrganisation`), the same functions the
 * API's checks use, so the console lists what the API lets the caller open; every figure it
 * shows still comes from the API with the caller's token.
 */
import { compareByNameThenId, compareCodeUnits } from '../../domain/ordering.ts';
import type { Class, Group, School, Teacher } from '../../entities/organisation.ts';
import { errorMessage } from '../../errors.ts';
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import {
  assertMayReadOrganisation,
  classScopeOf,
  ownStudentIds,
} from '../../services/access/policy.ts';
import { type Principal, ROLES } from '../../services/access/principal.ts';

export interface DirectoryModule {
  readonly id: string;
  readonly title: string;
  readonly words_total: number;
}

export interface DirectoryClass {
  readonly code: string;
  readonly name: string;
  readonly teacher_id: string | null;
  /** The teacher's name, for the classes list (null when the teacher is not stored). */
  readonly teacher_name: string | null;
  readonly school_code: string | null;
  readonly level: string | number | null;
  readonly modules: readonly DirectoryModule[];
}

export interface DirectoryStudent {
  readonly id: string;
  readonly name: string;
  readonly class_code: string | null;
  /** The class's name, for a parent's card (null when the class is not stored). */
  readonly class_name: string | null;
}

export interface Directory {
  readonly principal: {
    readonly role: Principal['role'];
    readonly id: string;
    readonly name: string | null;
  };
  readonly classes: readonly DirectoryClass[];
  readonly students: readonly DirectoryStudent[];
  /** Every module's title by id: the console names modules, never shows "m-001" alone. */
  readonly modules: readonly { readonly id: string; readonly title: string }[];
  /** Stored records that did not validate and were left out, one line each. */
  readonly warnings: readonly string[];
}

type Stats = Group['stats'];

export interface Organisation {
  readonly groups: readonly { code: string; name: string; stats: Stats | null }[];
  readonly schools: readonly {
    code: string;
    name: string;
    group_code: string | null;
    stats: Stats | null;
  }[];
  readonly teachers: readonly {
    id: string;
    name: string;
    school_code: string | null;
    stats: Stats | null;
  }[];
  readonly classes: readonly {
    code: string;
    name: string;
    teacher_id: string | null;
    school_code: string | null;
    level: string | number | null;
    stats: Stats | null;
  }[];
  readonly warnings: readonly string[];
}

/** Collects the invalid records a read skipped, so a bad one degrades the answer only. */
const invalidRecords = () => {
  const warnings: string[] = [];
  return {
    warnings,
    onInvalid: (error: InvalidStoredItemError) => {
      warnings.push(errorMessage(error));
    },
  };
};

const byCode = (a: { readonly code: string }, b: { readonly code: string }) =>
  compareCodeUnits(a.code, b.code);

/** The name of the principal's own record, where its role has one. */
const ownName = async (
  db: Db,
  principal: Principal,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<string | null> => {
  const options = { project: ['name'] as const, onInvalid };
  switch (principal.role) {
    case ROLES.teacher:
      return (await db.teachers.find({ id: principal.sub }, options))?.name ?? null;
    case ROLES.parent:
      return (await db.parents.find({ id: principal.sub }, options))?.name ?? null;
    case ROLES.student:
      return (await db.students.find({ id: principal.sub }, options))?.name ?? null;
    default:
      return null;
  }
};

const classesOf = async (
  db: Db,
  principal: Principal,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<Class[]> => {
  const project = ['code', 'name', 'teacher_id', 'school_code', 'level'] as const;
  const scope = classScopeOf(principal);
  switch (scope.kind) {
    case 'every-class':
      return db.classes.get({}, { scan: true, project, onInvalid });
    case 'taught-by':
      return db.classes.get({ teacher_id: scope.teacherId }, { project, onInvalid });
    case 'none':
      return [];
  }
};

const studentsOf = async (
  db: Db,
  principal: Principal,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<DirectoryStudent[]> => {
  const project = ['id', 'name', 'class_code'] as const;
  const ids = await ownStudentIds(db, principal, onInvalid);
  if (ids.length === 0) return [];
  // Only those that exist: findMany leaves the missing out.
  const students = await db.students.findMany(
    ids.map((id) => ({ id })),
    { project, onInvalid },
  );
  const codes = [...new Set(students.flatMap((s) => (s.class_code ? [s.class_code] : [])))];
  const classes =
    codes.length === 0
      ? []
      : await db.classes.findMany(
          codes.map((code) => ({ code })),
          { project: ['code', 'name'], onInvalid },
        );
  const classNames = new Map(classes.map((c) => [c.code, c.name]));
  return students
    .map((s) => ({
      id: s.id,
      name: s.name,
      class_code: s.class_code ?? null,
      class_name: (s.class_code && classNames.get(s.class_code)) || null,
    }))
    .sort(compareByNameThenId);
};

/** The names of the classes' teachers that exist, by id. */
const teachersOf = async (
  db: Db,
  classes: readonly Class[],
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<ReadonlyMap<string, string>> => {
  const ids = [...new Set(classes.flatMap((c) => (c.teacher_id ? [c.teacher_id] : [])))];
  if (ids.length === 0) return new Map();
  const teachers = await db.teachers.findMany(
    ids.map((id) => ({ id })),
    { project: ['id', 'name'], onInvalid },
  );
  return new Map(teachers.map((t) => [t.id, t.name]));
};

/**
 * @example
 * ```ts
 * await readDirectory(db, { sub: 't-0001', role: 'teacher' });
 * // { principal: { role: 'teacher', id: 't-0001', name: 'Ms Li' },
 * //   classes: [{ code: 'c-0001', ..., modules: [{ id: 'm-001', title: 'Animals', words_total: 18 }] }],
 * //   students: [], warnings: [] }
 * ```
 */
export const readDirectory = async (db: Db, principal: Principal): Promise<Directory> => {
  const { warnings, onInvalid } = invalidRecords();
  const [name, classes, students] = await Promise.all([
    ownName(db, principal, onInvalid),
    classesOf(db, principal, onInvalid),
    studentsOf(db, principal, onInvalid),
  ]);
  // Read for every role: a student's or parent's progress names its modules too.
  const [modules, teachers] = await Promise.all([
    db.modules.get({}, { scan: true, project: ['id', 'title', 'level', 'words'], onInvalid }),
    // The classes' teachers by name: "teacher t-0001" means nothing to a person.
    teachersOf(db, classes, onInvalid),
  ]);
  const modulesByLevel = new Map<string, DirectoryModule[]>();
  for (const module of modules.sort((a, b) => compareCodeUnits(a.id, b.id))) {
    const level = String(module.level);
    const list = modulesByLevel.get(level) ?? [];
    list.push({ id: module.id, title: module.title, words_total: module.words.length });
    modulesByLevel.set(level, list);
  }
  return {
    principal: { role: principal.role, id: principal.sub, name },
    classes: classes
      .map((c) => ({
        code: c.code,
        name: c.name,
        teacher_id: c.teacher_id ?? null,
        teacher_name: (c.teacher_id && teachers.get(c.teacher_id)) || null,
        school_code: c.school_code ?? null,
        level: c.level ?? null,
        modules: c.level === undefined ? [] : (modulesByLevel.get(String(c.level)) ?? []),
      }))
      .sort(byCode),
    students,
    modules: modules.map((m) => ({ id: m.id, title: m.title })),
    warnings,
  };
};

/** The whole organisation with its `stats`: an admin's view only. */
export const readOrganisation = async (db: Db, principal: Principal): Promise<Organisation> => {
  assertMayReadOrganisation(principal);
  const { warnings, onInvalid } = invalidRecords();
  const scan = { scan: true, onInvalid } as const;
  const [groups, schools, teachers, classes] = await Promise.all([
    db.groups.get({}, { ...scan, project: ['code', 'name', 'stats'] }),
    db.schools.get({}, { ...scan, project: ['code', 'name', 'group_code', 'stats'] }),
    db.teachers.get({}, { ...scan, project: ['id', 'name', 'school_code', 'stats'] }),
    db.classes.get(
      {},
      { ...scan, project: ['code', 'name', 'teacher_id', 'school_code', 'level', 'stats'] },
    ),
  ]);
  return {
    groups: groups
      .map((g: Group) => ({ code: g.code, name: g.name, stats: g.stats ?? null }))
      .sort(byCode),
    schools: schools
      .map((s: School) => ({
        code: s.code,
        name: s.name,
        group_code: s.group_code ?? null,
        stats: s.stats ?? null,
      }))
      .sort(byCode),
    teachers: teachers
      .map((t: Teacher) => ({
        id: t.id,
        name: t.name,
        school_code: t.school_code ?? null,
        stats: t.stats ?? null,
      }))
      .sort((a, b) => compareCodeUnits(a.id, b.id)),
    classes: classes
      .map((c: Class) => ({
        code: c.code,
        name: c.name,
        teacher_id: c.teacher_id ?? null,
        school_code: c.school_code ?? null,
        level: c.level ?? null,
        stats: c.stats ?? null,
      }))
      .sort(byCode),
    warnings,
  };
};
