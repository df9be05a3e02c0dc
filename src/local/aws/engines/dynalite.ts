import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import dynalite from 'dynalite';
import { ensureDataFolder } from './data-folder.ts';
import { BaseEngine, EngineKind, type RunningEngine } from './engine.ts';
import { EngineOptionsError, EngineStartError, EngineStopError } from './errors.ts';
import { formatEndpoint, isValidPort } from './network.ts';
import { describeError } from './ready.ts';

/**
 * Where and how the embedded dynalite listens and stores.
 *
 * @example
 * ```ts
 * const options: DynaliteEngineOptions = { port: 8000, path: '.data/dynalite' };
 * ```
 */
export interface DynaliteEngineOptions {
  /** 0 (the default) lets the OS pick a free port; read it back from `endpoint`. */
  readonly port?: number;
  /** Defaults to 127.0.0.1, so that the emulator is not reachable from the network. */
  readonly host?: string;
  /**
   * A folder for the LevelDB store, created if missing. Omit to keep everything in memory.
   * One running engine per folder: LevelDB locks it.
   */
  readonly path?: string;
}

interface RunningDynalite extends RunningEngine {
  readonly server: Server;
}

/**
 * dynalite (a pure-JS DynamoDB emulator) served from this process. Starts in milliseconds and
 * needs no Java, which makes it the default for tests and `lms start`.
 *
 * Tables are created, updated and deleted instantly (no CREATING state), so code under test
 * never has to wait for a table to become ACTIVE.
 *
 * @example
 * ```ts
 * const engine = new DynaliteEngine({ path: '.data/dynalite' });
 * await engine.start();
 * console.log(engine.endpoint); // http://127.0.0.1:39117
 * await engine.stop();
 * ```
 */
export class DynaliteEngine extends BaseEngine<RunningDynalite> {
  readonly kind = EngineKind.Dynalite;
  readonly #port: number;
  readonly #host: string;
  readonly #path: string | undefined;
  // Keep-alive sockets (the SDK keeps them open) would make server.close() wait for the
  // client to hang up, which a test's client may never do.
  readonly #sockets = new Set<Socket>();

  constructor(options: DynaliteEngineOptions = {}) {
    super('dynalite');
    const port = options.port ?? 0;
    if (!isValidPort(port)) {
      throw new EngineOptionsError(`dynalite port must be an integer in 0..65535, got ${port}`);
    }
    this.#port = port;
    this.#host = options.host ?? '127.0.0.1';
    this.#path = options.path === undefined ? undefined : resolve(options.path);
  }

  protected override async launch(): Promise<RunningDynalite> {
    if (this.#path !== undefined) {
      await ensureDataFolder(this.#path, 'dynalite');
    }
    const server = dynalite({
      ...(this.#path === undefined ? {} : { path: this.#path }),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    try {
      server.listen(this.#port, this.#host);
      await once(server, 'listening');
    } catch (error) {
      await releaseStore(server);
      throw new EngineStartError(
        `dynalite cannot listen on ${this.#host}:${this.#port}: ${describeError(error)}`,
        { cause: error },
      );
    }
    const address = server.address();
    if (address === null || typeof address === 'string') {
      await closeServer(server, this.#sockets).catch(() => {});
      throw new EngineStartError(`dynalite is listening on an unexpected address ${address}`);
    }
    return { server, endpoint: formatEndpoint(this.#host, address.port) };
  }

  protected override async shutdown({ server }: RunningDynalite): Promise<void> {
    try {
      await closeServer(server, this.#sockets);
    } catch (error) {
      throw new EngineStopError(`dynalite did not shut down cleanly: ${describeError(error)}`, {
        cause: error,
      });
    }
  }
}

/**
 * Closes the listener (dynalite's close also closes its LevelDB store, which flushes it and
 * releases the folder's lock) and ends open connections so that close can finish.
 */
function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolvePromise, reject) =>
    server.close((error?: Error) => (error ? reject(error) : resolvePromise())),
  );
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  return closed;
}

/**
 * After a failed listen, dynalite's close fails before reaching the store (the server is not
 * running), which would leave a persisted folder locked for the rest of this process. Binding
 * an ephemeral port first lets close run its full path.
 */
async function releaseStore(server: Server): Promise<void> {
  try {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  } catch {
    // Best effort: the original listen error is the one worth reporting.
  }
}
