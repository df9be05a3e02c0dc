/**
 * `POST /answers` end to end on the real engine: API Gateway events in, replies and stored
 * items out.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as createRecordAnswersHandler } from '../../../src/functions/record_answers/handler.ts';
import type { Db } from '../../../src/repositories/db.ts';
import {
  bodyOf,
  type Claims,
  claimsFor,
  lambdaContext,
  postAnswersEvent,
} from '../../support/events.ts';
import { isOperation } from '../../support/fault-proxy.ts';
import { useFaultyDbs } from '../../support/faulty-db.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

/** The clock of these tests: the fixtures' answers are from early March 2026. */
const NOW = new Date('2026-03-05T00:00:00.000Z');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const service = claimsFor('service', 'lms-app');
const context = lambdaContext('record_answers');
const post = (body: unknown, claims: Claims | null = service, options = {}, db: Db = t.db) =>
  createRecordAnswersHandler(() => testRuntime(db, { now: NOW }))(
    postAnswersEvent(body, claims, options),
    context,
  );

const answer = (studentId: string, answerId: string, overrides: Record<string, unknown> = {}) => ({
  answer_id: answerId,
  student_id: studentId,
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T08:15:00+08:00',
  duration_ms: 1200,
  ...overrides,
});

const storedOf = (studentId: string) => t.db.answers.get({ student_id: studentId });

