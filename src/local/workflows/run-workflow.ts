/**
 * A job's Step Functions workflow, run in this process: the definition the stack deploys
 * (`src/catalog/workflows.ts`), executed by aws-local-stepfunctions, with its Lambda Task
 * states calling the job's handler in process and its SQS Task calling back. What crosses
 * a Task goes through JSON, as it would through Lambda, and each phase's result is
 * checked against the protocol (`src/workflow/protocol.ts`), so a worker that works
 * here works on AWS.
 */
import './node20.ts';
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type * as z from 'zod';
import { type FunctionName, functions } from '../../catalog/functions.ts';
import {
  MAX_STATE_PAYLOAD_BYTES,
  WORKFLOW_STATE,
  workflowDefinition,
} from '../../catalog/workflows.ts';
import { errorMessage, LmsError } from '../../errors.ts';
import { isRecord } from '../../lib/is-record.ts';
import { describeIssues, zodIssues } from '../../lib/zod-issues.ts';
import type { Handle } from '../../runtime/runtime.ts';
import {
  planResultSchema,
  type WorkflowPhase,
  type WorkflowRun,
  workResultSchema,
} from '../../workflow/protocol.ts';
import { localContext } from '../invoke/lambda-context.ts';
import { ExecutionTracker, type WorkflowExecution } from './execution-state.ts';

/** What a Lambda Task sends: one phase's event (`{ phase: 'plan', options }`, a WorkEvent, ...). */
export interface WorkflowPayload {
  readonly phase: WorkflowPhase;
  readonly [field: string]: unknown;
}

/** Runs one invocation of the job's function; resolves to what the function returns. */
export type WorkflowInvoke = (payload: WorkflowPayload) => Promise<unknown>;

/** Where a run is, after each phase result. */
export interface WorkflowProgress {
  /** Shards of the plan (0 until it is known). */
  readonly shards: number;
  readonly shards_done: number;
  /** Work invocations so far. */
  readonly invocations: number;
  /** Work results that were not done (the shard went on in another invocation). */
  readonly continuations: number;
}

/** What the workflow sends to the failed-runs queue (see the `Report failure` state). */
export interface FailedRunMessage {
  readonly queue: string;
  readonly body: unknown;
}

export interface RunWorkflowOptions {
  readonly job: FunctionName;
  /** The execution input: the job's options (default: its schedule's input). */
  readonly input?: unknown;
  readonly invoke: WorkflowInvoke;
  readonly onProgress?: (progress: WorkflowProgress) => void;
  /**
   * Where the execution is (its states and its Map's iterations), after each of its events,
   * the last one once it has ended.
   */
  readonly onExecution?: (execution: WorkflowExecution) => void;
  /** The failed-runs queue, locally (default: a log line). */
  readonly onFailedRun?: (message: FailedRunMessage) => void | Promise<void>;
  /** Retries and failures on the way; default: nowhere. */
  readonly log?: (line: string) => void;
  /**
   * The wait before a retry, instead of the definition's backoff (seconds to a minute on
   * AWS, where it rides out throttling; locally a failure is mostly a bug to see soon).
   */
  readonly retryDelayMs?: number;
}

export type WorkflowResult =
  | {
      readonly status: 'succeeded';
      /** What Finish returned: the run's summary. */
      readonly output: unknown;
      readonly progress: WorkflowProgress;
    }
  | {
      /** The plan said `busy`: another run holds the job's lease. */
      readonly status: 'skipped';
      readonly run: WorkflowRun;
      readonly progress: WorkflowProgress;
    };

/** The execution failed (after the failed-runs report, when it got that far). */
export class WorkflowFailedError extends LmsError {
  readonly code = 'WORKFLOW_FAILED';
}

/**
 * A phase returned something the protocol does not allow. On AWS the next Choice state
 * would fail with `States.Runtime`, which no Retry or Catch matches: the same here.
 */
export class WorkflowProtocolError extends LmsError {
  readonly code = 'WORKFLOW_PROTOCOL';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** Step Functions' `States.DataLimitExceeded`: terminal, as on AWS. */
export class WorkflowDataLimitError extends LmsError {
  readonly code = 'WORKFLOW_DATA_LIMIT';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type TaskHandler = TaskHandlers[string];
type JsonValue = Awaited<ReturnType<TaskHandler>>;

/** Through JSON, as Lambda passes events and results (dates become strings, undefined goes). */
const throughJson = (value: unknown, what: string): JsonValue => {
  const text = JSON.stringify(value ?? null);
  if (Buffer.byteLength(text) > MAX_STATE_PAYLOAD_BYTES) {
    throw new WorkflowDataLimitError(
      `${what} is ${Buffer.byteLength(text)} bytes; Step Functions passes at most ${MAX_STATE_PAYLOAD_BYTES}`,
    );
  }
  return JSON.parse(text) as JsonValue;
};

const parsePhaseResult = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new WorkflowProtocolError(
      `${what} does not follow src/workflow/protocol.ts: ${describeIssues(zodIssues(result.error), '(result)')}`,
    );
  }
  return result.data;
};

/** The payload a lambda:invoke Task was given (`Parameters.Payload`). */
const payloadOf = (input: unknown, state: string): WorkflowPayload => {
  const payload = isRecord(input) ? input.Payload : undefined;
  if (!isRecord(payload) || typeof payload.phase !== 'string') {
    throw new WorkflowProtocolError(`${state}: the task input has no Payload with a phase`);
  }
  return payload as WorkflowPayload;
};

