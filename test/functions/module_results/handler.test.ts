/**
 * `GET /classes/{class_code}/modules/{module_id}/results` end to end on the real engine,
 * on a hand-computed example. Answers go in through `record_answers`.
 *
 * Class c-1 (teacher t-1), module m-1: apple, banana, cherry, date. Students, in reply
 * order (code units: upper case before lower case, 'É' after 'a'):
 *   s-2 Ann, s-3 Ann, s-1 Bob, s-6 Cid, s-4 ann (no answers), s-5 Émile (no answers).
 * Left out: s-9 (class c-2) answering m-1; s-1's answers in m-2 and m-10 (a module whose
 * id starts with "m-1"); s-2's answer to "fig" (not in the module).
 *
 * Times are UTC; in Asia/Shanghai (+08:00) 2026-03-01 is [02-28T16:00Z, 03-01T16:00Z).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createModuleResultsHandler } from '../../../src/functions/module_results/handler.ts';
import { createHandler as createRecordAnswersHandler } from '../../../src/functions/record_answers/handler.ts';
import type { Db } from '../../../src/repositories/db.ts';
import {
  bodyOf,
  claimsFor,
  lambdaContext,
  moduleResultsEvent,
  postAnswersEvent,
} from '../../support/events.ts';
import { isOperation } from '../../support/fault-proxy.ts';
import { type FaultyRequest, useFaultyDbs } from '../../support/faulty-db.ts';
import { klass, module, student } from '../../support/fixtures.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, onPostgres, type TestDb } from '../../support/test-db.ts';

const startFaulty = useFaultyDbs();

/** The SQL and parameters of a statement (PostgreSQL), or DynamoDB's request body as JSON. */
const bodyText = (request: FaultyRequest): string => JSON.stringify(request.body);

/** The clock of these tests: the fixtures' answers are from early March 2026. */
const NOW = new Date('2026-03-05T00:00:00.000Z');

let t: TestDb;

type Row = [student: string, id: string, word: string, correct: boolean, at: string, ms?: number];

const rows: Row[] = [
  ['s-2', 'a01', 'apple', true, '2026-03-01T01:00:00.000Z', 1000],
  ['s-2', 'a02', 'apple', false, '2026-03-01T02:00:00.000Z', 3000],
  ['s-2', 'a03', 'apple', true, '2026-03-02T01:00:00.000Z'],
  ['s-2', 'a04', 'apple', true, '2026-03-02T02:00:00.000Z', 2000],
  ['s-2', 'a05', 'apple', true, '2026-03-02T03:00:00.000Z', 4000],
  // a06 and a07 share an instant: answer_id puts a06 (wrong) first
  ['s-2', 'a07', 'banana', true, '2026-03-01T11:00:00+08:00'],
  ['s-2', 'a06', 'banana', false, '2026-03-01T03:00:00.000Z', 5000],
  ['s-2', 'a08', 'fig', true, '2026-03-01T04:00:00.000Z'],
  ['s-3', 'b01', 'apple', false, '2026-03-01T16:00:00.000Z', 1500],
  ['s-3', 'b02', 'banana', false, '2026-03-01T15:59:59.999Z'],
  ['s-3', 'b03', 'banana', true, '2026-03-03T00:00:00.000Z'],
  ['s-1', 'c01', 'cherry', true, '2026-02-28T16:00:00.000Z', 800],
  ['s-1', 'c02', 'cherry', true, '2026-02-28T15:59:59.999Z', 1200],
  ['s-1', 'c03', 'cherry', true, '2026-03-01T05:00:00.000Z'],
  ...Array.from(
    { length: 10 },
    (_, i): Row => [
      's-6',
      `d${String(i + 1).padStart(2, '0')}`,
      'banana',
      i % 2 === 0,
      `2026-03-04T0${i}:00:00.000Z`,
    ],
  ),
  ['s-9', 'e01', 'apple', false, '2026-03-01T01:00:00.000Z'],
];

const toAnswer = ([studentId, id, word, correct, at, ms]: Row, moduleId = 'm-1') => ({
  answer_id: id,
  student_id: studentId,
  module_id: moduleId,
  word,
  correct,
  answered_at: at,
  ...(ms === undefined ? {} : { duration_ms: ms }),
});

const teacher = claimsFor('teacher', 't-1');
const context = lambdaContext('module_results');

