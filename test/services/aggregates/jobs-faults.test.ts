/**
 * Both aggregate jobs under the faults of the network and DynamoDB (the fault proxy in
 * front of the engine; the real handlers and the real SDK, which retries): throttling,
 * 500s, latency, and responses lost after the write was applied. Each job is run the way
 * it is deployed: a plain event (incremental and full) and through its workflow (shards,
 * continuations, the workflow's own retries). Whatever the faults, the stored progress and
 * summaries equal the naive recomputation from the raw answers (`oracle.ts`) and the
 * answers stay as recorded: nothing lost, nothing counted twice. A run that fails (the
 * SDK's retries exhausted) is run again, later, as the schedule would: it converges.
 */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../../src/catalog/functions.ts';
import { localContext } from '../../../src/local/invoke/lambda-context.ts';
import { type Handle, loadFunction } from '../../../src/local/invoke/load-function.ts';
import {
  handlerInvoke,
  runWorkflow,
  WorkflowFailedError,
} from '../../../src/local/workflows/run-workflow.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { type Random, seeded } from '../../../src/seed/random.ts';
import { LEASE_MS } from '../../../src/services/aggregates/lease.ts';
import { budgetContext } from '../../support/counting-worker.ts';
import { both, everyFault, isOperation, isWrite, onTable } from '../../support/fault-proxy.ts';
import { type FaultyDb, type FaultyRule, useFaultyDbs } from '../../support/faulty-db.ts';
import { module, student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';
import { onPostgres, type TestDb, useFreshTestDbs } from '../../support/test-db.ts';
import { expectedProgress, expectedSummary, type RawAnswer } from './oracle.ts';
import { record, storedProgress, storedSummaries } from './support.ts';

const ZONE = 'Asia/Shanghai';
const TODAY = '2026-11-24';
/** 09:00 in Shanghai: a day of runs, each a lease's lifetime after the last, fits in it. */
const MORNING = new Date(`${TODAY}T01:00:00.000Z`);
const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'plum'];
const MODULES = new Map<string, readonly string[]>([
  ['m-1', WORDS.slice(0, 3)],
  ['m-2', WORDS.slice(2)],
]);
const STUDENTS = Array.from({ length: 24 }, (_, i) =>
  student(`s-${String(i).padStart(2, '0')}`, {
    name: `Kid ${i % 7}`,
    class_code: `c-${i % 3}`,
    parent_ids: [`p-${i % 8}`],
  }),
);
const PARENTS = Array.from({ length: 8 }, (_, i) => ({
  id: `p-${i}`,
  name: `Parent ${i}`,
  student_ids: STUDENTS.filter((_, s) => s % 8 === i).map((s) => s.id),
}));

const freshDb = useFreshTestDbs(import.meta.url);
const startProxy = useFaultyDbs();

/**
 * Every kind of fault, from the seed; throttling now and then. On PostgreSQL (the kinds
 * mapped: `faulty-db.ts`) also connections refused with "too many clients".
 */
const randomFaults = (): FaultyRule[] =>
  everyFault({
    at: { throttle: [7], provisioned: [29], internal: [3, 11, 19], lost: [2, 9], lost500: [5] },
    chance: { internal: 0.08, lost: 0.06, lost500: 0.03, slow: 0.1, throttle: 0.003 },
  }) as FaultyRule[];

interface World {
  readonly t: TestDb;
  readonly proxy: FaultyDb;
  readonly answers: RawAnswer[];
  readonly random: Random;
  /** The clock of the runs: each run a lease's lifetime after the last (see `nextRun`). */
  at: number;
  ids: number;
  /** Runs that failed and were run again. */
  failures: number;
}

