/**
 * What `record_answers` tells an operator, as EMF: answers accepted and duplicated per
 * stored batch; refused requests and their answers by error code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../src/functions/record_answers/handler.ts';
import { type Claims, claimsFor, postAnswersEvent } from '../../support/events.ts';
import { captureMetrics } from '../../support/metrics.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

const NOW = new Date('2026-03-05T00:00:00.000Z');

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const answer = (answerId: string, overrides: Record<string, unknown> = {}) => ({
  answer_id: answerId,
  student_id: 'st-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T08:15:00+08:00',
  ...overrides,
});

/** One invocation with captured metrics. */
const post = async (body: unknown, claims: Claims = claimsFor('service', 'lms-app')) => {
  const captured = captureMetrics('record_answers');
  const reply = await createHandler(() =>
    testRuntime(t.db, { now: NOW, metrics: captured.metrics }),
  )(postAnswersEvent(body, claims));
  return { status: reply.statusCode, captured };
};

describe('record_answers metrics', () => {
  it('a batch of 3 new and 2 duplicate answers emits accepted=3, duplicates=2, in one document', async () => {
    expect((await post({ answers: [answer('a-1'), answer('a-2')] })).status).toBe(200);
    const { status, captured } = await post({
      answers: [answer('a-1'), answer('a-3'), answer('a-2'), answer('a-4'), answer('a-5')],
    });
    expect(status).toBe(200);
    expect(captured.values('AnswersAccepted')).toEqual([3]);
    expect(captured.values('AnswersDuplicate')).toEqual([2]);
    expect(captured.documents).toHaveLength(1);
    expect(captured.documents[0]).toMatchObject({ service: 'record_answers', stage: 'test' });
  });

  it('a refused batch counts as one rejected request and all its answers, by code', async () => {
    const invalid = await post({ answers: [answer('b-1'), answer('b-2', { correct: 'yes' })] });
    expect(invalid.status).toBe(400);
    expect(
      invalid.captured.values('AnswerRequestsRejected', { code: 'VALIDATION_FAILED' }),
    ).toEqual([1]);
    expect(invalid.captured.values('AnswersRejected', { code: 'VALIDATION_FAILED' })).toEqual([2]);
    expect(invalid.captured.values('AnswersAccepted')).toEqual([]);

    const conflict = await post({
      answers: [answer('a-1', { correct: false }), answer('c-1'), answer('c-2')],
    });
    expect(conflict.status).toBe(409);
    expect(conflict.captured.values('AnswersRejected', { code: 'ANSWER_CONFLICT' })).toEqual([3]);
    // Nothing of it was stored, so nothing was accepted.
    expect(conflict.captured.values('AnswersAccepted')).toEqual([]);
  });

  it('a request refused before its answers are read counts with 0 answers', async () => {
    const parent = await post({ answers: [answer('d-1')] }, claimsFor('parent', 'p-1'));
    expect(parent.status).toBe(403);
    expect(parent.captured.values('AnswerRequestsRejected', { code: 'FORBIDDEN' })).toEqual([1]);
    expect(parent.captured.values('AnswersRejected', { code: 'FORBIDDEN' })).toEqual([0]);

    const garbled = await post('{"answers": [');
    expect(garbled.status).toBe(400);
    expect(garbled.captured.values('AnswerRequestsRejected', { code: 'INVALID_JSON' })).toEqual([
      1,
    ]);
  });
});
