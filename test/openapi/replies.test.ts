/**
 * Real replies of the four HTTP handlers conform to the OpenAPI document: every status
 * the document lists for an operation is produced here by the handler itself (createHandler
 * over a test runtime and a test Db, as Lambda runs it) and its body validated against the
 * document's schema for it. The progress and summary are the aggregate jobs' own output,
 * run through their workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { createHandler as moduleResults } from '../../src/functions/module_results/handler.ts';
import { createHandler as parentSummary } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as recordAnswers } from '../../src/functions/record_answers/handler.ts';
import { createHandler as studentProgress } from '../../src/functions/student_progress/handler.ts';
import { loadFunction } from '../../src/local/invoke/load-function.ts';
import { handlerInvoke, runWorkflow } from '../../src/local/workflows/run-workflow.ts';
import { openApiDocument } from '../../src/openapi/document.ts';
import type { Db } from '../../src/repositories/db.ts';
import type { HandlerFactory } from '../../src/runtime/runtime.ts';
import {
  claimsFor,
  type HttpApiEvent,
  lambdaContext,
  moduleResultsEvent,
  parentSummaryEvent,
  postAnswersEvent,
  studentProgressEvent,
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

const run = (
  create: HandlerFactory<unknown>,
  name: FunctionName,
  event: HttpApiEvent | Record<string, never>,
) => create(() => testRuntime(t.db, { now: NOW }))(event, lambdaContext(name));

/** A Db whose every table throws, as a table the role may not read would. */
const brokenDb = new Proxy({} as Db, {
  get: () => {
    throw new Error('AccessDeniedException: not authorized to perform dynamodb:GetItem');
  },
});

/** The reply of a handler whose database fails: the generic 500. */
const failing = (create: HandlerFactory<unknown>, name: FunctionName, event: HttpApiEvent) =>
  create(() => testRuntime(brokenDb, { now: NOW }))(event, lambdaContext(name));

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
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly status: number;
  readonly reply: () => Promise<unknown>;
}

