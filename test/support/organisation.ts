/**
 * Organisations for tests: a deterministic random one, and the counting rules of DESIGN
 * section 3 written the naive way (a filter per record), as an oracle independent of the
 * code under test.
 */
import type { Db, Entity } from '../../src/repositories/db.ts';
import { seeded } from '../../src/seed/random.ts';

export interface Organisation {
  groups: Entity<'groups'>[];
  schools: Entity<'schools'>[];
  teachers: Entity<'teachers'>[];
  classes: Entity<'classes'>[];
  students: Entity<'students'>[];
}

/** A random organisation in which about `dangling` of the links point at nothing. */
export const randomOrganisation = (seed: number, size = 1, dangling = 0.05): Organisation => {
  const random = seeded(seed);
  const next = random.next;
  const pick = random.pick;
  const link = (codes: readonly string[], missing: string) =>
    next() < dangling ? missing : next() < 0.03 ? undefined : pick(codes);
  const groups = Array.from({ length: 2 * size }, (_, i) => ({
    code: `g-${i}`,
    name: `Group ${i}`,
  }));
  const schools = Array.from({ length: 5 * size }, (_, i) => ({
    code: `sc-${i}`,
    name: `School ${i}`,
    group_code: link(
      groups.map((g) => g.code),
      'g-gone',
    ),
  }));
  const teachers = Array.from({ length: 12 * size }, (_, i) => ({
    id: `t-${i}`,
    name: `Teacher ${i}`,
    school_code: link(
      schools.map((s) => s.code),
      'sc-gone',
    ),
  }));
  const classes = Array.from({ length: 20 * size }, (_, i) => ({
    code: `c-${i}`,
    name: `Class ${i}`,
    level: 1 + (i % 6),
    teacher_id: link(
      teachers.map((t) => t.id),
      't-gone',
    ),
    school_code: link(
      schools.map((s) => s.code),
      'sc-gone',
    ),
  }));
  const students = Array.from({ length: 300 * size }, (_, i) => ({
    id: `s-${i}`,
    name: `Student ${i}`,
    class_code: link(
      classes.map((c) => c.code),
      'c-gone',
    ),
    parent_ids: [],
  }));
  return { groups, schools, teachers, classes, students };
};

export const storeOrganisation = async (db: Db, org: Organisation): Promise<void> => {
  await Promise.all([
    db.groups.putMany(org.groups),
    db.schools.putMany(org.schools),
    db.teachers.putMany(org.teachers),
    db.classes.putMany(org.classes),
    db.students.putMany(org.students),
  ]);
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The expected `stats` counts of every record, by the naive reading of DESIGN section 3. */
export const expectedStats = (org: Organisation) => {
  const classStudents = (code: string) => org.students.filter((s) => s.class_code === code).length;
  const schoolStats = (code: string) => {
    const classes = org.classes.filter((c) => c.school_code === code);
    return {
      teachers: org.teachers.filter((t) => t.school_code === code).length,
      classes: classes.length,
      students: sum(classes.map((c) => classStudents(c.code))),
    };
  };
  return {
    classes: Object.fromEntries(
      org.classes.map((c) => [c.code, { students: classStudents(c.code) }]),
    ),
    teachers: Object.fromEntries(
      org.teachers.map((t) => {
        const classes = org.classes.filter((c) => c.teacher_id === t.id);
        return [
          t.id,
          { classes: classes.length, students: sum(classes.map((c) => classStudents(c.code))) },
        ];
      }),
    ),
    schools: Object.fromEntries(org.schools.map((s) => [s.code, schoolStats(s.code)])),
    groups: Object.fromEntries(
      org.groups.map((g) => {
        const schools = org.schools
          .filter((s) => s.group_code === g.code)
          .map((s) => schoolStats(s.code));
        return [
          g.code,
          {
            schools: schools.length,
            teachers: sum(schools.map((s) => s.teachers)),
            classes: sum(schools.map((s) => s.classes)),
            students: sum(schools.map((s) => s.students)),
          },
        ];
      }),
    ),
  };
};

const withoutTimestamp = (stats: Record<string, unknown> | undefined) => {
  if (stats === undefined) return undefined;
  const { updated_at: _ignored, ...counts } = stats;
  return counts;
};

/** The stored `stats` counts of every record (without `updated_at`). */
export const storedStats = async (db: Db) => {
  const [classes, teachers, schools, groups] = await Promise.all([
    db.classes.get({}, { scan: true, project: ['code', 'stats'] }),
    db.teachers.get({}, { scan: true, project: ['id', 'stats'] }),
    db.schools.get({}, { scan: true, project: ['code', 'stats'] }),
    db.groups.get({}, { scan: true, project: ['code', 'stats'] }),
  ]);
  return {
    classes: Object.fromEntries(classes.map((c) => [c.code, withoutTimestamp(c.stats)])),
    teachers: Object.fromEntries(teachers.map((t) => [t.id, withoutTimestamp(t.stats)])),
    schools: Object.fromEntries(schools.map((s) => [s.code, withoutTimestamp(s.stats)])),
    groups: Object.fromEntries(groups.map((g) => [g.code, withoutTimestamp(g.stats)])),
  };
};
