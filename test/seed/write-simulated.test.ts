import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganisation, type SeedPlan } from '../../src/seed/generate.ts';
import { simulatedAnswers } from '../../src/seed/simulated.ts';
import { writeSeed } from '../../src/seed/write.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const plan: SeedPlan = {
  seed: 3,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
  learners: 'simulated',
  // One class of four: enough answers to check, few enough to write in a test.
  size: {
    groups: 1,
    schoolsPerGroup: 1,
    teachersPerSchool: 1,
    classesPerTeacher: [1, 1],
    studentsPerClass: [4, 4],
    modulesPerLevel: 1,
  },
};

describe('writing a seed of simulated learners (lms seed --learners simulated)', () => {
  it('stores their answers through the repositories, which validate every item', async () => {
    const org = buildOrganisation(plan);
    const summary = await writeSeed(t.db, plan);
    expect(summary.written.answers).toBeGreaterThan(300);
    expect(await t.db.answers.count({}, { scan: true })).toBe(summary.written.answers);
    for (const student of org.students) {
      const expected = [...simulatedAnswers(plan, student, 1, org.modules)].map(
        ({ answer }) => answer.answer_key,
      );
      const stored = await t.db.answers.get({ student_id: student.id });
      expect(stored.map((answer) => answer.answer_key).sort()).toEqual(expected.sort());
    }
  });
});
