/**
 * Real replies of the four HTTP handlers conform to the OpenAPI document: every status
 * the document lists for an operation is produced here by the handler itself (createHandler
 * over a test runtime and a test Db, as Lambda runs it) and its body validated against the
 * document's schema for it. The progress and summary are the aggregate jobs' own output,
 * run through their workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { createHandler as classReview } from '../../src/functions/class_review/handler.ts';
import { createHandler as moduleResults } from '../../src/functions/module_results/handler.ts';
import { createHandler as parentSummary } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as recordAnswers } from '../../src/functions/record_answers/handler.ts';
import { createHandler as studentProgress } from '../../src/functions/student_progress/handler.ts';
import { createHandler as studentReview } from '../../src/functions/student_review/handler.ts';
import { loadFunction } from '../../src/local/invoke/load-function.ts';
import { handlerInvoke, runWorkflow } from '../../src/local/workflows/run-workflow.ts';
import { openApiDocument } from '../../src/openapi/document.ts';
import type { Db } from '../../src/repositories/db.ts';
import type { HandlerFactory } from '../../src/runtime/runtime.ts';
import {
  type Claims,
  claimsFor,
  classReviewEvent,
  type HttpApiEvent,
  lambdaContext,
  moduleResultsEvent,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
  studentReviewEvent,
} from '../support/events.ts';
import { klass, module, student } from '../support/fixtures.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';
import { replyChecker } from './support.ts';

const NOW = new Date('2026-03-05T00:00:00.000Z');
let t: TestDb;

const admin = claimsFor('admin', 'a-1');
const service = claimsFor('service', 'lms-app');
const teacher = claimsFor('teacher', 't-1');

const answer = (id: string, studentId: string, word: string, correct: boolean, minute: number) => ({
  answer_id: id,
  student_id: studentId,
  module_id: 'm-1',
  word,
  correct,
  answered_at: `2026-03-04T08:${String(minute).padStart(2, '0')}:00+08:00`,
  ...(minute % 2 === 0 ? { duration_ms: 1000 + minute } : {}),
});

const answers = [
  answer('a-1', 's-1', 'apple', true, 1),
  answer('a-2', 's-1', 'apple', true, 2),
  answer('a-3', 's-1', 'apple', true, 3),
  answer('a-4', 's-1', 'banana', false, 4),
  answer('a-5', 's-2', 'banana', true, 5),
  answer('a-6', 's-2', 'fig', true, 6),
];

/** A Db whose every table throws, as a table the role may not read would. */
const brokenDb = new Proxy({} as Db, {
  get: () => {
    throw new Error('AccessDeniedException: not authorized to perform dynamodb:GetItem');
  },
});

const aggregate = async (job: FunctionName) => {
  const handle = await loadFunction(job, testRuntime(t.db, { now: NOW }));
  const result = await runWorkflow({
    job,
    input: { mode: 'full' },
    invoke: handlerInvoke(job, handle),
    retryDelayMs: 0,
  });
  expect(result.status).toBe('succeeded');
};

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.putMany([klass('c-1', { teacher_id: 't-1' })]);
  await t.db.modules.putMany([module('m-1', { words: ['apple', 'banana', 'cherry'] })]);
  await t.db.students.putMany([
    student('s-1', { name: 'Ann', class_code: 'c-1', parent_ids: ['p-1'] }),
    student('s-2', { name: 'Bob', class_code: 'c-1' }),
  ]);
  await t.db.parents.putMany([
    { id: 'p-1', name: 'Parent One', student_ids: ['s-1', 's-404'] },
    { id: 'p-2', name: 'Parent Two', student_ids: [] },
  ]);
});
afterAll(() => t.destroy());

interface Case {
  readonly what: string;
  /** `post /answers 200`: the operation and the status expected. */
  readonly key: string;
  readonly reply: () => Promise<unknown>;
}

type Event = HttpApiEvent | Record<string, never>;

