/**
 * The scheduled functions of the catalogue, run locally: on their cron schedules in
 * `LMS_TIMEZONE` (croner, the same schedule definitions the deployment renders for
 * EventBridge Scheduler), or now through `POST /_jobs/<function>`. A job never overlaps
 * itself, as a scheduler retry would not either. A job the catalogue runs as a workflow
 * goes through that workflow's state machine, run in process, as its schedule starts it
 * on AWS.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import {
  cronPattern,
  type FunctionName,
  functionNames,
  functions,
  type Schedule,
} from '../../../catalog/functions.ts';
import {
  type AslDefinition,
  isWorkflowJob,
  workflowDefinition,
} from '../../../catalog/workflows.ts';
import { compareCodeUnits } from '../../../domain/ordering.ts';
import { errorMessage, LmsError } from '../../../errors.ts';
import { JobBusyError } from '../../../services/aggregates/lease.ts';
import { localContext } from '../../invoke/lambda-context.ts';
import type { Handle } from '../../invoke/load-function.ts';
import type { WorkflowExecution } from '../../workflows/execution-state.ts';
import { handlerInvoke, runWorkflow, type WorkflowProgress } from '../../workflows/run-workflow.ts';
import { jobLine } from './job-line.ts';
import { type JobRun, RUN_TRIGGERS, type RunHistory, type RunTrigger } from './job-runs.ts';

/** A run of the job is already under way (here, or holding its lease). */
export { JobBusyError };

export class NotAJobError extends LmsError {
  readonly code = 'NOT_A_JOB';
}

export interface JobInfo {
  readonly function: FunctionName;
  readonly schedule: string;
  readonly timezone: string;
  readonly enabled: boolean;
  /** Why a disabled schedule is off (null when enabled). */
  readonly disabled_reason: string | null;
  readonly next_run: string | null;
  readonly running: boolean;
  /** Runs as a Step Functions workflow (shards, continuations). */
  readonly workflow: boolean;
  /**
   * The workflow's state machine (ASL), the very definition the stack runs and deploys, so
   * the console draws its states from it rather than from a copy; null for a plain job.
   */
  readonly definition: AslDefinition | null;
  readonly current: JobRun | null;
  /**
   * The latest runs, newest first (at most {@link RUNS_KEPT}): those started before
   * `since` were kept from an earlier stack (`history`).
   */
  readonly runs: readonly JobRun[];
  /** When this stack's jobs began: a run started before it is from before a restart. */
  readonly since: string;
}

/** Runs kept per job: enough to compare a few nights, bounded however long the stack runs. */
export const RUNS_KEPT = 10;

/** A failed run's error as `/_jobs` shows it: its own code, else `JOB_FAILED`. */
export const jobErrorOf = (error: unknown): { code: string; message: string } => ({
  code:
    error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'JOB_FAILED',
  message: errorMessage(error),
});

export interface JobsOptions {
  readonly timezone: string;
  readonly load: (name: FunctionName) => Promise<Handle>;
  readonly log: (line: string) => void;
  /** What only `LOG_LEVEL=debug` shows (a workflow's shard-by-shard progress); default: dropped. */
  readonly debug?: (line: string) => void;
  /** Fire schedules (false: only run on request, as in tests). */
  readonly schedule?: boolean;
  /** A workflow's wait before a retry (see `RunWorkflowOptions.retryDelayMs`). */
  readonly retryDelayMs?: number;
  /** Where finished runs are kept across restarts (`console/run-history.ts`); default: memory only. */
  readonly history?: RunHistory;
}

const scheduled = () =>
  functionNames.flatMap((name) => {
    const trigger = functions[name].trigger;
    return trigger.kind === 'schedule' ? [{ name, schedule: trigger.schedule as Schedule }] : [];
  });

/**
 * @example
 * ```ts
 * const jobs = new LocalJobs({ timezone: 'Asia/Shanghai', load: loadFunction, log: console.error });
 * await jobs.start();
 * await jobs.run('calc_all_stats'); // now
 * await jobs.stop();
 * ```
 */
