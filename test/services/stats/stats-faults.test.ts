/**
 * The stats jobs under the faults of the network and DynamoDB (the fault proxy in front of
 * the engine; the real handlers, the real SDK retrying): throttling, 500s, latency and
 * responses lost after the write was applied, on the scans and on the `stats` updates.
 * Each per-level job and `calc_all_stats` stores the counts of DESIGN section 3 (the naive
 * oracle of `organisation.ts`) and changes nothing else; a run whose retries are exhausted
 * fails, and the next run converges.
 */
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../../src/catalog/functions.ts';
import { localContext } from '../../../src/local/invoke/lambda-context.ts';
import { loadFunction } from '../../../src/local/invoke/load-function.ts';
import { both, everyFault, isOperation, onTable } from '../../support/fault-proxy.ts';
import { type FaultyDb, type FaultyRule, useFaultyDbs } from '../../support/faulty-db.ts';
import {
  expectedStats,
  type Organisation,
  randomOrganisation,
  storedStats,
  storeOrganisation,
} from '../../support/organisation.ts';
import { testRuntime } from '../../support/runtime.ts';
import { onPostgres, type TestDb, useFreshTestDbs } from '../../support/test-db.ts';

const freshDb = useFreshTestDbs(import.meta.url);
const startProxy = useFaultyDbs();

const randomFaults = (): FaultyRule[] =>
  everyFault({
    at: { throttle: [4], provisioned: [13], internal: [2, 9], lost: [1, 6], lost500: [3] },
    chance: { internal: 0.1, lost: 0.08, lost500: 0.04, slow: 0.1 },
  }) as FaultyRule[];

/** On PostgreSQL, connections refused ("too many clients") as well (ignored on DynamoDB). */
const start = (t: TestDb, rules: readonly FaultyRule[], seed: number, connections = false) =>
  startProxy(t, { rules, seed, ...(connections ? { connections: { nth: [2, 5] } } : {}) });

/** One run of `job` through the proxy, over a fresh client (a new Lambda container). */
const invoke = async (_t: TestDb, proxy: FaultyDb, job: FunctionName) => {
  const handle = await loadFunction(job, testRuntime(proxy.db()));
  return handle({}, localContext(job));
};

/** Runs `job` as its schedule would until a run succeeds; returns the failed runs' count. */
const runUntilDone = async (t: TestDb, proxy: FaultyDb, job: FunctionName, max = 8) => {
  for (let run = 1; ; run += 1) {
    try {
      await invoke(t, proxy, job);
      return run - 1;
    } catch (error) {
      if (run >= max) throw error;
      await proxy.idle();
    }
  }
};

/** What each job writes, in the order the levels are built. */
const LEVEL_JOBS = [
  ['calc_class_stats', 'classes'],
  ['calc_teacher_stats', 'teachers'],
  ['calc_school_stats', 'schools'],
  ['calc_group_stats', 'groups'],
] as const;

/** Every record without stats: what an untouched level looks like. */
const noStats = (records: readonly { code?: string; id?: string }[]) =>
  Object.fromEntries(records.map((r) => [r.code ?? r.id, undefined]));

/** An organisation changed the way the LMS app changes it: moves, a class gone, a teacher new. */
const changed = (org: Organisation): Organisation => ({
  ...org,
  classes: org.classes.filter((c) => c.code !== 'c-3'),
  teachers: [...org.teachers, { id: 't-new', name: 'New', school_code: 'sc-1' }],
  students: org.students.map((s, i) => (i % 10 === 0 ? { ...s, class_code: 'c-5' } : s)),
});

describe('stats jobs under injected faults', () => {
  it('each per-level job, then calc_all_stats after the organisation changed: the oracle counts', async () => {
    const t = await freshDb();
    const org = randomOrganisation(51);
    await storeOrganisation(t.db, org);
    const proxy = await start(t, randomFaults(), 5, true);
    const expected = expectedStats(org);
    for (const [index, [job, level]] of LEVEL_JOBS.entries()) {
      await runUntilDone(t, proxy, job);
      const stored = await storedStats(t.db);
      expect(stored[level], job).toEqual(expected[level]);
      // The later levels are left alone.
      for (const [, later] of LEVEL_JOBS.slice(index + 1)) {
        expect(stored[later], `${job} leaves ${later}`).toEqual(noStats(org[later]));
      }
    }

    const next = changed(org);
    await t.db.classes.delete({ code: 'c-3' });
    await t.db.teachers.put({ id: 't-new', name: 'New', school_code: 'sc-1' });
    await t.db.students.putMany(next.students.filter((s, i) => s !== org.students[i]));
    await runUntilDone(t, proxy, 'calc_all_stats');
    expect(await storedStats(t.db)).toEqual(expectedStats(next));
    // The organisation itself is as the LMS app left it: only `stats` were written.
    expect(
      (await t.db.students.get({}, { scan: true })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    ).toEqual([...next.students].sort((a, b) => (a.id < b.id ? -1 : 1)));
    for (const kind of [
      'throttle',
      'provisioned',
      'internal',
      'lost',
      'lost500',
      'slow',
    ] as const) {
      expect(proxy.injected[kind], kind).toBeGreaterThan(0);
    }
    if (onPostgres()) expect(proxy.refusedConnections).toBeGreaterThan(0);
  }, 120_000);

  it.each([
    ['calc_all_stats', 'classes'],
    ['calc_all_stats', 'students'],
    ['calc_class_stats', 'classes'],
  ] as const)(
    '%s: every request to %s failing fails the run; the next run converges',
    async (job, table) => {
      const t = await freshDb();
      const org = randomOrganisation(52);
      await storeOrganisation(t.db, org);
      // `classes`: its stats updates; `students`: its scan (nothing can be counted).
      const match =
        table === 'classes'
          ? both(onTable('classes'), isOperation('UpdateItem'))
          : both(onTable('students'), isOperation('Scan'));
      const proxy = await start(t, [{ fault: 'internal', match }], 6);
      await expect(invoke(t, proxy, job)).rejects.toThrow();
      await proxy.idle();
      expect(proxy.injected.internal).toBeGreaterThanOrEqual(4);
      proxy.reset([]);
      await invoke(t, proxy, job);
      const stored = await storedStats(t.db);
      const expected = expectedStats(org);
      if (job === 'calc_all_stats') expect(stored).toEqual(expected);
      else expect(stored.classes).toEqual(expected.classes);
    },
  );
});
