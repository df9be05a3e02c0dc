/**
 * What a stats run knows of the organisation after one read of each table: small maps
 * keyed by class, teacher, school and group, and students only as a count per class code.
 * Its size grows with the number of classes, teachers, schools and groups, never with the
 * number of students.
 */

/** The `stats` a record had when it was read (any shape: older systems wrote others). */
export type StoredStats = Readonly<Record<string, unknown>> | undefined;

export interface ClassRecord {
  readonly teacherId: string | undefined;
  readonly schoolCode: string | undefined;
  readonly stats: StoredStats;
}

export interface TeacherRecord {
  readonly schoolCode: string | undefined;
  readonly stats: StoredStats;
}

export interface SchoolRecord {
  readonly groupCode: string | undefined;
  readonly stats: StoredStats;
}

export interface GroupRecord {
  readonly stats: StoredStats;
}

export interface OrganisationSnapshot {
  /** Students per `class_code`, including codes of classes that do not exist. */
  readonly studentsPerClass: ReadonlyMap<string, number>;
  /** Students with no `class_code` at all (not dangling: simply unassigned). */
  readonly unassignedStudents: number;
  readonly classes: ReadonlyMap<string, ClassRecord>;
  /** Undefined when the run did not need the table. */
  readonly teachers: ReadonlyMap<string, TeacherRecord> | undefined;
  readonly schools: ReadonlyMap<string, SchoolRecord> | undefined;
  readonly groups: ReadonlyMap<string, GroupRecord> | undefined;
}
