/**
 * The one source of truth for every DynamoDB table of the system (DESIGN section 2).
 *
 * Local table creation (`lms tables create`), the test harness and the CDK stack all read
 * these definitions, so a key or an index is declared here once and nowhere else.
 * Every key attribute is a string (DESIGN: "All keys are strings").
 *
 * @example
 * ```ts
 * import { tables } from './definitions.ts';
 * tables.classes.indexes.map((index) => index.name); // ['teacher_id', 'school_code']
 * ```
 */

/** A global secondary index; by convention its name is its partition key attribute. */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /**
   * What the index holds of an item: `ALL` (the default; the repositories read whole items
   * through indexes, and KEYS_ONLY would cost a second read) or `KEYS_ONLY`, for an index
   * only ever read for keys, whose copies then cost next to nothing to write.
   */
  readonly projection?: 'ALL' | 'KEYS_ONLY';
}

/** The projection of an index (`ALL` unless the definition says). */
export const projectionOf = (index: IndexDefinition): 'ALL' | 'KEYS_ONLY' =>
  index.projection ?? 'ALL';

/**
 * A local secondary index: the table's partition key with another sort key, named after
 * that sort key. Unlike a global one it allows strongly consistent reads, but it exists
 * only from the table's creation on: it cannot be added to a table later.
 */
export interface LocalIndexDefinition {
  readonly name: string;
  readonly sortKey: string;
}

export interface TableDefinition {
  /** Logical name; the physical name is `${LMS_TABLE_PREFIX}${name}`. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes: readonly IndexDefinition[];
  readonly localIndexes?: readonly LocalIndexDefinition[];
  /** Who writes the items: the LMS app (we only write `stats`) or this project. */
  readonly owner: 'lms-app' | 'lms-lambdas';
  /**
   * A number attribute (epoch seconds) after which DynamoDB's TTL may delete the item. Set
   * on the AWS table only: dynalite and the local tables have no TTL (what stays is small).
   */
  readonly expiresAttribute?: string;
}

const index = (attribute: string): IndexDefinition => ({
  name: attribute,
  partitionKey: attribute,
});

