import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_LEVELS } from '../../src/domain/stats/levels.ts';
import { buildOrganisation, type SeedPlan } from '../../src/seed/generate.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';
import { writeSeed } from '../../src/seed/write.ts';
import { runStats } from '../../src/services/stats/run-stats.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());

const plan: SeedPlan = {
  size: SEED_SIZES.small,
  seed: 2,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
};

describe('writing a seed', () => {
  it('stores every generated item, marks every student with answers, and is clean for the jobs', async () => {
    const progress: string[] = [];
    const summary = await writeSeed(t.db, plan, { onProgress: (p) => progress.push(p.table) });
    const org = buildOrganisation(plan);
    const count = (table: 'students' | 'parents' | 'classes' | 'modules' | 'student_marks') =>
      t.db[table].count({}, { scan: true });
    expect(await count('students')).toBe(org.students.length);
    expect(await count('parents')).toBe(org.parents.length);
    expect(await count('classes')).toBe(org.classes.length);
    expect(await count('modules')).toBe(org.modules.length);
    expect(await t.db.answers.count({}, { scan: true })).toBe(summary.written.answers);
    expect(await count('student_marks')).toBe(summary.written.student_marks);
    expect(progress).toContain('answers (by student)');
    const stats = await runStats(t.db, { job: 'calc_all_stats', levels: ALL_LEVELS });
    expect(stats.warnings_total).toBe(0);
    expect(stats.unassigned_students).toBe(0);
  });

  it('writes the same items again on a second run (idempotent by key)', async () => {
    const before = await t.db.answers.count({}, { scan: true });
    await writeSeed(t.db, plan);
    expect(await t.db.answers.count({}, { scan: true })).toBe(before);
  });
});
