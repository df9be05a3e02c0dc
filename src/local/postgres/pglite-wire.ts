import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { CANCEL_REQUEST_CODE, SSL_REQUEST_CODE } from '@electric-sql/pglite-socket';

/** The request a client sends to ask for GSSAPI encryption; answered 'N' like SSL. */
const GSSENC_REQUEST_CODE = 80877104;
/** Protocol 3.0, the version of every startup message a current client sends. */
const PROTOCOL_3 = 196_608;
/**
 * Frontend messages after which the client waits for an answer: a unit of work for PGlite ends
 * there. Sync and Query end a request; Flush asks for the answers so far; CopyDone and
 * CopyFail end a COPY FROM STDIN; Terminate says goodbye.
 */
const UNIT_END = new Set(['S', 'Q', 'H', 'c', 'f', 'X']);

/**
 * How {@link PgliteWireServer} listens.
 *
 * @example
 * ```ts
 * const options: PgliteWireServerOptions = { port: 0, maxConnections: 100 };
 * ```
 */
export interface PgliteWireServerOptions {
  /** 0 (the default) lets the OS pick a free port; read it back from `port`. */
  readonly port?: number;
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Connections beyond this get PostgreSQL's "too many connections" error. Defaults to 100. */
  readonly maxConnections?: number;
}

interface Connection {
  readonly id: number;
  readonly socket: Socket;
  started: boolean;
  buffer: Buffer;
}

interface Unit {
  readonly connection: Connection;
  readonly bytes: Uint8Array;
  /** A startup message, whose answer is kept for the clients that connect later. */
  readonly startup: boolean;
}

/**
 * Serves one PGlite over the PostgreSQL wire protocol to many clients at once.
 *
 * PGlite is a single backend: one session, one transaction at a time. This server shares it
 * the only safe way, by turns at the protocol's synchronisation points. Each client's messages
 * are cut into units that end where the client waits for an answer (Sync, Query, Flush, the
 * end of a COPY), a unit runs whole, and while the backend is anywhere but idle (an open
 * transaction, a failed one, the middle of an extended-protocol exchange or a COPY, as told by
 * its last ReadyForQuery) only the client that put it there is served; the others queue. A
 * client that disconnects in that state has its transaction rolled back.
 *
 * Why not `PGLiteSocketServer` from `@electric-sql/pglite-socket` (0.2.x)? Its multiplexer
 * queues single messages, not units, and only holds other clients back inside an explicit
 * transaction. Two clients that wait on a third's transaction both run their Parse, then
 * both their Bind, ... on PGlite's one unnamed statement when it commits, and one of them gets
 * an empty result without any error (reproduced with `pg`: two parameterised SELECTs queued
 * behind a BEGIN ... COMMIT).
 *
 * What clients still share, because there is one session: settings (`SET`), temporary
 * tables, named prepared statements (two clients preparing the same name collide), LISTEN.
 * Statements run one at a time, so a client that waits for another's answer while holding a
 * transaction open (same process, two connections) deadlocks until it gives up.
 *
 * @example
 * ```ts
 * const server = new PgliteWireServer(await PGlite.create(), { port: 0 });
 * await server.start();
 * const client = new pg.Client(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
 * ```
 */
export class PgliteWireServer {
  readonly #db: PGlite;
  readonly #host: string;
  readonly #requestedPort: number;
  readonly #maxConnections: number;
  readonly #connections = new Set<Connection>();
  // Every socket, refused ones included: a refused client may never close its side, and
  // server.close() waits for all of them.
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port: number | undefined;
  #nextId = 1;
  #queue: Unit[] = [];
  // The connection the backend is busy with (in a transaction, mid-exchange); only its units run.
  #owner: Connection | undefined;
  #pumping: Promise<void> | undefined;
  #startupReply: Buffer | undefined;

  constructor(db: PGlite, options: PgliteWireServerOptions = {}) {
    this.#db = db;
    this.#host = options.host ?? '127.0.0.1';
    this.#requestedPort = options.port ?? 0;
    this.#maxConnections = options.maxConnections ?? 100;
  }

