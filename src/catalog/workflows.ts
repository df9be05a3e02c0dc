/**
 * The Step Functions workflows of the jobs that outgrow one invocation, in Amazon States
 * Language: ONE definition per job, a pure function of where its function and the
 * failed-runs queue are. The CDK stack substitutes deployed ARNs into it
 * (`infra/constructs/workflows.ts`); the local stack runs the very same JSON in process
 * (`src/local/workflows/run-workflow.ts`). Which jobs run this way is the catalogue's
 * `workflow` field (`src/catalog/functions.ts`); what each phase sends and returns is
 * `src/workflow/protocol.ts`.
 *
 * ```
 * Plan ─▶ Busy? ─true─▶ Skipped
 *           └false─▶ Shards (Map over plan.shards, MaxConcurrency)
 *                      Work ─▶ Shard done? ─false─▶ Work (same shard, from its cursor)
 *                                  └true─▶ Shard finished
 *                    ─▶ Finish ─▶ (the run's summary)
 * any failure after its retries ─▶ Report failure (SQS) ─▶ Failed
 * ```
 */
import { LmsError } from '../errors.ts';
import { WORKFLOW_PHASE } from '../workflow/protocol.ts';
import {
  type FunctionDefinition,
  type FunctionName,
  functionNames,
  functions,
  type ShardedWorkflow,
} from './functions.ts';

/** State names: the local runner overrides the Task states by name, tests read them. */
export const WORKFLOW_STATE = {
  Plan: 'Plan',
  Busy: 'Busy?',
  Skipped: 'Skipped',
  Shards: 'Shards',
  Work: 'Work',
  ShardDone: 'Shard done?',
  ShardFinished: 'Shard finished',
  Finish: 'Finish',
  ReportFailure: 'Report failure',
  Failed: 'Failed',
} as const;
export type WorkflowState = (typeof WORKFLOW_STATE)[keyof typeof WORKFLOW_STATE];

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
export const SQS_SEND_MESSAGE = 'arn:aws:states:::sqs:sendMessage';

/** Step Functions' limit on the data a state passes on (input or output). */
export const MAX_STATE_PAYLOAD_BYTES = 256 * 1024;

/** A JSON value, as ASL is written. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [k: string]: Json };
export type AslState = { readonly Type: string } & { readonly [k: string]: Json };
export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, AslState>>;
}

export interface ShardedJobResources {
  /** The function invoked in every phase: an ARN on AWS (a CDK substitution), a name locally. */
  readonly functionArn: string;
  /** Where a failed run is reported: a queue URL on AWS, any label locally. */
  readonly failedRunsQueueUrl: string;
}

export interface ShardedJobDefinitionOptions extends ShardedJobResources {
  /** The job (function) name, in comments and in the failed-run message. */
  readonly job: string;
  /** The function's own timeout: a task that outlives it by a minute was lost. */
  readonly functionTimeoutSeconds: number;
  readonly workflow: ShardedWorkflow;
}

