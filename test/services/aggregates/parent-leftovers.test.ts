/**
 * Summaries of parents that no longer exist: a full parents run (plain or through its
 * workflow) removes them, and so does any run that finds a marked parent gone; a parent
 * whose record fails validation still exists and keeps its summary; a summary rewritten
 * after the run read it is not removed (the delete is conditional on what was read).
 */
import { describe, expect, it } from 'vitest';
import { localContext } from '../../../src/local/invoke/lambda-context.ts';
import { loadFunction } from '../../../src/local/invoke/load-function.ts';
import { handlerInvoke, runWorkflow } from '../../../src/local/workflows/run-workflow.ts';
import type { Entity } from '../../../src/repositories/db.ts';
import { aggregateParents } from '../../../src/services/aggregates/aggregate-parents.ts';
import { both, isOperation, onTable } from '../../support/fault-proxy.ts';
import { attributeOf, useFaultyDbs } from '../../support/faulty-db.ts';
import { student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';
import { type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { noonOf } from './support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';
const NOW = noonOf(TODAY);

const freshDb = useFreshTestDbs(import.meta.url);
const startProxy = useFaultyDbs();

const summaryOf = (parentId: string, updatedAt = '2026-11-20T00:00:00.000Z') =>
  ({
    parent_id: parentId,
    children: [],
    updated_at: updatedAt,
  }) satisfies Entity<'parent_summaries'>;

/** p-1 exists (child s-1), p-gone and p-gone-marked are gone, p-bad's record is invalid. */
const world = async (): Promise<TestDb> => {
  const t = await freshDb();
  await t.db.students.put(student('s-1', { parent_ids: ['p-1'] }));
  await t.db.parents.put({ id: 'p-1', name: 'Parent', student_ids: ['s-1'] });
  await t.plant('parents', { id: 'p-bad', name: 'Parent', student_ids: 42 });
  await t.db.parent_summaries.putMany([
    summaryOf('p-gone'),
    summaryOf('p-gone-marked'),
    summaryOf('p-bad'),
  ]);
  await t.db.parent_marks.put({
    parent_id: 'p-gone-marked',
    token: 'tok',
    marked_at: '2026-11-20T00:00:00.000Z',
  });
  return t;
};

const summaryIds = async (t: TestDb) =>
  (await t.db.parent_summaries.get({}, { scan: true })).map((s) => s.parent_id).sort();

const run = (t: TestDb, mode: 'incremental' | 'full', dryRun = false) =>
  aggregateParents(t.db, { timeZone: ZONE, now: () => NOW, mode, dryRun });

describe('summaries of parents that no longer exist', () => {
  it('a full run removes them (a dry run only counts them); the invalid parent keeps its summary', async () => {
    const t = await world();
    expect(await run(t, 'full', true)).toMatchObject({ summaries_removed: 2, failed: 0 });
    expect(await summaryIds(t)).toEqual(['p-bad', 'p-gone', 'p-gone-marked']);

    const summary = await run(t, 'full');
    expect(summary).toMatchObject({ summaries_removed: 2, failed: 0 });
    expect(summary.warnings).toEqual(
      expect.arrayContaining([
        { kind: 'parent_missing', message: 'parent p-gone does not exist, its summary removed' },
        {
          kind: 'parent_missing',
          message:
            'parent p-gone-marked is marked but does not exist; mark cleared, its summary removed',
        },
      ]),
    );
    expect(await summaryIds(t)).toEqual(['p-1', 'p-bad']);
    expect(await t.db.parent_marks.get({}, { scan: true })).toEqual([]);
    // Nothing left to remove.
    expect(await run(t, 'full')).toMatchObject({ summaries_removed: 0, updated: 0 });
  });

  it('an incremental run removes the summary of a marked parent that is gone, no other', async () => {
    const t = await world();
    expect(await run(t, 'incremental')).toMatchObject({ summaries_removed: 1, failed: 0 });
    expect(await summaryIds(t)).toEqual(['p-bad', 'p-gone']);
  });

  it('the full run through the workflow (several shards) removes them too', async () => {
    const t = await world();
    const handle = await loadFunction(
      'aggregate_parents',
      testRuntime(t.db, { now: NOW, env: { LMS_TIMEZONE: ZONE } }),
    );
    const result = await runWorkflow({
      job: 'aggregate_parents',
      input: { mode: 'full', shards: 3, page_size: 1 },
      invoke: handlerInvoke('aggregate_parents', handle, () => localContext('aggregate_parents')),
      retryDelayMs: 0,
    });
    expect(result.status).toBe('succeeded');
    if (result.status === 'succeeded') {
      // p-bad's record is skipped by the page read and reported; it stops no shard.
      expect(result.output).toMatchObject({
        summaries_removed: 2,
        failed: 0,
        warnings: expect.arrayContaining([expect.objectContaining({ kind: 'invalid_item' })]),
      });
    }
    expect(await summaryIds(t)).toEqual(['p-1', 'p-bad']);
  });

  it('a summary rewritten after the run read it is not removed', async () => {
    const t = await world();
    const rewritten = summaryOf('p-gone', '2026-11-24T05:00:00.000Z');
    let rewrites = 0;
    const proxy = await startProxy(t, {
      before: async (request) => {
        // Just before the run's delete of p-gone's summary, someone writes it anew.
        if (!both(onTable('parent_summaries'), isOperation('DeleteItem'))(request)) return;
        if (attributeOf(request, 'parent_id') !== 'p-gone') return;
        rewrites += 1;
        await t.db.parent_summaries.put(rewritten);
      },
    });
    const summary = await aggregateParents(proxy.db(), {
      timeZone: ZONE,
      now: () => NOW,
      mode: 'full',
    });
    expect(summary).toMatchObject({ failed: 0 });
    expect(rewrites).toBe(1);
    expect(await t.db.parent_summaries.find({ parent_id: 'p-gone' })).toEqual(rewritten);
    expect(await summaryIds(t)).toEqual(['p-1', 'p-bad', 'p-gone']);
  });
});
