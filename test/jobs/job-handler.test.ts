/**
 * The job frame's metrics and error lines, through a real stats function on the real
 * engine: a run's counts and duration as EMF, flushed once; a run that throws logs one ERROR
 * line (what the log group's metric filter alarms on) and still flushes `RunsFailed`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_LINE_PATTERN } from '../../infra/constructs/alarms.ts';
import { createDynamoDb } from '../../src/adapters/dynamodb/db.ts';
import { createPostgresDb } from '../../src/adapters/postgres/db.ts';
import { createHandler } from '../../src/functions/calc_class_stats/handler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { StatsSummary } from '../../src/services/stats/summary.ts';
import { matchesFilterPattern } from '../support/filter-pattern.ts';
import { captureLogLines } from '../support/log-lines.ts';
import { captureMetrics } from '../support/metrics.ts';
import { randomOrganisation, storeOrganisation } from '../support/organisation.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, onPostgres, type TestDb } from '../support/test-db.ts';

let t: TestDb;
/** A Db on the real engine whose tables do not exist: every request fails in the engine. */
const missingTables = () =>
  t.postgres !== undefined
    ? createPostgresDb(t.postgres.pg, `${t.prefix}missing-`)
    : createDynamoDb(t.ddb, `${t.prefix}missing-`);
/** The error the engine fails with when a table is missing. */
const MISSING_TABLE_ERROR = () => (onPostgres() ? 'PostgresError' : 'ResourceNotFoundException');
const org = randomOrganisation(5);
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await storeOrganisation(t.db, org);
});
afterAll(() => t.destroy());
afterEach(() => {
  vi.restoreAllMocks();
});

describe('a job run', () => {
  it('emits its records processed, updated, failed and duration, once', async () => {
    const captured = captureMetrics('calc_class_stats');
    const summary = (await createHandler(() => testRuntime(t.db, { metrics: captured.metrics }))(
      {},
    )) as StatsSummary;
    expect(summary.scanned).toBe(org.classes.length);
    expect(summary.updated).toBeGreaterThan(0);
    expect(captured.documents).toHaveLength(1);
    expect(captured.values('RecordsProcessed')).toEqual([summary.scanned]);
    expect(captured.values('RecordsUpdated')).toEqual([summary.updated]);
    expect(captured.values('RecordsFailed')).toEqual([0]);
    expect(captured.values('RunsFailed')).toEqual([0]);
    expect(captured.values('RunDuration')).toEqual([summary.duration_ms]);

    // The second run finds everything written: processed again, nothing updated.
    const again = captureMetrics('calc_class_stats');
    await createHandler(() => testRuntime(t.db, { metrics: again.metrics }))({});
    expect(again.values('RecordsProcessed')).toEqual([org.classes.length]);
    expect(again.values('RecordsUpdated')).toEqual([0]);
  });

  it('that throws logs one ERROR line with the error, flushes RunsFailed and rethrows', async () => {
    const captured = captureMetrics('calc_class_stats');
    const runtime = {
      ...testRuntime(missingTables(), { metrics: captured.metrics }),
      logger: createLogger('calc_class_stats', 'info'),
    };
    const lines = captureLogLines();
    const error = await createHandler(() => runtime)({}).catch((e: unknown) => e);
    vi.restoreAllMocks();
    expect(error).toMatchObject({ name: MISSING_TABLE_ERROR() });
    const matched = lines.filter((line) =>
      matchesFilterPattern(ERROR_LINE_PATTERN.logPatternString, line),
    );
    expect(matched.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        message: 'calc_class_stats run threw',
        error: expect.objectContaining({ name: MISSING_TABLE_ERROR() }),
      }),
    ]);
    expect(captured.values('RunsFailed')).toEqual([1]);
    expect(captured.values('RecordsProcessed')).toEqual([]);
  });

  it('with an event it cannot parse fails the same way (a schedule to fix)', async () => {
    const captured = captureMetrics('calc_class_stats');
    const runtime = testRuntime(t.db, { metrics: captured.metrics });
    await expect(createHandler(() => runtime)({ dry_run: 'yes' })).rejects.toThrow(/dry_run/);
    expect(captured.values('RunsFailed')).toEqual([1]);
  });
});
