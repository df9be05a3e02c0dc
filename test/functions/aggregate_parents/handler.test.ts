import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { MemoryRepository } from '../../../src/adapters/memory/repository.ts';
import { createHandler as createAggregateParentsHandler } from '../../../src/functions/aggregate_parents/handler.ts';
import { InvalidEventError } from '../../../src/jobs/errors.ts';
import { codecFor, type Db, type Entity } from '../../../src/repositories/db.ts';
import { AggregateRunError } from '../../../src/services/aggregates/errors.ts';
import { tables } from '../../../src/tables/definitions.ts';
import { student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';

const seeded = async () => {
  const memory = createMemoryDb();
  const { db } = memory;
  await db.students.putMany([student('s-1', { name: 'Bo' }), student('s-2', { name: 'Al' })]);
  await db.parents.putMany([
    { id: 'p-1', name: 'One', student_ids: ['s-1', 's-2', 's-gone'] },
    { id: 'p-2', name: 'Two', student_ids: [] },
  ]);
  await db.parent_marks.put({
    parent_id: 'p-1',
    token: 't-1',
    marked_at: '2026-11-24T16:00:00.000Z',
  });
  return memory;
};

describe('aggregate_parents handler', () => {
  it('runs incremental by default, full on { mode: "full" }, and honours dry_run', async () => {
    const { db } = await seeded();
    const handle = createAggregateParentsHandler(() => testRuntime(db));
    expect(await handle({ dry_run: true })).toMatchObject({
      dry_run: true,
      scanned: 1,
      updated: 1,
    });
    expect(await db.parent_summaries.get({}, { scan: true })).toEqual([]);
    const summary = await handle({});
    expect(summary).toMatchObject({
      mode: 'incremental',
      scanned: 1,
      updated: 1,
      children: 2,
      children_missing: 1,
      warnings: [expect.objectContaining({ kind: 'child_missing' })],
    });
    const stored = await db.parent_summaries.find({ parent_id: 'p-1' });
    expect(stored?.children.map((c) => c.name)).toEqual(['Al', 'Bo']);
    expect(await handle({ mode: 'full' })).toMatchObject({ scanned: 2, updated: 1, unchanged: 1 });
  });

  it('rejects an unknown mode', async () => {
    const { db } = await seeded();
    const handle = createAggregateParentsHandler(() => testRuntime(db));
    await expect(handle({ mode: 'partial' })).rejects.toBeInstanceOf(InvalidEventError);
  });

  it('fails the invocation when a summary cannot be written; the parent stays marked', async () => {
    const memory = await seeded();
    class Throttled extends MemoryRepository<Entity<'parent_summaries'>, 'parent_id'> {
      override async put(): Promise<void> {
        throw new Error('throttled');
      }
    }
    const broken: Db = {
      ...memory.db,
      parent_summaries: new Throttled(
        tables.parent_summaries,
        codecFor('parent_summaries'),
        memory.raw('parent_summaries'),
      ),
    };
    const error = await createAggregateParentsHandler(() => testRuntime(broken))({}).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateRunError);
    expect(error).toMatchObject({ summary: { failed: 1 } });
    expect(await memory.db.parent_marks.find({ parent_id: 'p-1' })).toBeDefined();
  });
});
