/**
 * The least-privilege claim, proven instead of hand-kept: every function's real handler
 * runs over a real engine through the fault proxy (no fault injected, only recorded), and
 * every DynamoDB request it sends, as (action, table, index), must be granted to that
 * function's role in the synthesized template. On PostgreSQL each statement is named
 * after the DynamoDB request it stands for (`test/support/faulty-db.ts`), its index read
 * from its WHERE: the same claim, that the adapter of either engine needs no more than
 * the catalogue grants. The other way round, every grant of the
 * template must have been used by some request, except the few listed in `RARE` with the
 * path that needs them: a grant nobody uses is privilege to drop.
 *
 * The scenarios drive the paths a deployment takes: HTTP calls of every role, the stats
 * jobs with something to write, both aggregate jobs as workflows and as one direct
 * invocation, in both modes, with a module's words edited and answers arriving mid-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoMfaLookup, createCognitoClient } from '../../src/adapters/cognito/mfa-lookup.ts';
import { type FunctionName, functionNames, functions } from '../../src/catalog/functions.ts';
import { createPreTokenHandler } from '../../src/functions/pre_token_generation/handler.ts';
import { sampleEvent } from '../../src/local/events/samples.ts';
import { localContext } from '../../src/local/invoke/lambda-context.ts';
import { loadFunction } from '../../src/local/invoke/load-function.ts';
import { handlerInvoke, runWorkflow } from '../../src/local/workflows/run-workflow.ts';
import type { Db } from '../../src/repositories/db.ts';
import { type TableName, tables } from '../../src/tables/definitions.ts';
import { CognitoStandIn } from '../support/cognito-stand-in.ts';
import {
  claimsFor,
  classReviewEvent,
  moduleResultsEvent,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
  studentReviewEvent,
} from '../support/events.ts';
import {
  type FaultyDb,
  type FaultyRequest,
  faultyTestDb,
  queriedIndexOf,
} from '../support/faulty-db.ts';
import { klass, module, student } from '../support/fixtures.ts';
import { randomOrganisation, storeOrganisation } from '../support/organisation.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';
import { grantsOf, type Synthesized, synth } from './support.ts';

const NOW = new Date('2026-03-05T00:00:00.000Z');
/** The next day: its first aggregate run looks for edited word lists. */
const NEXT_DAY = new Date('2026-03-06T00:00:00.000Z');

/**
 * Grants no scenario here exercises, each with the code path that needs it. Kept short on
 * purpose: anything added here is a claim a reader must check by hand.
 */
const RARE: readonly string[] = [
  // Only when a record_answers invocation died with its batch open, or asked for a rebuild
  // (test/services/answers/in-flight.test.ts covers both).
  'aggregate_students: dynamodb:DeleteItem table:dev-answer_batches',
];

let t: TestDb;
let proxy: FaultyDb;
/** The handlers' Db: every request through the proxy. Set-up writes use `t.db` instead. */
let db: Db;
let deployed: Synthesized;

const answer = (id: string, studentId: string, word: string, minute: number) => ({
  answer_id: id,
  student_id: studentId,
  module_id: 'm-1',
  word,
  correct: minute % 2 === 0,
  answered_at: `2026-03-04T08:${String(minute).padStart(2, '0')}:00+08:00`,
});

beforeAll(async () => {
  deployed = synth({ context: { stage: 'dev' } });
  t = await createTestDb(import.meta.url);
  proxy = await faultyTestDb(t);
  db = proxy.db();
  await storeOrganisation(t.db, randomOrganisation(5));
  await t.db.classes.putMany([klass('c-1', { teacher_id: 't-1', school_code: 'sc-1' })]);
  await t.db.modules.putMany([module('m-1', { words: ['apple', 'banana', 'cherry'] })]);
  await t.db.students.putMany([
    student('s-1', { name: 'Ann', class_code: 'c-1', parent_ids: ['p-1'] }),
    student('s-2', { name: 'Bob', class_code: 'c-1' }),
  ]);
  await t.db.parents.putMany([{ id: 'p-1', name: 'Parent One', student_ids: ['s-1'] }]);
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await t?.destroy();
});

/** The handlers' clock: NOW, until a scenario moves it on. */
let clock = NOW;

const handlerOf = (name: FunctionName, over: Db = db) =>
  loadFunction(name, testRuntime(over, { now: clock }));

const invoke = async (name: FunctionName, event: unknown, over: Db = db): Promise<unknown> =>
  (await handlerOf(name, over))(event, localContext(name, functions[name].timeoutSeconds));

/** Everyone who may read student s-1's progress and review: each role's path to it. */
const studentReaders = () => [
  claimsFor('admin', 'a-1'),
  claimsFor('teacher', 't-1'),
  claimsFor('parent', 'p-1'),
  claimsFor('student', 's-1'),
];

const statusOf = (reply: unknown): unknown =>
  typeof reply === 'object' && reply !== null && 'statusCode' in reply ? reply.statusCode : reply;

