/**
 * The ONE runtime of tests: `createRuntime`, as Lambda, the local stack and `lms invoke`
 * use it, over a test Db, with a fixed clock and a logger that keeps quiet.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../src/config/config.ts';
import type { RunMetrics } from '../../src/observability/metrics.ts';
import type { Db } from '../../src/repositories/db.ts';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.ts';

/** The clock of a test runtime unless a test sets one: 00:05 on 2026-11-25 in Shanghai. */
export const TEST_NOW = new Date('2026-11-24T16:05:00.000Z');

export interface TestRuntimeOptions {
  readonly now?: Date;
  /** Configuration variables (DESIGN section 1), e.g. `{ LMS_TIMEZONE: 'America/New_York' }`. */
  readonly env?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Metrics to read back (`captureMetrics` in `metrics.ts`); default: the quiet logger's. */
  readonly metrics?: RunMetrics;
}

/**
 * @example
 * ```ts
 * const handle = createHandler(() => testRuntime(t.db, { now: new Date('2026-03-05T00:00:00Z') }));
 * ```
 */
export const testRuntime = (db: Db, options: TestRuntimeOptions = {}): Runtime => {
  const now = options.now ?? TEST_NOW;
  // Tests record and aggregate on one clock: answers are folded at once unless a test says.
  return createRuntime(
    'test',
    loadConfig({ LMS_ANSWER_SETTLE_SECONDS: '0', ...options.env }, { sharedClock: true }),
    {
      db,
      now: () => new Date(now),
      logger: options.logger ?? new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
      ...(options.metrics !== undefined && { metrics: options.metrics }),
    },
  );
};
