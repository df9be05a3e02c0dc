/**
 * The catalogue of deployed functions: what triggers each one and which tables it may
 * touch, and how. ONE definition read by the CDK stack (routes, schedules, least-privilege
 * IAM) and by the local stack (HTTP routes, the same cron schedules), so what runs on a
 * laptop is what runs on AWS.
 */
import type { TableName } from '../tables/definitions.ts';

/**
 * What a function may do to a table. `read` is GetItem, BatchGetItem, Query and Scan
 * (indexes included); `update` is UpdateItem only; `put` is PutItem and BatchWriteItem;
 * `delete` is DeleteItem and BatchWriteItem.
 */
export const TableAccess = {
  Read: 'read',
  Update: 'update',
  Put: 'put',
  Delete: 'delete',
} as const;
export type TableAccess = (typeof TableAccess)[keyof typeof TableAccess];

/**
 * A wall-clock schedule in `LMS_TIMEZONE`: every hour at `minute`, or every day at
 * `hour:minute`. Deliberately this small: it renders to both EventBridge Scheduler's
 * `cron()` and croner's pattern without a translation that could drift.
 */
export interface Schedule {
  readonly minute: number;
  /** Undefined: every hour. */
  readonly hour?: number;
  /** The event the scheduler sends. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Disabled schedules are deployed (ready to switch on) but do not fire. */
  readonly enabled: boolean;
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway route path, `{name}` for path parameters. */
  readonly path: string;
}

/**
 * A scheduled job whose work can outgrow one invocation: its schedule starts a Step
 * Functions workflow (`src/catalog/workflows.ts`) that invokes the function once per phase
 * of `src/jobs/workflow-protocol.ts`, instead of invoking the function itself.
 */
export interface ShardedWorkflow {
  /** Shards worked on at once (the Map state's `MaxConcurrency`). */
  readonly maxConcurrency: number;
  /** The whole run, retries included; a run still going then is stopped (and alarms). */
  readonly timeoutSeconds: number;
}

export interface FunctionDefinition {
  readonly name: string;
  readonly description: string;
  readonly trigger:
    | { readonly kind: 'schedule'; readonly schedule: Schedule }
    | { readonly kind: 'http'; readonly route: HttpRoute };
  readonly tables: Partial<Record<TableName, readonly TableAccess[]>>;
  /** Lambda limits: scheduled jobs read whole tables, HTTP functions answer people. */
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Scheduled jobs only: run as a sharded workflow rather than one invocation. */
  readonly workflow?: ShardedWorkflow;
}

const hourly = (minute: number, input: Record<string, unknown> = {}): Schedule => ({
  minute,
  input,
  enabled: true,
});
const daily = (
  hour: number,
  minute: number,
  enabled = true,
  input: Record<string, unknown> = {},
): Schedule => ({
  hour,
  minute,
  input,
  enabled,
});

/**
 * Eight shards: the target speed-up against DynamoDB's latency, well inside a
 * Lambda account's default concurrency. Six hours: far beyond any run the bench predicts,
 * short enough that a stuck run alarms the same night.
 */
const sharded = (maxConcurrency = 8): ShardedWorkflow => ({
  maxConcurrency,
  timeoutSeconds: 6 * 3600,
});

const read = ['read'] as const;
const job = { timeoutSeconds: 900, memoryMb: 1024 };
const api = { timeoutSeconds: 29, memoryMb: 512 };

/**
 * The per-level stats functions exist for a partial recomputation on demand; their
 * schedules are deployed disabled, because `calc_all_stats` already does every level in
 * one pass at 00:05 and running all five nightly would read everything five times.
 */
