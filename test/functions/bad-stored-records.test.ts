/**
 * One bad stored record must not take a route down: records put RAW into the engine
 * (bypassing the repositories' validation, as another writer of these tables might),
 * then read through the real handlers. What is valid is served, what is not is named in
 * the reply's `warnings` and in a WARN log line.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as createModuleResultsHandler } from '../../src/functions/module_results/handler.ts';
import { createHandler as createParentSummaryHandler } from '../../src/functions/parent_summary/handler.ts';
import { createHandler as createStudentProgressHandler } from '../../src/functions/student_progress/handler.ts';
import type { Entity } from '../../src/repositories/db.ts';
import type { TableName } from '../../src/tables/definitions.ts';
import {
  bodyOf,
  claimsFor,
  lambdaContext,
  moduleResultsEvent,
  parentSummaryEvent,
  studentProgressEvent,
} from '../support/events.ts';
import { answer, klass, module, student } from '../support/fixtures.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

const NOW = new Date('2026-03-05T00:00:00.000Z');
let t: TestDb;

/** Writes an item as it is, past every schema. */
const rawPut = (table: TableName, item: Record<string, unknown>) => t.plant(table, item);

const watchedLogger = () => {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return { logger, warn: vi.spyOn(logger, 'warn') };
};

const results = async (classCode: string, moduleId: string) => {
  const { logger, warn } = watchedLogger();
  const reply = await createModuleResultsHandler(() => testRuntime(t.db, { now: NOW, logger }))(
    moduleResultsEvent(classCode, moduleId, claimsFor('teacher', 't-1')),
    lambdaContext('module_results'),
  );
  return { reply, body: bodyOf(reply) as Record<string, unknown>, warn };
};

const at = (hour: number) => new Date(Date.UTC(2026, 2, 1, hour)).toISOString();

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.classes.putMany([klass('c-1'), klass('c-2')]);
  await t.db.modules.putMany([module('m-1', { words: ['apple', 'banana'] })]);
  await t.db.students.putMany([
    student('s-1', { name: 'Ann', class_code: 'c-1' }),
    student('s-3', { name: 'Cy', class_code: 'c-2' }),
  ]);
  // s-2: a student of c-1 whose record lacks `name`
  await rawPut('students', { id: 's-2', class_code: 'c-1', parent_ids: [] });
  await t.db.answers.putMany([
    answer('s-1', 'm-1', 'a-1', { word: 'apple', correct: true, answered_at: at(1) }),
    answer('s-2', 'm-1', 'a-2', { word: 'banana', correct: false, answered_at: at(2) }),
    answer('s-2', 'm-set', 'a-3', { word: 'cherry', correct: true, answered_at: at(3) }),
  ]);
  // an answer of s-1 whose answered_at is not a timestamp
  await rawPut('answers', {
    ...answer('s-1', 'm-1', 'a-9', { word: 'apple', correct: false, answered_at: at(4) }),
    answered_at: 'yesterday',
  });
  // modules as another tool wrote them: words as a string set; no title; no word list
  await rawPut('modules', { id: 'm-set', title: 'Set', words: new Set(['cherry', 'apple']) });
  await rawPut('modules', { id: 'm-untitled', words: ['apple'] });
  await rawPut('modules', { id: 'm-broken', title: 'Broken', words: 'apple banana' });
  // a class without a name, taught by t-1
  await rawPut('classes', { code: 'c-3', teacher_id: 't-1' });
});
afterAll(() => t.destroy());