export const tables = {
  groups: { name: 'groups', partitionKey: 'code', indexes: [], owner: 'lms-app' },
  schools: {
    name: 'schools',
    partitionKey: 'code',
    indexes: [index('group_code')],
    owner: 'lms-app',
  },
  teachers: {
    name: 'teachers',
    partitionKey: 'id',
    indexes: [index('school_code')],
    owner: 'lms-app',
  },
  classes: {
    name: 'classes',
    partitionKey: 'code',
    indexes: [index('teacher_id'), index('school_code')],
    owner: 'lms-app',
  },
  students: {
    name: 'students',
    partitionKey: 'id',
    indexes: [index('class_code')],
    owner: 'lms-app',
  },
  parents: { name: 'parents', partitionKey: 'id', indexes: [], owner: 'lms-app' },
  modules: { name: 'modules', partitionKey: 'id', indexes: [], owner: 'lms-app' },
  /**
   * One item per answer. The sort key is `<module_id>#<answer_id>`: a module's answers of
   * one student are a single `begins_with` query, and the identity of an answer
   * (student, module, answer_id) is exactly the primary key, so a retry is detected by a
   * conditional put instead of a read.
   */
  answers: {
    name: 'answers',
    partitionKey: 'student_id',
    sortKey: 'answer_key',
    indexes: [],
    /**
     * `recorded_key` = `<recorded_at>#<answer_key>`: a student's answers in the order they
     * were recorded, so `aggregate_students` reads only those recorded since its last fold
     * (consistently: a local index allows it), never the student's whole history.
     */
    localIndexes: [{ name: 'recorded_key', sortKey: 'recorded_key' }],
    owner: 'lms-lambdas',
  },
  student_progress: {
    name: 'student_progress',
    partitionKey: 'student_id',
    indexes: [],
    owner: 'lms-lambdas',
  },
  parent_summaries: {
    name: 'parent_summaries',
    partitionKey: 'parent_id',
    indexes: [],
    owner: 'lms-lambdas',
  },
  jobs: { name: 'jobs', partitionKey: 'name', indexes: [], owner: 'lms-lambdas' },
  /**
   * The state each student's progress is folded into (added by this project; see
   * `domain/progress/fold/state.ts`): `part` is `root`, `m#<module_id>` (a module's words)
   * or `w#<word>` (a word across modules). Module parts carry `module_id`, so the index
   * finds every student of a module whose word list changed.
   */
  student_state: {
    name: 'student_state',
    partitionKey: 'student_id',
    sortKey: 'part',
    // Read for student ids only, and written with every module part: keys only.
    indexes: [
      {
        name: 'module_id',
        partitionKey: 'module_id',
        sortKey: 'student_id',
        projection: 'KEYS_ONLY',
      },
    ],
    owner: 'lms-lambdas',
  },
  /**
   * Students with answers not yet aggregated (added by this project; DESIGN allows new
   * tables). `record_answers` sets a fresh `token` on every batch; `aggregate_students`
   * deletes a mark only if its token is still the one it read, so an answer arriving
   * during a run leaves the student marked for the next run. Small by construction: the
   * incremental job scans this, never `answers`.
   */
  student_marks: {
    name: 'student_marks',
    partitionKey: 'student_id',
    indexes: [],
    owner: 'lms-lambdas',
  },
  /**
   * `record_answers` invocations still writing (added by this project). An invocation puts
   * one row per student of its batch BEFORE its mark and answers and deletes it after they
   * are all written, so `aggregate_students` never folds past answers still in flight,
   * whatever the clocks say (see "Batches in flight" in docs/aggregates.md). A row with
   * `rebuild` asks the next run to rebuild the student from all its answers: written by an
   * invocation that finds its own row gone (a run took it for abandoned). Empty between
   * requests; a row is at most one request old unless its invocation died.
   */
  answer_batches: {
    name: 'answer_batches',
    partitionKey: 'student_id',
    sortKey: 'batch_id',
    indexes: [],
    owner: 'lms-lambdas',
  },
  /**
   * Parents whose children's progress changed since their summary was last computed (added
   * by this project, like `student_marks`). `aggregate_students` marks a student's parents
   * after writing the student's progress; `aggregate_parents` deletes a mark only if its
   * token is still the one it read, so a change during its run is never lost.
   */
  parent_marks: {
    name: 'parent_marks',
    partitionKey: 'parent_id',
    indexes: [],
    owner: 'lms-lambdas',
  },
  /**
   * Answers posted per student per one-minute window (added by this project, issue 20):
   * `record_answers` adds a batch's answers to its students' counters with one conditional
   * UpdateItem each (`services/answers/rate-limit.ts`). Never read otherwise; an item is
   * useless once its window is over, and TTL removes it.
   */
  answer_rates: {
    name: 'answer_rates',
    partitionKey: 'student_id',
    sortKey: 'window_start',
    indexes: [],
    owner: 'lms-lambdas',
    expiresAttribute: 'expires_at',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableName = keyof typeof tables;

export const tableNames = Object.keys(tables) as TableName[];

/** Every attribute that is a key of the table or of one of its indexes. */
export const keyAttributes = (table: TableDefinition): string[] => {
  const names = new Set<string>([table.partitionKey]);
  if (table.sortKey !== undefined) names.add(table.sortKey);
  for (const idx of table.indexes) {
    names.add(idx.partitionKey);
    if (idx.sortKey !== undefined) names.add(idx.sortKey);
  }
  for (const idx of table.localIndexes ?? []) names.add(idx.sortKey);
  return [...names];
};

/** The physical table name for a prefix (`dev-` + `students` = `dev-students`). */
export const physicalName = (prefix: string, table: TableDefinition): string =>
  `${prefix}${table.name}`;
