/**
 * The walk that carries `__proto__` and `constructor` map keys through lib-dynamodb
 * (`special-keys.ts`) is applied to the commands of the tables whose items hold data-keyed
 * maps, and to no other: on another table lib-dynamodb's own marshalling is seen as it is
 * (it refuses a map with an own `constructor` key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesWithDataKeyedMaps } from '../../../src/entities/index.ts';
import type { StudentProgress } from '../../../src/entities/student-progress.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

// From entries: a literal `constructor:` key is fine, but keep the two tables' maps alike.
const withConstructorKey = <T>(value: T): Record<string, T> =>
  Object.fromEntries([
    ['constructor', value],
    ['m-1', value],
  ]);

const progress = (studentId: string): StudentProgress => ({
  student_id: studentId,
  attempts: 2,
  correct: 1,
  accuracy: 0.5,
  words_practised: 1,
  words_mastered: 0,
  last_active_at: null,
  streak_days: 0,
  daily: {},
  modules: withConstructorKey({
    attempts: 1,
    correct: 1,
    accuracy: 1,
    words_practised: 1,
    words_mastered: 0,
    words_total: null,
  }),
  updated_at: '2026-03-04T16:05:00.000Z',
});

describe('which commands keep special map keys', () => {
  it('are those of student_progress alone, the one table with maps keyed by data', () => {
    // student_state keeps modules and words in lists, so it needs no walk.
    expect([...tablesWithDataKeyedMaps]).toEqual(['student_progress']);
  });

  it('keep a constructor key on student_progress, through put, get and batch reads', async () => {
    await t.db.student_progress.put(progress('s-1'));
    const stored = await t.db.student_progress.find({ student_id: 's-1' });
    expect(Object.keys(stored?.modules ?? {}).sort()).toEqual(['constructor', 'm-1']);
    const [read] = await t.db.student_progress.findMany([{ student_id: 's-1' }]);
    expect(read).toEqual(progress('s-1'));
  });

  it('leave another table to lib-dynamodb as it is: a constructor key is refused there', async () => {
    const job = { name: 'j-1', last_summary: withConstructorKey(1) };
    await expect(t.db.jobs.put(job)).rejects.toThrow(/Unsupported type/);
    // the same table without such a key is written as usual
    await t.db.jobs.put({ name: 'j-1', last_summary: { 'm-1': 1 } });
    expect(await t.db.jobs.find({ name: 'j-1' })).toEqual({
      name: 'j-1',
      last_summary: { 'm-1': 1 },
    });
  });
});
