import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import dynalite from 'dynalite';
import { ensureDataFolder } from './data-folder.ts';
import { EngineKind, type LocalEngine } from './engine.ts';
import {
  EngineAlreadyStartedError,
  EngineNotStartedError,
  EngineOptionsError,
  EngineStartError,
  EngineStopError,
} from './errors.ts';
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

type State = 'idle' | 'starting' | 'running' | 'stopping';

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
export class DynaliteEngine implements LocalEngine {
  readonly kind = EngineKind.Dynalite;
  readonly #port: number;
  readonly #host: string;
  readonly #path: string | undefined;
  #state: State = 'idle';
  #starting: Promise<void> | undefined;
  #server: Server | undefined;
  #endpoint: string | undefined;
  // Keep-alive sockets (the SDK keeps them open) would make server.close() wait for the
  // client to hang up, which a test's client may never do.
  readonly #sockets = new Set<Socket>();

  constructor(options: DynaliteEngineOptions = {}) {
    const port = options.port ?? 0;
    if (!isValidPort(port)) {
      throw new EngineOptionsError(`dynalite port must be an integer in 0..65535, got ${port}`);
    }
    this.#port = port;
    this.#host = options.host ?? '127.0.0.1';
    this.#path = options.path === undefined ? undefined : resolve(options.path);
  }

  get endpoint(): string {
    if (this.#state !== 'running' || this.#endpoint === undefined) {
      throw new EngineNotStartedError(`dynalite engine is ${this.#state}, it has no endpoint`);
    }
    return this.#endpoint;
  }

  /** Always undefined: dynalite runs inside this process. */
  get pid(): number | undefined {
    return undefined;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') {
      throw new EngineAlreadyStartedError(`dynalite engine is already ${this.#state}`);
    }
    this.#state = 'starting';
    this.#starting = this.#start();
    try {
      await this.#starting;
      this.#state = 'running';
    } catch (error) {
      this.#state = 'idle';
      throw error;
    } finally {
      this.#starting = undefined;
    }
  }

  async #start(): Promise<void> {
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
    this.#server = server;
    this.#endpoint = formatEndpoint(this.#host, address.port);
  }

  async stop(): Promise<void> {
    if (this.#state === 'starting') {
      await this.#starting?.catch(() => {});
    }
    const server = this.#server;
    if (this.#state !== 'running' || server === undefined) return;
    this.#state = 'stopping';
    try {
      await closeServer(server, this.#sockets);
    } catch (error) {
      throw new EngineStopError(`dynalite did not shut down cleanly: ${describeError(error)}`, {
        cause: error,
      });
    } finally {
      this.#server = undefined;
      this.#endpoint = undefined;
      this.#state = 'idle';
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
