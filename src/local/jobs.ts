/**
 * The scheduled functions of the catalogue, run locally: on their cron schedules in
 * `LMS_TIMEZONE` (croner, the same schedule definitions the deployment renders for
 * EventBridge Scheduler), or now through `POST /_jobs/<function>`. A job never overlaps
 * itself, as a scheduler retry would not either. A job the catalogue runs as a workflow
 * goes through that workflow's state machine, run in process, as its schedule starts it
 * on AWS.
 */
import { Cron } from 'croner';
import { JobBusyError } from '../services/aggregates/sharded/lease.ts';

/** A run of the job is already under way (here, or holding its lease). */
export { JobBusyError };

import {
  cronPattern,
  type FunctionName,
  functionNames,
  functions,
  type Schedule,
} from '../catalog/functions.ts';
import { isWorkflowJob } from '../catalog/workflows.ts';
import { errorMessage, LmsError } from '../errors.ts';
import { localContext } from './invoke/lambda-context.ts';
import type { Handle } from './invoke/load-function.ts';
import { handlerInvoke, runWorkflow, type WorkflowProgress } from './workflows/run-workflow.ts';

export class NotAJobError extends LmsError {
  readonly code = 'NOT_A_JOB';
}

export interface JobInfo {
  readonly function: FunctionName;
  readonly schedule: string;
  readonly enabled: boolean;
  readonly next_run: string | null;
  readonly running: boolean;
}

export interface JobsOptions {
  readonly timezone: string;
  readonly load: (name: FunctionName) => Promise<Handle>;
  readonly log: (line: string) => void;
  /** Fire schedules (false: only run on request, as in tests). */
  readonly schedule?: boolean;
  /** A workflow's wait before a retry (see `RunWorkflowOptions.retryDelayMs`). */
  readonly retryDelayMs?: number;
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
  readonly #running = new Set<FunctionName>();

  constructor(private readonly options: JobsOptions) {}

  async start(): Promise<void> {
    if (this.options.schedule === false) return;
    for (const { name, schedule } of scheduled()) {
      if (!schedule.enabled) continue;
      const cron = new Cron(
        cronPattern(schedule),
        { timezone: this.options.timezone, name },
        async () => {
          try {
            await this.run(name, schedule.input);
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
  }

  list(): JobInfo[] {
    return scheduled().map(({ name, schedule }) => ({
      function: name,
      schedule: cronPattern(schedule),
      enabled: schedule.enabled,
      next_run: this.#crons.get(name)?.nextRun()?.toISOString() ?? null,
      running: this.#running.has(name),
    }));
  }

  /**
   * Runs a scheduled function now with `event` (default: its schedule's input). A workflow
   * job resolves to its run's summary; a run skipped for another's lease is a JobBusyError.
   */
  async run(name: FunctionName, event?: unknown): Promise<unknown> {
    const trigger = functions[name].trigger;
    if (trigger.kind !== 'schedule') throw new NotAJobError(`${name} is not a scheduled function`);
    if (this.#running.has(name)) throw new JobBusyError(`${name} is already running`);
    this.#running.add(name);
    const started = performance.now();
    try {
      const handle = await this.options.load(name);
      const input = event ?? trigger.schedule.input;
      const result = isWorkflowJob(name)
        ? await this.#runWorkflow(name, handle, input)
        : await handle(input, localContext(name, functions[name].timeoutSeconds));
      this.options.log(`job ${name} done in ${Math.round(performance.now() - started)} ms`);
      return result;
    } finally {
      this.#running.delete(name);
    }
  }

  async #runWorkflow(name: FunctionName, handle: Handle, input: unknown): Promise<unknown> {
    const log = (line: string) => this.options.log(`job ${name}: ${line}`);
    let shardsDone = -1;
    const result = await runWorkflow({
      job: name,
      input,
      invoke: handlerInvoke(name, handle),
      log,
      ...(this.options.retryDelayMs !== undefined
        ? { retryDelayMs: this.options.retryDelayMs }
        : {}),
      // A line per shard finished (not per invocation: a long run continues thousands of times).
      onProgress: (progress: WorkflowProgress) => {
        if (progress.shards_done === shardsDone) return;
        shardsDone = progress.shards_done;
        log(
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
