import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../../../src/catalog/functions.ts';
import { RUN_TRIGGERS } from '../../../../src/local/aws/scheduler/job-runs.ts';
import {
  JobBusyError,
  LocalJobs,
  NotAJobError,
  RUNS_KEPT,
} from '../../../../src/local/aws/scheduler/jobs.ts';
import { WorkflowFailedError } from '../../../../src/local/workflows/run-workflow.ts';
import type { Handle } from '../../../../src/runtime/runtime.ts';
import { type CountingWorkerOptions, countingWorker } from '../../../support/counting-worker.ts';

const jobsOver = (load: (name: FunctionName) => Handle) => {
  const lines: string[] = [];
  const debugLines: string[] = [];
  const jobs = new LocalJobs({
    timezone: 'Asia/Shanghai',
    load: async (name) => load(name),
    log: (line) => lines.push(line),
    debug: (line) => debugLines.push(line),
    schedule: false,
    retryDelayMs: 0,
  });
  return { jobs, lines, debugLines };
};

const worker = (options: CountingWorkerOptions) => () => countingWorker(options);

describe('LocalJobs: workflow jobs go through their workflow', () => {
  it('runs aggregate_students as plan, shards, finish and returns the summary', async () => {
    const calls: CountingWorkerOptions['calls'] = [];
    const { jobs, lines, debugLines } = jobsOver(worker({ shards: 3, countTo: 4, calls }));
    const summary = await jobs.run('aggregate_students', { mode: 'full' });
    expect(summary).toEqual({
      job: 'aggregate_students',
      mode: 'full',
      shards: 3,
      counted: 4 + 5 + 6,
      per_shard: [4, 5, 6],
    });
    expect(calls.map((c) => c.phase)).toEqual(['plan', 'work', 'work', 'work', 'finish']);
    // The shards' progress is detail (LOG_LEVEL=debug); the run itself is one line.
    expect(debugLines).toContain('job aggregate_students: 3/3 shards done, 0 continuations');
    expect(lines).toEqual([expect.stringMatching(/^job aggregate_students done in \d+ ms$/)]);
    expect(jobs.list().find((job) => job.function === 'aggregate_students')?.running).toBe(false);
  });

  it('without an event, the workflow gets the schedule input', async () => {
    const { jobs } = jobsOver(worker({ shards: 1, countTo: 1 }));
    expect(await jobs.run('aggregate_parents')).toMatchObject({ mode: 'full' });
    expect(await jobs.run('aggregate_students')).toMatchObject({ mode: 'incremental' });
  });

  it('a run skipped for another run holding the lease is a JobBusyError (HTTP 409)', async () => {
    const { jobs } = jobsOver(worker({ shards: 2, countTo: 1, busy: true }));
    await expect(jobs.run('aggregate_students')).rejects.toBeInstanceOf(JobBusyError);
  });

  it('a failed run is logged as sent to the failed-runs queue and rejects', async () => {
    const { jobs, lines } = jobsOver(worker({ shards: 2, countTo: 3, failSegment: 0 }));
    const error = await jobs.run('aggregate_students').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(lines.filter((line) => line.includes('retry'))).toHaveLength(2);
    expect(
      lines.some((line) =>
        line.startsWith(
          'job aggregate_students: aggregate_students: failed run sent to local:aggregate_students:failed-runs',
        ),
      ),
    ).toBe(true);
    expect(jobs.list().find((job) => job.function === 'aggregate_students')?.running).toBe(false);
  });

  it('other scheduled jobs are still invoked once, with the event as it is', async () => {
    const events: unknown[] = [];
    const { jobs } = jobsOver(() => async (event) => {
      events.push(event);
      return { scanned: 0 };
    });
    expect(await jobs.run('calc_all_stats', { dry_run: true })).toEqual({ scanned: 0 });
    expect(events).toEqual([{ dry_run: true }]);
  });
});