const cases = (): Case[] => {
  const post = '/answers';
  const results = '/classes/{class_code}/modules/{module_id}/results';
  const progress = '/students/{id}/progress';
  const summary = '/parents/{id}/summary';
  const big = { answers: [{ word: 'x'.repeat(1024 * 1024) }] };
  return [
    {
      what: 'answers stored',
      method: 'post',
      path: post,
      status: 200,
      reply: () => run(recordAnswers, 'record_answers', postAnswersEvent({ answers }, service)),
    },
    {
      what: "a student's own answers again: duplicates",
      method: 'post',
      path: post,
      status: 200,
      reply: () =>
        run(
          recordAnswers,
          'record_answers',
          postAnswersEvent({ answers: answers.slice(0, 2) }, claimsFor('student', 's-1')),
        ),
    },
    {
      what: 'not JSON',
      method: 'post',
      path: post,
      status: 400,
      reply: () => run(recordAnswers, 'record_answers', postAnswersEvent('{"answers": [', service)),
    },
    {
      what: 'invalid answers, with details',
      method: 'post',
      path: post,
      status: 400,
      reply: () =>
        run(
          recordAnswers,
          'record_answers',
          postAnswersEvent({ answers: [{ correct: 'yes' }], extra: 1 }, service),
        ),
    },
    {
      what: 'too many answers',
      method: 'post',
      path: post,
      status: 400,
      reply: () =>
        run(
          recordAnswers,
          'record_answers',
          postAnswersEvent({ answers: Array.from({ length: 501 }, () => answers[0]) }, service),
        ),
    },
    {
      what: 'not an HTTP API event',
      method: 'post',
      path: post,
      status: 400,
      reply: () => run(recordAnswers, 'record_answers', {}),
    },
    {
      what: 'no claims',
      method: 'post',
      path: post,
      status: 401,
      reply: () => run(recordAnswers, 'record_answers', postAnswersEvent({ answers }, null)),
    },
    {
      what: 'a teacher posting',
      method: 'post',
      path: post,
      status: 403,
      reply: () => run(recordAnswers, 'record_answers', postAnswersEvent({ answers }, teacher)),
    },
    {
      what: 'a conflict, with details',
      method: 'post',
      path: post,
      status: 409,
      reply: () =>
        run(
          recordAnswers,
          'record_answers',
          postAnswersEvent({ answers: [{ ...answers[0], correct: false }] }, service),
        ),
    },
    {
      what: 'a body over 1 MiB',
      method: 'post',
      path: post,
      status: 413,
      reply: () => run(recordAnswers, 'record_answers', postAnswersEvent(big, service)),
    },
    {
      what: 'a database that fails',
      method: 'post',
      path: post,
      status: 500,
      reply: () => failing(recordAnswers, 'record_answers', postAnswersEvent({ answers }, admin)),
    },
    {
      what: 'the results, within dates',
      method: 'get',
      path: results,
      status: 200,
      reply: () =>
        run(
          moduleResults,
          'module_results',
          moduleResultsEvent('c-1', 'm-1', teacher, { from: '2026-03-01', to: '2026-03-04' }),
        ),
    },
    {
      what: 'a bad date',
      method: 'get',
      path: results,
      status: 400,
      reply: () =>
        run(
          moduleResults,
          'module_results',
          moduleResultsEvent('c-1', 'm-1', teacher, { from: '2026-02-30' }),
        ),
    },
    {
      what: 'no claims',
      method: 'get',
      path: results,
      status: 401,
      reply: () => run(moduleResults, 'module_results', moduleResultsEvent('c-1', 'm-1', null)),
    },
    {
      what: "another teacher's class",
      method: 'get',
      path: results,
      status: 403,
      reply: () =>
        run(
          moduleResults,
          'module_results',
          moduleResultsEvent('c-1', 'm-1', claimsFor('teacher', 't-2')),
        ),
    },
    {
      what: 'no such class',
      method: 'get',
      path: results,
      status: 404,
      reply: () => run(moduleResults, 'module_results', moduleResultsEvent('c-404', 'm-1', admin)),
    },
    {
      what: 'no such module',
      method: 'get',
      path: results,
      status: 404,
      reply: () =>
        run(moduleResults, 'module_results', moduleResultsEvent('c-1', 'm-404', teacher)),
    },
    {
      what: 'a database that fails',
      method: 'get',
      path: results,
      status: 500,
      reply: () =>
        failing(moduleResults, 'module_results', moduleResultsEvent('c-1', 'm-1', admin)),
    },
    {
      what: "a student's own progress",
      method: 'get',
      path: progress,
      status: 200,
      reply: () =>
        run(
          studentProgress,
          'student_progress',
          studentProgressEvent('s-1', claimsFor('student', 's-1')),
        ),
    },
    {
      what: 'not an HTTP API event',
      method: 'get',
      path: progress,
      status: 400,
      reply: () => run(studentProgress, 'student_progress', {}),
    },
    {
      what: 'no claims',
      method: 'get',
      path: progress,
      status: 401,
      reply: () => run(studentProgress, 'student_progress', studentProgressEvent('s-1', null)),
    },
    {
      what: "another student's progress",
      method: 'get',
      path: progress,
      status: 403,
      reply: () =>
        run(
          studentProgress,
          'student_progress',
          studentProgressEvent('s-1', claimsFor('student', 's-2')),
        ),
    },
    {
      what: 'no progress',
      method: 'get',
      path: progress,
      status: 404,
      reply: () => run(studentProgress, 'student_progress', studentProgressEvent('s-404', admin)),
    },
    {
      what: 'a database that fails',
      method: 'get',
      path: progress,
      status: 500,
      reply: () => failing(studentProgress, 'student_progress', studentProgressEvent('s-1', admin)),
    },
    {
      what: "a parent's own summary",
      method: 'get',
      path: summary,
      status: 200,
      reply: () =>
        run(parentSummary, 'parent_summary', parentSummaryEvent('p-1', claimsFor('parent', 'p-1'))),
    },
    {
      what: 'not an HTTP API event',
      method: 'get',
      path: summary,
      status: 400,
      reply: () => run(parentSummary, 'parent_summary', {}),
    },
    {
      what: 'no claims',
      method: 'get',
      path: summary,
      status: 401,
      reply: () => run(parentSummary, 'parent_summary', parentSummaryEvent('p-1', null)),
    },
    {
      what: "another parent's summary",
      method: 'get',
      path: summary,
      status: 403,
      reply: () =>
        run(parentSummary, 'parent_summary', parentSummaryEvent('p-1', claimsFor('parent', 'p-2'))),
    },
    {
      what: 'no summary',
      method: 'get',
      path: summary,
      status: 404,
      reply: () => run(parentSummary, 'parent_summary', parentSummaryEvent('p-404', admin)),
    },
    {
      what: 'a database that fails',
      method: 'get',
      path: summary,
      status: 500,
      reply: () => failing(parentSummary, 'parent_summary', parentSummaryEvent('p-1', admin)),
    },
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
    const outcomes: { what: string; key: string; status: unknown; problems: string[] }[] = [];
    const verify = async (entry: Case) => {
      const reply = (await entry.reply()) as { statusCode: number; body: string };
      const body: unknown = JSON.parse(reply.body);
      outcomes.push({
        what: entry.what,
        key: `${entry.method} ${entry.path} ${entry.status}`,
        status: reply.statusCode,
        problems: check(entry.method, entry.path, reply.statusCode, body),
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
