/**
 * The catalogue of deployed functions: what triggers each one and which tables it may
 * touch, and how. ONE definition read by the CDK stack (routes, schedules, least-privilege
 * IAM) and by the local stack (HTTP routes, the same cron schedules), so what runs on a
 * laptop is what runs on AWS.
 */
import type { TableName, tables } from '../tables/definitions.ts';

/**
 * What a function may do to a table, one kind per DynamoDB operation the code issues, so
 * IAM (`infra/access.ts`) grants exactly those and nothing wider: `get` is GetItem,
 * `batch-get` BatchGetItem, `query` a Query of the table itself, `scan` Scan, `update`
 * UpdateItem, `put` PutItem, `batch-write` BatchWriteItem (batched puts and deletes alike:
 * IAM has one action for both), `delete` DeleteItem. A query of an index is
 * `query-index:<name>` (see {@link queryIndex}), granted on that index's ARN alone.
 *
 * Which kinds a function needs follows from the repository calls of its services: `find`
 * is a get, `findMany` a batch-get, `putMany`/`deleteMany` a batch-write, and `get`,
 * `pages`, `readPage` and `count` are a get, a query (of the table or the index the filter
 * names) or, with `{ scan: true }`, a scan (`src/repositories/access-path.ts`).
 * `test/infra/access-recorded.test.ts` runs every handler and checks both directions.
 */
export const TableAccess = {
  Get: 'get',
  BatchGet: 'batch-get',
  Query: 'query',
  Scan: 'scan',
  Update: 'update',
  Put: 'put',
  BatchWrite: 'batch-write',
  Delete: 'delete',
} as const;
export type ItemAccess = (typeof TableAccess)[keyof typeof TableAccess];

type Definition<T extends TableName> = (typeof tables)[T];
/** The indexes of a table, global and local: the only names `query-index:` accepts for it. */
export type IndexName<T extends TableName> =
  | Definition<T>['indexes'][number]['name']
  | (Definition<T> extends {
      readonly localIndexes: readonly { readonly name: infer N extends string }[];
    }
      ? N
      : never);

export type IndexQuery<N extends string = string> = `query-index:${N}`;

/** An access kind of table `T`: an item access, or a query of one of its indexes. */
export type TableAccess<T extends TableName = TableName> = ItemAccess | IndexQuery<IndexName<T>>;

const INDEX_QUERY_PREFIX = 'query-index:';

/**
 * @example
 * ```ts
 * queryIndex('class_code'); // 'query-index:class_code'
 * ```
 */
export const queryIndex = <N extends string>(name: N): IndexQuery<N> =>
  `${INDEX_QUERY_PREFIX}${name}`;

export const isIndexQuery = (access: TableAccess): access is IndexQuery =>
  access.startsWith(INDEX_QUERY_PREFIX);

/** The index an access queries, or `undefined` for an item access. */
export const indexOf = (access: TableAccess): string | undefined =>
  isIndexQuery(access) ? access.slice(INDEX_QUERY_PREFIX.length) : undefined;

/** Per table, the accesses a function may make. */
export type TableAccesses = { readonly [T in TableName]?: readonly TableAccess<T>[] };

const WRITE_ACCESSES: readonly TableAccess[] = [
  TableAccess.Update,
  TableAccess.Put,
  TableAccess.BatchWrite,
  TableAccess.Delete,
];

/** Whether an access changes data (what `lms` refuses to do to real AWS without `--aws`). */
export const isWriteAccess = (access: TableAccess): boolean => WRITE_ACCESSES.includes(access);

/** Whether a function may change any table at all. */
export const writesAnyTable = (definition: { readonly tables: TableAccesses }): boolean =>
  Object.values(definition.tables).some((accesses) => accesses.some(isWriteAccess));

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
  /** Why a disabled schedule is off, for whoever sees it listed (the console's jobs view). */
  readonly disabledReason?: string;
}

export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  /** API Gateway route path, `{name}` for path parameters. */
  readonly path: string;
}

/**
 * A trigger of the stack's user pool: `pre-token-generation` runs before Cognito issues
 * (or refreshes) tokens, and may change the ID token's claims.
 */
export type CognitoTrigger = 'pre-token-generation';

