/**
 * The HTTP frame when something of ours fails: a real handler over a real engine whose
 * tables are missing answers a 500 that reveals nothing, and writes exactly one log line
 * that the stack's metric filter counts as an error (so the 500 alarms: see
 * test/infra/alarms.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_LINE_PATTERN } from '../../infra/constructs/alarms.ts';
import { createDynamoDb } from '../../src/adapters/dynamodb/db.ts';
import { createPostgresDb } from '../../src/adapters/postgres/db.ts';
import { createHandler as createModuleResultsHandler } from '../../src/functions/module_results/handler.ts';
import { createHandler as createRecordAnswersHandler } from '../../src/functions/record_answers/handler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import {
  bodyOf,
  claimsFor,
  lambdaContext,
  moduleResultsEvent,
  postAnswersEvent,
} from '../support/events.ts';
import { matchesFilterPattern } from '../support/filter-pattern.ts';
import { captureLogLines } from '../support/log-lines.ts';
import { captureMetrics } from '../support/metrics.ts';
import { testRuntime } from '../support/runtime.ts';
import { createTestDb, onPostgres, type TestDb } from '../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
});
afterAll(() => t.destroy());
afterEach(() => {
  vi.restoreAllMocks();
});

const answer = {
  answer_id: 'a-1',
  student_id: 's-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-11-24T08:15:00Z',
};

/** A Db on the real engine whose tables do not exist: every request fails in the engine. */
const missingTables = () =>
  t.postgres !== undefined
    ? createPostgresDb(t.postgres.pg, `${t.prefix}missing-`)
    : createDynamoDb(t.ddb, `${t.prefix}missing-`);
/** The error the engine fails with when a table is missing. */
const MISSING_TABLE_ERROR = () => (onPostgres() ? 'PostgresError' : 'ResourceNotFoundException');

const errorLines = (lines: readonly string[]) =>
  lines.filter((line) => matchesFilterPattern(ERROR_LINE_PATTERN.logPatternString, line));

describe('a 500 of an HTTP function', () => {
  it('is one ERROR line with the error, matching the metric filter, and a reply without internals', async () => {
    const runtime = {
      ...testRuntime(missingTables()),
      logger: createLogger('record_answers', 'info'),
    };
    const event = postAnswersEvent({ answers: [answer] }, claimsFor('service', 'lms-app'));
    const lines = captureLogLines();
    const reply = await createRecordAnswersHandler(() => runtime)(
      event,
      lambdaContext('record_answers'),
    );
    vi.restoreAllMocks();

    expect(reply.statusCode).toBe(500);
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'INTERNAL_ERROR',
        message: 'internal error; the request id identifies it in the logs',
      },
    });
    expect(reply.body).not.toMatch(/missing-|ResourceNotFound|PostgresError|does not exist|\bat /);

    const matched = errorLines(lines);
    expect(matched).toHaveLength(1);
    const line = JSON.parse(matched[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      service: 'record_answers',
      route: 'POST /answers',
      error: { name: MISSING_TABLE_ERROR(), stack: expect.stringContaining('\n') },
    });
    // API Gateway's request id: the runbook's first command finds the line by it.
    expect(line.correlation_id).toBe(event.requestContext.requestId);
  });

  it('a refused request is not an error line (a client mistake is logged at INFO)', async () => {
    const runtime = { ...testRuntime(t.db), logger: createLogger('module_results', 'info') };
    const lines = captureLogLines();
    const reply = await createModuleResultsHandler(() => runtime)(
      moduleResultsEvent('c-none', 'm-1', claimsFor('admin', 'admin')),
      lambdaContext('module_results'),
    );
    vi.restoreAllMocks();
    expect(reply.statusCode).toBe(404);
    expect(lines.length).toBeGreaterThan(0);
    expect(errorLines(lines)).toEqual([]);
  });

  it('flushes the metrics of an invocation whose route threw', async () => {
    const captured = captureMetrics('record_answers');
    const runtime = testRuntime(t.db, { metrics: captured.metrics });
    const bad = await createRecordAnswersHandler(() => runtime)(
      postAnswersEvent(
        { answers: [{ ...answer, correct: 'yes' }] },
        claimsFor('service', 'lms-app'),
      ),
    );
    expect(bad.statusCode).toBe(400);
    expect(captured.values('AnswerRequestsRejected', { code: 'VALIDATION_FAILED' })).toEqual([1]);
  });
});
