import { describe, expect, it } from 'vitest';
import { ALL_LEVELS } from '../../../src/domain/stats/levels.ts';
import { loadFunction } from '../../../src/local/invoke/load-function.ts';
import { runStats } from '../../../src/services/stats/run-stats.ts';
import { both, isOperation, isWrite, onTable } from '../../support/fault-proxy.ts';
import { attributeOf, type FaultyRequest, useFaultyDbs } from '../../support/faulty-db.ts';
import { klass, student } from '../../support/fixtures.ts';
import {
  expectedStats,
  type Organisation,
  randomOrganisation,
  storedStats,
  storeOrganisation,
} from '../../support/organisation.ts';
import { testRuntime } from '../../support/runtime.ts';
import { type TestDb, useFreshTestDbs } from '../../support/test-db.ts';

const startFaulty = useFaultyDbs();

/**
 * A Db through a proxy that awaits `before` on each request (statement, on PostgreSQL) and
 * counts them by DynamoDB operation (`UpdateItem`: a stats update on either engine).
 */
const watchedDb = async (t: TestDb, before?: (request: FaultyRequest) => Promise<void>) => {
  const faulty = await startFaulty(t, before === undefined ? {} : { before });
  return {
    db: faulty.db(),
    count: (operation: string) => faulty.requests.filter(isOperation(operation)).length,
    writes: () => faulty.requests.filter(isWrite).length,
  };
};

const freshDb = useFreshTestDbs(import.meta.url);

const all = { job: 'calc_all_stats', levels: ALL_LEVELS };

/** A small organisation whose every figure is computed by hand in the test below. */
const handMade = (): Organisation => ({
  groups: [
    { code: 'g-1', name: 'North' },
    { code: 'g-2', name: 'Empty group' },
  ],
  schools: [
    { code: 'sc-1', name: 'One', group_code: 'g-1' },
    { code: 'sc-2', name: 'Two', group_code: 'g-1' },
    { code: 'sc-3', name: 'Orphan', group_code: 'g-gone' },
  ],
  teachers: [
    { id: 't-1', name: 'Tess', school_code: 'sc-1' },
    { id: 't-2', name: 'Tom', school_code: 'sc-2' },
    { id: 't-3', name: 'Lost', school_code: 'sc-gone' },
  ],
  classes: [
    klass('c-1', { teacher_id: 't-1', school_code: 'sc-1' }),
    klass('c-2', { teacher_id: 't-1', school_code: 'sc-2' }),
    klass('c-3', { teacher_id: 't-gone', school_code: 'sc-2' }),
    klass('c-4', { teacher_id: 't-2', school_code: 'sc-gone' }),
  ],
  students: [
    student('s-1', { class_code: 'c-1' }),
    student('s-2', { class_code: 'c-1' }),
    student('s-3', { class_code: 'c-2' }),
    student('s-4', { class_code: 'c-3' }),
    student('s-5', { class_code: 'c-4' }),
    student('s-6', { class_code: 'c-gone' }),
    student('s-7', { class_code: undefined }),
  ],
});