/** The cases of one route: `(status, what, event, db?)`, run by the route's own handler. */
const route =
  (method: 'get' | 'post', path: string, name: FunctionName, create: HandlerFactory<unknown>) =>
  (status: number, what: string, event: Event, db?: Db): Case => ({
    what,
    key: `${method} ${path} ${status}`,
    reply: () => create(() => testRuntime(db ?? t.db, { now: NOW }))(event, lambdaContext(name)),
  });

/** What the frame answers on every route: not an event, no claims, a failing database. */
const frameCases = (
  at: ReturnType<typeof route>,
  eventWith: (claims: Claims | null) => HttpApiEvent,
): Case[] => [
  at(400, 'not an HTTP API event', {}),
  at(401, 'no claims', eventWith(null)),
  at(500, 'a database that fails', eventWith(admin), brokenDb),
];

/** A student's second batch in a minute, past the default cap (600): 429 `RATE_LIMITED`. */
const overTheCap = (post: ReturnType<typeof route>): Case => {
  const flood = (count: number, from: number) =>
    Array.from({ length: count }, (_, i) => ({
      ...answer(`f-${from + i}`, 's-flood', 'apple', true, 1),
    }));
  const fill = post(200, 'a full batch', postAnswersEvent({ answers: flood(500, 0) }, service));
  const over = post(
    429,
    'a student over its answers per minute',
    postAnswersEvent({ answers: flood(101, 500) }, service),
  );
  return {
    ...over,
    reply: async () => {
      await fill.reply();
      return over.reply();
    },
  };
};

const cases = (): Case[] => {
  const post = route('post', '/answers', 'record_answers', recordAnswers);
  const results = route(
    'get',
    '/classes/{class_code}/modules/{module_id}/results',
    'module_results',
    moduleResults,
  );
  const progress = route('get', '/students/{id}/progress', 'student_progress', studentProgress);
  const summary = route('get', '/parents/{id}/summary', 'parent_summary', parentSummary);
  const review = route('get', '/students/{id}/review', 'student_review', studentReview);
  const classWords = route('get', '/classes/{class_code}/review', 'class_review', classReview);
  const big = { answers: [{ word: 'x'.repeat(1024 * 1024) }] };
  return [
    post(200, 'answers stored', postAnswersEvent({ answers }, service)),
    post(
      200,
      "a student's own answers again: duplicates",
      postAnswersEvent({ answers: answers.slice(0, 2) }, claimsFor('student', 's-1')),
    ),
    post(400, 'not JSON', postAnswersEvent('{"answers": [', service)),
    post(
      400,
      'invalid answers, with details',
      postAnswersEvent({ answers: [{ correct: 'yes' }], extra: 1 }, service),
    ),
    post(
      400,
      'too many answers',
      postAnswersEvent({ answers: Array.from({ length: 501 }, () => answers[0]) }, service),
    ),
    post(403, 'a teacher posting', postAnswersEvent({ answers }, teacher)),
    post(
      409,
      'a conflict, with details',
      postAnswersEvent({ answers: [{ ...answers[0], correct: false }] }, service),
    ),
    post(413, 'a body over 1 MiB', postAnswersEvent(big, service)),
    overTheCap(post),
    ...frameCases(post, (claims) => postAnswersEvent({ answers }, claims)),

    results(
      200,
      'the results, within dates',
      moduleResultsEvent('c-1', 'm-1', teacher, { from: '2026-03-01', to: '2026-03-04' }),
    ),
    results(400, 'a bad date', moduleResultsEvent('c-1', 'm-1', teacher, { from: '2026-02-30' })),
    results(
      403,
      "another teacher's class",
      moduleResultsEvent('c-1', 'm-1', claimsFor('teacher', 't-2')),
    ),
    results(404, 'no such class', moduleResultsEvent('c-404', 'm-1', admin)),
    results(404, 'no such module', moduleResultsEvent('c-1', 'm-404', teacher)),
    ...frameCases(results, (claims) => moduleResultsEvent('c-1', 'm-1', claims)),

    progress(
      200,
      "a student's own progress",
      studentProgressEvent('s-1', claimsFor('student', 's-1')),
    ),
    progress(
      403,
      "another student's progress",
      studentProgressEvent('s-1', claimsFor('student', 's-2')),
    ),
    progress(404, 'no progress', studentProgressEvent('s-404', admin)),
    ...frameCases(progress, (claims) => studentProgressEvent('s-1', claims)),

    summary(200, "a parent's own summary", parentSummaryEvent('p-1', claimsFor('parent', 'p-1'))),
    summary(403, "another parent's summary", parentSummaryEvent('p-1', claimsFor('parent', 'p-2'))),
    summary(404, 'no summary', parentSummaryEvent('p-404', admin)),
    ...frameCases(summary, (claims) => parentSummaryEvent('p-1', claims)),

    review(200, "a student's own review", studentReviewEvent('s-1', claimsFor('student', 's-1'))),
    review(403, "another student's review", studentReviewEvent('s-1', claimsFor('student', 's-2'))),
    review(404, 'no cards folded', studentReviewEvent('s-404', admin)),
    ...frameCases(review, (claims) => studentReviewEvent('s-1', claims)),

    classWords(200, "the class's words", classReviewEvent('c-1', teacher)),
    classWords(
      403,
      "another teacher's class",
      classReviewEvent('c-1', claimsFor('teacher', 't-2')),
    ),
    classWords(404, 'no such class', classReviewEvent('c-404', admin)),
    ...frameCases(classWords, (claims) => classReviewEvent('c-1', claims)),
  ];
};