const createWorld = async (seed: number, rules: readonly FaultyRule[]): Promise<World> => {
  const t = await freshDb();
  await t.db.students.putMany(STUDENTS);
  await t.db.parents.putMany(PARENTS);
  await t.db.modules.putMany([...MODULES].map(([id, words]) => module(id, { words: [...words] })));
  const proxy = await startProxy(t, {
    seed,
    rules,
    ...(rules.length === 0 ? {} : { connections: { nth: [2, 7, 15] } }),
  });
  return {
    t,
    proxy,
    answers: [],
    random: seeded(seed),
    at: MORNING.getTime(),
    ids: 0,
    failures: 0,
  };
};

/**
 * Answers of some students, recorded (without faults: `record_answers` has its own suite)
 * a minute before the next run.
 */
const recordSome = async (world: World, n: number) => {
  const { random } = world;
  const batch: RawAnswer[] = Array.from({ length: n }, () => {
    const moduleId = random.pick([...MODULES.keys()]);
    world.ids += 1;
    return {
      student_id: random.pick(STUDENTS.slice(0, 20)).id,
      answer_id: `a-${world.ids}`,
      module_id: moduleId,
      word: random.pick(WORDS),
      correct: random.chance(0.7),
      answered_at: new Date(world.at - random.int(1, 12 * 24) * 3_600_000).toISOString(),
    };
  });
  await record(world.t.db, batch, new Date(world.at - 60_000));
  world.answers.push(...batch);
};

/** The instant of the next run: after the lease of a run that failed without giving it back. */
const nextRun = (world: World): Date => {
  world.at += LEASE_MS + 1_000;
  return new Date(world.at);
};

/** A handler of `job` over a fresh client through the proxy (a new Lambda container). */
const handlerOf = async (world: World, job: FunctionName, now: Date) => {
  const db: Db = world.proxy.db();
  return loadFunction(
    job,
    testRuntime(db, { now, env: { LMS_TIMEZONE: ZONE, LMS_ANSWER_SETTLE_SECONDS: '0' } }),
  );
};

/** Marks the job leaves for its next run (a lost response can leave one: extra work, no loss). */
const marksLeft = async (world: World, job: FunctionName) =>
  job === 'aggregate_students'
    ? (await world.t.db.student_marks.get({}, { scan: true })).length
    : (await world.t.db.parent_marks.get({}, { scan: true })).length;

/**
 * Runs `job` as its schedule would, until a run succeeds and leaves no mark (at most `max`
 * runs): `once` is one run, which throws if the run failed.
 */
const runUntilDone = async (
  world: World,
  job: FunctionName,
  once: (handle: Handle) => Promise<unknown>,
  max: number,
) => {
  for (let run = 1; ; run += 1) {
    const handle = await handlerOf(world, job, nextRun(world));
    try {
      await once(handle);
      if ((await marksLeft(world, job)) === 0) return;
      if (run >= max) throw new Error(`${job}: marks left after ${max} runs`);
    } catch (error) {
      if (run >= max) throw error;
      world.failures += 1;
      // What the failed run had in flight lands before the next one starts.
      await world.proxy.idle();
    }
  }
};

/** `job` invoked with a plain event (the whole run in one invocation). */
const invokeUntilDone = (world: World, job: FunctionName, event: object, max = 8) =>
  runUntilDone(world, job, (handle) => handle(event, localContext(job)), max);

/** `job`'s workflow (plan, shards, continuations, finish), with the workflow's own retries. */
const workflowUntilDone = (
  world: World,
  job: FunctionName,
  input: object,
  context: () => Context,
  max = 8,
) =>
  runUntilDone(
    world,
    job,
    async (handle) => {
      const result = await runWorkflow({
        job,
        input,
        invoke: handlerInvoke(job, handle, context),
        retryDelayMs: 0,
      });
      if (result.status !== 'succeeded') throw new Error(`${job}: ${result.status}`);
    },
    max,
  );

