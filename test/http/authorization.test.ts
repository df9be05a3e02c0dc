/**
 * DESIGN section 5 on the real engine: every role against every route, allowed and
 * denied, through the exported handler factories and API Gateway events; and the issue's
 * "done": answers posted through record_answers show up, counted once, in module_results
 * for every role allowed to see them and for no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createModuleResultsHandler } from '../../src/functions/module_results/handler.ts';
import { createHandler as createParentSummaryHandler } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as createRecordAnswersHandler } from '../../src/functions/record_answers/handler.ts';
import { createHandler as createStudentProgressHandler } from '../../src/functions/student_progress/handler.ts';
import type { HttpReply } from '../../src/http/reply.ts';
import {
  bodyOf,
  type Claims,
  claimsFor,
  httpApiEvent,
  lambdaContext,
  moduleResultsEvent,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
} from '../support/events.ts';
import { klass, module, student } from '../support/fixtures.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
const context = lambdaContext('api');

const handlers = () => {
  const runtime = () => testRuntime(t.db);
  return {
    record: createRecordAnswersHandler(runtime),
    results: createModuleResultsHandler(runtime),
    progress: createStudentProgressHandler(runtime),
    summary: createParentSummaryHandler(runtime),
  };
};

let posted = 0;
const postFor = (studentId: string, claims: Claims | null): Promise<HttpReply> => {
  posted += 1;
  return handlers().record(
    postAnswersEvent(
      {
        answers: [
          {
            answer_id: `matrix-${posted}`,
            student_id: studentId,
            module_id: 'm-post',
            word: 'apple',
            correct: true,
            answered_at: '2026-03-01T09:00:00+08:00',
          },
        ],
      },
      claims,
    ),
    context,
  );
};

type Call = (claims: Claims | null) => Promise<HttpReply>;

const routes: [name: string, call: Call][] = [
  ['POST answers of s-1', (claims) => postFor('s-1', claims)],
  [
    'GET results of c-1',
    (claims) => handlers().results(moduleResultsEvent('c-1', 'm-1', claims), context),
  ],
  [
    'GET progress of s-1',
    (claims) => handlers().progress(studentProgressEvent('s-1', claims), context),
  ],
  [
    'GET summary of p-1',
    (claims) => handlers().summary(parentSummaryEvent('p-1', claims), context),
  ],
];

/** Who calls, and the status each route (in the order of `routes`) must answer. */
const matrix: [string, Claims | null, [number, number, number, number]][] = [
  ['admin', claimsFor('admin', 'a-1'), [200, 200, 200, 200]],
  ["teacher of s-1's class", claimsFor('teacher', 't-1'), [403, 200, 200, 403]],
  ['teacher of another class', claimsFor('teacher', 't-2'), [403, 403, 403, 403]],
  ['parent of s-1', claimsFor('parent', 'p-1'), [403, 403, 200, 200]],
  ['another parent', claimsFor('parent', 'p-2'), [403, 403, 403, 403]],
  ['student s-1', claimsFor('student', 's-1'), [200, 403, 200, 403]],
  ['another student', claimsFor('student', 's-2'), [403, 403, 403, 403]],
  ['service', claimsFor('service', 'lms-app'), [200, 403, 403, 403]],
  ['unknown role', claimsFor('janitor', 'j-1'), [403, 403, 403, 403]],
  ['role spelled differently', claimsFor('Admin', 'a-1'), [403, 403, 403, 403]],
  // Padded roles are no roles (the trigger checks TOTP only for exact staff roles).
  ['role " admin"', claimsFor(' admin', 'a-1'), [403, 403, 403, 403]],
  ['role "admin "', claimsFor('admin ', 'a-1'), [403, 403, 403, 403]],
  ['role "teacher\\t"', claimsFor('teacher\t', 't-1'), [403, 403, 403, 403]],
  ['role "\\nservice"', claimsFor('\nservice', 'lms-app'), [403, 403, 403, 403]],
  ['no authorizer claims', null, [401, 401, 401, 401]],
  ['sub without role', { sub: 'a-1' }, [401, 401, 401, 401]],
  ['role without sub', { 'custom:role': 'admin' }, [401, 401, 401, 401]],
];

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.putMany([
    klass('c-1', { teacher_id: 't-1' }),
    klass('c-2', { teacher_id: 't-2' }),
  ]);
  await t.db.modules.put(module('m-1', { words: ['apple', 'banana', 'cherry'] }));
  await t.db.students.putMany([
    student('s-1', { name: 'Ann', class_code: 'c-1', parent_ids: ['p-1'] }),
    student('s-2', { name: 'Bob', class_code: 'c-2', parent_ids: ['p-2'] }),
  ]);
  await t.db.parents.putMany([
    { id: 'p-1', name: 'Pat', student_ids: ['s-1', 's-ghost'] },
    { id: 'p-2', name: 'Sam', student_ids: ['s-2'] },
  ]);
  for (const id of ['s-1', 's-2', 's-ghost']) {
    await t.db.student_progress.put({
      student_id: id,
      attempts: 0,
      correct: 0,
      accuracy: null,
      words_practised: 0,
      words_mastered: 0,
      last_active_at: null,
      streak_days: 0,
      daily: {},
      modules: {},
      updated_at: '2026-03-05T00:05:00.000Z',
    });
  }
  for (const id of ['p-1', 'p-2']) {
    await t.db.parent_summaries.put({
      parent_id: id,
      children: [],
      updated_at: '2026-03-05T00:05:00.000Z',
    });
  }
});
afterAll(() => t.destroy());

