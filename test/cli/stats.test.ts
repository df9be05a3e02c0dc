import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLms } from '../support/cli.ts';
import {
  expectedStats,
  randomOrganisation,
  storedStats,
  storeOrganisation,
} from '../support/organisation.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
const org = randomOrganisation(5);
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await storeOrganisation(t.db, org);
});
afterAll(() => t.destroy());

const run = (...args: string[]) => runLms(t, ...args);

describe('lms stats', () => {
  it('reports a dry run without writing, with progress lines and a closing summary', async () => {
    const { code, out, err } = await run('stats', '--level', 'class', '--dry-run', '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { job: string; dry_run: boolean; updated: number };
    expect(summary).toMatchObject({
      job: 'calc_class_stats',
      dry_run: true,
      updated: org.classes.length,
    });
    expect(err).toContain(`students read: ${org.students.length}`);
    expect(err.at(-1)).toMatch(
      new RegExp(
        `^calc_class_stats \\(dry run\\): ${org.classes.length} records, ${org.classes.length} would be updated, 0 unchanged`,
      ),
    );
    expect(Object.values((await storedStats(t.db)).classes).every((s) => s === undefined)).toBe(
      true,
    );
  });

  it('runs every level and leaves the counting rules in the tables', async () => {
    const { code, err } = await run('stats');
    expect(code).toBe(0);
    expect(err.at(-1)).toMatch(
      /^calc_all_stats: \d+ records, \d+ updated, 0 unchanged, 0 vanished, 0 failed/,
    );
    expect(err.some((line) => line.startsWith('warning: '))).toBe(true);
    expect(await storedStats(t.db)).toEqual(expectedStats(org));
  });

  it('rejects an unknown level and a bad number before touching anything', async () => {
    expect((await run('stats', '--level', 'district')).code).not.toBe(0);
    expect((await run('stats', '--concurrency', '0')).code).not.toBe(0);
  });
});
