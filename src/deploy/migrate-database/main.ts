/** `migrate_database`: the deploy-time migrations (`handler.ts`), as Lambda runs them. */
import { connectTables } from '../../adapters/connect.ts';
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../observability/logger.ts';
import { createMigrateHandler, MIGRATE_DATABASE } from './handler.ts';

const config = loadConfig(process.env);

// A connection per invocation, closed at its end: a deploy invokes it once, and a pool kept
// for the container's life would hold a proxy connection for nothing.
export const handle = createMigrateHandler(
  () => connectTables(config),
  createLogger(MIGRATE_DATABASE, config.logLevel),
);