/**
 * A scheduled job whose work can outgrow one invocation: its schedule starts a Step
 * Functions workflow (`src/catalog/workflows.ts`) that invokes the function once per phase
 * of `src/workflow/protocol.ts`, instead of invoking the function itself.
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
    | { readonly kind: 'http'; readonly route: HttpRoute }
    | { readonly kind: 'cognito'; readonly event: CognitoTrigger };
  readonly tables: TableAccesses;
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

/** A per-level stats schedule: off, since the one nightly `calc_all_stats` does its level. */
const levelStats = (): Schedule => ({
  ...daily(0, 5, false),
  disabledReason: 'calc_all_stats runs all four levels nightly',
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
    trigger: { kind: 'schedule', schedule: levelStats() },
    tables: { students: ['scan'], classes: ['scan', 'update'] },
    ...job,
  },
  calc_teacher_stats: {
    name: 'calc_teacher_stats',
    description: 'teachers.stats = { classes, students }',
    trigger: { kind: 'schedule', schedule: levelStats() },
    tables: { students: ['scan'], classes: ['scan'], teachers: ['scan', 'update'] },
    ...job,
  },
  calc_school_stats: {
    name: 'calc_school_stats',
    description: 'schools.stats = { teachers, classes, students }',
    trigger: { kind: 'schedule', schedule: levelStats() },
    tables: {
      students: ['scan'],
      classes: ['scan'],
      teachers: ['scan'],
      schools: ['scan', 'update'],
    },
    ...job,
  },
  calc_group_stats: {
    name: 'calc_group_stats',
    description: 'groups.stats = { schools, teachers, classes, students }',
    trigger: { kind: 'schedule', schedule: levelStats() },
    tables: {
      students: ['scan'],
      classes: ['scan'],
      teachers: ['scan'],
      schools: ['scan'],
      groups: ['scan', 'update'],
    },
    ...job,
  },
  calc_all_stats: {
    name: 'calc_all_stats',
    description: 'all four stats levels in one pass',
    trigger: { kind: 'schedule', schedule: daily(0, 5) },
    tables: {
      students: ['scan'],
      classes: ['scan', 'update'],
      teachers: ['scan', 'update'],
      schools: ['scan', 'update'],
      groups: ['scan', 'update'],
    },
    ...job,
  },
  record_answers: {
    name: 'record_answers',
    description: 'ingests a batch of answers (idempotent per answer_id)',
    trigger: { kind: 'http', route: { method: 'POST', path: '/answers' } },
    // Duplicates are found by key (batch-get), never by reading a student's answers. The
    // per-student cap adds to a counter per student and request (update), never reads it.
    tables: {
      answers: ['batch-get', 'batch-write'],
      student_marks: ['batch-write'],
      answer_rates: ['update'],
      // The batch in flight: opened (batch-write), closed if still there (delete), and a
      // rebuild requested when a run took it for abandoned (`services/answers/in-flight.ts`).
      answer_batches: ['batch-write', 'delete'],
    },
    ...api,
  },
  module_results: {
    name: 'module_results',
    description: 'accuracy over words and students of a module in a class',
    trigger: {
      kind: 'http',
      route: { method: 'GET', path: '/classes/{class_code}/modules/{module_id}/results' },
    },
    tables: {
      classes: ['get'],
      modules: ['get'],
      students: [queryIndex('class_code')],
      // The class's students' answers of the module: a key-prefix query per student.
      answers: ['query'],
    },
    ...api,
  },
  student_progress: {
    name: 'student_progress',
    description: "a student's progress",
    trigger: { kind: 'http', route: { method: 'GET', path: '/students/{id}/progress' } },
    // A teacher's or parent's right to the student is checked by key (services/access).
    tables: { student_progress: ['get'], students: ['get'], classes: ['get'], parents: ['get'] },
    ...api,
  },
  student_review: {
    name: 'student_review',
    description: 'the words a student should practise today',
    trigger: { kind: 'http', route: { method: 'GET', path: '/students/{id}/review' } },
    // The student's cards: its state's word parts (a key-prefix query, the card projected,
    // the reviews left unread) and the root's retention. Access as for its progress.
    tables: {
      student_state: ['get', 'query'],
      students: ['get'],
      classes: ['get'],
      parents: ['get'],
    },
    ...api,
  },
  class_review: {
    name: 'class_review',
    description: 'the words a class should practise today',
    trigger: { kind: 'http', route: { method: 'GET', path: '/classes/{class_code}/review' } },
    // From the students' progress as the last run left it: no card is read.
    tables: {
      classes: ['get'],
      students: [queryIndex('class_code')],
      student_progress: ['batch-get'],
    },
    ...api,
  },
  parent_summary: {
    name: 'parent_summary',
    description: "a parent's summary",
    trigger: { kind: 'http', route: { method: 'GET', path: '/parents/{id}/summary' } },
    // `parents`: the current `student_ids` (a child removed is left out at once).
    tables: { parent_summaries: ['get'], parents: ['get'] },
    ...api,
  },
  aggregate_students: {
    name: 'aggregate_students',
    description: 'recomputes student_progress for students with new answers',
    trigger: { kind: 'schedule', schedule: hourly(15, { mode: 'incremental' }) },
    tables: {
      // Scanned for the marked students (by segment); a mark is deleted if its token is
      // unchanged, and put back if it vanished meanwhile (`services/aggregates/marks.ts`).
      // A fold reads its student's mark again, consistently, before and after it reads the
      // answers (`fold/batch-guard.ts`).
      student_marks: ['scan', 'batch-get', 'get', 'delete', 'put'],
      // The student's batches in flight (query); abandoned ones and answered rebuild
      // requests are deleted.
      answer_batches: ['query', 'delete'],
      // A full rebuild queries a student's answers; a fold only those recorded since.
      answers: ['query', queryIndex('recorded_key')],
      modules: ['scan'],
      students: ['scan', 'batch-get'],
      student_progress: ['scan', 'batch-get', 'put'],
      // The parents of every student whose figures were (re)computed, for aggregate_parents.
      parent_marks: ['batch-write'],
      // The fold state of every student (`domain/progress/fold/`); the module_id index finds
      // the students of a module whose word list changed.
      student_state: ['get', 'batch-get', 'query', queryIndex('module_id'), 'put', 'batch-write'],
      // `last_rollover_day` and word lists (update); the run's lease (get, put, delete).
      jobs: ['get', 'update', 'put', 'delete'],
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
      parents: ['scan', 'batch-get'],
      students: ['batch-get'],
      student_progress: ['batch-get'],
      // `scan` and `delete`: a full run removes the summaries of parents that no longer exist.
      parent_summaries: ['scan', 'batch-get', 'put', 'delete'],
      // As `aggregate_students` does with student_marks.
      parent_marks: ['scan', 'batch-get', 'delete', 'put'],
      // The run's lease (`services/aggregates/lease.ts`).
      jobs: ['get', 'put', 'delete'],
    },
    workflow: sharded(),
    ...job,
  },
  pre_token_generation: {
    name: 'pre_token_generation',
    description: 'refuses staff tokens to users without TOTP MFA; strips roles not spelled exactly',
    trigger: { kind: 'cognito', event: 'pre-token-generation' },
    // It reads the user's MFA settings from Cognito (granted with the user pool), no table.
    tables: {},
    // Cognito gives a trigger 5 seconds in all, cold start included.
    timeoutSeconds: 5,
    memoryMb: 256,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionName = keyof typeof functions;

/**
 * The functions whose entry grants no table: their runtime has no Db, and their bundle
 * neither the DynamoDB adapter nor the SDK's client (`runtime/lambda.ts`).
 */
export type TablelessFunctionName = {
  [N in FunctionName]: keyof (typeof functions)[N]['tables'] extends never ? N : never;
}[FunctionName];

/** The functions that use a table: Lambda connects a Db for them. */
export type TableFunctionName = Exclude<FunctionName, TablelessFunctionName>;

/** Whether a function's entry grants it any table (the test of its bundle relies on it). */
export const usesTables = (definition: { readonly tables: TableAccesses }): boolean =>
  Object.keys(definition.tables).length > 0;

export const functionNames = Object.keys(functions) as FunctionName[];

/** EventBridge Scheduler's form: `cron(5 0 * * ? *)` (evaluated in the schedule's zone). */
export const schedulerExpression = (schedule: Schedule): string =>
  `cron(${schedule.minute} ${schedule.hour ?? '*'} * * ? *)`;

/** croner's form: `5 0 * * *` (evaluated in the zone passed to croner). */
export const cronPattern = (schedule: Schedule): string =>
  `${schedule.minute} ${schedule.hour ?? '*'} * * *`;
