/**
 * What the console reads, as zod schemas: the API's replies are the project's own schemas
 * (DESIGN section 4); the console's own requests (`/_console/...`, `/_jobs`) follow
 * the console contract.
 */
import * as z from 'zod';
import { parentSummarySchema } from '../../src/entities/parent-summary.ts';
import { studentProgressSchema } from '../../src/entities/student-progress.ts';
import { moduleResultsReplySchema as moduleResultsSchema } from '../../src/services/results/schemas.ts';
import {
  classReviewReplySchema as classReviewSchema,
  studentReviewReplySchema as studentReviewSchema,
} from '../../src/services/review/schemas.ts';

export type { ClassReview, ReviewWord, StudentReview } from '../../src/services/review/schemas.ts';
export {
  classReviewSchema,
  moduleResultsSchema,
  parentSummarySchema,
  studentProgressSchema,
  studentReviewSchema,
};
export type ModuleResults = z.output<typeof moduleResultsSchema>;
export type StudentProgress = z.output<typeof studentProgressSchema>;
export type ParentSummary = z.output<typeof parentSummarySchema>;

/**
 * The API's roles. Written out because `services/access/principal.ts` itself reaches Node's
 * Buffer; test/console/schemas.test.ts holds the two lists equal.
 */
export const ROLES = ['admin', 'teacher', 'parent', 'student', 'service'] as const;
const role = z.enum(ROLES);
export type Role = z.output<typeof role>;

export const identitySchema = z.object({
  role,
  id: z.string(),
  name: z.string().nullable(),
  label: z.string(),
  home: z.string(),
});
export type Identity = z.output<typeof identitySchema>;
export const identitiesSchema = z.object({ identities: z.array(identitySchema) });

export const signInSchema = z.object({
  token: z.string(),
  role,
  id: z.string(),
  expires_at: z.string(),
  /** `LMS_TIMEZONE`: a day of `daily` is a date there. */
  timezone: z.string(),
});

/** What the console keeps of a sign-in, in sessionStorage. */
export const sessionSchema = signInSchema.extend({
  label: z.string(),
  name: z.string().nullable(),
  home: z.string(),
});
export type Session = z.output<typeof sessionSchema>;

const level = z.union([z.string(), z.number()]).nullable();

/** A class as both the directory and the organisation list it. */
const classFields = {
  code: z.string(),
  name: z.string(),
  teacher_id: z.string().nullable(),
  school_code: z.string().nullable(),
  level,
};

export const directorySchema = z.object({
  principal: z.object({ role, id: z.string(), name: z.string().nullable() }),
  classes: z.array(
    z.object({
      ...classFields,
      teacher_name: z.string().nullable(),
      modules: z.array(z.object({ id: z.string(), title: z.string(), words_total: z.number() })),
    }),
  ),
  students: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      class_code: z.string().nullable(),
      class_name: z.string().nullable(),
    }),
  ),
  modules: z.array(z.object({ id: z.string(), title: z.string() })),
});
export type Directory = z.output<typeof directorySchema>;

const count = z.number().int().nonnegative();
const stats = z
  .object({
    schools: count.optional(),
    teachers: count.optional(),
    classes: count.optional(),
    students: count.optional(),
    updated_at: z.string().optional(),
  })
  .nullable()
  .default(null);
export type Stats = z.output<typeof stats>;

export const organisationSchema = z.object({
  groups: z.array(z.object({ code: z.string(), name: z.string(), stats })),
  schools: z.array(
    z.object({ code: z.string(), name: z.string(), group_code: z.string().nullable(), stats }),
  ),
  teachers: z.array(
    z.object({ id: z.string(), name: z.string(), school_code: z.string().nullable(), stats }),
  ),
  classes: z.array(z.object({ ...classFields, stats })),
});
export type Organisation = z.output<typeof organisationSchema>;

/** A state's status in a run, as the Step Functions console colours it. */
export const STATE_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type StateStatus = (typeof STATE_STATUSES)[number];

/**
 * Where a workflow run's execution is, from its events (src/local/workflows/execution-state.ts):
 * the states entered, by name, and each Map's iterations.
 */
const executionSchema = z.object({
  status: z.enum(['running', 'succeeded', 'failed']),
  states: z.record(z.string(), z.object({ status: z.enum(STATE_STATUSES), active: count })),
  iterations: z.record(
    z.string(),
    z.object({ items: count.nullable(), started: count, succeeded: count, failed: count }),
  ),
});
export type Execution = z.output<typeof executionSchema>;

export const runSchema = z.object({
  id: z.string(),
  function: z.string(),
  trigger: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  summary: z.unknown(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  progress: z
    .object({ shards: count, shards_done: count, invocations: count, continuations: count })
    .nullable(),
  /** A workflow run's execution; null for a plain job (absent from a stack before it: null). */
  execution: executionSchema.nullable().default(null),
});
export type Run = z.output<typeof runSchema>;

/** A state of an ASL definition: what the console draws of it (its type and where it leads). */
const stateFields = {
  Type: z.string(),
  Next: z.string().optional(),
  End: z.boolean().optional(),
  Default: z.string().optional(),
  Choices: z.array(z.looseObject({ Next: z.string() })).optional(),
  Catch: z.array(z.looseObject({ Next: z.string() })).optional(),
};
const innerState = z.looseObject(stateFields);
const aslState = z.looseObject({
  ...stateFields,
  // A Map's per-item states: one level deep, as the catalogue's workflows are.
  ItemProcessor: z
    .looseObject({ StartAt: z.string(), States: z.record(z.string(), innerState) })
    .optional(),
});
export type AslState = z.output<typeof aslState>;
const workflowDefinition = z.looseObject({
  StartAt: z.string(),
  States: z.record(z.string(), aslState),
});
export type WorkflowDefinition = z.output<typeof workflowDefinition>;

export const jobsSchema = z.object({
  jobs: z.array(
    z.object({
      function: z.string(),
      schedule: z.string(),
      timezone: z.string(),
      enabled: z.boolean(),
      /** Why a disabled schedule is off. */
      disabled_reason: z.string().nullable(),
      next_run: z.string().nullable(),
      running: z.boolean(),
      workflow: z.boolean(),
      /** The workflow's state machine (ASL), null for a plain job. */
      definition: workflowDefinition.nullable(),
      current: runSchema.nullable(),
      runs: z.array(runSchema),
      /** When this stack's jobs began: runs started before it were kept from an earlier one. */
      since: z.string(),
    }),
  ),
});
export type Job = z.output<typeof jobsSchema>['jobs'][number];

export const launchedSchema = z.object({ run: runSchema });

/**
 * What the console reads of an `aggregate_students` run's summary (`StudentsSummary`,
 * src/services/aggregates/summary.ts): the students it left for a later run because their
 * newest answers were too young, from when those count, and the parents it marked for
 * `aggregate_parents`. Loose: the rest is the jobs view's to show whole.
 */
export const studentsRunSummarySchema = z.looseObject({
  job: z.literal('aggregate_students'),
  /** A dry run counts what a run would do and changes nothing: it counted no answer. */
  dry_run: z.boolean(),
  deferred: count,
  settle_seconds: z.number().nonnegative(),
  settles_at: z.iso.datetime(),
  parents_marked: count,
});