const workflow = async (name: FunctionName, mode: 'incremental' | 'full'): Promise<void> => {
  const handle = await handlerOf(name);
  const result = await runWorkflow({
    job: name,
    input: { mode },
    invoke: handlerInvoke(name, handle),
    retryDelayMs: 0,
  });
  expect(result.status, `${name} ${mode}`).toBe('succeeded');
};

/** Answers posted by the service account, outside the recording (set-up). */
const postAnswers = async (answers: readonly ReturnType<typeof answer>[]): Promise<void> => {
  const reply = await invoke(
    'record_answers',
    postAnswersEvent({ answers }, claimsFor('service', 'lms-app')),
    t.db,
  );
  expect(statusOf(reply)).toBe(200);
};

/** A stats job run after a new student joined class c-1, so every level has a count to write. */
const statsRun = async (name: FunctionName): Promise<void> => {
  await t.db.students.put(student(`s-new-${name}`, { class_code: 'c-1' }));
  expect(await invoke(name, {})).toMatchObject({ failed: 0 });
};

/**
 * While this is set, a conditional delete of a mark first finds the mark re-marked (as by
 * an answer arriving mid-run), so the job takes its put-back path (`services/aggregates/marks.ts`).
 */
const remarkDuringDelete = (table: 'student_marks' | 'parent_marks') => {
  let done = false;
  proxy.before = async (request: FaultyRequest) => {
    if (done || request.operation !== 'DeleteItem') return;
    if (request.tables[0] !== `${t.prefix}${table}`) return;
    done = true;
    if (table === 'student_marks') {
      await t.db.student_marks.update(
        { student_id: 's-1' },
        { set: { token: 'fresh', marked_at: NOW.toISOString() } },
      );
    } else {
      await t.db.parent_marks.update(
        { parent_id: 'p-1' },
        { set: { token: 'fresh', marked_at: NOW.toISOString() } },
      );
    }
  };
  return () => {
    proxy.before = undefined;
    return done;
  };
};

/** Each function's scenarios, run in this order (later ones build on earlier data). */
const scenarios: readonly [FunctionName, () => Promise<void>][] = [
  [
    'record_answers',
    async () => {
      const first = [1, 2, 3, 4].map((i) => answer(`a-${i}`, i % 2 ? 's-2' : 's-1', 'apple', i));
      const service = postAnswersEvent({ answers: first }, claimsFor('service', 'lms-app'));
      expect(statusOf(await invoke('record_answers', service))).toBe(200);
      const own = postAnswersEvent({ answers: first.slice(1, 2) }, claimsFor('student', 's-1'));
      expect(statusOf(await invoke('record_answers', own))).toBe(200);
    },
  ],
  [
    'module_results',
    async () => {
      for (const claims of [claimsFor('admin', 'a-1'), claimsFor('teacher', 't-1')]) {
        expect(
          statusOf(await invoke('module_results', moduleResultsEvent('c-1', 'm-1', claims))),
        ).toBe(200);
      }
      const other = moduleResultsEvent('c-1', 'm-1', claimsFor('teacher', 't-9'));
      expect(statusOf(await invoke('module_results', other))).toBe(403);
    },
  ],
  [
    'aggregate_students',
    async () => {
      await workflow('aggregate_students', 'incremental');
      // New answers of a folded student (its parts exist now), and an edited word list.
      await postAnswers([answer('b-1', 's-1', 'banana', 10), answer('b-2', 's-2', 'cherry', 11)]);
      await t.db.modules.put(module('m-1', { words: ['apple', 'banana', 'cherry', 'date'] }));
      const remarked = remarkDuringDelete('student_marks');
      clock = NEXT_DAY;
      await workflow('aggregate_students', 'incremental');
      expect(remarked(), 'the put-back path ran').toBe(true);
      await workflow('aggregate_students', 'full');
      await postAnswers([answer('c-1', 's-1', 'date', 12)]);
      expect(await invoke('aggregate_students', { mode: 'incremental' })).toMatchObject({
        failed: 0,
      });
      expect(await invoke('aggregate_students', { mode: 'full' })).toMatchObject({ failed: 0 });
    },
  ],
  [
    'aggregate_parents',
    async () => {
      await workflow('aggregate_parents', 'incremental');
      await t.db.parent_marks.put({ parent_id: 'p-1', token: 'old', marked_at: NOW.toISOString() });
      const remarked = remarkDuringDelete('parent_marks');
      await workflow('aggregate_parents', 'incremental');
      expect(remarked(), 'the put-back path ran').toBe(true);
      // A summary whose parent is gone: a full run deletes it.
      await t.db.parent_summaries.put({
        parent_id: 'p-gone',
        children: [],
        updated_at: NOW.toISOString(),
      });
      await workflow('aggregate_parents', 'full');
      expect(await t.db.parent_summaries.find({ parent_id: 'p-gone' }), 'left-over removed').toBe(
        undefined,
      );
      expect(await invoke('aggregate_parents', { mode: 'incremental' })).toMatchObject({
        failed: 0,
      });
      expect(await invoke('aggregate_parents', { mode: 'full' })).toMatchObject({ failed: 0 });
    },
  ],
  [
    'student_progress',
    async () => {
      for (const claims of studentReaders()) {
        expect(
          statusOf(await invoke('student_progress', studentProgressEvent('s-1', claims))),
        ).toBe(200);
      }
    },
  ],
  [
    'student_review',
    async () => {
      for (const claims of studentReaders()) {
        expect(statusOf(await invoke('student_review', studentReviewEvent('s-1', claims)))).toBe(
          200,
        );
      }
    },
  ],
  [
    'class_review',
    async () => {
      for (const claims of [claimsFor('admin', 'a-1'), claimsFor('teacher', 't-1')]) {
        expect(statusOf(await invoke('class_review', classReviewEvent('c-1', claims)))).toBe(200);
      }
    },
  ],
  [
    'parent_summary',
    async () => {
      for (const claims of [claimsFor('admin', 'a-1'), claimsFor('parent', 'p-1')]) {
        expect(statusOf(await invoke('parent_summary', parentSummaryEvent('p-1', claims)))).toBe(
          200,
        );
      }
    },
  ],
  ['calc_class_stats', () => statsRun('calc_class_stats')],
  ['calc_teacher_stats', () => statsRun('calc_teacher_stats')],
  ['calc_school_stats', () => statsRun('calc_school_stats')],
  ['calc_group_stats', () => statsRun('calc_group_stats')],
  ['calc_all_stats', () => statsRun('calc_all_stats')],
  [
    'pre_token_generation',
    async () => {
      // Cognito, not DynamoDB: the handler is given the recorded Db all the same.
      const cognito = await new CognitoStandIn([
        { pool: 'ap-east-1_Ab12Cd34E', username: 't-017', mfa: ['SOFTWARE_TOKEN_MFA'] },
      ]).start();
      try {
        const handle = createPreTokenHandler(() =>
          cognitoMfaLookup(createCognitoClient({ endpoint: cognito.endpoint })),
        )(() => testRuntime(db, { now: clock }));
        const event = sampleEvent('pre_token_generation');
        expect(await handle(event)).toEqual(event);
      } finally {
        await cognito.stop();
      }
    },
  ],
];

