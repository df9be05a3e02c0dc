import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { createHandler as calcAllStats } from '../../../src/functions/calc_all_stats/handler.ts';
import { createHandler as calcClassStats } from '../../../src/functions/calc_class_stats/handler.ts';
import { createHandler as calcGroupStats } from '../../../src/functions/calc_group_stats/handler.ts';
import { createHandler as calcSchoolStats } from '../../../src/functions/calc_school_stats/handler.ts';
import { createHandler as calcTeacherStats } from '../../../src/functions/calc_teacher_stats/handler.ts';
import { testRuntime } from '../../support/runtime.ts';

// The five handlers are one factory with a name and levels: each must still say which it is
// and count only its own levels, or a log line or a schedule would run the wrong job.
describe('createStatsHandler, as each stats function uses it', () => {
  it.each([
    ['calc_class_stats', calcClassStats, ['class']],
    ['calc_teacher_stats', calcTeacherStats, ['teacher']],
    ['calc_school_stats', calcSchoolStats, ['school']],
    ['calc_group_stats', calcGroupStats, ['group']],
    ['calc_all_stats', calcAllStats, ['class', 'teacher', 'school', 'group']],
  ] as const)('%s runs its levels under its name', async (name, createHandler, levels) => {
    const { db } = createMemoryDb();
    const summary = await createHandler(() => testRuntime(db))({ dry_run: true });
    expect(summary).toMatchObject({ job: name, levels, dry_run: true, failed: 0 });
  });
});
