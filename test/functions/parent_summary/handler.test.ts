import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createParentSummaryHandler } from '../../../src/functions/parent_summary/handler.ts';
import { createHandler as createStudentProgressHandler } from '../../../src/functions/student_progress/handler.ts';
import type { Entity } from '../../../src/repositories/db.ts';
import {
  bodyOf,
  claimsFor,
  lambdaContext,
  parentSummaryEvent,
  studentProgressEvent,
} from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const ann = {
  student_id: 's-1',
  name: 'Ann',
  class_code: 'c-1',
  attempts_7d: 4,
  correct_7d: 3,
  accuracy_7d: 0.75,
  words_mastered: 1,
  streak_days: 2,
  last_active_at: '2026-03-04T02:00:00.000Z',
};

const summary: Entity<'parent_summaries'> = {
  parent_id: 'p-1',
  children: [ann],
  updated_at: '2026-03-05T00:05:00.000Z',
};

/** A summary of `parentId` listing Ann and Bob (`s-2`). */
const withBob = (parentId: string): Entity<'parent_summaries'> => ({
  ...summary,
  parent_id: parentId,
  children: [ann, { ...ann, student_id: 's-2', name: 'Bob' }],
});

/** Writes a parent as it is, past every schema. */
const rawParent = (item: Record<string, unknown>) => t.plant('parents', item);

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
    const two = withBob('p-3');
    await t.db.parent_summaries.put(two);
    await t.db.parents.put({ id: 'p-3', name: 'Parent', student_ids: ['s-2', 's-9'] });
    const reply = await get('p-3', claimsFor('parent', 'p-3'));
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({ ...two, children: two.children.slice(1) });
  });

  it('answers 404 for a deleted parent whose summary is left over', async () => {
    await t.db.parent_summaries.put({ ...summary, parent_id: 'p-gone' });
    const reply = await get('p-gone', claimsFor('parent', 'p-gone'));
    expect(reply.statusCode).toBe(404);
    expect(bodyOf(reply)).toEqual({
      error: { code: 'SUMMARY_NOT_FOUND', message: 'parent "p-gone" does not exist' },
    });
  });

  it("refuses the parent, as its children's progress does, when its record is invalid; an admin gets it as stored", async () => {
    // s-2 was removed from the parent; the summary, from before, still lists it.
    const two = withBob('p-bad');
    await t.db.parent_summaries.put(two);
    await t.db.students.putMany([
      { id: 's-1', name: 'Ann', class_code: 'c-1', parent_ids: ['p-bad'] },
      { id: 's-2', name: 'Bob', class_code: 'c-1', parent_ids: [] },
    ]);
    await rawParent({ id: 'p-bad', name: 'Parent', student_ids: 's-1' });
    const parent = claimsFor('parent', 'p-bad');
    const reply = await get('p-bad', parent);
    const progress = await createStudentProgressHandler(() => testRuntime(t.db))(
      studentProgressEvent('s-1', parent),
      lambdaContext('student_progress'),
    );
    expect(progress.statusCode).toBe(403);
    expect(reply.statusCode).toBe(progress.statusCode);
    expect(bodyOf(reply)).toEqual({
      error: { code: 'FORBIDDEN', message: "not allowed to see this parent's summary" },
    });
    expect(reply.body).not.toContain('s-2');
    // No summary stored: refused all the same, before anything is said of the summary.
    await rawParent({ id: 'p-bad2', name: 'Parent', student_ids: 's-1' });
    expect((await get('p-bad2', claimsFor('parent', 'p-bad2'))).statusCode).toBe(403);

    const admin = await get('p-bad', claimsFor('admin', 'root'));
    expect(admin.statusCode).toBe(200);
    expect(bodyOf(admin)).toEqual(two);
  });
});
