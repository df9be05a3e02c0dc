import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../src/config/config.ts';
import type { Runtime } from '../../src/functions/runtime.ts';
import type { Db } from '../../src/repositories/db.ts';

/** A function runtime over a test Db, with a fixed clock and a silent logger. */
export const testRuntime = (
  db: Db,
  options: { now?: Date; env?: Record<string, string> } = {},
): Runtime => {
  const now = options.now ?? new Date('2026-11-24T16:05:00.000Z');
  return {
    config: loadConfig(options.env ?? {}),
    db,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    now: () => new Date(now),
  };
};
