import { describe, expect, it } from 'vitest';
import { NO_FIGURES } from '../../../src/domain/progress/child-figures.ts';
import { addDays } from '../../../src/domain/time-zone.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { aggregateParents } from '../../../src/services/aggregates/aggregate-parents.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { markParents } from '../../../src/services/aggregates/marks.ts';
import { EXPECTED_CHILD, TIME_ZONE, TODAY } from '../../domain/progress/hand-example.ts';
import { both, isOperation, onTable } from '../../support/fault-proxy.ts';
import { attributeOf, type FaultyRequest, useFaultyDbs } from '../../support/faulty-db.ts';
import { student } from '../../support/fixtures.ts';
import { type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedSummary } from './oracle.ts';
import {
  dataWriteRequests,
  handAnswers,
  noonOf,
  record,
  s2Answer,
  storeHandModules,
} from './support.ts';

const freshDb = useFreshTestDbs(import.meta.url);

const options = (day: string) => ({ timeZone: TIME_ZONE, now: () => noonOf(day), settleMs: 0 });

/**
 * p-1 has three children: s-1 (the hand example), s-2 (no answers yet), and s-9, who no
 * longer exists. s-1 and s-2 are both named "Zoe" (ordered by id), s-3 "anna" (lower case
 * sorts after upper case in code-unit order) belongs to p-2 with s-1.
 */
const seed = async (db: Db) => {
  await storeHandModules(db);
  await db.students.putMany([
    student('s-1', { name: 'Zoe', class_code: 'c-1', parent_ids: ['p-1', 'p-2'] }),
    student('s-2', { name: 'Zoe', class_code: 'c-2', parent_ids: ['p-1'] }),
    student('s-3', { name: 'anna', class_code: undefined, parent_ids: ['p-2'] }),
  ]);
  await db.parents.putMany([
    { id: 'p-1', name: 'Parent One', student_ids: ['s-9', 's-2', 's-1'] },
    { id: 'p-2', name: 'Parent Two', student_ids: ['s-3', 's-1'] },
    { id: 'p-3', name: 'Parent Three', student_ids: [] },
  ]);
  await record(db, handAnswers, noonOf(TODAY));
  await aggregateStudents(db, options(TODAY));
};

const startFaulty = useFaultyDbs();

/** A Db through a proxy that awaits `before` on each request (statement) and records them. */
const racingDb = async (
  t: TestDb,
  before: (request: FaultyRequest) => Promise<void> = async () => {},
) => {
  const faulty = await startFaulty(t, { before });
  return {
    db: faulty.db(),
    get requests() {
      return faulty.requests;
    },
  };
};

describe('aggregate_parents, incremental', () => {
  it('stores every field of the hand-computed example, children sorted, a missing child reported', async () => {
    const t = await freshDb();
    await seed(t.db);
    const summary = await aggregateParents(t.db, options(TODAY));
    expect(summary).toMatchObject({
      job: 'aggregate_parents',
      mode: 'incremental',
      today: TODAY,
      scanned: 2,
      updated: 2,
      unchanged: 0,
      failed: 0,
      marks_read: 2,
      marks_cleared: 2,
      remarked: 0,
      children: 4,
      children_missing: 1,
      warnings: [
        {
          kind: 'child_missing',
          message: 'parent p-1 lists student s-9, who does not exist; left out',
        },
      ],
    });
    const updated_at = noonOf(TODAY).toISOString();
    expect(await t.db.parent_summaries.find({ parent_id: 'p-1' })).toEqual({
      parent_id: 'p-1',
      children: [
        { student_id: 's-1', name: 'Zoe', class_code: 'c-1', ...EXPECTED_CHILD },
        { student_id: 's-2', name: 'Zoe', class_code: 'c-2', ...NO_FIGURES },
      ],
      updated_at,
    });
    expect(await t.db.parent_summaries.find({ parent_id: 'p-2' })).toEqual({
      parent_id: 'p-2',
      children: [
        { student_id: 's-1', name: 'Zoe', class_code: 'c-1', ...EXPECTED_CHILD },
        { student_id: 's-3', name: 'anna', class_code: null, ...NO_FIGURES },
      ],
      updated_at,
    });
    // p-3 was not marked: incremental leaves it alone.
    expect(await t.db.parent_summaries.find({ parent_id: 'p-3' })).toBeUndefined();
    expect(await t.db.parent_marks.get({}, { scan: true })).toEqual([]);
  });

  it('keeps a parent marked when its children change during the run', async () => {
    const t = await freshDb();
    await seed(t.db);
    let interleaved = false;
    const racing = await racingDb(t, async (request) => {
      if (interleaved || !both(onTable('parent_marks'), isOperation('DeleteItem'))(request)) {
        return;
      }
      if (attributeOf(request, 'parent_id') !== 'p-1') return;
      interleaved = true;
      // aggregate_students finishes a child of p-1 between our read and our delete.
      await record(t.db, [s2Answer], noonOf(TODAY));
      await aggregateStudents(t.db, options(TODAY));
    });
    const first = await aggregateParents(racing.db, options(TODAY));
    expect(interleaved).toBe(true);
    expect(first).toMatchObject({ updated: 2, marks_cleared: 1, remarked: 1 });
    expect(await t.db.parent_marks.get({}, { scan: true })).toEqual([
      expect.objectContaining({ parent_id: 'p-1' }),
    ]);
    const second = await aggregateParents(t.db, options(TODAY));
    expect(second).toMatchObject({ scanned: 1, updated: 1, marks_cleared: 1 });
    const p1 = await t.db.parent_summaries.find({ parent_id: 'p-1' });
    expect(p1?.children[1]).toMatchObject({
      student_id: 's-2',
      attempts_7d: 1,
      last_active_at: '2026-11-20T02:00:00.000Z',
    });
  });

  it('clears the mark of a parent that no longer exists, and says so', async () => {
    const t = await freshDb();
    await markParents(t.db, ['p-gone'], noonOf(TODAY).toISOString());
    const summary = await aggregateParents(t.db, options(TODAY));
    expect(summary).toMatchObject({ scanned: 1, updated: 0, unchanged: 1, marks_cleared: 1 });
    expect(summary.warnings).toEqual([
      {
        kind: 'parent_missing',
        message: 'parent p-gone is marked but does not exist; mark cleared',
      },
    ]);
    expect(await t.db.parent_marks.get({}, { scan: true })).toEqual([]);
  });

  it('does no work without marks: one scan', async () => {
    const t = await freshDb();
    await seed(t.db);
    await aggregateParents(t.db, options(TODAY));
    const watched = await racingDb(t);
    expect(await aggregateParents(watched.db, options(TODAY))).toMatchObject({ scanned: 0 });
    // One request on DynamoDB, one statement on PostgreSQL.
    expect(watched.requests.map((r) => r.operation)).toEqual(['Scan']);
  });
});