const documentedReplies = (): string[] => {
  const { paths } = openApiDocument() as {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  };
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, { responses }]) =>
      Object.keys(responses).map((status) => `${method} ${path} ${status}`),
    ),
  );
};

describe("the handlers' replies conform to the OpenAPI document", () => {
  it('every documented status of every operation, produced by the handler and valid', async () => {
    const check = replyChecker(openApiDocument());
    const list = cases();
    // The answers first, then the aggregates over them, then the reads.
    const [first, ...rest] = list;
    const outcomes: { what: string; key: string; status: number; problems: string[] }[] = [];
    const verify = async (entry: Case) => {
      const reply = (await entry.reply()) as { statusCode: number; body: string };
      const [method = '', path = ''] = entry.key.split(' ');
      outcomes.push({
        what: entry.what,
        key: entry.key,
        status: reply.statusCode,
        problems: check(method, path, reply.statusCode, JSON.parse(reply.body)),
      });
    };
    if (first !== undefined) await verify(first);
    await aggregate('aggregate_students');
    await aggregate('aggregate_parents');
    for (const entry of rest) await verify(entry);

    expect(
      outcomes.filter((o) => o.problems.length > 0 || o.status !== Number(o.key.split(' ')[2])),
    ).toEqual([]);
    expect([...new Set(outcomes.map((o) => o.key))].sort()).toEqual(documentedReplies().sort());
  });
});

describe('the reply checker', () => {
  it('refuses a reply that breaks the document: a missing field, an extra one, a bad code', () => {
    const check = replyChecker(openApiDocument());
    expect(check('post', '/answers', 200, { accepted: 1, duplicates: 0 })).toEqual([]);
    expect(check('post', '/answers', 200, { accepted: 1 })).not.toEqual([]);
    expect(check('post', '/answers', 200, { accepted: 1, duplicates: 0, x: 1 })).not.toEqual([]);
    expect(
      check('get', '/parents/{id}/summary', 404, {
        error: { code: 'PROGRESS_NOT_FOUND', message: 'no' },
      }),
    ).not.toEqual([]);
    expect(check('get', '/parents/{id}/summary', 401, { message: 'Unauthorized' })).toEqual([]);
  });
});
