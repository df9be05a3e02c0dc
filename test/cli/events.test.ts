import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resetConfig } from '../../src/config/config.ts';
import { functionNames, functions } from '../../src/functions/catalog.ts';
import { sampleEvent } from '../../src/local/events/samples.ts';
import { localContext } from '../../src/local/runtime/lambda-context.ts';
import { loadFunction } from '../../src/local/runtime/load-function.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';
import { writeSeed } from '../../src/seed/write.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  // The demo data the samples name (seed 1): the same ids `lms start` seeds.
  await writeSeed(t.db, {
    size: SEED_SIZES.small,
    seed: 1,
    today: '2026-11-24',
    timezone: 'Asia/Shanghai',
  });
  vi.stubEnv('DYNAMODB_ENDPOINT', t.endpoint);
  vi.stubEnv('LMS_TABLE_PREFIX', t.prefix);
  vi.stubEnv('LOG_LEVEL', 'error');
  resetConfig();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetConfig();
  await t.destroy();
});

describe('lms events: sample events', () => {
  it('has a sample for every function, JSON all the way', () => {
    for (const name of functionNames) {
      const event = sampleEvent(name);
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
    }
  });

  it('gives HTTP samples that their handlers accept, authorize and answer', async () => {
    const expected = {
      record_answers: 200,
      module_results: 200,
      student_progress: [200, 404],
      parent_summary: [200, 404],
    };
    for (const name of functionNames.filter((n) => functions[n].trigger.kind === 'http')) {
      const handle = await loadFunction(name);
      const reply = (await handle(sampleEvent(name), localContext(name))) as {
        statusCode: number;
        body: string;
      };
      const allowed = expected[name as keyof typeof expected];
      expect([allowed].flat(), `${name}: ${reply.body}`).toContain(reply.statusCode);
    }
  });

  it('gives scheduled samples that their handlers run', async () => {
    const handle = await loadFunction('calc_all_stats');
    const summary = await handle(
      { ...(sampleEvent('calc_all_stats') as object), dry_run: true },
      localContext('calc_all_stats'),
    );
    expect(summary).toMatchObject({ job: 'calc_all_stats', dry_run: true });
  });
});
