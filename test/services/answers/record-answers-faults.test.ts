/**
 * `record_answers` under the faults the network and DynamoDB produce (the fault proxy in
 * front of the engine, the real SDK retrying): whatever fails, either the client got an
 * error and a retry converges, or the answers that landed are folded by the next runs
 * without any retry. No stored answer stays unaggregated, none is counted twice.
 */
import { describe, expect, it } from 'vitest';
import { PG_RETRY_POLICY } from '../../../src/adapters/postgres/pg.ts';
import { functions } from '../../../src/catalog/functions.ts';
import { MIN_SETTLE_SECONDS_ON_AWS } from '../../../src/config/config.ts';
import { addDays } from '../../../src/domain/time-zone.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { type Random, seeded } from '../../../src/seed/random.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { ANSWER_SETTLE_MS } from '../../../src/services/aggregates/options.ts';
import { ABANDONED_AFTER_MS } from '../../../src/services/answers/in-flight.ts';
import {
  type RecordAnswersResult,
  recordAnswers,
} from '../../../src/services/answers/record-answers.ts';
import { both, isOperation, isWrite, onTable } from '../../support/fault-proxy.ts';
import { type FaultyDb, type FaultyRule, useFaultyDbs } from '../../support/faulty-db.ts';
import { module, student } from '../../support/fixtures.ts';
import { onPostgres, type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedProgress, type RawAnswer } from '../aggregates/oracle.ts';
import { noonOf, SERVICE, storedProgress } from '../aggregates/support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';
const SETTLE_MS = 60_000;
const MODULES = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'banana', 'cherry']],
  ['m-2', ['cat', 'dog', 'eel']],
]);
const STUDENTS = ['s-1', 's-2', 's-3'] as const;

const freshDb = useFreshTestDbs(import.meta.url);
const startFaulty = useFaultyDbs();
/** The proxy in front of the world's engine (a faulty Db through it: `proxy.db()`). */
const startProxy = (
  world: World,
  options: { rules?: readonly FaultyRule[]; seed?: number; before?: FaultyDb['before'] } = {},
) => startFaulty(world.t, options);
/** Attempts of a request before the client gives up: the SDK's 4, the PostgreSQL adapter's 6. */
const attempts = (): number => (onPostgres() ? PG_RETRY_POLICY.maxAttempts : 4);
/** The n-th write and the client's retries of it. */
const everyAttempt = (from: number): number[] =>
  Array.from({ length: attempts() }, (_, i) => from + i);
/** The error a request that failed every attempt with an internal error rejects with. */
const internalFailure = () =>
  onPostgres() ? { sqlState: '57014' } : { name: 'InternalServerError' };

interface World {
  readonly t: TestDb;
  readonly random: Random;
  /** The clock of requests and runs: each call a settle window and a second later. */
  readonly tick: () => Date;
  /** Moves the clock on by `ms` (a dead invocation's open batch is abandoned after a while). */
  readonly advance: (ms: number) => void;
  ids: number;
}

const createWorld = async (seed: number): Promise<World> => {
  const t = await freshDb();
  await t.db.modules.putMany([...MODULES].map(([id, words]) => module(id, { words: [...words] })));
  await t.db.students.putMany(STUDENTS.map((id) => student(id)));
  let ms = noonOf(TODAY).getTime();
  return {
    t,
    random: seeded(seed),
    tick: () => {
      ms += SETTLE_MS + 1_000;
      return new Date(ms);
    },
    advance: (by) => {
      ms += by;
    },
    ids: 0,
  };
};

const newAnswers = (world: World, n: number): RawAnswer[] =>
  Array.from({ length: n }, () => {
    const { random } = world;
    const moduleId = random.pick([...MODULES.keys()]);
    world.ids += 1;
    return {
      student_id: random.pick([...STUDENTS]),
      answer_id: `a-${world.ids}`,
      module_id: moduleId,
      word: random.pick([...(MODULES.get(moduleId) ?? [])]),
      correct: random.chance(0.7),
      answered_at: new Date(
        noonOf(addDays(TODAY, -random.int(0, 6))).getTime() - random.int(0, 10 * 3_600_000),
      ).toISOString(),
    };
  });

const post = (db: Db, at: Date, answers: readonly RawAnswer[]): Promise<RecordAnswersResult> =>
  recordAnswers({ db, now: () => at }, SERVICE, { answers });

const run = (world: World, at: Date = world.tick()) =>
  aggregateStudents(world.t.db, { timeZone: ZONE, now: () => at, settleMs: SETTLE_MS });

/** What `answers` holds, as the oracle reads answers. */
const storedAnswers = async (db: Db): Promise<RawAnswer[]> =>
  (await db.answers.get({}, { scan: true })).map((a) => ({
    student_id: a.student_id,
    answer_id: a.answer_id,
    module_id: a.module_id,
    word: a.word,
    correct: a.correct,
    answered_at: a.answered_at,
  }));

