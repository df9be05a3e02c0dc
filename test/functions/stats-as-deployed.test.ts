import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  expectedStats,
  randomOrganisation,
  storedStats,
  storeOrganisation,
} from '../support/organisation.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
const org = randomOrganisation(11);

beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await storeOrganisation(t.db, org);
  // The deployed wiring: configuration from the environment, read once on first use.
  for (const [name, value] of Object.entries(t.env)) vi.stubEnv(name, value);
  vi.stubEnv('LOG_LEVEL', 'error');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t.destroy();
});

describe('the stats functions as deployed (src/functions/<name>/main.ts)', () => {
  it('each exports handle(event, context) wired to the configured tables', async () => {
    const names = [
      'calc_class_stats',
      'calc_teacher_stats',
      'calc_school_stats',
      'calc_group_stats',
    ];
    for (const name of names) {
      const { handle }: { handle: (event: unknown) => Promise<unknown> } = await import(
        `../../src/functions/${name}/main.ts`
      );
      const summary = await handle({ 'detail-type': 'Scheduled Event' });
      expect(summary).toMatchObject({ job: name, failed: 0 });
    }
    expect(await storedStats(t.db)).toEqual(expectedStats(org));
    const { handle } = await import('../../src/functions/calc_all_stats/main.ts');
    expect(await handle({})).toMatchObject({ job: 'calc_all_stats', updated: 0 });
  });
});