export class LocalJobs {
  readonly #crons = new Map<FunctionName, Cron>();
  /** The run under way of each job: a job never overlaps itself. */
  readonly #current = new Map<FunctionName, JobRun>();
  readonly #history = new Map<FunctionName, JobRun[]>();
  #saved: Promise<void> = Promise.resolve();
  readonly #since = new Date().toISOString();

  constructor(private readonly options: JobsOptions) {}

  /** Reads the runs kept by an earlier stack, before any run of this one finishes. */
  async restore(): Promise<void> {
    // Kept newest first: the oldest goes in first.
    for (const run of ((await this.options.history?.load()) ?? []).reverse()) this.#keep(run);
  }

  async start(): Promise<void> {
    if (this.options.schedule === false) return;
    for (const { name, schedule } of scheduled()) {
      if (!schedule.enabled) continue;
      const cron = new Cron(
        cronPattern(schedule),
        { timezone: this.options.timezone, name },
        async () => {
          try {
            await this.run(name, schedule.input, RUN_TRIGGERS.schedule);
          } catch (error) {
            // A failed scheduled run is logged; the next tick runs again (as the DLQ would keep it).
            this.options.log(`job ${name} failed: ${errorMessage(error)}`);
          }
        },
      );
      this.#crons.set(name, cron);
    }
  }

  async stop(): Promise<void> {
    for (const cron of this.#crons.values()) cron.stop();
    this.#crons.clear();
    await this.#saved;
  }

  list(): JobInfo[] {
    return scheduled().map(({ name, schedule }) => ({
      function: name,
      schedule: cronPattern(schedule),
      timezone: this.options.timezone,
      enabled: schedule.enabled,
      disabled_reason: schedule.enabled ? null : (schedule.disabledReason ?? null),
      next_run: this.#crons.get(name)?.nextRun()?.toISOString() ?? null,
      running: this.#current.has(name),
      workflow: isWorkflowJob(name),
      // Names, not ARNs: what the local stack itself runs (`run-workflow.ts`).
      definition: isWorkflowJob(name)
        ? workflowDefinition(name, { functionArn: name, failedRunsQueueUrl: 'local' })
        : null,
      current: this.#snapshot(this.#current.get(name)),
      runs: (this.#history.get(name) ?? []).map((run) => ({ ...run })),
      since: this.#since,
    }));
  }

  /** A run by its id, running or among the kept ones. */
  findRun(name: FunctionName, id: string): JobRun | undefined {
    const current = this.#current.get(name);
    if (current?.id === id) return this.#snapshot(current) ?? undefined;
    const kept = this.#history.get(name)?.find((run) => run.id === id);
    return kept === undefined ? undefined : { ...kept };
  }

  /**
   * Runs a scheduled function now with `event` (default: its schedule's input). A workflow
   * job resolves to its run's summary; a run skipped for another's lease is a JobBusyError.
   */
  async run(
    name: FunctionName,
    event?: unknown,
    trigger: RunTrigger = RUN_TRIGGERS.request,
  ): Promise<unknown> {
    const { done } = this.#begin(name, event, trigger);
    return done;
  }

  /**
   * Starts a run and returns its record at once (the console's run-now button); the
   * outcome lands in the record. Throws as `run` does when the job cannot start.
   */
  launch(name: FunctionName, event?: unknown, trigger: RunTrigger = RUN_TRIGGERS.request): JobRun {
    const { record, done } = this.#begin(name, event, trigger);
    // The outcome is in the record (and the log); nobody awaits this promise.
    done.catch(() => {});
    return { ...record };
  }

  #begin(
    name: FunctionName,
    event: unknown,
    trigger: RunTrigger,
  ): { record: JobRun; done: Promise<unknown> } {
    const definition = functions[name].trigger;
    if (definition.kind !== 'schedule')
      throw new NotAJobError(`${name} is not a scheduled function`);
    if (this.#current.has(name)) throw new JobBusyError(`${name} is already running`);
    const record: JobRun = {
      id: randomUUID(),
      function: name,
      trigger,
      started_at: new Date().toISOString(),
      finished_at: null,
      status: 'running',
      summary: null,
      error: null,
      progress: null,
      execution: null,
    };
    this.#current.set(name, record);
    const input = event ?? definition.schedule.input;
    return { record, done: this.#execute(name, input, record) };
  }

  async #execute(name: FunctionName, input: unknown, record: JobRun): Promise<unknown> {
    const started = performance.now();
    try {
      const handle = await this.options.load(name);
      const result = isWorkflowJob(name)
        ? await this.#runWorkflow(name, handle, input)
        : await handle(input, localContext(name, functions[name].timeoutSeconds));
      // One line a run: its summary's (which names the job and its time), else how long it took.
      const line = jobLine(name, result);
      this.options.log(
        line === undefined
          ? `job ${name} done in ${Math.round(performance.now() - started)} ms`
          : `job ${line}`,
      );
      this.#finish(name, record, { status: 'succeeded', summary: result });
      return result;
    } catch (error) {
      this.#finish(name, record, {
        status: error instanceof JobBusyError ? 'skipped' : 'failed',
        error: jobErrorOf(error),
      });
      throw error;
    }
  }