describe('LocalJobs: the runs it keeps (GET /_jobs, the console)', () => {
  const jobInfo = (jobs: LocalJobs, name: FunctionName) => {
    const info = jobs.list().find((job) => job.function === name);
    if (info === undefined) throw new Error(`${name} is not listed`);
    return info;
  };

  it('records each run with its trigger, outcome, summary and the workflow progress it reached', async () => {
    const { jobs } = jobsOver(worker({ shards: 3, countTo: 2 }));
    const summary = await jobs.run('aggregate_students', { mode: 'full' }, RUN_TRIGGERS.start);
    const info = jobInfo(jobs, 'aggregate_students');
    expect(info).toMatchObject({ workflow: true, running: false, current: null });
    expect(info.runs).toHaveLength(1);
    const [run] = info.runs;
    expect(run).toMatchObject({
      function: 'aggregate_students',
      trigger: 'start',
      status: 'succeeded',
      summary,
      error: null,
      progress: { shards: 3, shards_done: 3, continuations: 0 },
    });
    expect(Date.parse(run?.finished_at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(run?.started_at ?? ''),
    );
    expect(jobs.findRun('aggregate_students', run?.id ?? '')).toEqual(run);
    expect(jobInfo(jobs, 'calc_all_stats')).toMatchObject({ workflow: false, runs: [] });
  });

  it('a failed run keeps its error, a run skipped for the lease is "skipped"', async () => {
    const failing = jobsOver(worker({ shards: 2, countTo: 3, failSegment: 1 })).jobs;
    await failing.run('aggregate_students').catch(() => {});
    expect(jobInfo(failing, 'aggregate_students').runs[0]).toMatchObject({
      status: 'failed',
      summary: null,
      error: { code: 'WORKFLOW_FAILED' },
    });
    const busy = jobsOver(worker({ shards: 2, countTo: 1, busy: true })).jobs;
    await busy.run('aggregate_students').catch(() => {});
    expect(jobInfo(busy, 'aggregate_students').runs[0]).toMatchObject({
      status: 'skipped',
      error: { code: 'JOB_BUSY' },
    });
  });

  it('launch returns the running record at once; the outcome lands in it; it never overlaps', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { jobs } = jobsOver(() => async () => {
      await gate;
      return { scanned: 7 };
    });
    const launched = jobs.launch('calc_all_stats');
    expect(launched).toMatchObject({ status: 'running', finished_at: null, trigger: 'request' });
    expect(jobInfo(jobs, 'calc_all_stats')).toMatchObject({
      running: true,
      current: { id: launched.id },
    });
    expect(() => jobs.launch('calc_all_stats')).toThrow(JobBusyError);
    release();
    const deadline = Date.now() + 5_000;
    while (jobs.findRun('calc_all_stats', launched.id)?.status === 'running') {
      if (Date.now() > deadline) throw new Error('the launched run did not finish');
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(jobs.findRun('calc_all_stats', launched.id)).toMatchObject({
      status: 'succeeded',
      summary: { scanned: 7 },
    });
  });

  it(`keeps the latest ${RUNS_KEPT} runs per job, newest first`, async () => {
    let n = 0;
    const { jobs } = jobsOver(() => async () => ({ n: ++n }));
    for (let i = 0; i < RUNS_KEPT + 3; i++) await jobs.run('calc_all_stats');
    const { runs } = jobInfo(jobs, 'calc_all_stats');
    expect(runs.map((run) => run.summary)).toEqual(
      Array.from({ length: RUNS_KEPT }, (_, i) => ({ n: RUNS_KEPT + 3 - i })),
    );
  });

  it('a run asked of a function that is not scheduled is refused before any record', () => {
    const { jobs } = jobsOver(() => async () => ({}));
    expect(() => jobs.launch('module_results')).toThrow(NotAJobError);
    expect(jobs.list().every((job) => job.runs.length === 0)).toBe(true);
  });
});