/** `dynamodb:Query index:dev-students/class_code`: a request as the template names it. */
const asGrant = (request: FaultyRequest, table: string): string => {
  const logical = table.slice(t.prefix.length);
  const body = request.body as Record<string, unknown>;
  const index =
    typeof body.sql === 'string'
      ? request.operation === 'Query'
        ? queriedIndexOf(body.sql, tables[logical as TableName])
        : undefined
      : body.IndexName;
  const resource =
    typeof index === 'string' ? `index:dev-${logical}/${index}` : `table:dev-${logical}`;
  return `dynamodb:${request.operation} ${resource}`;
};

/** What the template grants a function on DynamoDB, in the same form. */
const templateGrants = (name: FunctionName): Set<string> =>
  new Set(
    [...grantsOf(deployed.template, `dev-${name}`)].flatMap(([resource, actions]) =>
      actions.filter((a) => a.startsWith('dynamodb:')).map((a) => `${a} ${resource}`),
    ),
  );

describe('least privilege, recorded from the handlers', () => {
  const used = new Map<FunctionName, Set<string>>();

  it('the scenarios cover every function of the catalogue', () => {
    expect(scenarios.map(([name]) => name).sort()).toEqual([...functionNames].sort());
  });

  it.each(scenarios)(
    '%s: every request it sends is granted to it in the template',
    async (name, scenario) => {
      proxy.reset();
      await scenario();
      await proxy.idle();
      const requests = proxy.requests.flatMap((request) =>
        request.tables.map((table) => asGrant(request, table)),
      );
      if (Object.keys(functions[name].tables).length === 0) expect(requests).toEqual([]);
      else expect(requests.length).toBeGreaterThan(0);
      const granted = templateGrants(name);
      const missing = [...new Set(requests)].filter((request) => !granted.has(request));
      expect(missing, `${name} sends requests its role may not`).toEqual([]);
      used.set(name, new Set(requests));
    },
    120_000,
  );

  it('every DynamoDB grant of the template is used by its function (or listed as rare)', () => {
    expect(used.size, 'the scenarios above ran').toBe(functionNames.length);
    const unused = functionNames.flatMap((name) =>
      [...templateGrants(name)]
        .filter((grant) => !(used.get(name)?.has(grant) ?? false))
        .map((grant) => `${name}: ${grant}`),
    );
    expect(unused.filter((grant) => !RARE.includes(grant))).toEqual([]);
    // A rare grant that the scenarios now use is no longer rare: drop it from the list.
    expect(RARE.filter((grant) => !unused.includes(grant))).toEqual([]);
  });
});