/**
 * Runs (no fault, no client retry) until no student is marked. A request that crashed
 * before it closed its batch leaves it open: its students wait until a run takes the batch
 * for abandoned (`ABANDONED_AFTER_MS`), so the clock jumps that far after two runs.
 */
const settle = async (world: World) => {
  for (let i = 0; i < 4; i += 1) {
    if (i === 2) world.advance(ABANDONED_AFTER_MS);
    await run(world);
    if ((await world.t.db.student_marks.get({}, { scan: true })).length === 0) return;
  }
  throw new Error('students still marked after 4 runs');
};

/**
 * Every stored answer is aggregated exactly once: each student with answers has the
 * progress a recomputation from what `answers` holds gives, and no other progress exists
 * but that of a student with none (marked for answers that never landed: all zeros).
 */
const expectAllFolded = async (world: World, label: string) => {
  const answers = await storedAnswers(world.t.db);
  const progress = await storedProgress(world.t.db);
  const withAnswers = new Set(answers.map((a) => a.student_id));
  for (const id of new Set([...withAnswers, ...progress.keys()])) {
    expect(progress.get(id), `${label}: ${id}`).toEqual(
      expectedProgress(id, answers, MODULES, TODAY, ZONE),
    );
  }
  return answers;
};

const sortedIds = (answers: readonly RawAnswer[]) =>
  answers.map((a) => `${a.student_id}|${a.module_id}|${a.answer_id}`).sort();

describe('record_answers under faults: nothing stored stays unaggregated', () => {
  it('a crash at any write (before or after it took effect): the next runs fold what landed, a retry converges', async () => {
    const world = await createWorld(31);
    const proxy = await startProxy(world);
    const db = proxy.db();
    // The writes of one request: its marks, then its answers in batches of 25.
    await post(db, world.tick(), newAnswers(world, 60));
    const total = proxy.requests.filter(isWrite).length;
    expect(total).toBeGreaterThanOrEqual(4);
    await settle(world);
    await expectAllFolded(world, 'clean');

    for (let k = 1; k <= total; k += 1) {
      for (const fault of ['crash', 'crash-after'] as const) {
        const label = `${fault} at write ${k}`;
        const batch = newAnswers(world, 60);
        proxy.reset([{ fault, match: isWrite, nth: k }]);
        await expect(post(db, world.tick(), batch), label).rejects.toThrow();
        await proxy.idle();
        expect(proxy.injected[fault], label).toBe(1);
        // No retry: whatever landed is folded.
        await settle(world);
        await expectAllFolded(world, `${label}, no retry`);
        // The client's retry stores the rest, counting what landed as duplicates.
        proxy.reset([]);
        const reply = await post(db, world.tick(), batch);
        expect(reply.accepted + reply.duplicates, label).toBe(batch.length);
        await settle(world);
        const stored = await expectAllFolded(world, `${label}, after the retry`);
        expect(sortedIds(stored), label).toEqual(expect.arrayContaining(sortedIds(batch)));
      }
    }
  }, 90_000);

  it("the marks' write failing after the SDK's retries stores nothing; the retry converges", async () => {
    const world = await createWorld(32);
    const marks = both(onTable('student_marks'), isWrite);
    const proxy = await startProxy(world, { rules: [{ fault: 'internal', match: marks }] });
    const db = proxy.db();
    const batch = newAnswers(world, 40);
    await expect(post(db, world.tick(), batch)).rejects.toMatchObject(internalFailure());
    expect(proxy.injected.internal).toBe(attempts());
    expect(await storedAnswers(world.t.db)).toEqual([]);
    proxy.reset([]);
    expect(await post(db, world.tick(), batch)).toEqual({ accepted: 40, duplicates: 0 });
    await settle(world);
    expect(sortedIds(await expectAllFolded(world, 'after the retry'))).toEqual(sortedIds(batch));
  });

  it("an answers' batch failing after the SDK's retries leaves the batch half-stored and marked: folded without a retry", async () => {
    const world = await createWorld(33);
    const answerWrites = both(onTable('answers'), isWrite);
    // DynamoDB: the second batch of 25 and its 3 retries. PostgreSQL writes the 75 in one
    // statement: it and its 5 retries (nothing of the batch lands, the marks do).
    const nth = onPostgres() ? [1, 2, 3, 4, 5, 6] : [2, 3, 4, 5];
    const proxy = await startProxy(world, {
      rules: [{ fault: 'internal', match: answerWrites, nth }],
    });
    const db = proxy.db({ batchConcurrency: 1 });
    const batch = newAnswers(world, 75);
    await expect(post(db, world.tick(), batch)).rejects.toMatchObject(internalFailure());
    await proxy.idle();
    const landed = await storedAnswers(world.t.db);
    if (!onPostgres()) expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBeLessThan(batch.length);
    expect((await world.t.db.student_marks.get({}, { scan: true })).length).toBeGreaterThan(0);
    await settle(world);
    await expectAllFolded(world, 'no retry');
    proxy.reset([]);
    expect(await post(db, world.tick(), batch)).toEqual({
      accepted: batch.length - landed.length,
      duplicates: landed.length,
    });
    await settle(world);
    expect(sortedIds(await expectAllFolded(world, 'after the retry'))).toEqual(sortedIds(batch));
  });

  it('throttling, 500s, latency and lost responses on every request: replies as without faults, nothing lost or counted twice', async () => {
    const world = await createWorld(34);
    const rules: FaultyRule[] = [
      // Two writes whose every attempt fails (one request's four, batches sent one at a
      // time): the client gets a 500 twice; the rest at random.
      { fault: 'internal', match: isWrite, nth: [...everyAttempt(9), ...everyAttempt(30)] },
      { fault: 'lost', match: isWrite, chance: 0.15 },
      { fault: 'lost500', match: isWrite, chance: 0.1 },
      { fault: 'internal', chance: 0.15 },
      { fault: 'throttle', chance: 0.02 },
      { fault: 'provisioned', chance: 0.02 },
      { fault: 'slow', chance: 0.2, delayMs: 5 },
    ];
    const proxy = await startProxy(world, { rules, seed: 9 });
    const db = proxy.db({ batchConcurrency: 1 });
    const sent: RawAnswer[] = [];
    let previous: RawAnswer[] = [];
    let failed = 0;
    for (let round = 0; round < 8; round += 1) {
      const fresh = newAnswers(world, 30);
      // A client resending part of its previous request: duplicates.
      const resent = previous.slice(0, 5);
      const batch = [...fresh, ...resent];
      let reply: RecordAnswersResult | undefined;
      for (let attempt = 0; reply === undefined; attempt += 1) {
        try {
          reply = await post(db, world.tick(), batch);
        } catch (error) {
          // Retries exhausted: the client got a 500; whatever landed must still be folded.
          if (attempt >= 5) throw error;
          failed += 1;
          await proxy.idle();
          await settle(world);
          await expectAllFolded(world, `round ${round}, attempt ${attempt} failed`);
        }
        if (reply !== undefined && attempt === 0) {
          expect(reply, `round ${round}`).toEqual({ accepted: 30, duplicates: resent.length });
        }
      }
      sent.push(...fresh);
      previous = fresh;
      await settle(world);
      await expectAllFolded(world, `round ${round}`);
    }
    expect(sortedIds(await storedAnswers(world.t.db))).toEqual(sortedIds(sent));
    expect(proxy.injected.lost + proxy.injected.lost500).toBeGreaterThan(3);
    expect(proxy.injected.internal).toBeGreaterThan(5);
    expect(proxy.injected.slow).toBeGreaterThan(3);
    // The "no retry" path above ran.
    expect(failed).toBeGreaterThanOrEqual(2);
  });
});

