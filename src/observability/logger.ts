import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../config/config.ts';

const powertoolsLevel = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
} as const satisfies Record<LogLevel, string>;

/**
 * A structured JSON logger (Powertools for AWS Lambda) named after the function it serves,
 * at the configured `LOG_LEVEL`.
 *
 * @example
 * ```ts
 * const logger = createLogger('calc_all_stats', 'info');
 * logger.info('stats written', { updated: 3 });
 * ```
 */
export const createLogger = (service: string, level: LogLevel): Logger =>
  new Logger({ serviceName: service, logLevel: powertoolsLevel[level] });

export type { Logger };
