import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createStudentProgressHandler } from '../../../src/functions/student_progress/handler.ts';
import type { Entity } from '../../../src/repositories/db.ts';
import { bodyOf, claimsFor, lambdaContext, studentProgressEvent } from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const progress: Entity<'student_progress'> = {
  student_id: 's-1',
  attempts: 4,
  correct: 3,
  accuracy: 0.75,
  words_practised: 2,
  words_mastered: 1,
  last_active_at: '2026-03-04T02:00:00.000Z',
  streak_days: 2,
  daily: { '2026-03-03': { attempts: 1, correct: 1 }, '2026-03-04': { attempts: 3, correct: 2 } },
  modules: {
    'm-1': {
      attempts: 4,
      correct: 3,
      accuracy: 0.75,
      words_practised: 2,
      words_mastered: 1,
      words_total: 3,
    },
  },
  updated_at: '2026-03-05T00:05:00.000Z',
};

const get = (studentId: string, claims = claimsFor('student', 's-1')) =>
  createStudentProgressHandler(() => testRuntime(t.db))(
    studentProgressEvent(studentId, claims),
    lambdaContext('student_progress'),
  );

describe('student_progress', () => {
  it('answers 404 until the aggregate has written the progress, then the stored item', async () => {
    const before = await get('s-1');
    expect(before.statusCode).toBe(404);
    expect(bodyOf(before)).toEqual({
      error: { code: 'PROGRESS_NOT_FOUND', message: 'no progress for student "s-1" yet' },
    });
    await t.db.student_progress.put(progress);
    const after = await get('s-1');
    expect(after.statusCode).toBe(200);
    expect(bodyOf(after)).toEqual(progress);
  });

  it("refuses another student's progress with 403, existing or not", async () => {
    for (const id of ['s-2', 's-404']) {
      const reply = await get(id);
      expect(reply.statusCode).toBe(403);
      expect(bodyOf(reply)).toEqual({
        error: { code: 'FORBIDDEN', message: "not allowed to see this student's progress" },
      });
    }
  });
});