describe('authorization matrix', () => {
  for (const [who, claims, statuses] of matrix) {
    it(`${who}: ${routes.map(([name], i) => `${name} ${statuses[i]}`).join(', ')}`, async () => {
      const got = [];
      for (const [, call] of routes) {
        const reply = await call(claims);
        got.push(reply.statusCode);
        if (reply.statusCode !== 200) {
          const body = bodyOf(reply);
          expect(body).toEqual({
            error: {
              code: reply.statusCode === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
              message: expect.any(String),
            },
          });
        }
      }
      expect(got).toEqual(statuses);
    });
  }
});

describe('403 or 404: only those allowed to see a record learn that it is missing', () => {
  const admin = claimsFor('admin', 'a-1');

  it('a class', async () => {
    const { results } = handlers();
    const teacher = claimsFor('teacher', 't-1');
    const missing = await results(moduleResultsEvent('c-404', 'm-1', teacher), context);
    const others = await results(moduleResultsEvent('c-2', 'm-1', teacher), context);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toBe(others.body);
    expect((await results(moduleResultsEvent('c-404', 'm-1', admin), context)).statusCode).toBe(
      404,
    );
  });

  it("a student's progress", async () => {
    const { progress } = handlers();
    const parent = claimsFor('parent', 'p-1');
    // s-ghost is listed by p-1 and has a progress item, but is not an existing student
    const ghost = await progress(studentProgressEvent('s-ghost', parent), context);
    const missing = await progress(studentProgressEvent('s-404', parent), context);
    const others = await progress(studentProgressEvent('s-2', parent), context);
    expect([ghost.statusCode, missing.statusCode, others.statusCode]).toEqual([403, 403, 403]);
    expect(new Set([ghost.body, missing.body, others.body]).size).toBe(1);
    expect((await progress(studentProgressEvent('s-404', admin), context)).statusCode).toBe(404);
  });

  it("a parent's summary", async () => {
    const { summary } = handlers();
    const parent = claimsFor('parent', 'p-1');
    const missing = await summary(parentSummaryEvent('p-404', parent), context);
    const others = await summary(parentSummaryEvent('p-2', parent), context);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toBe(others.body);
    expect((await summary(parentSummaryEvent('p-404', admin), context)).statusCode).toBe(404);
    expect(
      (await summary(parentSummaryEvent('p-404', claimsFor('parent', 'p-404')), context))
        .statusCode,
    ).toBe(404);
  });
});

describe('done: answers in, results out, for exactly the roles allowed', () => {
  it('counts posted answers once in module_results for admin and teacher, for no one else', async () => {
    const { record, results } = handlers();
    const answer = (id: string, word: string, correct: boolean) => ({
      answer_id: id,
      student_id: 's-1',
      module_id: 'm-1',
      word,
      correct,
      answered_at: '2026-03-02T10:00:00+08:00',
    });
    const batch = {
      answers: [
        answer('r-1', 'apple', true),
        answer('r-2', 'apple', false),
        answer('r-3', 'banana', true),
      ],
    };
    const service = claimsFor('service', 'lms-app');
    expect(bodyOf(await record(postAnswersEvent(batch, service), context))).toEqual({
      accepted: 3,
      duplicates: 0,
    });
    // the client retries, then the student's own app sends one new answer and one repeat
    expect(bodyOf(await record(postAnswersEvent(batch, service), context))).toEqual({
      accepted: 0,
      duplicates: 3,
    });
    const own = { answers: [answer('r-3', 'banana', true), answer('r-4', 'cherry', true)] };
    expect(
      bodyOf(await record(postAnswersEvent(own, claimsFor('student', 's-1')), context)),
    ).toEqual({
      accepted: 1,
      duplicates: 1,
    });

    for (const claims of [claimsFor('admin', 'a-1'), claimsFor('teacher', 't-1')]) {
      const reply = await results(moduleResultsEvent('c-1', 'm-1', claims), context);
      expect(reply.statusCode).toBe(200);
      expect(bodyOf(reply)).toMatchObject({
        overall: {
          attempts: 4,
          correct: 3,
          accuracy: 0.75,
          students_total: 1,
          students_attempted: 1,
        },
        cells: [
          { student_id: 's-1', word: 'apple', attempts: 2, correct: 1 },
          { student_id: 's-1', word: 'banana', attempts: 1, correct: 1 },
          { student_id: 's-1', word: 'cherry', attempts: 1, correct: 1 },
        ],
      });
    }
    for (const claims of [
      claimsFor('teacher', 't-2'),
      claimsFor('parent', 'p-1'),
      claimsFor('student', 's-1'),
      claimsFor('service', 'lms-app'),
      null,
    ]) {
      const reply = await results(moduleResultsEvent('c-1', 'm-1', claims), context);
      expect([401, 403]).toContain(reply.statusCode);
      expect(reply.body).not.toMatch(/apple|attempts|s-1/);
    }
  });

  it('serves a stage other than $default (rawPath carries the stage name)', async () => {
    const reply = await handlers().results(
      httpApiEvent({
        method: 'GET',
        route: '/classes/{class_code}/modules/{module_id}/results',
        pathParameters: { class_code: 'c-1', module_id: 'm-1' },
        claims: claimsFor('teacher', 't-1'),
        stage: 'prod',
      }),
      context,
    );
    expect(reply.statusCode).toBe(200);
  });
});