export const functions = {
  calc_class_stats: {
    name: 'calc_class_stats',
    description: 'classes.stats = { students }',
    trigger: { kind: 'schedule', schedule: daily(0, 5, false) },
    tables: { students: read, classes: ['read', 'update'] },
    ...job,
  },
  calc_teacher_stats: {
    name: 'calc_teacher_stats',
    description: 'teachers.stats = { classes, students }',
    trigger: { kind: 'schedule', schedule: daily(0, 5, false) },
    tables: { students: read, classes: read, teachers: ['read', 'update'] },
    ...job,
  },
  calc_school_stats: {
    name: 'calc_school_stats',
    description: 'schools.stats = { teachers, classes, students }',
    trigger: { kind: 'schedule', schedule: daily(0, 5, false) },
    tables: { students: read, classes: read, teachers: read, schools: ['read', 'update'] },
    ...job,
  },
  calc_group_stats: {
    name: 'calc_group_stats',
    description: 'groups.stats = { schools, teachers, classes, students }',
    trigger: { kind: 'schedule', schedule: daily(0, 5, false) },
    tables: {
      students: read,
      classes: read,
      teachers: read,
      schools: read,
      groups: ['read', 'update'],
    },
    ...job,
  },
  calc_all_stats: {
    name: 'calc_all_stats',
    description: 'all four stats levels in one pass',
    trigger: { kind: 'schedule', schedule: daily(0, 5) },
    tables: {
      students: read,
      classes: ['read', 'update'],
      teachers: ['read', 'update'],
      schools: ['read', 'update'],
      groups: ['read', 'update'],
    },
    ...job,
  },
  record_answers: {
    name: 'record_answers',
    description: 'ingests a batch of answers (idempotent per answer_id)',
    trigger: { kind: 'http', route: { method: 'POST', path: '/answers' } },
    tables: { answers: ['read', 'put'], student_marks: ['put'] },
    ...api,
  },
  module_results: {
    name: 'module_results',
    description: 'accuracy over words and students of a module in a class',
    trigger: {
      kind: 'http',
      route: { method: 'GET', path: '/classes/{class_code}/modules/{module_id}/results' },
    },
    tables: { classes: read, modules: read, students: read, answers: read },
    ...api,
  },
  student_progress: {
    name: 'student_progress',
    description: "a student's progress",
    trigger: { kind: 'http', route: { method: 'GET', path: '/students/{id}/progress' } },
    tables: { student_progress: read, students: read, classes: read, parents: read },
    ...api,
  },
  parent_summary: {
    name: 'parent_summary',
    description: "a parent's summary",
    trigger: { kind: 'http', route: { method: 'GET', path: '/parents/{id}/summary' } },
    // `parents`: the current `student_ids` (a child removed is left out at once).
    tables: { parent_summaries: read, parents: read },
    ...api,
  },
  aggregate_students: {
    name: 'aggregate_students',
    description: 'recomputes student_progress for students with new answers',
    trigger: { kind: 'schedule', schedule: hourly(15, { mode: 'incremental' }) },
    tables: {
      student_marks: ['read', 'delete'],
      answers: read,
      modules: read,
      students: read,
      student_progress: ['read', 'put'],
      // The parents of every student whose figures were (re)computed, for aggregate_parents.
      parent_marks: ['put'],
      // The fold state of every student (`domain/progress/fold/`).
      student_state: ['read', 'put'],
      // `last_rollover_day` and word lists (update); the run's lease (put, delete).
      jobs: ['read', 'update', 'put', 'delete'],
    },
    workflow: sharded(),
    ...job,
  },
  aggregate_parents: {
    name: 'aggregate_parents',
    description: 'recomputes parent_summaries',
    // After the 00:15 run of aggregate_students, so "today" has its figures. A full run:
    // it reads no answers (only parents, students and progress), and it picks up what no
    // mark announces (a new parent, an edited parent or student link, a renamed child).
    trigger: { kind: 'schedule', schedule: daily(0, 45, true, { mode: 'full' }) },
    tables: {
      parents: read,
      students: read,
      student_progress: read,
      // `delete`: a full run removes the summaries of parents that no longer exist.
      parent_summaries: ['read', 'put', 'delete'],
      parent_marks: ['read', 'delete'],
      // The run's lease (`services/aggregates/sharded/lease.ts`).
      jobs: ['read', 'put', 'delete'],
    },
    workflow: sharded(),
    ...job,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

export const functionNames = Object.keys(functions) as FunctionName[];

/** EventBridge Scheduler's form: `cron(5 0 * * ? *)` (evaluated in the schedule's zone). */
export const schedulerExpression = (schedule: Schedule): string =>
  `cron(${schedule.minute} ${schedule.hour ?? '*'} * * ? *)`;

/** croner's form: `5 0 * * *` (evaluated in the zone passed to croner). */
export const cronPattern = (schedule: Schedule): string =>
  `${schedule.minute} ${schedule.hour ?? '*'} * * *`;
