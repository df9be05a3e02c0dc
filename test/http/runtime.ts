/** A function runtime over a test Db, with a fixed clock and a logger that keeps quiet. */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../src/config/config.ts';
import type { Runtime } from '../../src/functions/runtime.ts';
import type { Db } from '../../src/repositories/db.ts';

export interface TestRuntimeOptions {
  readonly timezone?: string;
  readonly now?: Date;
  readonly logger?: Logger;
}

/**
 * @example
 * ```ts
 * const handle = createModuleResultsHandler(() => testRuntime(t.db, { timezone: 'Asia/Shanghai' }));
 * ```
 */
export const testRuntime = (db: Db, options: TestRuntimeOptions = {}): Runtime => {
  const now = options.now ?? new Date('2026-03-05T00:00:00.000Z');
  return {
    config: loadConfig({ LMS_TIMEZONE: options.timezone ?? 'Asia/Shanghai' }),
    db,
    logger: options.logger ?? new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    now: () => now,
  };
};

/** The JSON body of a reply (every reply of the HTTP API is JSON). */
export const bodyOf = (reply: { readonly body?: string | undefined }): unknown =>
  JSON.parse(reply.body ?? 'null');
