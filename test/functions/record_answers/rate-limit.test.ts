/**
 * The per-student cap of `POST /answers` end to end on the real engine: 429 with
 * `Retry-After` and nothing stored over it, other students unaffected, the next window
 * admitting again (an injected clock, never a sleep), a full batch of 500 admitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWERS_PER_REQUEST } from '../../../src/domain/answers/limits.ts';
import { createHandler } from '../../../src/functions/record_answers/handler.ts';
import { bodyOf, claimsFor, lambdaContext, postAnswersEvent } from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

/** 08:15:42 UTC: 18 seconds before the window of 08:15 ends. */
const AT = new Date('2026-03-05T08:15:42.000Z');
const LIMIT = 600;
const service = claimsFor('service', 'lms-app');

const post = (answers: readonly object[], at: Date = AT, claims = service) =>
  createHandler(() =>
    testRuntime(t.db, {
      now: at,
      env: { LMS_ANSWERS_PER_STUDENT_PER_MINUTE: String(LIMIT) },
    }),
  )(postAnswersEvent({ answers }, claims), lambdaContext('record_answers'));

const answers = (studentId: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({
    answer_id: `a-${from + i}`,
    student_id: studentId,
    module_id: 'm-1',
    word: 'apple',
    correct: i % 2 === 0,
    answered_at: '2026-03-05T08:00:00Z',
  }));

const stored = async (studentId: string) =>
  (await t.db.answers.get({ student_id: studentId })).length;

describe('answers per student per minute', () => {
  it('admits a full batch of 500 for one student (an offline sync)', async () => {
    const reply = await post(answers('s-sync', MAX_ANSWERS_PER_REQUEST));
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({ accepted: 500, duplicates: 0 });
    expect(await stored('s-sync')).toBe(500);
  });

  it('over the cap: 429 RATE_LIMITED with Retry-After to the window end, nothing stored', async () => {
    expect((await post(answers('s-loop', 500))).statusCode).toBe(200);
    expect((await post(answers('s-loop', 100, 500))).statusCode).toBe(200); // 600: the cap itself
    const markBefore = await t.db.student_marks.find({ student_id: 's-loop' });
    const refused = await post(answers('s-loop', 1, 600));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({ 'retry-after': '18' });
    expect(bodyOf(refused)).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: `at most ${LIMIT} answers per student per minute: over it for s-loop; retry after 18 s`,
      },
    });
    expect(await stored('s-loop')).toBe(600);
    // Not marked again: the refused request wrote nothing at all.
    expect(await t.db.student_marks.find({ student_id: 's-loop' })).toEqual(markBefore);
    expect(await t.db.answer_batches.get({ student_id: 's-loop' })).toEqual([]);
  });

  it('another student in the same minute is unaffected', async () => {
    const reply = await post(answers('s-other', 20));
    expect(reply.statusCode).toBe(200);
    expect(await stored('s-other')).toBe(20);
  });

  it('a batch with one student over the cap is refused whole, and counts for nobody', async () => {
    const mixed = [...answers('s-bystander', 499), ...answers('s-loop', 1, 700)];
    const refused = await post(mixed);
    expect(refused.statusCode).toBe(429);
    expect(bodyOf(refused)).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(await stored('s-bystander')).toBe(0);
    // Its 499 were given back: the bystander still has its whole minute.
    expect((await post(answers('s-bystander', 500))).statusCode).toBe(200);
    expect((await post(answers('s-bystander', 100, 500))).statusCode).toBe(200);
    expect(await stored('s-bystander')).toBe(600);
  });

  it('the next window admits again', async () => {
    const next = new Date('2026-03-05T08:16:00.000Z');
    const reply = await post(answers('s-loop', 500, 1000), next);
    expect(reply.statusCode).toBe(200);
    expect(bodyOf(reply)).toEqual({ accepted: 500, duplicates: 0 });
  });

  it('a student posting its own answers is capped like the service', async () => {
    const student = claimsFor('student', 's-self');
    expect((await post(answers('s-self', 500), AT, student)).statusCode).toBe(200);
    const refused = await post(answers('s-self', 101, 500), AT, student);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers).toMatchObject({ 'retry-after': '18' });
    expect(await stored('s-self')).toBe(500);
  });
});
