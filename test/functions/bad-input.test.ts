/**
 * Bad input of every kind, through the real handlers on the real engine: each gets a 4xx
 * with a clear code and message, never a 500 or a stack trace. One table per route; a
 * row is what a careless, buggy or hostile client might send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createModuleResultsHandler } from '../../src/functions/module_results/handler.ts';
import { createHandler as createParentSummaryHandler } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as createRecordAnswersHandler } from '../../src/functions/record_answers/handler.ts';
import { createHandler as createStudentProgressHandler } from '../../src/functions/student_progress/handler.ts';
import type { HttpReply } from '../../src/http/reply.ts';
import {
  bodyOf,
  claimsFor,
  type HttpApiEvent,
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

const NOW = new Date('2026-03-05T00:00:00.000Z');
const service = claimsFor('service', 'lms-app');
const admin = claimsFor('admin', 'root');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.put(klass('c-1'));
  await t.db.modules.put(module('m-1'));
  await t.db.students.put(student('s-1', { class_code: 'c-1' }));
});
afterAll(() => t.destroy());

const good = {
  answer_id: 'a-1',
  student_id: 's-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T08:15:00+08:00',
};
const one = (change: Record<string, unknown>) => ({ answers: [{ ...good, ...change }] });

/** A raw body, sent as the text given (JSON escapes such as `\ud800` stay escapes). */
const raw = (text: string, headers: Record<string, string> = {}) =>
  httpApiEvent({ method: 'POST', route: '/answers', claims: service, body: text, headers });

const nested = (depth: number) => `{"answers":${'['.repeat(depth)}${']'.repeat(depth)}}`;

/**
 * Just under 1 MiB of JSON with 150,000 unknown keys: 500 answers of 300 short keys each
 * (62 of one character, 238 of two).
 */
const manyKeys = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const names = [...alphabet, ...[...alphabet].flatMap((a) => [...alphabet].map((b) => a + b))];
  const item = `{${names
    .slice(0, 300)
    .map((name) => `"${name}":0`)
    .join(',')}}`;
  return `{"answers":[${Array.from({ length: 500 }, () => item).join(',')}]}`;
};

type Row = readonly [name: string, event: () => HttpApiEvent, status: number, code: string];

