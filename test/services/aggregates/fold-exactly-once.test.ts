/**
 * The fold's exactly-once promise (issue 12, part 1) under the faults the network and
 * DynamoDB produce, injected by a proxy in front of the engine so that the real SDK
 * retries: throttling and 500s, responses lost after the write was applied, a crash at
 * every write of a fold, two runs at once, and rounds of late, duplicate and concurrent
 * answers. After each, the stored progress equals the naive recomputation from the raw
 * answers (`oracle.ts`), and the state's root counts every answer exactly once. Last, the
 * cost: k new answers read k answers whatever the history, and the roll-over reads none.
 */
import { describe, expect, it } from 'vitest';
import { PG_RETRY_POLICY } from '../../../src/adapters/postgres/pg.ts';
import { addDays } from '../../../src/domain/time-zone.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { type Random, seeded } from '../../../src/seed/random.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { JobBusyError, LEASE_MS } from '../../../src/services/aggregates/lease.ts';
import type { StudentsSummary } from '../../../src/services/aggregates/summary.ts';
import { both, isOperation, onTable, WRITE_OPERATIONS } from '../../support/fault-proxy.ts';
import {
  attributeOf,
  type FaultyDb,
  type FaultyRequest,
  type FaultyRule,
  useFaultyDbs,
} from '../../support/faulty-db.ts';
import { answer, module, student } from '../../support/fixtures.ts';
import { signal } from '../../support/signal.ts';
import { onPostgres, type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedProgress, type RawAnswer } from './oracle.ts';
import { noonOf, record, storedProgress } from './support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';

/** The modules' word lists as stored. */
const MODULES = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'banana', 'cherry', 'date']],
  ['m-2', ['cat', 'dog', 'eel']],
  ['m-3', ['red', 'green', 'blue']],
]);
/** The words answered: some are not (or no longer) in their module's list; `cat` is in two. */
const ANSWERED = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'banana', 'cherry', 'date', 'fig']],
  ['m-2', ['cat', 'dog', 'eel']],
  ['m-3', ['red', 'green', 'blue', 'cat']],
]);

const freshDb = useFreshTestDbs(import.meta.url);

const startFaulty = useFaultyDbs();

/**
 * A started proxy in front of the test engine (DynamoDB's HTTP one or PostgreSQL's wire
 * one), stopped after the test; `proxy.db()` is a Db through it.
 */
const startProxy = (
  t: TestDb,
  rules: readonly FaultyRule[] = [],
  options: { seed?: number; before?: FaultyDb['before'] } = {},
) => startFaulty(t, { rules, ...options });

/** Attempts of a request before the client gives up: the SDK's 4, the PostgreSQL adapter's 6. */
const attempts = (): number => (onPostgres() ? PG_RETRY_POLICY.maxAttempts : 4);

