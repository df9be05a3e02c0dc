import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionNames, functions } from '../../src/catalog/functions.ts';
import { sampleEvent } from '../../src/local/events/samples.ts';
import { localContext } from '../../src/local/invoke/lambda-context.ts';
import { loadFunction } from '../../src/local/invoke/load-function.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';
import { writeSeed } from '../../src/seed/write.ts';
import { testRuntime } from '../support/runtime.ts';
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
});
afterAll(async () => {
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
      // The review views answer 404 until the aggregate job has folded the student's answers.
      student_review: [200, 404],
      class_review: [200, 404],
    };
    for (const name of functionNames.filter((n) => functions[n].trigger.kind === 'http')) {
      const handle = await loadFunction(name, testRuntime(t.db, { now: new Date() }));
      const reply = (await handle(sampleEvent(name), localContext(name))) as {
        statusCode: number;
        body: string;
      };
      const allowed = expected[name as keyof typeof expected];
      // A new HTTP function needs its expected status here, said plainly.
      expect(allowed, `${name}: no expected status`).toBeDefined();
      expect([allowed].flat(), `${name}: ${reply.body}`).toContain(reply.statusCode);
    }
  });

  it('gives scheduled samples that their handlers run', async () => {
    const handle = await loadFunction('calc_all_stats', testRuntime(t.db, { now: new Date() }));
    const summary = await handle(
      { ...(sampleEvent('calc_all_stats') as object), dry_run: true },
      localContext('calc_all_stats'),
    );
    expect(summary).toMatchObject({ job: 'calc_all_stats', dry_run: true });
  });
});
