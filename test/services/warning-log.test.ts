import { describe, expect, it } from 'vitest';
import { createMemoryDb } from '../../src/adapters/memory/db.ts';
import { ALL_LEVELS } from '../../src/domain/stats/levels.ts';
import { runStats } from '../../src/services/stats/run-stats.ts';
import { MAX_LISTED_WARNINGS, WarningLog } from '../../src/services/warning-log.ts';
import { student } from '../support/fixtures.ts';
import { storeOrganisation } from '../support/organisation.ts';

describe('WarningLog', () => {
  it('lists the first warnings and counts them all', () => {
    const log = new WarningLog<number>();
    log.addAll(Array.from({ length: MAX_LISTED_WARNINGS + 20 }, (_, i) => i));
    log.add(-1);
    const { warnings, warnings_total } = log.summary();
    expect(warnings).toHaveLength(MAX_LISTED_WARNINGS);
    expect(warnings[0]).toBe(0);
    expect(warnings.at(-1)).toBe(MAX_LISTED_WARNINGS - 1);
    expect(warnings_total).toBe(MAX_LISTED_WARNINGS + 21);
  });

  it('is empty before anything is added', () => {
    expect(new WarningLog<string>().summary()).toEqual({ warnings: [], warnings_total: 0 });
  });

  it('hands out a summary that later warnings do not change', () => {
    const log = new WarningLog<string>();
    log.add('a');
    const summary = log.summary();
    log.add('b');
    expect(summary).toEqual({ warnings: ['a'], warnings_total: 1 });
  });
});

describe('a stats run with more dangling links than a summary lists', () => {
  it('lists the first of them and counts them all', async () => {
    const { db } = createMemoryDb();
    const dangling = MAX_LISTED_WARNINGS + 30;
    await storeOrganisation(db, {
      groups: [],
      schools: [],
      teachers: [],
      classes: [],
      students: Array.from({ length: dangling }, (_, i) =>
        student(`s-${i}`, { class_code: `c-gone-${i}` }),
      ),
    });
    const summary = await runStats(db, { job: 'calc_all_stats', levels: ALL_LEVELS });
    expect(summary.warnings).toHaveLength(MAX_LISTED_WARNINGS);
    expect(summary.warnings_total).toBe(dangling);
  });
});
