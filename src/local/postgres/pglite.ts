import { open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ensureDataFolder } from '../aws/engines/data-folder.ts';
import { BaseEngine, type RunningEngine } from '../aws/engines/engine.ts';
import { EngineStartError, EngineStopError } from '../aws/engines/errors.ts';
import { isProcessAlive } from '../aws/engines/process.ts';
import { describeError } from '../aws/engines/ready.ts';
import {
  checkedListenOptions,
  formatDatabaseUrl,
  type LocalPostgresEngine,
  PostgresEngineKind,
} from './engine.ts';
import { PgliteWireServer } from './pglite-wire.ts';

/**
 * Where and how the in-process PGlite stores and listens.
 *
 * @example
 * ```ts
 * const options: PgliteEngineOptions = { path: '.data/pglite', port: 5432 };
 * ```
 */
export interface PgliteEngineOptions {
  /**
   * A folder for the database, created (and initialised) if missing. Omit to keep everything
   * in memory. One running engine per folder: a lock file in it says whose it is.
   */
  readonly path?: string;
  /** 0 (the default) lets the OS pick a free port; read it back from `databaseUrl`. */
  readonly port?: number;
  /** Defaults to 127.0.0.1, so that the database is not reachable from the network. */
  readonly host?: string;
  /** How many clients may be connected at once (they take turns, see README). Defaults to 100. */
  readonly maxConnections?: number;
}

/** The lock file a running PgliteEngine keeps in its folder: the pid of the process using it. */
export const PGLITE_LOCK_FILE = 'lms-pglite.pid';

interface RunningPglite extends RunningEngine {
  readonly db: PGlite;
  readonly server: PgliteWireServer;
  readonly lock: string | undefined;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly; 18.x in PGlite 0.5) run inside this process and
 * served over the PostgreSQL wire protocol on 127.0.0.1, so `pg`, `psql` and any other client
 * connect to it as to a server. Needs nothing installed; starts in a few seconds.
 *
 * Several clients may connect at once (a stack and `lms` commands, a `pg.Pool`), but PGlite is
 * one session: statements run one at a time, a client's open transaction makes the others
 * wait until it ends, and session state (`SET`, temporary tables, prepared statement names) is
 * shared. See {@link PgliteWireServer}. Any user name, password and database name are accepted
 * and all mean user `postgres`, database `postgres`.
 *
 * @example
 * ```ts
 * const engine = new PgliteEngine({ path: '.data/pglite' });
 * await engine.start();
 * console.log(engine.databaseUrl); // postgres://postgres@127.0.0.1:39117/postgres
 * await engine.stop();
 * ```
 */
export class PgliteEngine
  extends BaseEngine<RunningPglite, PostgresEngineKind>
  implements LocalPostgresEngine
{
  readonly kind = PostgresEngineKind.Pglite;
  readonly #path: string | undefined;
  readonly #port: number;
  readonly #host: string;
  readonly #maxConnections: number;

  constructor(options: PgliteEngineOptions = {}) {
    super('PGlite');
    const { port, maxConnections } = checkedListenOptions('PGlite', options, 100);
    this.#port = port;
    this.#host = options.host ?? '127.0.0.1';
    this.#maxConnections = maxConnections;
    this.#path = options.path === undefined ? undefined : resolve(options.path);
  }

  /** The connection string; throws EngineNotStartedError unless running. */
  get databaseUrl(): string {
    return this.endpoint;
  }

  protected override async launch(): Promise<RunningPglite> {
    let lock: string | undefined;
    if (this.#path !== undefined) {
      await ensureDataFolder(this.#path, 'PGlite');
      lock = await acquireLock(this.#path);
    }
    let db: PGlite | undefined;
    try {
      try {
        db = await PGlite.create(this.#path === undefined ? {} : { dataDir: this.#path });
      } catch (error) {
        throw new EngineStartError(
          `PGlite cannot open ${this.#path ?? 'an in-memory database'}: ${describeError(error)}`,
          { cause: error },
        );
      }
      const server = new PgliteWireServer(db, {
        port: this.#port,
        host: this.#host,
        maxConnections: this.#maxConnections,
      });
      try {
        await server.start();
      } catch (error) {
        throw new EngineStartError(
          `PGlite cannot listen on ${this.#host}:${this.#port}: ${describeError(error)}`,
          { cause: error },
        );
      }
      const port = server.port ?? this.#port;
      return { db, server, lock, endpoint: formatDatabaseUrl(this.#host, port) };
    } catch (error) {
      await db?.close().catch(() => {});
      if (lock !== undefined) await rm(lock, { force: true });
      throw error;
    }
  }

  protected override async shutdown({ db, server, lock }: RunningPglite): Promise<void> {
    try {
      await server.stop();
      // Closing flushes a persisted database to its folder.
      await db.close();
    } catch (error) {
      throw new EngineStopError(`PGlite did not shut down cleanly: ${describeError(error)}`, {
        cause: error,
      });
    } finally {
      if (lock !== undefined) await rm(lock, { force: true });
    }
  }
}

/**
 * Claims `folder` for this process with a lock file holding our pid. PGlite itself does not
 * lock its folder, and two instances on one folder would corrupt it. A lock left by a process
 * that no longer runs is taken over.
 */
async function acquireLock(folder: string): Promise<string> {
  const lock = join(folder, PGLITE_LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new EngineStartError(`cannot lock PGlite folder ${folder}: ${describeError(error)}`, {
          cause: error,
        });
      }
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
      const who = holder === process.pid ? 'another engine of this process' : `pid ${holder}`;
      throw new EngineStartError(
        `PGlite folder ${folder} is in use by ${who} (lock file ${lock}); stop it first, or ` +
          'remove the lock file if that process is not an lms engine',
      );
    }
    // The holder is gone: the lock is stale.
    await rm(lock, { force: true });
  }
  throw new EngineStartError(
    `cannot lock PGlite folder ${folder}: another process keeps taking it`,
  );
}