  /** Moves the current run, with its outcome and the progress it reached, to the history. */
  #finish(
    name: FunctionName,
    record: JobRun,
    outcome: Pick<JobRun, 'status'> & Partial<Pick<JobRun, 'summary' | 'error'>>,
  ): void {
    const current = this.#current.get(name) ?? record;
    this.#current.delete(name);
    this.#keep({ ...current, ...outcome, finished_at: new Date().toISOString() });
    const { history } = this.options;
    if (history !== undefined) {
      this.#saved = history.save([...this.#history.values()].flat());
    }
  }

  /** Adds a finished run to its job's list, newest first, at most RUNS_KEPT. */
  #keep(run: JobRun): void {
    const runs = this.#history.get(run.function) ?? [];
    runs.unshift(run);
    // Stable: among runs started in the same millisecond, the later one stays first.
    runs.sort((a, b) => compareCodeUnits(b.started_at, a.started_at));
    runs.length = Math.min(runs.length, RUNS_KEPT);
    this.#history.set(run.function, runs);
  }

  #snapshot(run: JobRun | undefined): JobRun | null {
    return run === undefined ? null : { ...run };
  }

  /** The running record of `name` with `change` (a new progress, where the execution is). */
  #update(name: FunctionName, change: Pick<Partial<JobRun>, 'progress' | 'execution'>): void {
    const current = this.#current.get(name);
    if (current !== undefined) this.#current.set(name, { ...current, ...change });
  }

  async #runWorkflow(name: FunctionName, handle: Handle, input: unknown): Promise<unknown> {
    const log = (line: string) => this.options.log(`job ${name}: ${line}`);
    const debug = (line: string) => this.options.debug?.(`job ${name}: ${line}`);
    let shardsDone = -1;
    const result = await runWorkflow({
      job: name,
      input,
      invoke: handlerInvoke(name, handle),
      log,
      ...(this.options.retryDelayMs !== undefined
        ? { retryDelayMs: this.options.retryDelayMs }
        : {}),
      onExecution: (execution: WorkflowExecution) => this.#update(name, { execution }),
      // A line per shard finished (not per invocation: a long run continues thousands of times).
      onProgress: (progress: WorkflowProgress) => {
        this.#update(name, { progress: { ...progress } });
        if (progress.shards_done === shardsDone) return;
        shardsDone = progress.shards_done;
        debug(
          `${progress.shards_done}/${progress.shards} shards done, ${progress.continuations} continuations`,
        );
      },
    });
    if (result.status === 'skipped') {
      throw new JobBusyError(`${name} is already running (another run holds its lease)`);
    }
    return result.output;
  }
}
