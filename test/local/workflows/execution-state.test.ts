/**
 * The live state of a workflow run, as `/_jobs` shows it: a real local execution of the
 * catalogue's definition (aws-local-stepfunctions, through LocalJobs), held at a phase while
 * the test reads the run's record, then let go to its end.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { LocalJobs } from '../../../src/local/aws/scheduler/jobs.ts';
import type {
  StateStatus,
  WorkflowExecution,
} from '../../../src/local/workflows/execution-state.ts';
import type { Handle } from '../../../src/runtime/runtime.ts';
import { type CountingWorkerOptions, countingWorker } from '../../support/counting-worker.ts';
import { poll } from '../../support/lms-start.ts';

const JOB = 'aggregate_students';
const phaseSchema = z.looseObject({
  phase: z.string(),
  shard: z.looseObject({ segment: z.number() }).optional(),
});
/** A busy 2-core machine runs a handful of in-process invocations in well under this. */
const DEADLINE_MS = 20_000;

/** A gate a phase waits at until the test opens it. */
const gate = () => {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/**
 * The counting worker, with the plan and shard 0's work held at their gates (the other shards
 * run through).
 */
const heldWorker = (
  options: CountingWorkerOptions,
  gates: { plan: Promise<void>; shard0: Promise<void> },
): Handle => {
  const worker = countingWorker(options);
  return async (event, context) => {
    const { phase, shard } = phaseSchema.parse(event);
    if (phase === 'plan') await gates.plan;
    if (phase === 'work' && shard?.segment === 0) await gates.shard0;
    return worker(event, context);
  };
};

const jobsOver = (handle: Handle) =>
  new LocalJobs({
    timezone: 'Asia/Shanghai',
    load: async () => handle,
    log: () => {},
    schedule: false,
    retryDelayMs: 0,
  });

/** The run's execution once `ready` holds of it (polled, never slept). */
const executionWhen = (
  jobs: LocalJobs,
  id: string,
  ready: (execution: WorkflowExecution) => boolean,
  what: string,
) =>
  poll(
    () => {
      const execution = jobs.findRun(JOB, id)?.execution;
      return execution !== null && execution !== undefined && ready(execution)
        ? execution
        : undefined;
    },
    DEADLINE_MS,
    what,
  );

const ended = (jobs: LocalJobs, id: string) =>
  executionWhen(jobs, id, (e) => e.status !== 'running', 'the run to end');

/** The states every run that got past its plan went through. */
const PLANNED = ['Plan', 'Busy?'];
const each = (status: StateStatus, names: readonly string[]) =>
  Object.fromEntries(names.map((name) => [name, status]));

const statuses = (execution: WorkflowExecution) =>
  Object.fromEntries(Object.entries(execution.states).map(([name, s]) => [name, s.status]));

describe("a workflow run's live state, from its execution's events", () => {
  it('follows the run: the plan, the Map with its iterations, the finish; all succeeded at the end', async () => {
    const plan = gate();
    const shard0 = gate();
    const jobs = jobsOver(
      heldWorker({ shards: 3, countTo: 2 }, { plan: plan.opened, shard0: shard0.opened }),
    );
    const run = jobs.launch(JOB, { mode: 'full' });

    const planning = await executionWhen(
      jobs,
      run.id,
      (e) => e.states.Plan?.status === 'running',
      'the run in Plan',
    );
    expect(planning).toEqual({
      status: 'running',
      states: { Plan: { status: 'running', active: 1 } },
      iterations: {},
    });

    plan.open();
    // Shards 1 and 2 run through; shard 0 waits in Work.
    const mapping = await executionWhen(
      jobs,
      run.id,
      (e) => e.iterations.Shards?.succeeded === 2 && e.states.Work?.active === 1,
      'two shards done, one in Work',
    );
    expect(mapping.status).toBe('running');
    expect(statuses(mapping)).toEqual({
      ...each('succeeded', [...PLANNED, 'Shard done?', 'Shard finished']),
      ...each('running', ['Shards', 'Work']),
    });
    expect(mapping.states.Shards).toEqual({ status: 'running', active: 1 });
    expect(mapping.iterations.Shards).toEqual({ items: 3, started: 3, succeeded: 2, failed: 0 });

    shard0.open();
    const done = await ended(jobs, run.id);
    expect(done.status).toBe('succeeded');
    expect(statuses(done)).toEqual(
      each('succeeded', [...PLANNED, 'Shards', 'Work', 'Shard done?', 'Shard finished', 'Finish']),
    );
    expect(Object.values(done.states).every((s) => s.active === 0)).toBe(true);
    expect(done.iterations.Shards).toEqual({ items: 3, started: 3, succeeded: 3, failed: 0 });
    // The finished run keeps it: the drawing of last night's run, after a restart too.
    const finished = await poll(
      () => {
        const kept = jobs.findRun(JOB, run.id);
        return kept?.status === 'running' ? undefined : kept;
      },
      DEADLINE_MS,
      'the run record to finish',
    );
    expect(finished).toMatchObject({ status: 'succeeded', execution: done });
  });

  it('a shard failing for good marks Work and the Map failed, then the failure path', async () => {
    const jobs = jobsOver(countingWorker({ shards: 3, countTo: 2, failSegment: 1 }));
    const run = jobs.launch(JOB, { mode: 'full' });
    const done = await ended(jobs, run.id);
    expect(done.status).toBe('failed');
    expect(statuses(done)).toMatchObject({
      ...each('succeeded', [...PLANNED, 'Report failure']),
      ...each('failed', ['Shards', 'Work', 'Failed']),
    });
    expect(done.states.Finish).toBeUndefined();
    expect(done.iterations.Shards).toMatchObject({ items: 3, failed: 1 });
    const shards = done.iterations.Shards;
    // The other shards may have ended, or been stopped with the Map: never counted twice.
    expect((shards?.succeeded ?? 0) + (shards?.failed ?? 0)).toBeLessThanOrEqual(
      shards?.started ?? 0,
    );
    expect(Object.values(done.states).every((s) => s.active === 0)).toBe(true);
  });

  it('a state retried after a failure and then succeeding is succeeded, not failed', async () => {
    const worker = countingWorker({ shards: 2, countTo: 2 });
    let failures = 0;
    const jobs = jobsOver(async (event, context) => {
      const { phase, shard } = phaseSchema.parse(event);
      if (phase === 'work' && shard?.segment === 0 && failures === 0) {
        failures += 1;
        throw new Error('a failure its retry gets past');
      }
      return worker(event, context);
    });
    const run = jobs.launch(JOB, { mode: 'full' });
    const done = await ended(jobs, run.id);
    expect(failures).toBe(1);
    expect(done.status).toBe('succeeded');
    expect(done.states.Work).toEqual({ status: 'succeeded', active: 0 });
    expect(done.iterations.Shards).toEqual({ items: 2, started: 2, succeeded: 2, failed: 0 });
  });

  it('a busy plan ends in Skipped: no Map entered', async () => {
    const jobs = jobsOver(countingWorker({ shards: 2, countTo: 1, busy: true }));
    const run = jobs.launch(JOB);
    const done = await ended(jobs, run.id);
    expect(done).toEqual({
      status: 'succeeded',
      states: {
        Plan: { status: 'succeeded', active: 0 },
        'Busy?': { status: 'succeeded', active: 0 },
        Skipped: { status: 'succeeded', active: 0 },
      },
      iterations: {},
    });
    // The plan's busy answer: the execution succeeded, the run was skipped.
    await poll(
      () => (jobs.findRun(JOB, run.id)?.status === 'skipped' ? true : undefined),
      DEADLINE_MS,
      'the run to be skipped',
    );
  });
});
