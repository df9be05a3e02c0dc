/**
 * Batches in flight (issue 20, item 3): a request whose answers are still being written
 * is never folded past, whatever the settle window and whatever the run's clock says.
 * Each interleaving is forced by holding one request at the fault proxy: the second
 * answer batch of a 30-answer request (25 + 5), or the run's read of the answers. On
 * PostgreSQL a request writes its 30 answers in one statement: that one is held (none of
 * them stored yet), and the figures must be the same.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/repositories/db.ts';
import { aggregateStudents } from '../../../src/services/aggregates/aggregate-students.ts';
import { ABANDONED_AFTER_MS } from '../../../src/services/answers/in-flight.ts';
import { recordAnswers } from '../../../src/services/answers/record-answers.ts';
import { both, isOperation, onTable } from '../../support/fault-proxy.ts';
import { type FaultyRequest, useFaultyDbs } from '../../support/faulty-db.ts';
import { module, student } from '../../support/fixtures.ts';
import { signal } from '../../support/signal.ts';
import { onPostgres, type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedProgress, type RawAnswer } from '../aggregates/oracle.ts';
import { noonOf, SERVICE, storedProgress } from '../aggregates/support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';
const MODULES = new Map<string, readonly string[]>([
  ['m-1', ['apple', 'banana', 'cherry']],
  ['m-2', ['cat', 'dog', 'eel']],
]);
/** The request's clock. */
const T = noonOf(TODAY);
const at = (ms: number) => new Date(T.getTime() + ms);

const freshDb = useFreshTestDbs(import.meta.url);
const startProxy = useFaultyDbs();

const setup = async (): Promise<TestDb> => {
  const t = await freshDb();
  await t.db.modules.putMany([...MODULES].map(([id, words]) => module(id, { words: [...words] })));
  await t.db.students.putMany([student('s-1')]);
  return t;
};

/** 30 answers of s-1 across both modules: a request writes them as 25, then 5. */
const thirty = (prefix: string): RawAnswer[] =>
  Array.from({ length: 30 }, (_, i) => {
    const moduleId = i % 2 === 0 ? 'm-1' : 'm-2';
    const words = MODULES.get(moduleId) ?? [];
    return {
      student_id: 's-1',
      answer_id: `${prefix}-${i + 1}`,
      module_id: moduleId,
      word: words[i % words.length] ?? 'apple',
      correct: i % 3 !== 0,
      answered_at: new Date(T.getTime() - (i + 1) * 60_000).toISOString(),
    };
  });

const post = (db: Db, now: Date, answers: readonly RawAnswer[]) =>
  recordAnswers({ db, now: () => now }, SERVICE, { answers });

const run = (db: Db, now: Date, settleMs: number) =>
  aggregateStudents(db, { timeZone: ZONE, now: () => now, settleMs });

const isAnswerWrite = both(onTable('answers'), isOperation('BatchWriteItem'));
/** The answers' write of a request that is still in flight: the last of its (25 + 5) or its only one. */
const lastAnswerWrite = (): number => (onPostgres() ? 1 : 2);

/**
 * A proxy that holds the `n`-th request matching `match` until released; `reached`
 * resolves once it has arrived and the engine has answered every earlier match (batches
 * may be sent side by side).
 */
const holding = async (t: TestDb, match: (request: FaultyRequest) => boolean, n: number) => {
  const reached = signal();
  const released = signal();
  let seen = 0;
  let answered = 0;
  let held = false;
  const check = () => {
    if (held && answered >= n - 1) reached.resolve();
  };
  const proxy = await startProxy(t, {
    before: async (request) => {
      if (!match(request)) return;
      seen += 1;
      if (seen !== n) return;
      held = true;
      check();
      await released.promise;
    },
    after: (request) => {
      if (!match(request)) return;
      answered += 1;
      check();
    },
  });
  return { db: proxy.db(), reached: reached.promise, release: released.resolve };
};

const expectAllCounted = async (t: TestDb, answers: readonly RawAnswer[]) => {
  expect((await storedProgress(t.db)).get('s-1')).toEqual(
    expectedProgress('s-1', answers, MODULES, TODAY, ZONE),
  );
  expect(await t.db.student_marks.get({}, { scan: true })).toEqual([]);
  expect(await t.db.answer_batches.get({}, { scan: true })).toEqual([]);
};