describe('module_results over bad stored records', () => {
  it('lists a student without a name as name null, counts its answers, and says so', async () => {
    const { reply, body, warn } = await results('c-1', 'm-1');
    expect(reply.statusCode).toBe(200);
    expect(body.students).toEqual([
      {
        id: 's-2',
        name: null,
        attempts: 1,
        correct: 0,
        accuracy: 0,
        words_attempted: 1,
        words_mastered: 0,
      },
      {
        id: 's-1',
        name: 'Ann',
        attempts: 1,
        correct: 1,
        accuracy: 1,
        words_attempted: 1,
        words_mastered: 0,
      },
    ]);
    expect(body.overall).toMatchObject({ attempts: 2, students_total: 2 });
    expect(body.warnings).toEqual([
      {
        table: 'students',
        key: { id: 's-2' },
        message: expect.stringMatching(/^name: .*; listed with name null$/),
      },
      {
        table: 'answers',
        key: { student_id: 's-1', answer_key: 'm-1#a-9' },
        message: expect.stringMatching(/^answered_at: .*; the answer is not counted$/),
      },
    ]);
    expect(body.warnings_total).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe('invalid stored records served partially');
    expect(JSON.stringify(warn.mock.calls[0]?.[1])).toContain('"s-2"');
  });

  it('reads words stored as a string set, in code-unit order', async () => {
    const { reply, body } = await results('c-1', 'm-set');
    expect(reply.statusCode).toBe(200);
    expect(body.module_title).toBe('Set');
    expect((body.words as { word: string }[]).map((w) => w.word)).toEqual(['apple', 'cherry']);
    expect(body.cells).toEqual([{ student_id: 's-2', word: 'cherry', attempts: 1, correct: 1 }]);
  });

  it('serves a module without a title with module_title null', async () => {
    const { reply, body, warn } = await results('c-1', 'm-untitled');
    expect(reply.statusCode).toBe(200);
    expect(body.module_title).toBeNull();
    expect(body.class_name).toBe('Class c-1');
    expect(body.warnings).toContainEqual({
      table: 'modules',
      key: { id: 'm-untitled' },
      message: expect.stringMatching(/^title: .*; module_title is null$/),
    });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('serves a class without a name with class_name null, still deciding access by teacher', async () => {
    const { reply, body } = await results('c-3', 'm-1');
    expect(reply.statusCode).toBe(200);
    expect(body.class_name).toBeNull();
    expect(body.module_title).toBe('Module m-1');
    expect(body.warnings).toContainEqual({
      table: 'classes',
      key: { code: 'c-3' },
      message: expect.stringMatching(/^name: .*; class_name is null$/),
    });
    const other = await createModuleResultsHandler(() => testRuntime(t.db, { now: NOW }))(
      moduleResultsEvent('c-3', 'm-1', claimsFor('teacher', 't-2')),
      lambdaContext('module_results'),
    );
    expect(other.statusCode).toBe(403);
  });

  it('refuses a module whose words cannot be read with a 404 of its own code', async () => {
    const { reply, body, warn } = await results('c-1', 'm-broken');
    expect(reply.statusCode).toBe(404);
    expect(body).toEqual({
      error: {
        code: 'MODULE_UNREADABLE',
        message:
          'module "m-broken" is stored, but its word list cannot be read; the module\'s record must be repaired',
      },
    });
    expect(warn).toHaveBeenCalledTimes(1);
    const missing = await results('c-1', 'm-404');
    expect(missing.reply.statusCode).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'MODULE_NOT_FOUND' } });
  });
});

describe('student_progress over a parent with a bad entry in student_ids', () => {
  const progress: Entity<'student_progress'> = {
    student_id: 's-1',
    attempts: 1,
    correct: 1,
    accuracy: 1,
    words_practised: 1,
    words_mastered: 0,
    last_active_at: at(1),
    streak_days: 0,
    daily: {},
    modules: {},
    updated_at: NOW.toISOString(),
  };

  it('ignores the entry: the parent still sees its real child, and only it', async () => {
    await t.db.student_progress.put(progress);
    await t.db.student_progress.put({ ...progress, student_id: 's-3' });
    await rawPut('parents', { id: 'p-1', name: 'Pat', student_ids: ['', 's-1', 42] });
    const get = (studentId: string) =>
      createStudentProgressHandler(() => testRuntime(t.db, { now: NOW }))(
        studentProgressEvent(studentId, claimsFor('parent', 'p-1')),
        lambdaContext('student_progress'),
      );
    const own = await get('s-1');
    expect(own.statusCode).toBe(200);
    expect(bodyOf(own)).toEqual(progress);
    expect((await get('s-3')).statusCode).toBe(403);
  });
});

describe('records read to decide access', () => {
  // (Index keys such as a student's `class_code` cannot be stored with a wrong type: the
  // engine refuses them. A parent's `student_ids` is no index key.)
  it('that do not validate prove nothing: 403, with a WARN line, not a 500', async () => {
    await rawPut('parents', { id: 'p-7', name: 'Pia', student_ids: 's-1' });
    const { logger, warn } = watchedLogger();
    const reply = await createStudentProgressHandler(() => testRuntime(t.db, { now: NOW, logger }))(
      studentProgressEvent('s-1', claimsFor('parent', 'p-7')),
      lambdaContext('student_progress'),
    );
    expect(reply.statusCode).toBe(403);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls[0]?.[1])).toContain('"p-7"');
  });
});

describe('a stored progress or summary that does not validate', () => {
  it('is a 404 of its own code, logged at WARN with table and key, not a 500', async () => {
    await rawPut('student_progress', {
      student_id: 's-9',
      attempts: -1,
      modules: 'none',
      updated_at: NOW.toISOString(),
    });
    await rawPut('parent_summaries', { parent_id: 'p-9', children: [{ student_id: 's-9' }] });
    const admin = claimsFor('admin', 'root');
    const cases = [
      [
        createStudentProgressHandler,
        studentProgressEvent('s-9', admin),
        'PROGRESS_UNREADABLE',
        's-9',
      ],
      [createParentSummaryHandler, parentSummaryEvent('p-9', admin), 'SUMMARY_UNREADABLE', 'p-9'],
    ] as const;
    for (const [create, event, code, id] of cases) {
      const { logger, warn } = watchedLogger();
      const reply = await create(() => testRuntime(t.db, { now: NOW, logger }))(
        event,
        lambdaContext('read'),
      );
      expect(reply.statusCode).toBe(404);
      expect(bodyOf(reply)).toMatchObject({ error: { code } });
      expect(reply.body).not.toContain('attempts');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toBe('invalid stored record not served');
      expect(JSON.stringify(warn.mock.calls[0]?.[1])).toContain(`"${id}"`);
    }
  });
});