  /** The port listened on; undefined before `start()` and after `stop()`. */
  get port(): number | undefined {
    return this.#port;
  }

  /** Open client connections, for tests and diagnostics. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Resolves once listening; rejects (e.g. EADDRINUSE) otherwise. */
  async start(): Promise<void> {
    if (this.#server !== undefined) throw new Error('the PGlite wire server is already started');
    const server = createServer((socket) => this.#accept(socket));
    server.listen(this.#requestedPort, this.#host);
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new Error(`the PGlite wire server listens on an unexpected address ${address}`);
    }
    this.#server = server;
    this.#port = address.port;
  }

  /**
   * Stops listening, disconnects every client and waits for the unit running, if any, so that
   * the caller may close the database afterwards. Resolves at once when not started.
   */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#port = undefined;
    this.#queue = [];
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#connections.clear();
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.#pumping;
  }

  #accept(socket: Socket): void {
    socket.setNoDelay(true);
    // A reset from a client that went away is its business, not an uncaught error of ours.
    socket.on('error', () => {});
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    if (this.#server === undefined) {
      socket.destroy();
      return;
    }
    if (this.#connections.size >= this.#maxConnections) {
      socket.end(
        errorResponse('53300', `sorry, too many clients already (${this.#maxConnections})`),
      );
      // The client may keep its side open after the error; it has nothing more to say.
      socket.setTimeout(1_000, () => socket.destroy());
      return;
    }
    const connection: Connection = {
      id: this.#nextId++,
      socket,
      started: false,
      buffer: Buffer.alloc(0),
    };
    this.#connections.add(connection);
    socket.on('data', (data: Buffer) => this.#receive(connection, data));
    socket.once('close', () => this.#drop(connection));
  }

  #receive(connection: Connection, data: Buffer): void {
    connection.buffer =
      connection.buffer.length === 0 ? data : Buffer.concat([connection.buffer, data]);
    if (!connection.started && !this.#readStartup(connection)) return;
    // Only complete messages up to the last one the client waits after form a unit; the rest
    // stays buffered until more arrives.
    const buffer = connection.buffer;
    let offset = 0;
    let unitEnd = 0;
    while (offset + 5 <= buffer.length) {
      const length = buffer.readInt32BE(offset + 1);
      if (offset + 1 + length > buffer.length) break;
      const type = String.fromCharCode(buffer[offset] ?? 0);
      offset += 1 + length;
      if (type === 'X') {
        // Terminate: PGlite has nothing to do for it, and the session must outlive this client.
        this.#enqueue(connection, buffer.subarray(0, offset - 5));
        connection.buffer = Buffer.alloc(0);
        connection.socket.end();
        return;
      }
      if (UNIT_END.has(type)) unitEnd = offset;
    }
    if (unitEnd === 0) return;
    this.#enqueue(connection, buffer.subarray(0, unitEnd));
    connection.buffer = buffer.subarray(unitEnd);
  }

  /** Handles what comes before the startup message; true once it has been queued. */
  #readStartup(connection: Connection): boolean {
    for (;;) {
      const buffer = connection.buffer;
      if (buffer.length < 8) return false;
      const length = buffer.readInt32BE(0);
      const code = buffer.readInt32BE(4);
      if (buffer.length < length) return false;
      const rest = buffer.subarray(length);
      if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) {
        // No encryption on a loopback test server; the client goes on in plain text.
        connection.socket.write('N');
        connection.buffer = rest;
        continue;
      }
      if (code === CANCEL_REQUEST_CODE) {
        // A statement cannot be interrupted inside PGlite; the protocol expects no answer.
        connection.socket.end();
        connection.buffer = Buffer.alloc(0);
        return false;
      }
      if (code !== PROTOCOL_3) {
        connection.socket.end(errorResponse('0A000', `unsupported protocol ${code}`));
        connection.buffer = Buffer.alloc(0);
        return false;
      }
      connection.started = true;
      if (this.#startupReply !== undefined) {
        // PGlite's startup handling resets its one session, which would end another client's
        // transaction; later clients get the first one's answer (authentication OK, server
        // parameters, ready) without reaching PGlite, so connecting never waits either.
        connection.socket.write(this.#startupReply);
      } else {
        this.#enqueue(connection, buffer.subarray(0, length), true);
      }
      connection.buffer = rest;
      return true;
    }
  }

  #enqueue(connection: Connection, bytes: Uint8Array, startup = false): void {
    if (bytes.length === 0) return;
    // A copy: the connection's buffer is reused and sliced as more data arrives.
    this.#queue.push({ connection, bytes: new Uint8Array(bytes), startup });
    this.#pump();
  }