const results = (
  query?: Record<string, string>,
  options: {
    db?: Db;
    timezone?: string;
    classCode?: string;
    moduleId?: string;
    claims?: typeof teacher;
  } = {},
) =>
  createModuleResultsHandler(() =>
    testRuntime(options.db ?? t.db, {
      now: NOW,
      env: { LMS_TIMEZONE: options.timezone ?? 'Asia/Shanghai' },
    }),
  )(
    moduleResultsEvent(
      options.classCode ?? 'c-1',
      options.moduleId ?? 'm-1',
      options.claims ?? teacher,
      query,
    ),
    context,
  );

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.putMany([
    klass('c-1', { teacher_id: 't-1' }),
    klass('c-2', { teacher_id: 't-2' }),
  ]);
  await t.db.modules.putMany([
    module('m-1', { words: ['apple', 'banana', 'cherry', 'date'] }),
    module('m-2', { words: ['apple'] }),
    module('m-10', { words: ['apple'] }),
  ]);
  await t.db.students.putMany([
    student('s-1', { name: 'Bob', class_code: 'c-1' }),
    student('s-2', { name: 'Ann', class_code: 'c-1' }),
    student('s-3', { name: 'Ann', class_code: 'c-1' }),
    student('s-4', { name: 'ann', class_code: 'c-1' }),
    student('s-5', { name: 'Émile', class_code: 'c-1' }),
    student('s-6', { name: 'Cid', class_code: 'c-1' }),
    student('s-9', { name: 'Aaron', class_code: 'c-2' }),
  ]);
  const record = createRecordAnswersHandler(() => testRuntime(t.db, { now: NOW }));
  const answers = [
    ...rows.map((row) => toAnswer(row)),
    toAnswer(['s-1', 'x01', 'apple', false, '2026-03-01T01:00:00.000Z'], 'm-2'),
    toAnswer(['s-1', 'x02', 'apple', false, '2026-03-01T01:00:00.000Z'], 'm-10'),
  ];
  const reply = await record(
    postAnswersEvent({ answers }, claimsFor('service', 'lms-app')),
    context,
  );
  expect(bodyOf(reply)).toEqual({ accepted: answers.length, duplicates: 0 });
});
afterAll(() => t.destroy());

const word = (
  name: string,
  attempts: number,
  correct: number,
  students: number,
  firstTry: number | null,
  medianMs: number | null,
) => ({
  word: name,
  attempts,
  correct,
  accuracy: attempts === 0 ? null : correct / attempts,
  students_attempted: students,
  first_try_accuracy: firstTry,
  median_duration_ms: medianMs,
});

const person = (
  id: string,
  name: string,
  attempts: number,
  correct: number,
  words: number,
  mastered: number,
) => ({
  id,
  name,
  attempts,
  correct,
  accuracy: attempts === 0 ? null : correct / attempts,
  words_attempted: words,
  words_mastered: mastered,
});