describe('aggregate_parents, full', () => {
  it('recomputes every parent; a re-run and a dry run write nothing', async () => {
    const t = await freshDb();
    await seed(t.db);
    const summary = await aggregateParents(t.db, { ...options(TODAY), mode: 'full' });
    expect(summary).toMatchObject({ mode: 'full', scanned: 3, updated: 3, marks_cleared: 2 });
    expect(await t.db.parent_summaries.find({ parent_id: 'p-3' })).toEqual({
      parent_id: 'p-3',
      children: [],
      updated_at: noonOf(TODAY).toISOString(),
    });
    const watched = await racingDb(t);
    expect(await aggregateParents(watched.db, { ...options(TODAY), mode: 'full' })).toMatchObject({
      scanned: 3,
      updated: 0,
      unchanged: 3,
    });
    // A child removed from the organisation shows in a dry run, yet nothing is written.
    await t.db.students.delete({ id: 's-3' });
    const dry = await aggregateParents(watched.db, {
      ...options(TODAY),
      mode: 'full',
      dryRun: true,
    });
    expect(dry).toMatchObject({ dry_run: true, updated: 1, children_missing: 2 });
    expect(dataWriteRequests(watched.requests)).toEqual([]);
    expect((await t.db.parent_summaries.find({ parent_id: 'p-2' }))?.children).toHaveLength(2);
  });

  it('carries figures to a later day from progress computed earlier, equal to the raw answers', async () => {
    const t = await freshDb();
    await seed(t.db);
    const students = await t.db.students.get({}, { scan: true });
    const parents = await t.db.parents.get({}, { scan: true });
    // No aggregate_students run on these days: the progress is the one of TODAY.
    for (const later of [1, 2, 3, 7]) {
      const day = addDays(TODAY, later);
      await aggregateParents(t.db, { ...options(day), mode: 'full' });
      for (const parent of parents) {
        const stored = await t.db.parent_summaries.find({ parent_id: parent.id });
        expect({ parent_id: stored?.parent_id, children: stored?.children }, day).toEqual(
          expectedSummary(parent, students, handAnswers, day, TIME_ZONE),
        );
      }
    }
  });
});

describe('aggregate_parents, a whole run in one process', () => {
  it('lists as many warnings as any summary (not the few a workflow shard carries)', async () => {
    const t = await freshDb();
    const gone = Array.from({ length: 15 }, (_, i) => `s-gone-${String(i).padStart(2, '0')}`);
    await t.db.parents.put({ id: 'p-1', name: 'Parent One', student_ids: gone });
    const summary = await aggregateParents(t.db, { ...options(TODAY), mode: 'full' });
    expect(summary).toMatchObject({ children_missing: 15, warnings_total: 15 });
    expect(summary.warnings).toHaveLength(15);
  });
});