describe('record_answers', () => {
  it('stores a batch: 200 { accepted, duplicates }, one item per answer, in UTC', async () => {
    const reply = await post({
      answers: [
        answer('st-1', 'a-1'),
        answer('st-1', 'a-2', { word: 'pear', correct: false, duration_ms: undefined }),
        answer('st-1', 'a-1', { module_id: 'm-2' }),
      ],
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(bodyOf(reply)).toEqual({ accepted: 3, duplicates: 0 });
    const stored = await storedOf('st-1');
    expect(stored.map((a) => a.answer_key).sort()).toEqual(['m-1#a-1', 'm-1#a-2', 'm-2#a-1']);
    expect(stored.find((a) => a.answer_key === 'm-1#a-2')).toEqual({
      student_id: 'st-1',
      answer_key: 'm-1#a-2',
      answer_id: 'a-2',
      module_id: 'm-1',
      word: 'pear',
      correct: false,
      answered_at: '2026-03-01T00:15:00.000Z',
      recorded_at: '2026-03-05T00:00:00.000Z',
      recorded_key: '2026-03-05T00:00:00.000Z#m-1#a-2',
    });
  });

  it('counts a resent batch as duplicates and stores it once, whatever the offset spelling', async () => {
    const batch = {
      answers: [answer('st-2', 'a-1'), answer('st-2', 'a-2'), answer('st-3', 'a-1')],
    };
    expect(bodyOf(await post(batch))).toEqual({ accepted: 3, duplicates: 0 });
    expect(bodyOf(await post(batch))).toEqual({ accepted: 0, duplicates: 3 });
    const respelled = {
      answers: [
        answer('st-2', 'a-1', { answered_at: '2026-03-01T00:15:00Z' }),
        answer('st-2', 'a-3'),
      ],
    };
    expect(bodyOf(await post(respelled))).toEqual({ accepted: 1, duplicates: 1 });
    expect((await storedOf('st-2')).map((a) => a.answer_id).sort()).toEqual(['a-1', 'a-2', 'a-3']);
    expect(await storedOf('st-3')).toHaveLength(1);
  });

  it('marks the students of every accepted batch for the aggregate jobs, retries included', async () => {
    await post({ answers: [answer('st-4', 'a-1'), answer('st-5', 'a-1')] });
    const first = await t.db.student_marks.findMany([
      { student_id: 'st-4' },
      { student_id: 'st-5' },
    ]);
    expect(first).toHaveLength(2);
    for (const mark of first) {
      expect(mark).toEqual({
        student_id: expect.stringMatching(/^st-[45]$/),
        token: expect.stringMatching(/^[0-9a-f-]{36}$/),
        marked_at: '2026-03-05T00:00:00.000Z',
      });
    }
    const tokenOf = async (id: string) =>
      (await t.db.student_marks.find({ student_id: id }))?.token;
    const st4 = await tokenOf('st-4');
    const st5 = await tokenOf('st-5');
    expect(st4).not.toBe(st5);
    await post({ answers: [answer('st-4', 'a-2'), answer('st-5', 'a-1')] });
    expect(await tokenOf('st-4')).not.toBe(st4); // new answer: a fresh token
    // Only a retry: marked again, in case the first attempt failed after storing.
    expect(await tokenOf('st-5')).not.toBe(st5);
    await post({ answers: [answer('st-6', 'a-1')] }, claimsFor('student', 'st-6'));
    expect(await tokenOf('st-6')).toBeDefined();
  });

  it('rejects a conflict with 409, naming it, and stores nothing of that batch', async () => {
    await post({ answers: [answer('st-7', 'a-1')] });
    await t.db.student_marks.delete({ student_id: 'st-7' });
    const reply = await post({
      answers: [
        answer('st-7', 'a-2'),
        answer('st-8', 'a-1'),
        answer('st-7', 'a-1', { correct: false }),
      ],
    });
    expect(reply.statusCode).toBe(409);
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'ANSWER_CONFLICT',
        message:
          '1 answer(s) conflict with different content under the same identity: answers[2] (st-7, m-1, a-1) differs from the stored answer',
        details: [
          {
            index: 2,
            student_id: 'st-7',
            module_id: 'm-1',
            answer_id: 'a-1',
            conflicting_index: null,
          },
        ],
      },
    });
    expect((await storedOf('st-7')).map((a) => [a.answer_id, a.correct])).toEqual([['a-1', true]]);
    expect(await storedOf('st-8')).toEqual([]);
    expect(
      await t.db.student_marks.findMany([{ student_id: 'st-7' }, { student_id: 'st-8' }]),
    ).toEqual([]);
  });

  it('rejects a batch contradicting itself with 409', async () => {
    const reply = await post({
      answers: [answer('st-9', 'a-1'), answer('st-9', 'a-1', { duration_ms: 999 })],
    });
    expect(reply.statusCode).toBe(409);
    expect(bodyOf(reply)).toMatchObject({
      error: { details: [{ index: 1, conflicting_index: 0 }] },
    });
    expect(await storedOf('st-9')).toEqual([]);
  });

  it('rejects malformed JSON with 400 INVALID_JSON', async () => {
    for (const body of ['{"answers": [', '', 'answers=1']) {
      const reply = await post(body);
      expect(reply.statusCode).toBe(400);
      expect(bodyOf(reply)).toMatchObject({ error: { code: 'INVALID_JSON' } });
    }
  });

  it('rejects wrong types, missing and unknown fields with 400 naming each, storing nothing', async () => {
    const reply = await post({
      answers: [
        answer('st-10', 'a-1'),
        answer('st-10', 'a-2', { correct: 'true' }),
        { answer_id: 'a-3', student_id: 'st-10', module_id: 'm-1', word: 'apple', correct: true },
        answer('st-10', 'a-4', { score: 10 }),
        answer('st-10', 'a-5', { duration_ms: '1200', answered_at: 1772323200 }),
      ],
    });
    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('answers[1].correct: must be true or false'),
        details: [
          { index: 1, field: 'correct', message: 'must be true or false' },
          { index: 2, field: 'answered_at', message: 'is required' },
          { index: 3, field: 'score', message: 'is not a known field' },
          {
            index: 4,
            field: 'answered_at',
            message:
              'must be an ISO-8601 date-time with Z or an offset, such as 2026-03-01T08:15:00+08:00',
          },
          { index: 4, field: 'duration_ms', message: 'must be a number of milliseconds' },
        ],
      },
    });
    expect(await storedOf('st-10')).toEqual([]);
  });

  it('accepts 500 answers and refuses 501 with 400 naming the limit', async () => {
    const batch = (n: number, studentId: string) =>
      Array.from({ length: n }, (_, i) => answer(studentId, `a-${i}`));
    const refused = await post({ answers: batch(501, 'st-11') });
    expect(refused.statusCode).toBe(400);
    expect(bodyOf(refused)).toEqual({
      error: { code: 'TOO_MANY_ANSWERS', message: 'at most 500 answers per request, got 501' },
    });
    expect(await storedOf('st-11')).toEqual([]);
    const accepted = await post({ answers: batch(500, 'st-12') });
    expect(bodyOf(accepted)).toEqual({ accepted: 500, duplicates: 0 });
    expect(await t.db.answers.count({ student_id: 'st-12' })).toBe(500);
  });

  it('refuses a body over 1 MiB with 413, plain or base64', async () => {
    const big = JSON.stringify({
      answers: [answer('st-13', 'a-1', { word: 'x'.repeat(1_048_576) })],
    });
    for (const base64 of [false, true]) {
      const reply = await post(big, service, { base64 });
      expect(reply.statusCode).toBe(413);
      expect(bodyOf(reply)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    }
    expect(await storedOf('st-13')).toEqual([]);
  });

  it('decodes a base64-encoded body', async () => {
    const reply = await post({ answers: [answer('st-14', 'a-1', { word: 'café' })] }, service, {
      base64: true,
    });
    expect(bodyOf(reply)).toEqual({ accepted: 1, duplicates: 0 });
    expect((await storedOf('st-14'))[0]?.word).toBe('café');
  });

  it("refuses a student posting another student's answer with 403, storing nothing", async () => {
    const reply = await post(
      { answers: [answer('st-15', 'a-1'), answer('st-16', 'a-1')] },
      claimsFor('student', 'st-15'),
    );
    expect(reply.statusCode).toBe(403);
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: 'a student may post only its own answers: answers[1].student_id is not the caller',
      },
    });
    expect(await storedOf('st-15')).toEqual([]);
  });

  it('checks the caller before the body: 401 without claims, 403 for a role that cannot post', async () => {
    const anonymous = await post('{not json', null);
    expect(anonymous.statusCode).toBe(401);
    expect(bodyOf(anonymous)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const teacher = await post('{not json', claimsFor('teacher', 't-1'));
    expect(teacher.statusCode).toBe(403);
  });

  it('answers 400 INVALID_EVENT to something that is not an HTTP API event', async () => {
    const reply = await createRecordAnswersHandler(() => testRuntime(t.db, { now: NOW }))(
      { answers: [] },
      context,
    );
    expect(reply.statusCode).toBe(400);
    expect(bodyOf(reply)).toMatchObject({ error: { code: 'INVALID_EVENT' } });
  });

  it('answers a JSON 500 when the runtime cannot be built, and logs why', async () => {
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const reply = await createRecordAnswersHandler(() => {
        throw new Error('LMS_TIMEZONE="Mars/Olympus" must be an IANA time zone');
      })(postAnswersEvent({ answers: [] }, service), context);
      expect(reply.statusCode).toBe(500);
      expect(bodyOf(reply)).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
      expect(reply.body).not.toContain('Mars');
    } finally {
      stderr.mockRestore();
    }
    expect(written.join('')).toContain('Mars/Olympus');
  });

  const startFaulty = useFaultyDbs();

  it('under the documented race, counts a contested answer once (the later write wins)', async () => {
    // Request A reads (nothing stored), then, just before A writes, request B with other
    // content for the same identity runs to completion. A then writes over B.
    let raced = false;
    const faulty = await startFaulty(t, {
      before: async (request) => {
        if (raced || !isOperation('BatchWriteItem')(request)) return;
        raced = true;
        const b = await post({ answers: [answer('st-17', 'a-1', { correct: false })] });
        expect(bodyOf(b)).toEqual({ accepted: 1, duplicates: 0 });
      },
    });
    const racing = faulty.db();
    const a = await post({ answers: [answer('st-17', 'a-1')] }, service, {}, racing);
    expect(bodyOf(a)).toEqual({ accepted: 1, duplicates: 0 });
    const stored = await storedOf('st-17');
    expect(stored.map((s) => [s.answer_id, s.correct])).toEqual([['a-1', true]]);
  });
});