describe('calc stats on a real engine', () => {
  it('stores the counts of DESIGN section 3, following links that hold, warning of those that dangle', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    const summary = await runStats(t.db, all);
    expect(await storedStats(t.db)).toEqual({
      classes: {
        'c-1': { students: 2 },
        'c-2': { students: 1 },
        'c-3': { students: 1 },
        'c-4': { students: 1 },
      },
      teachers: {
        't-1': { classes: 2, students: 3 },
        't-2': { classes: 1, students: 1 },
        't-3': { classes: 0, students: 0 },
      },
      schools: {
        'sc-1': { teachers: 1, classes: 1, students: 2 },
        'sc-2': { teachers: 1, classes: 2, students: 2 },
        'sc-3': { teachers: 0, classes: 0, students: 0 },
      },
      groups: {
        'g-1': { schools: 2, teachers: 2, classes: 3, students: 4 },
        'g-2': { schools: 0, teachers: 0, classes: 0, students: 0 },
      },
    });
    expect(summary.warnings.map((w) => w.kind).sort()).toEqual([
      'class_school_missing',
      'class_teacher_missing',
      'school_group_missing',
      'student_class_missing',
      'teacher_school_missing',
    ]);
    expect(summary.warnings.find((w) => w.kind === 'student_class_missing')?.message).toContain(
      'c-gone',
    );
    expect(summary).toMatchObject({
      scanned: 12,
      updated: 12,
      unchanged: 0,
      vanished: 0,
      failed: 0,
      unassigned_students: 1,
      items_read: { students: 7, classes: 4, teachers: 3, schools: 3, groups: 2 },
    });
    const [stored] = await t.db.classes.get({ code: 'c-1' });
    expect(stored?.stats?.updated_at).toBe(summary.started_at);
  });

  it('equals the naive counting rules on a random organisation with dangling links', async () => {
    const t = await freshDb();
    const org = randomOrganisation(42, 2);
    await storeOrganisation(t.db, org);
    await runStats(t.db, { ...all, segments: 3, concurrency: 4 });
    expect(await storedStats(t.db)).toEqual(expectedStats(org));
  });

  it('follows moves, creations and deletions, writing only the records that changed', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    await runStats(t.db, all);
    // s-1 moves from c-1 to c-2; a new class c-5 for t-2 in sc-1 gets a new student; s-3 leaves.
    await t.db.students.update({ id: 's-1' }, { set: { class_code: 'c-2' } });
    await t.db.classes.put(klass('c-5', { teacher_id: 't-2', school_code: 'sc-1' }));
    await t.db.students.put(student('s-8', { class_code: 'c-5' }));
    await t.db.students.delete({ id: 's-3' });
    const { db, count } = await watchedDb(t);
    const summary = await runStats(db, all);
    const stored = await storedStats(t.db);
    expect(stored.classes).toMatchObject({
      'c-1': { students: 1 },
      'c-2': { students: 1 },
      'c-5': { students: 1 },
    });
    expect(stored.teachers).toMatchObject({
      't-1': { classes: 2, students: 2 },
      't-2': { classes: 2, students: 2 },
    });
    expect(stored.schools['sc-1']).toEqual({ teachers: 1, classes: 2, students: 2 });
    expect(stored.groups['g-1']).toEqual({ schools: 2, teachers: 2, classes: 4, students: 4 });
    // c-1, c-5 (new), t-1, t-2, sc-1, g-1 changed; c-2 keeps 1 student (one in, one out).
    expect(summary.updated).toBe(6);
    expect(count('UpdateItem')).toBe(6);
    expect(await storedStats(t.db)).toEqual(
      expectedStats({
        ...handMade(),
        classes: [...handMade().classes, klass('c-5', { teacher_id: 't-2', school_code: 'sc-1' })],
        students: [
          ...handMade()
            .students.filter((s) => s.id !== 's-3')
            .map((s) => (s.id === 's-1' ? { ...s, class_code: 'c-2' } : s)),
          student('s-8', { class_code: 'c-5' }),
        ],
      }),
    );
  });

  it('writes nothing when run again over unchanged data', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, randomOrganisation(7));
    await runStats(t.db, all);
    const { db, writes } = await watchedDb(t);
    const summary = await runStats(db, all);
    expect(summary.updated).toBe(0);
    expect(summary.unchanged).toBe(summary.scanned);
    expect(writes()).toBe(0);
  });

  it('writes nothing in a dry run, yet reports what would change', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    const { db, writes } = await watchedDb(t);
    const summary = await runStats(db, { ...all, dryRun: true });
    expect(summary).toMatchObject({ dry_run: true, updated: 12, scanned: 12 });
    expect(writes()).toBe(0);
    expect((await t.db.classes.find({ code: 'c-1' }))?.stats).toBeUndefined();
  });

  it('updates stats alone: an attribute another writer changes during the run survives', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    let interleaved = false;
    const { db } = await watchedDb(t, async (request) => {
      if (interleaved || !both(onTable('classes'), isOperation('UpdateItem'))(request)) return;
      if (attributeOf(request, 'code') !== 'c-1') return;
      interleaved = true;
      // The LMS app renames the class between our read and our write.
      await t.db.classes.update({ code: 'c-1' }, { set: { name: 'Renamed meanwhile' } });
    });
    await runStats(db, all);
    expect(interleaved).toBe(true);
    const c1 = await t.db.classes.find({ code: 'c-1' });
    expect(c1?.name).toBe('Renamed meanwhile');
    expect(c1?.stats).toMatchObject({ students: 2 });
  });

  it('does not re-create a record deleted during the run', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    const { db } = await watchedDb(t, async (request) => {
      if (
        both(onTable('teachers'), isOperation('UpdateItem'))(request) &&
        attributeOf(request, 'id') === 't-2'
      ) {
        await t.db.teachers.delete({ id: 't-2' });
      }
    });
    const summary = await runStats(db, all);
    expect(summary.vanished).toBe(1);
    expect(summary.by_level.teacher).toMatchObject({ vanished: 1, updated: 2 });
    expect(await t.db.teachers.find({ id: 't-2' })).toBeUndefined();
  });

  it('skips and reports an invalid stored record instead of crashing', async () => {
    const t = await freshDb();
    await storeOrganisation(t.db, handMade());
    await t.plant('classes', { code: 'c-bad', name: 'Bad', stats: { students: 'many' } });
    const summary = await runStats(t.db, { job: 'calc_class_stats', levels: ['class'] });
    expect(summary.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'invalid_item',
          message: expect.stringContaining('c-bad'),
        }),
      ]),
    );
    expect(summary.scanned).toBe(4);
  });

  it('gives the same stats through the four per-level handlers as through calc_all_stats', async () => {
    const t = await freshDb();
    const org = randomOrganisation(99);
    await storeOrganisation(t.db, org);
    for (const job of [
      'calc_class_stats',
      'calc_teacher_stats',
      'calc_school_stats',
      'calc_group_stats',
    ]) {
      await (await loadFunction(job, testRuntime(t.db)))({});
    }
    const perLevel = await storedStats(t.db);
    expect(perLevel).toEqual(expectedStats(org));

    const u = await freshDb();
    await storeOrganisation(u.db, org);
    const summary = await (await loadFunction('calc_all_stats', testRuntime(u.db)))({
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
    });
    expect(summary).toMatchObject({ job: 'calc_all_stats' });
    expect(await storedStats(u.db)).toEqual(perLevel);
  });
});
