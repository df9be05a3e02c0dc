import { EngineOptionsError } from '../aws/engines/errors.ts';
import type { LocalPostgresEngine, PostgresEngineOptions } from './engine.ts';
import { PgliteEngine } from './pglite.ts';
import { PostgresServerEngine } from './postgres-server.ts';

export {
  EngineAlreadyStartedError,
  EngineNotStartedError,
  EngineOptionsError,
  EngineStartError,
  EngineStopError,
} from '../aws/engines/errors.ts';
export { findPostgresBinaries, type PostgresBinaries } from './binaries.ts';
export {
  formatDatabaseUrl,
  isPostgresEngineKind,
  type LocalPostgresEngine,
  POSTGRES_ENGINE_KINDS,
  PostgresEngineKind,
  type PostgresEngineOptions,
} from './engine.ts';
export { PGLITE_LOCK_FILE, PgliteEngine, type PgliteEngineOptions } from './pglite.ts';
export { PgliteWireServer, type PgliteWireServerOptions } from './pglite-wire.ts';
export {
  POSTGRES_TEMP_PREFIX,
  PostgresServerEngine,
  type PostgresServerEngineOptions,
  waitForPostgres,
} from './postgres-server.ts';

/**
 * Builds (does not start) the PostgreSQL engine `options.kind` names. Options that do not apply
 * to that kind are ignored, so one options object read from flags/env can be passed whatever
 * the kind.
 *
 * @throws {EngineOptionsError} for a bad port or connection limit.
 *
 * @example
 * ```ts
 * const engine = createPostgresEngine({ kind: 'pglite', path: '.data/pglite' });
 * await engine.start();
 * process.env.DATABASE_URL = engine.databaseUrl;
 * ```
 */
export function createPostgresEngine(options: PostgresEngineOptions): LocalPostgresEngine {
  switch (options.kind) {
    case 'pglite':
      return new PgliteEngine({
        path: options.path,
        port: options.port,
        maxConnections: options.maxConnections,
      });
    case 'postgres':
      return new PostgresServerEngine({
        path: options.path,
        port: options.port,
        maxConnections: options.maxConnections,
        startTimeoutMs: options.startTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
        unsafeNoFsync: options.unsafeNoFsync,
      });
    default: {
      const kind: never = options.kind;
      throw new EngineOptionsError(`unknown PostgreSQL engine kind ${JSON.stringify(kind)}`);
    }
  }
}
