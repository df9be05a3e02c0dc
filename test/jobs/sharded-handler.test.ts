/**
 * The metrics of a workflow job, phase by phase, through the real workflow (run in process)
 * over the real `aggregate_students` handler: the plan's shards, each worker invocation's
 * share (dimension `phase=work`, so it never adds up with the run's totals), and the run's
 * totals and duration from the finish, equal to its summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/functions/aggregate_students/handler.ts';
import { handlerInvoke, runWorkflow } from '../../src/local/workflows/run-workflow.ts';
import type { StudentsSummary } from '../../src/services/aggregates/summary.ts';
import { record } from '../services/aggregates/support.ts';
import { budgetContext } from '../support/counting-worker.ts';
import { student } from '../support/fixtures.ts';
import { captureMetrics } from '../support/metrics.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

const NOW = new Date('2026-11-24T06:00:00.000Z');
const students = Array.from({ length: 12 }, (_, i) => student(`s-${String(i).padStart(2, '0')}`));

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.students.putMany(students);
  await record(
    t.db,
    students.map((s, i) => ({
      student_id: s.id,
      answer_id: `a-${i}`,
      module_id: 'm-1',
      word: 'apple',
      correct: i % 2 === 0,
      answered_at: '2026-11-23T08:00:00.000Z',
    })),
    new Date(NOW.getTime() - 3_600_000),
  );
});
afterAll(() => t.destroy());

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('a workflow job', () => {
  it('emits the plan, every worker invocation and the run, each flushed in its own invocation', async () => {
    const captured = captureMetrics('aggregate_students');
    const handle = createHandler(() => testRuntime(t.db, { now: NOW, metrics: captured.metrics }));
    // A budget of one page per worker invocation: continuations.
    const result = await runWorkflow({
      job: 'aggregate_students',
      input: { mode: 'incremental', shards: 2, page_size: 2 },
      invoke: handlerInvoke('aggregate_students', handle, () => budgetContext(1)),
      retryDelayMs: 0,
    });
    if (result.status !== 'succeeded') throw new Error(`workflow ${result.status}`);
    const summary = result.output as StudentsSummary;
    expect(summary.scanned).toBe(students.length);

    expect(captured.values('ShardsPlanned')).toEqual([2]);
    expect(captured.values('RunsSkippedBusy')).toEqual([0]);

    const work = { phase: 'work' };
    const invocations = captured.values('WorkDuration', work);
    expect(invocations).toHaveLength(result.progress.invocations);
    expect(sum(captured.values('ShardContinuations', work))).toBe(result.progress.continuations);
    expect(result.progress.continuations).toBeGreaterThan(0);
    expect(sum(captured.values('RecordsProcessed', work))).toBe(students.length);
    expect(sum(captured.values('RecordsUpdated', work))).toBe(summary.updated);
    expect(sum(captured.values('RecordsFailed', work))).toBe(0);

    // The run's totals, once, from the finish.
    expect(captured.values('RecordsProcessed')).toEqual([summary.scanned]);
    expect(captured.values('RecordsUpdated')).toEqual([summary.updated]);
    expect(captured.values('RecordsFailed')).toEqual([0]);
    expect(captured.values('RunsFailed')).toEqual([0]);
    expect(captured.values('RunDuration')).toEqual([summary.duration_ms]);
    // One document per invocation: plan, each worker, finish.
    expect(captured.documents).toHaveLength(1 + result.progress.invocations + 1);
  });

  it('a plan that finds another run holding the lease emits RunsSkippedBusy', async () => {
    const first = captureMetrics('aggregate_students');
    const plan = { phase: 'plan', options: { mode: 'incremental' } };
    const handle = (metrics: typeof first.metrics) =>
      createHandler(() => testRuntime(t.db, { now: NOW, metrics }));
    const taken = await handle(first.metrics)(plan);
    expect(taken).toMatchObject({ busy: false });
    const second = captureMetrics('aggregate_students');
    expect(await handle(second.metrics)(plan)).toMatchObject({ busy: true });
    expect(second.values('RunsSkippedBusy')).toEqual([1]);
  });
});