describe('module_results', () => {
  it('replies with exactly the hand-computed results', async () => {
    const reply = await results();
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({
      class_code: 'c-1',
      class_name: 'Class c-1',
      module_id: 'm-1',
      module_title: 'Module m-1',
      generated_at: '2026-03-05T00:00:00.000Z',
      overall: {
        attempts: 23,
        correct: 14,
        accuracy: 14 / 23,
        students_total: 6,
        students_attempted: 4,
      },
      words: [
        // durations 1000, 3000, 2000, 4000, 1500 → 2000; first tries a01 ✓, b01 ✗
        word('apple', 6, 4, 2, 0.5, 2000),
        // first tries a06 ✗, b02 ✗, d01 ✓
        word('banana', 14, 7, 3, 1 / 3, 5000),
        // durations 800, 1200 → their mean
        word('cherry', 3, 3, 1, 1, 1000),
        word('date', 0, 0, 0, null, null),
      ],
      students: [
        person('s-2', 'Ann', 7, 5, 2, 1), // apple mastered: a03, a04, a05
        person('s-3', 'Ann', 3, 1, 2, 0),
        person('s-1', 'Bob', 3, 3, 1, 1),
        person('s-6', 'Cid', 10, 5, 1, 0),
        person('s-4', 'ann', 0, 0, 0, 0),
        person('s-5', 'Émile', 0, 0, 0, 0),
      ],
      cells: [
        { student_id: 's-2', word: 'apple', attempts: 5, correct: 4 },
        { student_id: 's-2', word: 'banana', attempts: 2, correct: 1 },
        { student_id: 's-3', word: 'apple', attempts: 1, correct: 0 },
        { student_id: 's-3', word: 'banana', attempts: 2, correct: 1 },
        { student_id: 's-1', word: 'cherry', attempts: 3, correct: 3 },
        { student_id: 's-6', word: 'banana', attempts: 10, correct: 5 },
      ],
      needs_review: ['banana'],
      needs_help: ['s-6'],
      warnings: [],
      warnings_total: 0,
    });
  });

  it('counts one Shanghai day, from its midnight included to the next excluded', async () => {
    const reply = await results({ from: '2026-03-01', to: '2026-03-01' });
    // in: a01 a02 a06 a07, b02 (23:59:59.999), c01 (00:00), c03; out: b01 (next 00:00), c02
    expect(bodyOf(reply)).toEqual({
      class_code: 'c-1',
      class_name: 'Class c-1',
      module_id: 'm-1',
      module_title: 'Module m-1',
      generated_at: '2026-03-05T00:00:00.000Z',
      overall: {
        attempts: 7,
        correct: 4,
        accuracy: 4 / 7,
        students_total: 6,
        students_attempted: 3,
      },
      words: [
        word('apple', 2, 1, 1, 1, 2000),
        word('banana', 3, 1, 2, 0, 5000),
        word('cherry', 2, 2, 1, 1, 800),
        word('date', 0, 0, 0, null, null),
      ],
      students: [
        person('s-2', 'Ann', 4, 2, 2, 0),
        person('s-3', 'Ann', 1, 0, 1, 0),
        person('s-1', 'Bob', 2, 2, 1, 0), // two counted attempts: not mastered here
        person('s-6', 'Cid', 0, 0, 0, 0),
        person('s-4', 'ann', 0, 0, 0, 0),
        person('s-5', 'Émile', 0, 0, 0, 0),
      ],
      cells: [
        { student_id: 's-2', word: 'apple', attempts: 2, correct: 1 },
        { student_id: 's-2', word: 'banana', attempts: 2, correct: 1 },
        { student_id: 's-3', word: 'banana', attempts: 1, correct: 0 },
        { student_id: 's-1', word: 'cherry', attempts: 2, correct: 2 },
      ],
      needs_review: [],
      needs_help: [],
      warnings: [],
      warnings_total: 0,
    });
  });

  it('leaves either end open', async () => {
    const until = bodyOf(await results({ to: '2026-02-28' }));
    expect(until).toMatchObject({
      overall: { attempts: 1 },
      cells: [{ student_id: 's-1', word: 'cherry', attempts: 1, correct: 1 }],
    });
    const since = bodyOf(await results({ from: '2026-03-02' }));
    // b01 (Shanghai midnight of 03-02), a03 a04 a05, b03, d01-d10
    expect(since).toMatchObject({ overall: { attempts: 15, correct: 9 } });
  });

  it('reads days in the configured zone (LMS_TIMEZONE), not in Shanghai', async () => {
    // New York's 2026-02-28 ends at 2026-03-01T05:00Z: c01 c02 a01 a02 a06 a07 are in it.
    const reply = await results({ to: '2026-02-28' }, { timezone: 'America/New_York' });
    expect(bodyOf(reply)).toMatchObject({ overall: { attempts: 6, correct: 4 } });
  });

  it('reads only by key: one index query for the students, one prefix query per student', async () => {
    // Requests on DynamoDB, statements on PostgreSQL (named after the request they stand for).
    const faulty = await startFaulty(t);
    const reply = await results(undefined, { db: faulty.db() });
    expect(reply.statusCode).toBe(200);
    const count = (operation: string) => faulty.requests.filter(isOperation(operation)).length;
    expect(count('Scan')).toBe(0);
    expect(count('GetItem')).toBe(2); // the class and the module
    expect(count('Query')).toBe(1 + 6);
    const queries = faulty.requests.filter(isOperation('Query')).map(bodyText);
    const byClass = onPostgres()
      ? (q: string) => q.includes('t.\\"class_code\\" = $')
      : (q: string) => q.includes('"IndexName":"class_code"');
    const byPrefix = onPostgres()
      ? (q: string) => q.includes(' LIKE $') && q.includes('"m-1#%"')
      : (q: string) => q.includes('begins_with') && q.includes('"m-1#"');
    expect(queries.filter(byClass)).toHaveLength(1);
    expect(queries.filter(byPrefix)).toHaveLength(6);
  });

  it('answers 404 for an unknown class (to an admin) or module', async () => {
    const noClass = await results(undefined, {
      classCode: 'c-404',
      claims: claimsFor('admin', 'a-1'),
    });
    expect(noClass.statusCode).toBe(404);
    expect(bodyOf(noClass)).toEqual({
      error: { code: 'CLASS_NOT_FOUND', message: 'class "c-404" does not exist' },
    });
    const noModule = await results(undefined, { moduleId: 'm-404' });
    expect(noModule.statusCode).toBe(404);
    expect(bodyOf(noModule)).toMatchObject({ error: { code: 'MODULE_NOT_FOUND' } });
  });

  it('answers 400 for bad dates or a module id with "#"', async () => {
    const bad: Record<string, string>[] = [
      { from: '2026-03-02', to: '2026-03-01' },
      { from: '1 March' },
    ];
    for (const query of bad) {
      const reply = await results(query);
      expect(reply.statusCode).toBe(400);
      expect(bodyOf(reply)).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
    }
    expect((await results(undefined, { moduleId: 'm-1#a01' })).statusCode).toBe(400);
  });
});