/** A clock that only moves forward: answers are recorded and folded in its order. */
class Clock {
  #ms: number;
  constructor(start: Date) {
    this.#ms = start.getTime();
  }
  next(stepMs = 1_000): Date {
    this.#ms += stepMs;
    return new Date(this.#ms);
  }
}

/** The tables, every answer accepted so far (the oracle's input) and the clock. */
interface World {
  readonly t: TestDb;
  readonly answers: RawAnswer[];
  readonly clock: Clock;
  readonly random: Random;
  readonly students: readonly string[];
  /** answer ids handed out so far. */
  ids: number;
}

const createWorld = async (students: readonly string[], seed: number): Promise<World> => {
  const t = await freshDb();
  await t.db.modules.putMany([...MODULES].map(([id, words]) => module(id, { words: [...words] })));
  await t.db.students.putMany(students.map((id, i) => student(id, { parent_ids: [`p-${i % 3}`] })));
  return {
    t,
    answers: [],
    clock: new Clock(noonOf(TODAY)),
    random: seeded(seed),
    students,
    ids: 0,
  };
};

const identity = (a: RawAnswer) => `${a.student_id}|${a.module_id}|${a.answer_id}`;

/**
 * `n` new answers of the world's students, answered between `daysBack[0]` and
 * `daysBack[1]` days before TODAY (before noon on TODAY itself).
 */
const newAnswers = (
  world: World,
  n: number,
  daysBack: readonly [number, number] = [0, 9],
  students: readonly string[] = world.students,
): RawAnswer[] =>
  Array.from({ length: n }, () => {
    const { random } = world;
    const moduleId = random.pick([...ANSWERED.keys()]);
    const day = addDays(TODAY, -random.int(daysBack[0], daysBack[1]));
    world.ids += 1;
    return {
      student_id: random.pick(students),
      answer_id: `a-${world.ids}`,
      module_id: moduleId,
      word: random.pick(ANSWERED.get(moduleId) ?? []),
      correct: random.chance(0.75),
      answered_at: new Date(noonOf(day).getTime() - random.int(0, 11 * 3_600_000)).toISOString(),
    };
  });

/** One new answer, with `overrides`. */
const oneAnswer = (world: World, overrides: Partial<RawAnswer> = {}): RawAnswer => {
  const [next] = newAnswers(world, 1);
  if (next === undefined) throw new Error('no answer drawn');
  return { ...next, ...overrides };
};

/** Records through the real service on the world's clock; the oracle learns what is new. */
const recordAnswers = async (world: World, batch: readonly RawAnswer[], at?: Date) => {
  await record(world.t.db, batch, at ?? world.clock.next());
  const known = new Set(world.answers.map(identity));
  for (const a of batch) {
    if (!known.has(identity(a))) {
      known.add(identity(a));
      world.answers.push(a);
    }
  }
};

const run = (
  db: Db,
  now: Date,
  options: Partial<Parameters<typeof aggregateStudents>[1]> = {},
): Promise<StudentsSummary> =>
  aggregateStudents(db, { timeZone: ZONE, now: () => now, settleMs: 0, ...options });

const marksLeft = async (world: World) =>
  (await world.t.db.student_marks.get({}, { scan: true })).length;

/**
 * Runs until no student is marked (a run under faults may leave some failed, which the
 * next run finishes), at most `max` times.
 */
const settle = async (world: World, db: Db = world.t.db, max = 12) => {
  const summaries: StudentsSummary[] = [];
  for (let i = 0; i < max; i += 1) {
    summaries.push(await run(db, world.clock.next()));
    if ((await marksLeft(world)) === 0) return summaries;
  }
  throw new Error(
    `students still marked after ${max} runs: ${JSON.stringify(summaries.map((s) => s.warnings))}`,
  );
};

/** Every stored progress equals the oracle's, and each root counts every answer once. */
const expectOracle = async (world: World, today = TODAY, label = '') => {
  const ids = [...new Set(world.answers.map((a) => a.student_id))].sort();
  const expected = new Map(
    ids.map((id) => [id, expectedProgress(id, world.answers, MODULES, today, ZONE)]),
  );
  expect(await storedProgress(world.t.db), label).toEqual(expected);
  for (const id of ids) {
    const root = await world.t.db.student_state.find({ student_id: id, part: 'root' });
    expect(root?.attempts, `${label} root of ${id}`).toBe(expected.get(id)?.attempts);
  }
};

/** What a full rebuild from the raw answers finds: the same figures, nothing to write. */
const expectRebuildAgrees = async (world: World) => {
  const full = await run(world.t.db, world.clock.next(), { mode: 'full' });
  expect(full).toMatchObject({ failed: 0, updated: 0 });
  await expectOracle(world, TODAY, 'after a full run');
};

const READS = ['GetItem', 'BatchGetItem', 'Query', 'Scan'];
const FOLD_TABLES = ['student_state', 'answers', 'student_progress'] as const;

/** Faults that happened, by table and kind of request (`student_state write`). */
const faultsSeen = (proxy: FaultyDb) => {
  const seen = new Map<string, number>();
  for (const request of proxy.requests) {
    if (request.fault === undefined) continue;
    const table = FOLD_TABLES.find((name) => onTable(name)(request)) ?? 'other';
    const kind = READS.includes(request.operation) ? 'read' : 'write';
    const key = `${table} ${kind} ${request.fault}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
};

describe('fold exactly once, under injected faults', () => {
  it('throttling and 500s on reads and writes of student_state, answers and student_progress change no figure', async () => {
    const world = await createWorld(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6'], 101);
    const rules: FaultyRule[] = [];
    for (const table of FOLD_TABLES) {
      // Each kind of request of each table is hit at least once, then at random.
      const reads = both(onTable(table), isOperation(...READS));
      const writes = both(onTable(table), isOperation(...WRITE_OPERATIONS));
      rules.push(
        { fault: 'throttle', match: reads, nth: 1 },
        { fault: 'internal', match: reads, nth: 3 },
        { fault: 'provisioned', match: reads, nth: 5 },
      );
      if (table !== 'answers') {
        rules.push(
          { fault: 'throttle', match: writes, nth: 1 },
          { fault: 'internal', match: writes, nth: 3 },
          { fault: 'provisioned', match: writes, nth: 5 },
        );
      }
      rules.push(
        // Few: the SDK backs off throttling from 1 s.
        { fault: 'throttle', match: onTable(table), chance: 0.015 },
        { fault: 'provisioned', match: onTable(table), chance: 0.01 },
        { fault: 'internal', match: onTable(table), chance: 0.12 },
      );
    }
    const proxy = await startProxy(world.t, rules, { seed: 7 });
    const db = proxy.db();

    for (let round = 0; round < 3; round += 1) {
      // Round 0 folds every student for the first time (a rebuild); later rounds fold
      // what is new, late answers included.
      await recordAnswers(world, newAnswers(world, 70, round === 2 ? [15, 40] : [0, 9]));
      await settle(world, db);
      await expectOracle(world, TODAY, `round ${round}`);
    }
    const seen = faultsSeen(proxy);
    for (const table of FOLD_TABLES) {
      for (const fault of ['throttle', 'internal', 'provisioned']) {
        expect(seen.get(`${table} read ${fault}`), `${table} read ${fault}`).toBeGreaterThan(0);
        if (table !== 'answers') {
          expect(seen.get(`${table} write ${fault}`), `${table} write ${fault}`).toBeGreaterThan(0);
        }
      }
    }
    expect(proxy.injected.internal).toBeGreaterThan(10);
    await expectRebuildAgrees(world);
  });

  it('responses lost after student_state and student_progress writes were applied change no figure: no answer counted twice', async () => {
    const world = await createWorld(['s-1', 's-2', 's-3', 's-4', 's-5'], 202);
    const statePuts = both(onTable('student_state'), isOperation('PutItem'));
    const progressPuts = both(onTable('student_progress'), isOperation('PutItem'));
    const rules: FaultyRule[] = [
      { fault: 'lost', match: statePuts, nth: [1, 4] },
      { fault: 'lost500', match: statePuts, nth: 2 },
      // Four for certain: the chance draws below follow the order of requests, which
      // differs between engines.
      { fault: 'lost', match: progressPuts, nth: [1, 3] },
      { fault: 'lost500', match: progressPuts, nth: [2, 4] },
      // Not more: a retry that fails its condition never gives back the SDK's retry
      // quota (500 tokens, 14 a retry), and the client lives as long as a Lambda's would.
      { fault: 'lost', match: statePuts, chance: 0.06 },
      { fault: 'lost500', match: statePuts, chance: 0.04 },
      { fault: 'lost', match: progressPuts, chance: 0.2 },
      { fault: 'lost500', match: progressPuts, chance: 0.1 },
    ];
    const proxy = await startProxy(world.t, rules, { seed: 11 });
    const db = proxy.db();

    for (let round = 0; round < 4; round += 1) {
      await recordAnswers(world, newAnswers(world, 50, round === 3 ? [12, 30] : [0, 9]));
      await settle(world, db);
      await expectOracle(world, TODAY, `round ${round}`);
    }
    // Writes that took effect and whose response was lost, each followed by the client's
    // retry of the same request (which then finds its condition no longer holds), unless
    // it was the client's last attempt: the caller then got the error, the fold failed
    // the student and a later run wrote anew (the figures are checked above). That is no
    // rarity: a progress write's response is lost at 0.28 an attempt and the first four
    // are lost by `nth`, so a request whose attempts all end lost turns up in some runs
    // (when the `nth` ones fall on one request's retries, as the engine's timing decides).
    const lost = proxy.requests.filter(
      (r) => (r.fault === 'lost' || r.fault === 'lost500') && r.status === 200,
    );
    expect(lost.filter(onTable('student_state')).length).toBeGreaterThan(10);
    expect(lost.filter(onTable('student_progress')).length).toBeGreaterThan(3);
    const sameBody = (a: FaultyRequest) => (b: FaultyRequest) =>
      JSON.stringify(a.body) === JSON.stringify(b.body);
    /** Which attempt of its request this was: the identical requests up to it. */
    const attemptOf = (request: FaultyRequest) =>
      proxy.requests.filter((r) => r.seq <= request.seq && sameBody(request)(r)).length;
    const unretried = lost.filter(
      (request) =>
        attemptOf(request) < attempts() &&
        !proxy.requests.some((r) => r.seq > request.seq && sameBody(request)(r)),
    );
    expect(unretried.map((request) => `retry of ${request.seq}`)).toEqual([]);
    await expectRebuildAgrees(world);
  });

  it('a crash at any write of a fold, then a clean run, gives the oracle figures', async () => {
    const world = await createWorld(['s-1', 's-2'], 303);
    // Every student folded once; the day is rolled over.
    await recordAnswers(world, newAnswers(world, 30));
    await settle(world);
    const proxy = await startProxy(world.t);
    const db = proxy.db();
    // The fold's writes; the lease's (`jobs`) are another matter: a crash there stops the
    // run before or after its work, and a lease left behind only expires.
    const writes = (request: FaultyRequest) =>
      isOperation(...WRITE_OPERATIONS)(request) && !onTable('jobs')(request);
    /** Each round: both students, new answers (one of them late) in two modules. */
    const roundAnswers = () => [
      ...newAnswers(world, 3, [0, 2], ['s-1']),
      ...newAnswers(world, 1, [20, 25], ['s-1']),
      ...newAnswers(world, 3, [0, 2], ['s-2']),
    ];

    // The writes of one incremental run of such a round.
    await recordAnswers(world, roundAnswers());
    await run(db, world.clock.next());
    const total = proxy.requests.filter(writes).length;
    expect(total).toBeGreaterThan(8);
    await expectOracle(world);

    for (let k = 1; k <= total; k += 1) {
      for (const fault of ['crash', 'crash-after'] as const) {
        const label = `${fault} at write ${k}`;
        proxy.reset([{ fault, match: writes, nth: k }]);
        await recordAnswers(world, roundAnswers());
        await run(db, world.clock.next()).catch(() => undefined);
        // Writes the failed student had in flight land before the next run starts.
        await proxy.idle();
        if (proxy.requests.filter(writes).length >= k) expect(proxy.injected[fault], label).toBe(1);
        proxy.reset([]);
        await settle(world, db);
        await expectOracle(world, TODAY, label);
      }
    }
    await expectRebuildAgrees(world);
  }, 90_000);
});

/** The `part` of the student_state item a request reads or writes. */
const partOf = (request: FaultyRequest): string | undefined => attributeOf(request, 'part');
const isStatePut = (part: string) => (request: FaultyRequest) =>
  onTable('student_state')(request) && request.operation === 'PutItem' && partOf(request) === part;

describe('fold exactly once, two runs at once', () => {
  it('two runs at once on one clock, then a clean run, never count an answer twice or lose one', async () => {
    const world = await createWorld(['s-1', 's-2', 's-3', 's-4'], 404);
    const jitter = seeded(5);
    const sleep = () => new Promise<void>((r) => setTimeout(r, jitter.int(0, 3)));
    const a = (await startProxy(world.t, [], { before: sleep })).db();
    const b = (await startProxy(world.t, [], { before: sleep })).db();
    for (let round = 0; round < 5; round += 1) {
      // Round 0 is every student's first fold (two rebuilds at once); round 3 is late.
      await recordAnswers(world, newAnswers(world, 40, round === 3 ? [10, 30] : [0, 9]));
      const now = world.clock.next();
      // The lease lets one of them work; the other is refused (or starts after it ends).
      const outcomes = await Promise.allSettled([run(a, now), run(b, now)]);
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(JobBusyError);
      }
      await settle(world);
      await expectOracle(world, TODAY, `round ${round}`);
    }
    await expectRebuildAgrees(world);
  });

  it('a second run with another clock is refused while the first holds the lease; nothing lost or counted twice', async () => {
    const world = await createWorld(['s-1'], 505);
    await recordAnswers(world, newAnswers(world, 10));
    await settle(world);
    await recordAnswers(world, [oneAnswer(world, { module_id: 'm-1', word: 'apple' })]);
    const earlier = world.clock.next();
    await recordAnswers(world, [oneAnswer(world, { module_id: 'm-2', word: 'dog' })]);
    const later = world.clock.next();
    // A holds its root write until B has tried to run.
    const aAtRoot = signal();
    const bTried = signal();
    const a = await startProxy(world.t, [], {
      before: async (request) => {
        if (!isStatePut('root')(request)) return;
        aAtRoot.resolve();
        await bTried.promise;
      },
    });
    const first = run(a.db(), earlier);
    await aAtRoot.promise;
    const second = await run(world.t.db, later).catch((error: unknown) => error);
    bTried.resolve();
    expect(second).toBeInstanceOf(JobBusyError);
    expect(await first).toMatchObject({ failed: 0 });
    await settle(world);
    await expectOracle(world);
  });

  it('two overlapping runs with different cut-offs (the lease lost to a suspension): the later cut-off lands, the earlier one defers, nothing counted twice', async () => {
    const world = await createWorld(['s-1'], 808);
    await recordAnswers(world, newAnswers(world, 10));
    await settle(world);
    // X and Y touch the same module and word; X is recorded before Y.
    const x = Array.from({ length: 3 }, () =>
      oneAnswer(world, { module_id: 'm-1', word: 'apple' }),
    );
    await recordAnswers(world, x);
    const afterX = world.clock.next();
    const y = Array.from({ length: 3 }, () =>
      oneAnswer(world, { module_id: 'm-1', word: 'apple' }),
    );
    await recordAnswers(world, y);
    const afterY = world.clock.next();
    // A folds X and Y (its cut-off is after Y), writes the parts, and is suspended before
    // its root, past its lease.
    const aAtRoot = signal();
    const bDone = signal();
    const a = await startProxy(world.t, [], {
      before: async (request) => {
        if (!isStatePut('root')(request)) return;
        aAtRoot.resolve();
        await bDone.promise;
      },
    });
    const first = run(a.db(), afterY).catch((error: unknown) => error);
    await aAtRoot.promise;
    // B takes the expired lease; its cut-off (a wider settle window) is between X and Y.
    const bNow = new Date(afterY.getTime() + LEASE_MS + 1_000);
    const second = await run(world.t.db, bNow, {
      settleMs: bNow.getTime() - afterX.getTime(),
    });
    // B meets A's parts, which hold Y, beyond its cut-off: it writes nothing of them.
    expect(second).toMatchObject({ failed: 0, deferred: 1, updated: 0 });
    expect(second.warnings.map((w) => w.kind)).toEqual(['deferred']);
    bDone.resolve();
    await first;
    await settle(world);
    await expectOracle(world);
    await expectRebuildAgrees(world);
  });

  it('a run whose clock is behind what another run folded fails no student and counts nothing twice', async () => {
    const world = await createWorld(['s-1', 's-2'], 707);
    await recordAnswers(world, newAnswers(world, 10));
    const behind = world.clock.next();
    await recordAnswers(world, newAnswers(world, 10));
    await settle(world);
    // New answers; a run started before the last fold (a slower Lambda, a skewed clock).
    await recordAnswers(world, newAnswers(world, 10));
    const summary = await run(world.t.db, behind);
    expect(summary).toMatchObject({ failed: 0, warnings_total: 0, answers_read: 0 });
    await settle(world);
    await expectOracle(world);
  });
});

describe('fold exactly once, rounds of answers', () => {
  it('late answers, duplicates and concurrent record calls between and during runs keep the fold equal to the oracle', async () => {
    const world = await createWorld(['s-1', 's-2', 's-3', 's-4', 's-5'], 909);
    let previous: RawAnswer[] = [];
    for (let round = 0; round < 5; round += 1) {
      const fresh = newAnswers(world, 30);
      // Older than anything folded so far: from a device that was offline for weeks.
      const late = newAnswers(world, 8, [15, 45]);
      const at = world.clock.next();
      // Batches recorded at once, one of them the previous round's again (duplicates).
      await Promise.all([
        recordAnswers(world, fresh.slice(0, 15), at),
        recordAnswers(world, fresh.slice(15), at),
        recordAnswers(world, late, at),
        recordAnswers(world, previous, at),
      ]);
      // Answers recorded while a run is under way (they carry a later time), twice.
      const during = newAnswers(world, 10);
      const runAt = world.clock.next();
      await Promise.all([
        run(world.t.db, runAt),
        (async () => {
          await recordAnswers(world, during);
          await recordAnswers(world, during);
        })(),
      ]);
      await settle(world);
      await expectOracle(world, TODAY, `round ${round}`);
      previous = [...fresh, ...late];
    }
    await expectRebuildAgrees(world);
  }, 90_000);
});

describe('fold cost', () => {
  it('k new answers read k (+1) answers whatever the history (200 or 2000); the roll-over reads none', async () => {
    const students = ['s-h200', 's-h2000'] as const;
    const world = await createWorld(students, 1001);
    const hourBefore = new Date(noonOf(TODAY).getTime() - 3_600_000).toISOString();
    for (const [studentId, size] of [
      [students[0], 200],
      [students[1], 2000],
    ] as const) {
      const history = newAnswers(world, size, [1, 60], [studentId]);
      await world.t.db.answers.putMany(
        history.map((a) =>
          answer(a.student_id, a.module_id, a.answer_id, {
            word: a.word,
            correct: a.correct,
            answered_at: a.answered_at,
            recorded_at: hourBefore,
          }),
        ),
      );
      world.answers.push(...history);
    }
    // One answer each through the service: it marks them. Their first fold is a rebuild.
    await recordAnswers(world, [
      ...newAnswers(world, 1, [0, 0], [students[0]]),
      ...newAnswers(world, 1, [0, 0], [students[1]]),
    ]);
    expect(await run(world.t.db, world.clock.next())).toMatchObject({
      rebuilt: 2,
      answers_read: 2202,
      failed: 0,
    });
    await expectOracle(world);

    const proxy = await startProxy(world.t);
    const db = proxy.db();
    /** Answers items the engine read for the requests since the last reset. */
    const answersReadOnTheWire = () =>
      proxy.requests
        .filter((r) => onTable('answers')(r))
        .reduce((sum, r) => sum + (r.scanned ?? 0), 0);
    const k = 7;
    const costs = new Map<string, number[]>();
    for (const studentId of students) {
      const cost: number[] = [];
      // The first incremental fold starts at the rebuild's settled key, the second at the
      // last answer folded (read again: `between` includes its bound).
      for (let round = 0; round < 2; round += 1) {
        proxy.reset();
        await recordAnswers(world, newAnswers(world, k, [0, 3], [studentId]));
        const summary = await run(db, world.clock.next());
        expect(summary).toMatchObject({ scanned: 1, rebuilt: 0, failed: 0 });
        expect(summary.answers_read).toBeLessThanOrEqual(k + 1);
        // The fold's query, and `hasUnsettled`'s (at most one item).
        expect(answersReadOnTheWire()).toBeLessThanOrEqual(summary.answers_read + 1);
        cost.push(summary.answers_read, answersReadOnTheWire());
        await expectOracle(world, TODAY, `${studentId} round ${round}`);
      }
      costs.set(studentId, cost);
    }
    // [read by the fold, read on the wire] of each round: k, then k + 1.
    expect(costs.get(students[0])).toEqual([k, k, k + 1, k + 1]);
    expect(costs.get(students[1])).toEqual(costs.get(students[0]));

    // The next day: both students' streaks and daily windows move; no answer is read.
    proxy.reset();
    const tomorrow = addDays(TODAY, 1);
    const rollover = await run(db, noonOf(tomorrow));
    expect(rollover).toMatchObject({ rollover: true, scanned: 2, failed: 0, answers_read: 0 });
    expect(proxy.requests.filter(onTable('answers'))).toEqual([]);
    await expectOracle(world, tomorrow, 'the next day');
  });
});