const answersRows: Row[] = [
  [
    'answered_at "yesterday"',
    () => postAnswersEvent(one({ answered_at: 'yesterday' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at ""',
    () => postAnswersEvent(one({ answered_at: '' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at month 13, day 45',
    () => postAnswersEvent(one({ answered_at: '2026-13-45T10:00:00Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at minute 60',
    () => postAnswersEvent(one({ answered_at: '2026-03-01T10:60:00Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at second 60',
    () => postAnswersEvent(one({ answered_at: '2026-03-01T10:00:60Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at offset +24:00',
    () => postAnswersEvent(one({ answered_at: '2026-03-01T10:00:00+24:00' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at February 30',
    () => postAnswersEvent(one({ answered_at: '2026-02-30T10:00:00Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at in year 9999',
    () => postAnswersEvent(one({ answered_at: '9999-12-31T23:00:00-05:00' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at in 2030',
    () => postAnswersEvent(one({ answered_at: '2030-01-01T00:00:00Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at before 2000',
    () => postAnswersEvent(one({ answered_at: '1970-01-01T00:00:00Z' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at a number',
    () => postAnswersEvent(one({ answered_at: 1772323200000 }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answered_at without a zone',
    () => postAnswersEvent(one({ answered_at: '2026-03-01T10:00:00' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'two ids with lone surrogates',
    () =>
      raw(
        `{"answers":[${JSON.stringify({ ...good, answer_id: 'X' })},${JSON.stringify({ ...good, answer_id: 'Y' })}]}`
          .replace('"X"', '"a\\ud800"')
          .replace('"Y"', '"a\\udbff"'),
      ),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'a word with a lone surrogate',
    () => raw(JSON.stringify(one({ word: 'W' })).replace('"W"', '"app\\udc00le"')),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'a lone surrogate in the text itself',
    () => raw(JSON.stringify(one({ student_id: 'S' })).replace('"S"', '"s-1\ud800"')),
    400,
    'INVALID_JSON',
  ],
  [
    'duration_ms 1e308',
    () => postAnswersEvent(one({ duration_ms: 1e308 }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'duration_ms Infinity (1e999)',
    () => raw(JSON.stringify(one({ duration_ms: 'D' })).replace('"D"', '1e999')),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'duration_ms negative',
    () => postAnswersEvent(one({ duration_ms: -5 }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'duration_ms a float',
    () => postAnswersEvent(one({ duration_ms: 12.5 }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'duration_ms "NaN"',
    () => postAnswersEvent(one({ duration_ms: 'NaN' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'duration_ms null',
    () => postAnswersEvent(one({ duration_ms: null }), service),
    400,
    'VALIDATION_FAILED',
  ],
  ['correct as 1', () => postAnswersEvent(one({ correct: 1 }), service), 400, 'VALIDATION_FAILED'],
  [
    'correct as "true"',
    () => postAnswersEvent(one({ correct: 'true' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an empty id',
    () => postAnswersEvent(one({ answer_id: '' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'a whitespace id',
    () => postAnswersEvent(one({ student_id: '   ' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an id with a NUL',
    () => postAnswersEvent(one({ module_id: 'm-1\u0000' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an id with "#"',
    () => postAnswersEvent(one({ module_id: 'm#1' }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an id of 101 characters',
    () => postAnswersEvent(one({ answer_id: 'a'.repeat(101) }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an object as an id',
    () => postAnswersEvent(one({ student_id: { id: 's-1' } }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an array as an answer',
    () => postAnswersEvent({ answers: [[good]] }, service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'null as an answer',
    () => postAnswersEvent({ answers: [null] }, service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'an unknown field',
    () => postAnswersEvent(one({ score: 3 }), service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'a __proto__ field beside answers',
    () => raw('{"answers":[],"__proto__":{"isAdmin":true}}'),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answers an object',
    () => postAnswersEvent({ answers: { 0: good } }, service),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'answers a string',
    () => postAnswersEvent({ answers: 'a-1' }, service),
    400,
    'VALIDATION_FAILED',
  ],
  ['answers null', () => postAnswersEvent({ answers: null }, service), 400, 'VALIDATION_FAILED'],
  ['a body that is an array', () => postAnswersEvent([good], service), 400, 'VALIDATION_FAILED'],
  ['a body that is null', () => raw('null'), 400, 'VALIDATION_FAILED'],
  ['a body that is a number', () => raw('42'), 400, 'VALIDATION_FAILED'],
  ['JSON nested 10,000 levels deep', () => raw(nested(10_000)), 400, 'VALIDATION_FAILED'],
  [
    '501 answers',
    () =>
      postAnswersEvent(
        { answers: Array.from({ length: 501 }, (_, i) => ({ ...good, answer_id: `a-${i}` })) },
        service,
      ),
    400,
    'TOO_MANY_ANSWERS',
  ],
  ['an empty body', () => raw(''), 400, 'INVALID_JSON'],
  [
    'no body at all',
    () => httpApiEvent({ method: 'POST', route: '/answers', claims: service }),
    400,
    'INVALID_JSON',
  ],
  ['a body that is not JSON', () => raw('answers=1'), 400, 'INVALID_JSON'],
  ['JSON cut short', () => raw('{"answers":[{"answer_id":'), 400, 'INVALID_JSON'],
  [
    'JSON with a byte order mark',
    () => raw(`\ufeff${JSON.stringify(one({}))}`),
    400,
    'INVALID_JSON',
  ],
  [
    'invalid base64',
    () =>
      httpApiEvent({
        method: 'POST',
        route: '/answers',
        claims: service,
        body: '!!!!',
        isBase64Encoded: true,
      }),
    400,
    'INVALID_JSON',
  ],
  [
    'base64 of invalid UTF-8',
    () =>
      httpApiEvent({
        method: 'POST',
        route: '/answers',
        claims: service,
        body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]).toString('base64'),
        isBase64Encoded: true,
      }),
    400,
    'INVALID_JSON',
  ],
  [
    'content-type text/plain',
    () => raw(JSON.stringify(one({})), { 'content-type': 'text/plain' }),
    400,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'a form post',
    () => raw(JSON.stringify(one({})), { 'content-type': 'application/x-www-form-urlencoded' }),
    400,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'a body over 1 MiB',
    () => raw(`${JSON.stringify(one({}))}${' '.repeat(1_048_576)}`),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  ['1 MiB of 150,000 unknown keys', () => raw(manyKeys()), 400, 'VALIDATION_FAILED'],
  [
    'a student posting for another',
    () => postAnswersEvent(one({ student_id: 's-2' }), claimsFor('student', 's-1')),
    403,
    'FORBIDDEN',
  ],
  [
    'a teacher posting',
    () => postAnswersEvent(one({}), claimsFor('teacher', 't-1')),
    403,
    'FORBIDDEN',
  ],
  ['no claims', () => postAnswersEvent(one({}), null), 401, 'UNAUTHENTICATED'],
];

const results = (classCode: string, moduleId: string, query?: Record<string, string>) => () =>
  moduleResultsEvent(classCode, moduleId, admin, query);

const resultsRows: Row[] = [
  ['to=9999-12-31', results('c-1', 'm-1', { to: '9999-12-31' }), 400, 'INVALID_PARAMETER'],
  ['from=0001-01-01', results('c-1', 'm-1', { from: '0001-01-01' }), 400, 'INVALID_PARAMETER'],
  ['from=2026-02-30', results('c-1', 'm-1', { from: '2026-02-30' }), 400, 'INVALID_PARAMETER'],
  [
    'from after to',
    results('c-1', 'm-1', { from: '2026-03-02', to: '2026-03-01' }),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'a repeated from (joined by the gateway)',
    results('c-1', 'm-1', { from: '2026-03-01,2026-03-02' }),
    400,
    'INVALID_PARAMETER',
  ],
  ['from empty', results('c-1', 'm-1', { from: '' }), 400, 'INVALID_PARAMETER'],
  ['from not zero-padded', results('c-1', 'm-1', { from: '2026-3-1' }), 400, 'INVALID_PARAMETER'],
  [
    'from a date-time',
    results('c-1', 'm-1', { from: '2026-03-01T00:00:00Z' }),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'a query value with a lone surrogate',
    results('c-1', 'm-1', { from: '2026-03-01\udc00' }),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'an unknown query parameter with a lone surrogate',
    results('c-1', 'm-1', { '\ud800': '1' }),
    400,
    'INVALID_PARAMETER',
  ],
  ['a class code of 2049 bytes', results('c'.repeat(2049), 'm-1'), 400, 'INVALID_PARAMETER'],
  ['a module id of 1024 bytes', results('c-1', 'm'.repeat(1024)), 400, 'INVALID_PARAMETER'],
  [
    'a module id of 600 CJK characters (1800 bytes)',
    results('c-1', '模'.repeat(600)),
    400,
    'INVALID_PARAMETER',
  ],
  ['a class code with a lone surrogate', results('c-1\ud800', 'm-1'), 400, 'INVALID_PARAMETER'],
  ['a module id with "#"', results('c-1', 'm-1#a'), 400, 'INVALID_PARAMETER'],
  ['a class code with a NUL (%00 decoded)', results('c-1\u0000', 'm-1'), 400, 'INVALID_PARAMETER'],
  ['a class code with a stray % encoding', results('c-1%ZZ', 'm-1'), 404, 'CLASS_NOT_FOUND'],
  ['a class code of spaces', results('   ', 'm-1'), 404, 'CLASS_NOT_FOUND'],
  ['an empty class code', results('', 'm-1'), 400, 'INVALID_EVENT'],
  ['an unknown module', results('c-1', 'm-404'), 404, 'MODULE_NOT_FOUND'],
];

const progressRows: Row[] = [
  [
    'progress of an id of 2049 bytes',
    () => studentProgressEvent('s'.repeat(2049), admin),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'progress of an id with a lone surrogate',
    () => studentProgressEvent('s-1\udfff', admin),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'progress of an id with a newline',
    () => studentProgressEvent('s-1\n', admin),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'progress not yet aggregated',
    () => studentProgressEvent('s-1', admin),
    404,
    'PROGRESS_NOT_FOUND',
  ],
  [
    'progress asked by a parent whose id claim is 3000 bytes',
    () => studentProgressEvent('s-1', claimsFor('parent', 'p'.repeat(3000))),
    401,
    'UNAUTHENTICATED',
  ],
];

const summaryRows: Row[] = [
  [
    'summary of an id of 4000 bytes',
    () => parentSummaryEvent('é'.repeat(2000), admin),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'summary of an id with a lone surrogate',
    () => parentSummaryEvent('\ud800', admin),
    400,
    'INVALID_PARAMETER',
  ],
  [
    'summary of a parent that has none',
    () => parentSummaryEvent('p-404', admin),
    404,
    'SUMMARY_NOT_FOUND',
  ],
];

const expectClearRefusal = (reply: HttpReply, status: number, code: string) => {
  const body = bodyOf(reply) as { error?: { code?: unknown; message?: unknown } };
  expect({ status: reply.statusCode, code: body.error?.code }).toEqual({ status, code });
  expect(body.error?.message).toEqual(expect.any(String));
  expect(reply.body).not.toMatch(/\n\s+at |Exception|t-bad-input/);
  // bounded whatever the input: far under Lambda's 6 MB reply limit
  expect(Buffer.byteLength(reply.body ?? '')).toBeLessThan(64 * 1024);
};

describe('bad input gets a clear 4xx', () => {
  const runtime = () => testRuntime(t.db, { now: NOW });
  const cases = [
    ['POST /answers', createRecordAnswersHandler, answersRows],
    ['module results', createModuleResultsHandler, resultsRows],
    ['student progress', createStudentProgressHandler, progressRows],
    ['parent summary', createParentSummaryHandler, summaryRows],
  ] as const;
  for (const [route, create, rows] of cases) {
    it.each(rows)(`${route}: %s`, async (_name, event, status, code) => {
      const reply = await create(runtime)(event(), lambdaContext('bad-input'));
      expectClearRefusal(reply, status, code);
    });
  }

  it('stores nothing of any refused batch', async () => {
    expect(await t.db.answers.get({ student_id: 's-1' })).toEqual([]);
  });

  it('caps the details of a huge refusal and says how many were left out', async () => {
    const reply = await createRecordAnswersHandler(runtime)(raw(manyKeys()), lambdaContext('x'));
    const body = bodyOf(reply) as { error: { details: unknown[]; details_omitted: number } };
    expect(Buffer.byteLength(manyKeys())).toBeLessThan(1_048_576);
    expect(body.error.details).toHaveLength(20);
    // 150,000 unknown fields and, in each of the 500 answers, 6 missing ones
    expect(body.error.details_omitted).toBe(150_000 + 500 * 6 - 20);
  });

  it('answers something that is not an HTTP API event with INVALID_EVENT', async () => {
    for (const event of [null, {}, 'GET /answers', { version: '1.0' }]) {
      const reply = await createStudentProgressHandler(runtime)(event, lambdaContext('x'));
      expectClearRefusal(reply, 400, 'INVALID_EVENT');
    }
  });
});