/**
 * Errors of the Lambda service itself (not of the function): AWS's recommended retry set
 * for `lambda:invoke`, tried often and soon, since the function never ran or its result
 * was lost.
 */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * A failure of the function (its error type, `Sandbox.Timedout`, ...) or a lost task: tried
 * twice more, later, as the scheduler retries a one-invocation job (every phase starts
 * again from what the workflow holds: the options, the run, a shard's last cursor).
 */
const RETRY = [
  {
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: 6,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: ['States.TaskFailed', 'States.Timeout'],
    IntervalSeconds: 10,
    BackoffRate: 3,
    MaxAttempts: 2,
    JitterStrategy: 'FULL',
  },
] as const satisfies Json;

/** Any error left after the retries: keep the state's input, add the error as `$.error`. */
const CATCH = [
  { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: WORKFLOW_STATE.ReportFailure },
] as const satisfies Json;

/**
 * A Task invoking the job's function with `payload`. `OutputPath: $.Payload` passes on the
 * function's return value alone (lambda:invoke wraps it with status code and headers);
 * the timeout is there because a Task has none by default, and the local engine's default
 * (60 s) would cut a job short.
 */
const invoke = (
  options: ShardedJobDefinitionOptions,
  payload: { readonly [k: string]: Json },
): AslState => ({
  Type: 'Task',
  Resource: LAMBDA_INVOKE,
  Parameters: { FunctionName: options.functionArn, Payload: payload },
  OutputPath: '$.Payload',
  TimeoutSeconds: options.functionTimeoutSeconds + 60,
  Retry: RETRY,
});

/**
 * The generic sharded job: any job whose function implements the plan / work / finish
 * phases can run under it (the aggregates today, `calc_all_stats` if it ever needs to).
 *
 * @example
 * ```ts
 * shardedJobDefinition({
 *   job: 'aggregate_students',
 *   functionArn: '${FunctionArn}',            // CDK: DefinitionSubstitutions
 *   failedRunsQueueUrl: '${FailedRunsQueueUrl}',
 *   functionTimeoutSeconds: 900,
 *   workflow: { maxConcurrency: 8, timeoutSeconds: 21600 },
 * });
 * ```
 */
export const shardedJobDefinition = (options: ShardedJobDefinitionOptions): AslDefinition => ({
  Comment: `${options.job} as a sharded job: plan, work on every shard until done, finish (src/catalog/workflows.ts)`,
  StartAt: WORKFLOW_STATE.Plan,
  TimeoutSeconds: options.workflow.timeoutSeconds,
  States: {
    [WORKFLOW_STATE.Plan]: {
      // The execution input is the schedule's input ({"mode": "incremental"}): the job's options.
      ...invoke(options, { phase: WORKFLOW_PHASE.Plan, 'options.$': '$' }),
      Catch: CATCH,
      Next: WORKFLOW_STATE.Busy,
    },
    [WORKFLOW_STATE.Busy]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.busy', BooleanEquals: true, Next: WORKFLOW_STATE.Skipped }],
      Default: WORKFLOW_STATE.Shards,
    },
    [WORKFLOW_STATE.Skipped]: {
      Type: 'Succeed',
      Comment: 'another run holds the job lease: this one has nothing to do',
    },
    [WORKFLOW_STATE.Shards]: {
      Type: 'Map',
      ItemsPath: '$.shards',
      ItemSelector: {
        phase: WORKFLOW_PHASE.Work,
        'run.$': '$.run',
        'shard.$': '$$.Map.Item.Value',
      },
      MaxConcurrency: options.workflow.maxConcurrency,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: WORKFLOW_STATE.Work,
        States: {
          [WORKFLOW_STATE.Work]: {
            // Rebuilt from `run` and `shard`, which both the first WorkEvent and every
            // WorkResult carry: a continuation loops straight back here, no Pass state.
            ...invoke(options, {
              phase: WORKFLOW_PHASE.Work,
              'run.$': '$.run',
              'shard.$': '$.shard',
            }),
            Next: WORKFLOW_STATE.ShardDone,
          },
          [WORKFLOW_STATE.ShardDone]: {
            Type: 'Choice',
            Choices: [{ Variable: '$.done', BooleanEquals: false, Next: WORKFLOW_STATE.Work }],
            Default: WORKFLOW_STATE.ShardFinished,
          },
          [WORKFLOW_STATE.ShardFinished]: { Type: 'Succeed' },
        },
      },
      // The shards' last WorkResults replace the plan's shards: the state stays small.
      ResultPath: '$.shards',
      // An iteration that failed after its retries fails the Map; caught here because a
      // Catch inside the iterator cannot leave it.
      Catch: CATCH,
      Next: WORKFLOW_STATE.Finish,
    },
    [WORKFLOW_STATE.Finish]: {
      ...invoke(options, {
        phase: WORKFLOW_PHASE.Finish,
        'run.$': '$.run',
        'shards.$': '$.shards',
      }),
      Catch: CATCH,
      End: true,
    },
    [WORKFLOW_STATE.ReportFailure]: {
      Type: 'Task',
      Resource: SQS_SEND_MESSAGE,
      Parameters: {
        QueueUrl: options.failedRunsQueueUrl,
        MessageBody: {
          source: 'workflow',
          job: options.job,
          'execution.$': '$$.Execution.Id',
          'input.$': '$$.Execution.Input',
          'error.$': '$.error',
        },
      },
      // Keep the error for the Fail state; the send's result is of no use.
      ResultPath: null,
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
      Next: WORKFLOW_STATE.Failed,
    },
    [WORKFLOW_STATE.Failed]: {
      Type: 'Fail',
      // The execution fails with the original error (and the alarm on failed executions fires).
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    },
  },
});

export class NotAWorkflowError extends LmsError {
  readonly code = 'NOT_A_WORKFLOW';
}

/** The catalogue's workflow of a function, if it runs as one. */
export const workflowOf = (name: FunctionName): ShardedWorkflow | undefined => {
  const definition: FunctionDefinition = functions[name];
  return definition.trigger.kind === 'schedule' ? definition.workflow : undefined;
};

/** The functions whose schedule starts a workflow, in catalogue order. */
export const workflowNames: readonly FunctionName[] = functionNames.filter(
  (name) => workflowOf(name) !== undefined,
);

export const isWorkflowJob = (name: FunctionName): boolean => workflowOf(name) !== undefined;

/**
 * A catalogued job's workflow definition.
 *
 * @example
 * ```ts
 * workflowDefinition('aggregate_students', { functionArn: 'aggregate_students', failedRunsQueueUrl: 'local' });
 * ```
 */
export const workflowDefinition = (
  name: FunctionName,
  resources: ShardedJobResources,
): AslDefinition => {
  const workflow = workflowOf(name);
  if (workflow === undefined) throw new NotAWorkflowError(`${name} does not run as a workflow`);
  return shardedJobDefinition({
    ...resources,
    job: name,
    functionTimeoutSeconds: functions[name].timeoutSeconds,
    workflow,
  });
};
