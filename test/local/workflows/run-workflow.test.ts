import { describe, expect, it } from 'vitest';
import {
  type FailedRunMessage,
  handlerInvoke,
  runWorkflow,
  WorkflowFailedError,
  type WorkflowProgress,
} from '../../../src/local/workflows/run-workflow.ts';
import type { Handle } from '../../../src/runtime/runtime.ts';
import {
  budgetContext,
  CountingWorkerError,
  type CountingWorkerOptions,
  countingWorker,
} from '../../support/counting-worker.ts';

const JOB = 'aggregate_students';

const run = (
  worker: CountingWorkerOptions,
  budgetMs?: number,
  input: unknown = { mode: 'full' },
) => {
  const progress: WorkflowProgress[] = [];
  const failed: FailedRunMessage[] = [];
  const handle = countingWorker(worker);
  const result = runWorkflow({
    job: JOB,
    input,
    invoke: handlerInvoke(
      JOB,
      handle,
      budgetMs === undefined ? undefined : () => budgetContext(budgetMs),
    ),
    onProgress: (p) => progress.push(p),
    onFailedRun: (message) => {
      failed.push(message);
    },
    retryDelayMs: 0,
  });
  return { result, progress, failed };
};

describe('runWorkflow (the deployed definition, run in process)', () => {
  it('a tiny time budget forces many continuations and gives the uninterrupted summary', async () => {
    const worker = { shards: 3, countTo: 40 };
    const whole = run(worker);
    const interrupted = run(worker, 6);
    const [a, b] = [await whole.result, await interrupted.result];
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    if (a.status !== 'succeeded' || b.status !== 'succeeded') return;
    expect(a.output).toEqual({
      job: JOB,
      mode: 'full',
      shards: 3,
      counted: 40 + 41 + 42,
      per_shard: [40, 41, 42],
    });
    expect(b.output).toEqual(a.output);
    expect(a.progress).toEqual({ shards: 3, shards_done: 3, invocations: 3, continuations: 0 });
    expect(b.progress.continuations).toBeGreaterThanOrEqual(10);
    expect(b.progress).toMatchObject({ shards: 3, shards_done: 3 });
    expect(b.progress.invocations).toBe(b.progress.continuations + 3);
  });

  it('reports progress after the plan and after every work result', async () => {
    const { result, progress } = run({ shards: 2, countTo: 10 }, 6);
    await result;
    expect(progress[0]).toEqual({ shards: 2, shards_done: 0, invocations: 0, continuations: 0 });
    const last = progress.at(-1);
    expect(last).toMatchObject({ shards: 2, shards_done: 2 });
    expect(progress).toHaveLength(1 + (last?.invocations ?? 0));
    // Monotonic: each report one invocation further, a shard done or continued.
    for (const [i, p] of progress.slice(1).entries()) {
      expect(p.invocations).toBe(i + 1);
      expect(p.shards_done + p.continuations).toBe(p.invocations);
    }
  });

  it('passes the execution input to the plan as options (default: the schedule input)', async () => {
    const calls: CountingWorkerOptions['calls'] = [];
    const seen: unknown[] = [];
    const handle: Handle = async (event, context) => {
      seen.push(event);
      return countingWorker({ shards: 1, countTo: 1, calls })(event, context);
    };
    const result = await runWorkflow({ job: JOB, invoke: handlerInvoke(JOB, handle) });
    expect(seen[0]).toEqual({ phase: 'plan', options: { mode: 'incremental' } });
    expect(seen[1]).toMatchObject({
      phase: 'work',
      run: { run_id: 'run-1' },
      shard: { segment: 0 },
    });
    expect(seen[2]).toMatchObject({ phase: 'finish', shards: [{ done: true }] });
    expect(result).toMatchObject({ status: 'succeeded', output: { mode: 'incremental' } });
  });

  it('a busy plan ends the run as skipped, without any work', async () => {
    const calls: CountingWorkerOptions['calls'] = [];
    const { result, failed } = run({ shards: 2, countTo: 5, busy: true, calls });
    expect(await result).toMatchObject({ status: 'skipped', run: { run_id: 'run-1' } });
    expect(calls.map((c) => c.phase)).toEqual(['plan']);
    expect(failed).toEqual([]);
  });

  it('a failing worker is retried, reported to the failed-runs callback, and the run rejected', async () => {
    const calls: CountingWorkerOptions['calls'] = [];
    const { result, failed } = run({ shards: 3, countTo: 5, failSegment: 1, calls });
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).message).toContain(
      'CountingWorkerError: shard 1 cannot be counted',
    );
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CountingWorkerError);
    // The first try and the definition's two retries of a function error.
    expect(calls.filter((c) => c.phase === 'work' && c.segment === 1)).toHaveLength(3);
    expect(calls.map((c) => c.phase)).not.toContain('finish');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.queue).toBe(`local:${JOB}:failed-runs`);
    expect(failed[0]?.body).toMatchObject({
      source: 'workflow',
      job: JOB,
      execution: expect.stringMatching(/^local:aggregate_students:/),
      input: { mode: 'full' },
      error: { Error: 'CountingWorkerError', Cause: 'shard 1 cannot be counted' },
    });
  });

  it('a result outside the protocol fails the run at once, as States.Runtime would on AWS', async () => {
    let invocations = 0;
    const failed: FailedRunMessage[] = [];
    const error = await runWorkflow({
      job: JOB,
      invoke: async () => {
        invocations++;
        return { scanned: 1 };
      },
      onFailedRun: (message) => {
        failed.push(message);
      },
      retryDelayMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as Error).message).toMatch(/plan does not follow src\/workflow\/protocol/);
    expect((error as Error).message).toContain('busy');
    expect(invocations).toBe(1);
    expect(failed).toEqual([]);
  });

  it('a state larger than Step Functions passes fails the run', async () => {
    const error = await runWorkflow({
      job: JOB,
      invoke: async () => ({
        busy: false,
        run: { run_id: 'r', job: JOB, pad: 'x'.repeat(300_000) },
        shards: [],
      }),
      retryDelayMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as Error).message).toMatch(/at most 262144/);
  });
});
