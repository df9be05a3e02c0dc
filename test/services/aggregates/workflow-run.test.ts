/**
 * The aggregate jobs as the workflow runs them, with the real handlers: a time budget so
 * small that every worker invocation does one page and hands on its cursor forces many
 * continuations, and the figures equal those of an uninterrupted run and of the raw
 * answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../../src/catalog/functions.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { localContext } from '../../../src/local/invoke/lambda-context.ts';
import { loadFunction } from '../../../src/local/invoke/load-function.ts';
import {
  handlerInvoke,
  runWorkflow,
  type WorkflowProgress,
} from '../../../src/local/workflows/run-workflow.ts';
import { createRuntime } from '../../../src/runtime/runtime.ts';
import { seeded } from '../../../src/seed/random.ts';
import { LEASE_MS, releaseLease, takeLease } from '../../../src/services/aggregates/lease.ts';
import { budgetContext } from '../../support/counting-worker.ts';
import { module, student } from '../../support/fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';
import { expectedProgress, expectedSummary, type RawAnswer } from './oracle.ts';
import { record, storedProgress, storedSummaries } from './support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';
const NOW = new Date(`${TODAY}T06:00:00.000Z`);
let t: TestDb;

const words = ['apple', 'pear', 'fig', 'kiwi', 'plum'];
const students = Array.from({ length: 40 }, (_, i) =>
  student(`s-${String(i).padStart(2, '0')}`, {
    name: `Kid ${i}`,
    parent_ids: [`p-${i % 15}`],
  }),
);
const parents = Array.from({ length: 15 }, (_, i) => ({
  id: `p-${i}`,
  name: `Parent ${i}`,
  student_ids: students.filter((_, s) => s % 15 === i).map((s) => s.id),
}));
const answers: RawAnswer[] = students.flatMap((s, i) => {
  const random = seeded(i + 1);
  return Array.from({ length: random.int(0, 12) }, (_, n) => ({
    student_id: s.id,
    answer_id: `a-${n}`,
    module_id: random.pick(['m-1', 'm-2']),
    word: random.pick(words),
    correct: random.chance(0.7),
    answered_at: new Date(NOW.getTime() - random.int(1, 20 * 24) * 3_600_000).toISOString(),
  }));
});
const moduleWords = new Map<string, readonly string[]>([
  ['m-1', words.slice(0, 3)],
  ['m-2', words.slice(2)],
]);

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.students.putMany(students);
  await t.db.parents.putMany(parents);
  await t.db.modules.putMany(
    [...moduleWords].map(([id, list]) => module(id, { words: [...list] })),
  );
  // Recorded an hour before the runs: settled.
  await record(t.db, answers, new Date(NOW.getTime() - 3_600_000));
});
afterAll(() => t.destroy());

const workflow = async (job: FunctionName, input: object, budgetMs: number | undefined) => {
  const runtime = createRuntime(job, loadConfig({ LMS_TIMEZONE: ZONE, LOG_LEVEL: 'error' }), {
    db: t.db,
    now: () => NOW,
  });
  const handle = await loadFunction(job, runtime);
  const progress: WorkflowProgress[] = [];
  const result = await runWorkflow({
    job,
    input,
    invoke: handlerInvoke(
      job,
      handle,
      budgetMs === undefined ? () => localContext(job) : () => budgetContext(budgetMs, job),
    ),
    onProgress: (p) => progress.push(p),
    retryDelayMs: 0,
  });
  return { result, last: progress.at(-1) };
};

describe('aggregate jobs through the workflow, real handlers', () => {
  it('with a budget of one page per invocation: >= 10 continuations, the figures of the raw answers', async () => {
    // 36 marked students in pages of 3 over 3 shards: 13 continuations on PostgreSQL, which
    // reads a row ahead and never hands on a cursor after the last row; DynamoDB hands one
    // on after every full page, so an empty page may follow (14 on dynalite).
    const small = { mode: 'incremental', shards: 3, page_size: 3 };
    const studentsRun = await workflow('aggregate_students', small, 1);
    expect(studentsRun.result.status).toBe('succeeded');
    expect(studentsRun.last?.continuations).toBeGreaterThanOrEqual(10);
    const parentsRun = await workflow('aggregate_parents', { ...small, page_size: 1 }, 1);
    expect(parentsRun.result.status).toBe('succeeded');
    expect(parentsRun.last?.continuations).toBeGreaterThanOrEqual(3);

    const progress = await storedProgress(t.db);
    for (const s of new Set(answers.map((a) => a.student_id))) {
      expect(progress.get(s), s).toEqual(expectedProgress(s, answers, moduleWords, TODAY, ZONE));
    }
    const summaries = await storedSummaries(t.db);
    for (const parent of parents) {
      const stored = summaries.get(parent.id);
      if (stored !== undefined) {
        expect(stored, parent.id).toEqual(expectedSummary(parent, students, answers, TODAY, ZONE));
      }
    }
    expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);

    // An uninterrupted full run (one shard, no budget) finds nothing to change.
    const whole = await workflow('aggregate_students', { mode: 'full', shards: 1 }, undefined);
    expect(whole.result.status).toBe('succeeded');
    if (whole.result.status === 'succeeded') {
      expect(whole.result.output).toMatchObject({
        updated: students.length - progress.size,
        failed: 0,
      });
    }
    const after = await storedProgress(t.db);
    for (const [id, item] of progress) expect(after.get(id), id).toEqual(item);
  });

  it('skips a run while another holds the lease, and runs once it is given back or expired', async () => {
    expect(await takeLease(t.db, 'aggregate_students', 'another-run', NOW)).toBe(true);
    const busy = await workflow('aggregate_students', { mode: 'incremental' }, undefined);
    expect(busy.result.status).toBe('skipped');
    // Expired (its run is surely gone): taken over.
    const later = new Date(NOW.getTime() + LEASE_MS + 1);
    expect(await takeLease(t.db, 'aggregate_students', 'a-later-run', later)).toBe(true);
    await releaseLease(t.db, 'aggregate_students', 'a-later-run');
    const free = await workflow('aggregate_students', { mode: 'incremental' }, undefined);
    expect(free.result.status).toBe('succeeded');
    // And given back by that run.
    expect(await takeLease(t.db, 'aggregate_students', 'yet-another', NOW)).toBe(true);
    await releaseLease(t.db, 'aggregate_students', 'yet-another');
  });
});
