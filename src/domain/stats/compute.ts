/**
 * The counting rules of DESIGN section 3, as a pure function of a snapshot:
 * - a class counts the students whose `class_code` is its code;
 * - a teacher counts the classes whose `teacher_id` is its id, and their students;
 * - a school counts the teachers and the classes whose `school_code` is its code, and
 *   those classes' students;
 * - a group counts its schools and their teachers, classes and students.
 * A record whose link dangles is still counted wherever its own link holds, and the
 * dangling link is reported as a warning.
 */
import type { LevelCounts, StatsLevel } from './levels.ts';
import type { OrganisationSnapshot, StoredStats } from './snapshot.ts';
import { type StatsWarning, warning } from './warnings.ts';

export interface StatsTarget<L extends StatsLevel = StatsLevel> {
  readonly level: L;
  /** The record's key value (class code, teacher id, school code, group code). */
  readonly key: string;
  readonly counts: LevelCounts[L];
  readonly stored: StoredStats;
}

export interface ComputedStats {
  readonly targets: StatsTarget[];
  readonly warnings: StatsWarning[];
}

const increment = (map: Map<string, number>, key: string, by = 1) => {
  map.set(key, (map.get(key) ?? 0) + by);
};

/**
 * @example
 * ```ts
 * const { targets, warnings } = computeStats(snapshot, ['class', 'teacher']);
 * ```
 */
export const computeStats = (
  snapshot: OrganisationSnapshot,
  levels: readonly StatsLevel[],
): ComputedStats => {
  const wanted = new Set(levels);
  const targets: StatsTarget[] = [];
  const warnings: StatsWarning[] = [];
  const { classes, teachers, schools, groups, studentsPerClass } = snapshot;

  for (const [classCode, students] of studentsPerClass) {
    if (!classes.has(classCode)) {
      warnings.push(
        warning(
          'student_class_missing',
          `${students} student(s) belong to class ${classCode}, which does not exist`,
        ),
      );
    }
  }

  const studentsOf = (classCode: string) => studentsPerClass.get(classCode) ?? 0;
  /** A class's or teacher's school that does not exist, where schools are counted. */
  const schoolMissing = (
    kind: 'class_school_missing' | 'teacher_school_missing',
    who: string,
    schoolCode: string,
  ) => {
    if ((wanted.has('school') || wanted.has('group')) && schools !== undefined) {
      if (!schools.has(schoolCode)) {
        warnings.push(
          warning(kind, `${who} belongs to school ${schoolCode}, which does not exist`),
        );
      }
    }
  };

  // Per teacher and per school: classes and their students, following each class's own links.
  const teacherClasses = new Map<string, number>();
  const teacherStudents = new Map<string, number>();
  const schoolClasses = new Map<string, number>();
  const schoolStudents = new Map<string, number>();
  for (const [classCode, record] of classes) {
    const students = studentsOf(classCode);
    if (wanted.has('class')) {
      targets.push({ level: 'class', key: classCode, counts: { students }, stored: record.stats });
    }
    if (record.teacherId !== undefined) {
      increment(teacherClasses, record.teacherId);
      increment(teacherStudents, record.teacherId, students);
      if (wanted.has('teacher') && teachers !== undefined && !teachers.has(record.teacherId)) {
        warnings.push(
          warning(
            'class_teacher_missing',
            `class ${classCode} is taught by teacher ${record.teacherId}, who does not exist`,
          ),
        );
      }
    }
    if (record.schoolCode !== undefined) {
      increment(schoolClasses, record.schoolCode);
      increment(schoolStudents, record.schoolCode, students);
      schoolMissing('class_school_missing', `class ${classCode}`, record.schoolCode);
    }
  }

  const schoolTeachers = new Map<string, number>();
  for (const [teacherId, record] of teachers ?? []) {
    if (wanted.has('teacher')) {
      targets.push({
        level: 'teacher',
        key: teacherId,
        counts: {
          classes: teacherClasses.get(teacherId) ?? 0,
          students: teacherStudents.get(teacherId) ?? 0,
        },
        stored: record.stats,
      });
    }
    if (record.schoolCode !== undefined) {
      increment(schoolTeachers, record.schoolCode);
      schoolMissing('teacher_school_missing', `teacher ${teacherId}`, record.schoolCode);
    }
  }

  const groupSchools = new Map<string, number>();
  const groupTeachers = new Map<string, number>();
  const groupClasses = new Map<string, number>();
  const groupStudents = new Map<string, number>();
  for (const [schoolCode, record] of schools ?? []) {
    const counts = {
      teachers: schoolTeachers.get(schoolCode) ?? 0,
      classes: schoolClasses.get(schoolCode) ?? 0,
      students: schoolStudents.get(schoolCode) ?? 0,
    };
    if (wanted.has('school')) {
      targets.push({ level: 'school', key: schoolCode, counts, stored: record.stats });
    }
    if (record.groupCode !== undefined) {
      increment(groupSchools, record.groupCode);
      increment(groupTeachers, record.groupCode, counts.teachers);
      increment(groupClasses, record.groupCode, counts.classes);
      increment(groupStudents, record.groupCode, counts.students);
      if (wanted.has('group') && groups !== undefined && !groups.has(record.groupCode)) {
        warnings.push(
          warning(
            'school_group_missing',
            `school ${schoolCode} belongs to group ${record.groupCode}, which does not exist`,
          ),
        );
      }
    }
  }

  if (wanted.has('group')) {
    for (const [groupCode, record] of groups ?? []) {
      targets.push({
        level: 'group',
        key: groupCode,
        counts: {
          schools: groupSchools.get(groupCode) ?? 0,
          teachers: groupTeachers.get(groupCode) ?? 0,
          classes: groupClasses.get(groupCode) ?? 0,
          students: groupStudents.get(groupCode) ?? 0,
        },
        stored: record.stats,
      });
    }
  }

  return { targets, warnings };
};

/**
 * Whether stored `stats` already say exactly these counts; `updated_at` is ignored, and
 * any other stored key (an older shape) makes it a change.
 */
export const statsUnchanged = (stored: StoredStats, counts: object): boolean => {
  if (stored === undefined) return false;
  const storedKeys = Object.keys(stored).filter((key) => key !== 'updated_at');
  const entries = Object.entries(counts);
  return (
    storedKeys.length === entries.length && entries.every(([key, value]) => stored[key] === value)
  );
};