/**
 * The invoke of a loaded handler: each invocation gets its own Lambda context, whose
 * remaining time starts at the catalogue's timeout (`context` to give another, as a test
 * with a tiny budget does).
 *
 * @example
 * ```ts
 * const invoke = handlerInvoke('aggregate_students', await loadFunction('aggregate_students', runtime));
 * ```
 */
export const handlerInvoke =
  (
    job: FunctionName,
    handle: Handle,
    context: () => Context = () => localContext(job, functions[job].timeoutSeconds),
  ): WorkflowInvoke =>
  (payload) =>
    handle(payload, context());

/**
 * Runs the job's workflow once, to its end.
 *
 * @example
 * ```ts
 * const result = await runWorkflow({
 *   job: 'aggregate_students',
 *   input: { mode: 'full' },
 *   invoke: handlerInvoke('aggregate_students', handle),
 *   onProgress: (p) => console.error(`${p.shards_done}/${p.shards} shards`),
 * });
 * if (result.status === 'succeeded') console.log(result.output); // the summary
 * ```
 */
export const runWorkflow = async (options: RunWorkflowOptions): Promise<WorkflowResult> => {
  const { job } = options;
  const log = options.log ?? (() => {});
  const failedRunsQueue = `local:${job}:failed-runs`;
  // The library's types know neither ProcessorConfig nor ErrorPath; it validates the
  // definition itself (asl-validator) when constructed.
  const definition = workflowDefinition(job, {
    functionArn: job,
    failedRunsQueueUrl: failedRunsQueue,
  });
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);

  let progress: WorkflowProgress = { shards: 0, shards_done: 0, invocations: 0, continuations: 0 };
  const report = (next: WorkflowProgress) => {
    progress = next;
    options.onProgress?.(progress);
  };
  let busyRun: WorkflowRun | undefined;
  /** The last error a phase threw: the failure's cause, with its stack. */
  let lastError: unknown;

  const lambdaTask =
    (state: string, check: (result: unknown) => void): TaskHandler =>
    async (input) => {
      const payload = payloadOf(input, state);
      try {
        // A copy: over Lambda a worker could never change the workflow's state in place.
        const result = await options.invoke(structuredClone(payload));
        const json = throughJson(result, `${state}'s result`);
        check(json);
        // What lambda:invoke returns; the Task's OutputPath picks the Payload.
        return { StatusCode: 200, Payload: json };
      } catch (error) {
        lastError = error;
        throw error;
      }
    };

  const handlers: TaskHandlers = {
    [WORKFLOW_STATE.Plan]: lambdaTask(WORKFLOW_STATE.Plan, (result) => {
      const plan = parsePhaseResult(planResultSchema, result, `${job}'s plan`);
      if (plan.busy) busyRun = plan.run;
      else report({ ...progress, shards: plan.shards.length });
    }),
    [WORKFLOW_STATE.Work]: lambdaTask(WORKFLOW_STATE.Work, (result) => {
      const work = parsePhaseResult(workResultSchema, result, `${job}'s work`);
      report({
        ...progress,
        invocations: progress.invocations + 1,
        shards_done: progress.shards_done + (work.done ? 1 : 0),
        continuations: progress.continuations + (work.done ? 0 : 1),
      });
    }),
    [WORKFLOW_STATE.Finish]: lambdaTask(WORKFLOW_STATE.Finish, () => {}),
    [WORKFLOW_STATE.ReportFailure]: async (input) => {
      const body = isRecord(input) ? input.MessageBody : undefined;
      const onFailedRun =
        options.onFailedRun ??
        ((message: FailedRunMessage) =>
          log(`${job}: failed run sent to ${message.queue}: ${JSON.stringify(message.body)}`));
      await onFailedRun({ queue: failedRunsQueue, body });
      return { MessageId: randomUUID() };
    },
  };
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const trigger = functions[job].trigger;
  const input = options.input ?? (trigger.kind === 'schedule' ? trigger.schedule.input : {});
  const execution = machine.run(throughJson(input, `${job}'s input`), {
    overrides: {
      taskResourceLocalHandlers: handlers,
      retryIntervalOverrides: Object.fromEntries(
        Object.keys(handlers).map((state) => [state, retryDelayMs]),
      ),
    },
    context: {
      Execution: { Id: `local:${job}:${randomUUID()}`, Name: job },
      StateMachine: { Id: `local:${job}`, Name: job },
    },
  });

  const failures = new Map<string, string>();
  const tracker = new ExecutionTracker(definition);
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      tracker.record(event);
      options.onExecution?.(tracker.snapshot());
      if (event.type === 'StateFailed') {
        failures.set(event.state.name, `${event.Error}: ${errorMessage(event.Cause)}`);
      } else if (event.type === 'StateRetried') {
        log(
          `${job}: ${event.state.name} failed (${failures.get(event.state.name) ?? 'unknown error'}), retry ${event.retry.attempt}`,
        );
      }
    }
  })();

  try {
    const output = await execution.result;
    if (busyRun !== undefined) return { status: 'skipped', run: busyRun, progress };
    return { status: 'succeeded', output, progress };
  } catch (error) {
    throw new WorkflowFailedError(`${job} workflow failed: ${describeFailure(error)}`, {
      cause: lastError ?? error,
    });
  } finally {
    await watching;
  }
};

/** `Error: cause` of the Fail state, or what stopped the execution otherwise. */
const describeFailure = (error: unknown): string => {
  if (error instanceof ExecutionTimeoutError) return 'timed out';
  if (error instanceof ExecutionAbortedError) return 'aborted';
  const cause = error instanceof ExecutionError ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : errorMessage(cause);
};