describe('record_answers and a run at once', () => {
  it("a batch in flight is taken for abandoned only well after record_answers' timeout; the default window is allowed on AWS", () => {
    expect(ABANDONED_AFTER_MS).toBeGreaterThan(10 * functions.record_answers.timeoutSeconds * 1000);
    expect(ANSWER_SETTLE_MS).toBeGreaterThanOrEqual(MIN_SETTLE_SECONDS_ON_AWS * 1000);
  });

  it('a run between the marks and the answers keeps the mark (its answers are in flight); the next run folds them', async () => {
    const world = await createWorld(35);
    const batch = newAnswers(world, 30);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedAnswers: () => void = () => {};
    const atAnswers = new Promise<void>((resolve) => {
      reachedAnswers = resolve;
    });
    const proxy = await startProxy(world, {
      before: async (request) => {
        if (!both(onTable('answers'), isOperation('BatchWriteItem'))(request)) return;
        reachedAnswers();
        await held;
      },
    });
    const recordedAt = world.tick();
    const posting = post(proxy.db(), recordedAt, batch);
    await atAnswers;
    // The marks are written, the answers not yet: a run a second later reads the marks.
    const during = await run(world, new Date(recordedAt.getTime() + 1_000));
    expect(during).toMatchObject({ failed: 0, marks_cleared: 0 });
    expect(during.deferred).toBe(new Set(batch.map((a) => a.student_id)).size);
    release();
    expect(await posting).toEqual({ accepted: 30, duplicates: 0 });
    // Marks still there: the next run, once the answers settled, folds them.
    expect((await world.t.db.student_marks.get({}, { scan: true })).length).toBe(during.deferred);
    await settle(world);
    expect(sortedIds(await expectAllFolded(world, 'after'))).toEqual(sortedIds(batch));
  });
});
