import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { JobBusyError, LocalJobs } from '../../src/local/jobs.ts';
import { WorkflowFailedError } from '../../src/local/workflows/run-workflow.ts';
import type { Handle } from '../../src/runtime/runtime.ts';
import { type CountingWorkerOptions, countingWorker } from '../support/counting-worker.ts';

const jobsOver = (load: (name: FunctionName) => Handle) => {
  const lines: string[] = [];
  const jobs = new LocalJobs({
    timezone: 'Asia/Shanghai',
    load: async (name) => load(name),
    log: (line) => lines.push(line),
    schedule: false,
    retryDelayMs: 0,
  });
  return { jobs, lines };
};

const worker = (options: CountingWorkerOptions) => () => countingWorker(options);

describe('LocalJobs: workflow jobs go through their workflow', () => {
  it('runs aggregate_students as plan, shards, finish and returns the summary', async () => {
    const calls: CountingWorkerOptions['calls'] = [];
    const { jobs, lines } = jobsOver(worker({ shards: 3, countTo: 4, calls }));
    const summary = await jobs.run('aggregate_students', { mode: 'full' });
    expect(summary).toEqual({
      job: 'aggregate_students',
      mode: 'full',
      shards: 3,
      counted: 4 + 5 + 6,
      per_shard: [4, 5, 6],
    });
    expect(calls.map((c) => c.phase)).toEqual(['plan', 'work', 'work', 'work', 'finish']);
    expect(lines).toContain('job aggregate_students: 3/3 shards done, 0 continuations');
    expect(lines.at(-1)).toMatch(/^job aggregate_students done in \d+ ms$/);
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
