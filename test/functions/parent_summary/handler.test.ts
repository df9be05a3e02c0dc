import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createParentSummaryHandler } from '../../../src/functions/parent_summary/handler.ts';
import type { Entity } from '../../../src/repositories/db.ts';
import { physicalName, tables } from '../../../src/tables/definitions.ts';
import { bodyOf, claimsFor, lambdaContext, parentSummaryEvent } from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const summary: Entity<'parent_summaries'> = {
  parent_id: 'p-1',
  children: [
    {
      student_id: 's-1',
      name: 'Ann',
      class_code: 'c-1',
      attempts_7d: 4,
      correct_7d: 3,
      accuracy_7d: 0.75,
      words_mastered: 1,
      streak_days: 2,
      last_active_at: '2026-03-04T02:00:00.000Z',
    },
  ],
  updated_at: '2026-03-05T00:05:00.000Z',
};

const get = (parentId: string, claims = claimsFor('parent', 'p-1')) =>
  createParentSummaryHandler(() => testRuntime(t.db))(
    parentSummaryEvent(parentId, claims),
    lambdaContext('parent_summary'),
  );

describe('parent_summary', () => {
  it('answers 404 until the aggregate has written the summary, then the stored item', async () => {
    const before = await get('p-1');
    expect(before.statusCode).toBe(404);
    expect(bodyOf(before)).toEqual({
      error: { code: 'SUMMARY_NOT_FOUND', message: 'no summary for parent "p-1" yet' },
    });
    await t.db.parents.put({ id: 'p-1', name: 'Parent', student_ids: ['s-1'] });
    await t.db.parent_summaries.put(summary);
    const after = await get('p-1');
    expect(after.statusCode).toBe(200);
    expect(bodyOf(after)).toEqual(summary);
  });

  it("refuses another parent's summary with 403, existing or not", async () => {
    await t.db.parent_summaries.put({ ...summary, parent_id: 'p-2' });
    for (const id of ['p-2', 'p-404']) {
      const reply = await get(id);
      expect(reply.statusCode).toBe(403);
      expect(bodyOf(reply)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    }
  });

  it("leaves out a child no longer in the parent's student_ids at once, before any run", async () => {
    const two = {
      ...summary,
      parent_id: 'p-3',
      children: [...summary.children, { ...summary.children[0], student_id: 's-2', name: 'Bob' }],
    } as Entity<'parent_summaries'>;
    await t.db.parent_summaries.put(two);
    await t.db.parents.put({ id: 'p-3', name: 'Parent', student_ids: ['s-2', 's-9'] });
    const reply = await get('p-3', claimsFor('parent', 'p-3'));
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({ ...two, children: [two.children[1]] });
  });

  it('answers 404 for a deleted parent whose summary is left over', async () => {
    await t.db.parent_summaries.put({ ...summary, parent_id: 'p-gone' });
    const reply = await get('p-gone', claimsFor('parent', 'p-gone'));
    expect(reply.statusCode).toBe(404);
    expect(bodyOf(reply)).toEqual({
      error: { code: 'SUMMARY_NOT_FOUND', message: 'parent "p-gone" does not exist' },
    });
  });

  it('serves the summary as stored when the parent record is invalid (it cannot say who its children are)', async () => {
    await t.db.parent_summaries.put({ ...summary, parent_id: 'p-bad' });
    await t.doc.send(
      new PutCommand({
        TableName: physicalName(t.prefix, tables.parents),
        Item: { id: 'p-bad', name: 'Parent', student_ids: 42 },
      }),
    );
    const reply = await get('p-bad', claimsFor('parent', 'p-bad'));
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({ ...summary, parent_id: 'p-bad' });
  });
});