/** Every progress and summary stored equals the oracle's; the answers are as recorded. */
const expectOracle = async (
  world: World,
  options: { readonly everyone: boolean; readonly label: string },
) => {
  const { t, answers } = world;
  const progress = await storedProgress(t.db);
  const answered = new Set(answers.map((a) => a.student_id));
  // An incremental run computes the students with answers; a full one every student.
  const students = options.everyone ? STUDENTS.map((s) => s.id) : [...answered];
  expect([...progress.keys()].sort(), options.label).toEqual(students.sort());
  for (const id of students) {
    expect(progress.get(id), `${options.label}: ${id}`).toEqual(
      expectedProgress(id, answers, MODULES, TODAY, ZONE),
    );
  }
  const summaries = await storedSummaries(t.db);
  const parents = options.everyone
    ? PARENTS
    : PARENTS.filter((p) => p.student_ids.some((id) => answered.has(id)));
  expect([...summaries.keys()].sort(), options.label).toEqual(parents.map((p) => p.id).sort());
  for (const parent of parents) {
    expect(summaries.get(parent.id), `${options.label}: ${parent.id}`).toEqual(
      expectedSummary(parent, STUDENTS, answers, TODAY, ZONE),
    );
  }
  expect(await t.db.student_marks.get({}, { scan: true }), options.label).toEqual([]);
  expect(await t.db.parent_marks.get({}, { scan: true }), options.label).toEqual([]);
  const stored = await t.db.answers.get({}, { scan: true, project: ['student_id', 'answer_id'] });
  expect(stored.map((a) => `${a.student_id}|${a.answer_id}`).sort(), options.label).toEqual(
    answers.map((a) => `${a.student_id}|${a.answer_id}`).sort(),
  );
};

/** Injected faults, by kind, for the assertions that each kind happened. */
const expectEveryFaultKind = (proxy: FaultyDb) => {
  for (const kind of ['throttle', 'provisioned', 'internal', 'lost', 'lost500', 'slow'] as const) {
    expect(proxy.injected[kind], kind).toBeGreaterThan(0);
  }
  if (onPostgres()) expect(proxy.refusedConnections, 'too many connections').toBeGreaterThan(0);
};

describe('aggregate jobs under injected faults, plain events', () => {
  it('incremental runs of both jobs, rounds of new answers, then full runs: the oracle figures', async () => {
    const world = await createWorld(41, randomFaults());
    for (let round = 0; round < 2; round += 1) {
      await recordSome(world, 50);
      await invokeUntilDone(world, 'aggregate_students', { mode: 'incremental' });
      await invokeUntilDone(world, 'aggregate_parents', { mode: 'incremental' });
      await expectOracle(world, { everyone: false, label: `incremental round ${round}` });
    }
    await invokeUntilDone(world, 'aggregate_students', { mode: 'full' });
    await invokeUntilDone(world, 'aggregate_parents', { mode: 'full' });
    await expectOracle(world, { everyone: true, label: 'full' });
    expectEveryFaultKind(world.proxy);
  }, 180_000);
});

describe('aggregate jobs under injected faults, through the workflow', () => {
  it('shards and continuations under faults: incremental then full runs of both jobs give the oracle figures', async () => {
    const world = await createWorld(42, randomFaults());
    // One page per worker invocation: many continuations, each a new invocation.
    const small = { shards: 3, page_size: 4 };
    for (let round = 0; round < 2; round += 1) {
      await recordSome(world, 50);
      await workflowUntilDone(world, 'aggregate_students', { mode: 'incremental', ...small }, () =>
        budgetContext(1, 'aggregate_students'),
      );
      await workflowUntilDone(world, 'aggregate_parents', { mode: 'incremental', ...small }, () =>
        budgetContext(1, 'aggregate_parents'),
      );
      await expectOracle(world, { everyone: false, label: `workflow round ${round}` });
    }
    await workflowUntilDone(world, 'aggregate_students', { mode: 'full', ...small }, () =>
      budgetContext(1, 'aggregate_students'),
    );
    await workflowUntilDone(world, 'aggregate_parents', { mode: 'full', ...small }, () =>
      budgetContext(1, 'aggregate_parents'),
    );
    await expectOracle(world, { everyone: true, label: 'workflow full' });
    expectEveryFaultKind(world.proxy);
  }, 180_000);
});

