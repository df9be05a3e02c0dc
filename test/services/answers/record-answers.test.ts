/** The service over the in-memory store: what is written, and what is not. */
import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { ForbiddenError } from '../../../src/services/access/errors.ts';
import type { Principal } from '../../../src/services/access/principal.ts';
import { AnswerConflictError } from '../../../src/services/answers/errors.ts';
import { recordAnswers } from '../../../src/services/answers/record-answers.ts';

const service: Principal = { sub: 'lms-app', role: 'service' };
const now = () => new Date('2026-03-05T00:00:00.000Z');

const answer = (studentId: string, answerId: string, overrides: Record<string, unknown> = {}) => ({
  answer_id: answerId,
  student_id: studentId,
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-03-01T08:00:00+08:00',
  ...overrides,
});

const setup = () => {
  const memory = createMemoryDb();
  let tokens = 0;
  const deps = { db: memory.db, now, newToken: () => `token-${++tokens}` };
  return { ...memory, deps };
};

describe('recordAnswers', () => {
  it('stores new answers under <module>#<answer> with answered_at in UTC and recorded_at', async () => {
    const { db, deps } = setup();
    const result = await recordAnswers(deps, service, {
      answers: [answer('s-1', 'a-1', { duration_ms: 900 }), answer('s-2', 'a-1')],
    });
    expect(result).toEqual({ accepted: 2, duplicates: 0 });
    expect(await db.answers.find({ student_id: 's-1', answer_key: 'm-1#a-1' })).toEqual({
      student_id: 's-1',
      answer_key: 'm-1#a-1',
      answer_id: 'a-1',
      module_id: 'm-1',
      word: 'apple',
      correct: true,
      answered_at: '2026-03-01T00:00:00.000Z',
      duration_ms: 900,
      recorded_at: '2026-03-05T00:00:00.000Z',
      recorded_key: '2026-03-05T00:00:00.000Z#m-1#a-1',
    });
  });

  it('marks each student of a batch once, with a fresh token per batch, retries included; closes its batch', async () => {
    const { db, deps } = setup();
    // token-1 is the batch's id, then one token per mark.
    await recordAnswers(deps, service, {
      answers: [answer('s-1', 'a-1'), answer('s-1', 'a-2'), answer('s-2', 'a-1')],
    });
    const marks = await db.student_marks.get({}, { scan: true });
    expect(marks.sort((a, b) => a.student_id.localeCompare(b.student_id))).toEqual([
      { student_id: 's-1', token: 'token-2', marked_at: '2026-03-05T00:00:00.000Z' },
      { student_id: 's-2', token: 'token-3', marked_at: '2026-03-05T00:00:00.000Z' },
    ]);
    // Opened before the marks, closed after the answers: nothing left in flight.
    expect(await db.answer_batches.get({}, { scan: true })).toEqual([]);
    await recordAnswers(deps, service, { answers: [answer('s-1', 'a-3'), answer('s-2', 'a-1')] });
    expect(await db.student_marks.find({ student_id: 's-1' })).toMatchObject({ token: 'token-5' });
    // s-2 sent only a retry: marked again (an earlier version marked after the answers)
    expect(await db.student_marks.find({ student_id: 's-2' })).toMatchObject({ token: 'token-6' });
  });

  it('stores nothing and marks nobody when one answer conflicts', async () => {
    const { db, raw, deps } = setup();
    await recordAnswers(deps, service, { answers: [answer('s-1', 'a-1')] });
    raw('student_marks').clear();
    await expect(
      recordAnswers(deps, service, {
        answers: [answer('s-1', 'a-2'), answer('s-1', 'a-1', { correct: false })],
      }),
    ).rejects.toBeInstanceOf(AnswerConflictError);
    expect(await db.answers.get({ student_id: 's-1' })).toHaveLength(1);
    expect(raw('student_marks').size).toBe(0);
  });

  it("refuses a student's batch holding another student's answer, storing nothing", async () => {
    const { raw, deps } = setup();
    await expect(
      recordAnswers(
        deps,
        { sub: 's-1', role: 'student' },
        {
          answers: [answer('s-1', 'a-1'), answer('s-2', 'a-1')],
        },
      ),
    ).rejects.toThrow(
      new ForbiddenError(
        'a student may post only its own answers: answers[1].student_id is not the caller',
      ),
    );
    expect(raw('answers').size).toBe(0);
  });
});