describe('batches in flight', () => {
  it('settle window 0: a run while the second answer batch is in flight folds none of the request; the next run folds all 30', async () => {
    const t = await setup();
    const batch = thirty('a');
    const request = await holding(t, isAnswerWrite, lastAnswerWrite());
    const posting = post(request.db, at(0), batch);
    await request.reached;
    // 25 answers stored, 5 in flight; the run's clock is the request's, its window 0.
    const during = await run(t.db, at(1_000), 0);
    expect(during).toMatchObject({ failed: 0, marks_cleared: 0, deferred: 1 });
    request.release();
    expect(await posting).toEqual({ accepted: 30, duplicates: 0 });
    const after = await run(t.db, at(2_000), 0);
    expect(after).toMatchObject({ failed: 0, marks_cleared: 1, deferred: 0 });
    await expectAllCounted(t, batch);
  });

  it('a run two minutes fast (window 60 s) that reads half of a batch begun after its guard writes nothing (the mark changed); nothing is lost', async () => {
    const t = await setup();
    const first = thirty('a').slice(0, 3);
    await post(t.db, at(-600_000), first);
    await run(t.db, at(-500_000), 0);
    // The run holds its first read of the answers; meanwhile a request begins and stores
    // its first 25 answers, stamped before the run's (fast) cut-off.
    const runner = await holding(t, both(onTable('answers'), isOperation('Query')), 1);
    const request = await holding(t, isAnswerWrite, lastAnswerWrite());
    const batch = thirty('b');
    // A client's retry of an answer already stored: s-1 is marked, nothing new is stored.
    await post(t.db, at(0), first.slice(0, 1));
    const running = run(runner.db, at(120_000), 60_000);
    await runner.reached;
    const posting = post(request.db, at(1_000), batch);
    await request.reached;
    runner.release();
    const during = await running;
    // It read 25 of the batch, found the mark changed, read again, saw the batch open. On
    // PostgreSQL the 30 answers are one statement, held: there is no half to read, the run
    // only finds the mark changed and leaves it.
    expect(during).toMatchObject({
      failed: 0,
      marks_cleared: 0,
      ...(onPostgres() ? {} : { deferred: 1 }),
    });
    request.release();
    await posting;
    await run(t.db, at(200_000), 60_000);
    await expectAllCounted(t, [...first, ...batch]);
  });

  it('a run hours ahead takes a live batch for abandoned; the request finds its batch gone and asks for a rebuild; the next run rebuilds: nothing lost', async () => {
    const t = await setup();
    const batch = thirty('a');
    const request = await holding(t, isAnswerWrite, lastAnswerWrite());
    const posting = post(request.db, at(0), batch);
    await request.reached;
    const wrong = await run(t.db, at(3 * 3_600_000), 60_000);
    expect(wrong).toMatchObject({ failed: 0 });
    request.release();
    await posting;
    // The request found its batch closed by the run: a rebuild request and a fresh mark.
    expect(await t.db.answer_batches.get({}, { scan: true })).toMatchObject([
      { student_id: 's-1', rebuild: true },
    ]);
    const repair = await run(t.db, at(3 * 3_600_000 + 120_000), 60_000);
    expect(repair).toMatchObject({ failed: 0, rebuilt: 1, marks_cleared: 1 });
    await expectAllCounted(t, batch);
  });

  it("a dead request's open batch defers its student until it is abandoned, then what it stored is folded", async () => {
    const t = await setup();
    const batch = thirty('a').slice(0, 5);
    await post(t.db, at(0), batch);
    // As if a request died between its open batch and its close.
    await t.db.answer_batches.put({
      student_id: 's-1',
      batch_id: 'dead',
      started_at: at(-1_000).toISOString(),
    });
    await t.db.student_marks.put({
      student_id: 's-1',
      token: 'dead',
      marked_at: at(0).toISOString(),
    });
    const young = await run(t.db, at(120_000), 60_000);
    expect(young).toMatchObject({ failed: 0, deferred: 1 });
    expect(await storedProgress(t.db)).toEqual(
      new Map([['s-1', expect.objectContaining({ attempts: 0 })]]),
    );
    const old = await run(t.db, at(ABANDONED_AFTER_MS + 1_000), 60_000);
    expect(old).toMatchObject({ failed: 0, deferred: 0, marks_cleared: 1 });
    await expectAllCounted(t, batch);
  });
});