describe('aggregate jobs whose retries are exhausted', () => {
  const failingWrites = (table: string): FaultyRule[] => [
    { fault: 'internal', match: both(onTable(table), isWrite) },
  ];

  it.each([
    ['aggregate_students', 'incremental', 'student_state'],
    ['aggregate_students', 'incremental', 'student_progress'],
    ['aggregate_students', 'full', 'student_progress'],
    ['aggregate_parents', 'incremental', 'parent_summaries'],
    ['aggregate_parents', 'full', 'parent_summaries'],
  ] as const)(
    '%s (%s): every write to %s failing fails the run; run again, it converges',
    async (job, mode, table) => {
      const world = await createWorld(43, []);
      await recordSome(world, 40);
      // The parents' run reads what the students' run of the same mode wrote.
      if (job === 'aggregate_parents')
        await invokeUntilDone(world, 'aggregate_students', { mode }, 1);
      world.proxy.reset(failingWrites(table));
      const failing = await handlerOf(world, job, nextRun(world));
      await expect(failing({ mode }, localContext(job))).rejects.toMatchObject({
        code: 'AGGREGATE_FAILED',
      });
      await world.proxy.idle();
      expect(world.proxy.injected.internal).toBeGreaterThan(3);
      world.proxy.reset([]);
      await invokeUntilDone(world, job, { mode }, 1);
      if (job === 'aggregate_students')
        await invokeUntilDone(world, 'aggregate_parents', { mode }, 1);
      await expectOracle(world, { everyone: mode === 'full', label: `${job} ${mode} re-run` });
    },
  );

  it('a workflow whose workers keep failing ends failed (after its own retries); the next execution converges', async () => {
    const world = await createWorld(44, []);
    await recordSome(world, 40);
    world.proxy.reset(failingWrites('student_state'));
    const handle = await handlerOf(world, 'aggregate_students', nextRun(world));
    const failedRuns: unknown[] = [];
    const failed = runWorkflow({
      job: 'aggregate_students',
      input: { mode: 'incremental', shards: 2 },
      invoke: handlerInvoke('aggregate_students', handle, () => localContext('aggregate_students')),
      onFailedRun: (message) => {
        failedRuns.push(message.body);
      },
      retryDelayMs: 0,
    });
    await expect(failed).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(failedRuns).toHaveLength(1);
    await world.proxy.idle();
    world.proxy.reset([]);
    // The failed execution's lease is still held; the next scheduled one comes after it.
    await workflowUntilDone(
      world,
      'aggregate_students',
      { mode: 'incremental', shards: 2 },
      () => localContext('aggregate_students'),
      1,
    );
    await workflowUntilDone(
      world,
      'aggregate_parents',
      { mode: 'incremental', shards: 2 },
      () => localContext('aggregate_parents'),
      1,
    );
    await expectOracle(world, { everyone: false, label: 'after the failed workflow' });
  });
});

describe('the lease under lost responses', () => {
  it.each(['lost', 'lost500'] as const)(
    'a run whose lease write landed but whose response was lost (%s) holds the lease and runs',
    async (fault) => {
      const world = await createWorld(45, []);
      await recordSome(world, 10);
      world.proxy.reset([{ fault, match: both(onTable('jobs'), isOperation('PutItem')), nth: 1 }]);
      const handle = await handlerOf(world, 'aggregate_students', nextRun(world));
      // The SDK's retry of the lease write fails its condition (the first try took the
      // lease): read back, the lease is this run's, not another's.
      expect(
        await handle({ mode: 'incremental' }, localContext('aggregate_students')),
      ).toMatchObject({
        failed: 0,
        marks_cleared: new Set(world.answers.map((a) => a.student_id)).size,
      });
      expect(world.proxy.injected[fault]).toBe(1);
      world.proxy.reset([]);
      await invokeUntilDone(world, 'aggregate_parents', { mode: 'incremental' }, 1);
      await expectOracle(world, { everyone: false, label: `after a ${fault} lease write` });
    },
  );
});