  #drop(connection: Connection): void {
    this.#connections.delete(connection);
    this.#queue = this.#queue.filter((unit) => unit.connection !== connection);
    this.#pump();
  }

  #pump(): void {
    if (this.#pumping !== undefined) return;
    this.#pumping = this.#runQueue().finally(() => {
      this.#pumping = undefined;
      // A unit may have been queued after the loop saw an empty queue and before it ended.
      if (this.#next() !== undefined) this.#pump();
    });
  }

  async #runQueue(): Promise<void> {
    for (;;) {
      await this.#releaseAbandonedSession();
      const unit = this.#next();
      if (unit === undefined) return;
      this.#queue.splice(this.#queue.indexOf(unit), 1);
      await this.#run(unit);
    }
  }

  /** The owner's first unit while the backend is busy with it, else the oldest unit. */
  #next(): Unit | undefined {
    const owner = this.#owner;
    if (owner !== undefined && this.#connections.has(owner)) {
      return this.#queue.find((unit) => unit.connection === owner);
    }
    return this.#queue[0];
  }

  /** The owner left with the backend mid-transaction: roll back, so others can go on. */
  async #releaseAbandonedSession(): Promise<void> {
    const owner = this.#owner;
    if (owner === undefined || this.#connections.has(owner) || this.#server === undefined) return;
    this.#owner = undefined;
    try {
      // Sync ends an extended-protocol exchange left half done; ROLLBACK a transaction.
      await this.#db.runExclusive(() =>
        this.#db.execProtocolRaw(new Uint8Array([0x53, 0, 0, 0, 4])),
      );
      // exec takes PGlite's own lock, so it runs outside runExclusive.
      await this.#db.exec('ROLLBACK');
    } catch {
      // The database is closing, or nothing was open; either way nobody holds it now.
    }
  }

  async #run({ connection, bytes, startup }: Unit): Promise<void> {
    const { socket } = connection;
    // The last bytes written, to read the final ReadyForQuery's transaction status.
    let tail = Buffer.alloc(0);
    const reply: Buffer[] = [];
    try {
      await this.#db.runExclusive(() =>
        this.#db.execProtocolRawStream(bytes, {
          onRawData: (data) => {
            const chunk = Buffer.from(data);
            if (startup) reply.push(chunk);
            if (socket.writable) socket.write(chunk);
            tail = Buffer.concat([tail, chunk]).subarray(-6);
          },
        }),
      );
    } catch {
      // PGlite itself failed (not an SQL error, which is an answer): this client is lost.
      socket.destroy();
      if (!startup) this.#owner = undefined;
      return;
    }
    if (!startup) {
      this.#owner = isIdle(tail) ? undefined : connection;
    } else if (isIdle(tail) && this.#startupReply === undefined) {
      this.#startupReply = Buffer.concat(reply);
    }
  }
}

/**
 * Whether the backend's answer ended with ReadyForQuery saying "idle": anything else (in a
 * transaction, failed transaction, or no ReadyForQuery yet) keeps the session with the client.
 */
function isIdle(tail: Buffer): boolean {
  return (
    tail.length === 6 &&
    tail[0] === 0x5a && // 'Z'
    tail.readInt32BE(1) === 5 &&
    tail[5] === 0x49 // 'I'
  );
}

/** A FATAL ErrorResponse, as a server sends it before closing a connection it refuses. */
function errorResponse(sqlState: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
