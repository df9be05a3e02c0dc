/**
 * A TCP proxy in front of a PostgreSQL server that injects faults per statement, the
 * PostgreSQL counterpart of `fault-proxy.ts`: the real `pg` driver (its error parsing, its
 * pool) runs, not a mocked client. The proxy reads the wire protocol's framing both ways (the
 * startup packet and SSLRequest have no type byte; every later message is 1 type byte and an
 * int32 length), so it sees each statement: a simple Query ('Q'), or an extended-protocol
 * batch up to its Sync (Parse 'P' with the SQL text, Bind 'B', Execute 'E', ...; the SQL of a
 * named prepared statement is remembered from its Parse). Each statement is decided by the
 * first rule that matches it (its SQL, whether it writes, the tables it names, a predicate)
 * and draws it (a seeded chance, the n-th match), at most `times` times:
 *
 * - `drop-before`: the client's connection is destroyed without forwarding: the statement
 *   never ran (a connection error for the caller; an open transaction is rolled back);
 * - `drop-after`: forwarded; once the server's ReadyForQuery of that statement has arrived
 *   (it committed, under autocommit) the client's connection is destroyed instead of being
 *   answered: the write took effect, the caller sees a connection error (DynamoDB's `lost`);
 * - `delay`: forwarded after the rule's `delayMs` (25 ms by default); a connection's
 *   messages keep their order, the statement is only held;
 * - `serialization`: answered with ErrorResponse 40001 "could not serialize access due to
 *   concurrent update" and ReadyForQuery, not forwarded;
 * - `statement-timeout`: likewise with 57014 "canceling statement due to statement timeout",
 *   after the rule's `delayMs` (0 by default);
 * - `internal-error`: answered with XX000 "internal error", not forwarded: an error the
 *   adapter does not retry (`isTransient`), so the caller stops there (DynamoDB's `crash`);
 * - `internal-error-after`: forwarded; once it has run (and committed, under autocommit) the
 *   server's reply is replaced by that XX000 error (DynamoDB's `crash-after`);
 * - `too-many-connections` (a connection rule, decided at the startup packet): answered
 *   with the FATAL ErrorResponse 53300 "sorry, too many clients already", then closed.
 *
 * The injected errors are framed as PostgreSQL frames them (fields S, V, C, M), so `pg`
 * rejects with an error whose `.code` is the SQLSTATE. Outside a transaction their
 * ReadyForQuery says idle ('I'). Inside one (the server's last ReadyForQuery said 'T') the
 * client's statement is replaced by a statement that fails on the server (`SELECT 1/0`,
 * whose own reply is swallowed), so the server's transaction really is aborted, as it would
 * be after a real serialization failure: the client sees 'E', a later COMMIT rolls back and
 * any other statement fails with 25P02, exactly as on PostgreSQL.
 *
 * An extended batch the client flushes ('H') before its Sync (to read rows before syncing)
 * is forwarded at the Flush and decided at its first Execute: an injected error is sent at
 * once and the ReadyForQuery at the client's Sync (what PostgreSQL does after an error), and
 * a `drop-after` sends the Sync itself, so the statement commits before the connection is
 * destroyed. (An error injected into a flushed batch inside a transaction says 'E' without
 * aborting the server's transaction.) A Parse answered by an injected error never reached
 * the server, so `pg` does not take a named statement for prepared (it would, had PostgreSQL
 * failed at the Execute): harmless, it parses again next time.
 *
 * `statements` records each statement (seq, connection, sql, writes, tables, fault, outcome,
 * SQLSTATE), `connections` each startup, `injected` the faults by kind; `record: false`
 * skips the records. `setRules` replaces the rules and restarts their counts, `clear` also
 * forgets the records. `pool()` builds a `pg` Pool on `url`, ended by `stop()`;
 * `usePgFaultProxies` (fault-proxies.ts) stops the proxies after each test.
 *
 * `latencyMs` holds every statement that long before it is decided and forwarded. SSL is
 * refused ('N' to SSLRequest and GSSENCRequest: `pg` then goes on in plain text; with
 * `ssl` required it fails). A CancelRequest is passed to the server on its own connection.
 *
 * Writes are INSERT, UPDATE, DELETE and MERGE, also inside a CTE; tables are read from the
 * SQL by their keyword (FROM, JOIN, INTO, UPDATE, TABLE, USING), best effort: a rule's
 * `table` is a substring of one of them.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { seeded } from '../../src/seed/random.ts';
import { RuleCounts, type RuleDraw } from './fault-rules.ts';

export const PG_FAULT_KINDS = [
  'drop-before',
  'drop-after',
  'delay',
  'serialization',
  'statement-timeout',
  'too-many-connections',
  'internal-error',
  'internal-error-after',
] as const;
export type PgFaultKind = (typeof PG_FAULT_KINDS)[number];
export type PgStatementFault = Exclude<PgFaultKind, 'too-many-connections'>;

/** The transaction status of a ReadyForQuery: idle, in a transaction, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** One statement as the proxy saw it. */
export interface PgStatement {
  /** 1-based, in arrival order over every connection. */
  readonly seq: number;
  /** The proxy's 1-based number of the client connection. */
  readonly connection: number;
  readonly protocol: 'simple' | 'extended';
  /** The SQL text (the statements of one extended batch joined by `;\n`). */
  readonly sql: string;
  /** Whether it inserts, updates, deletes or merges (also inside a CTE). */
  readonly writes: boolean;
  /** The tables it names, as written (unquoted; lower case unless quoted). */
  readonly tables: readonly string[];
  /** The fault injected, if any. */
  fault?: PgFaultKind;
  /** `pending` until its ReadyForQuery; `error` when the server (or the proxy) answered an error. */
  outcome: 'pending' | 'ok' | 'error' | 'dropped';
  /** The SQLSTATE of the error the client was given. */
  code?: string;
  /** The parameters of its Bind (text format; `null` for NULL and binary values). */
  readonly params: (string | null)[];
  /** Rows the server sent back (DataRow messages). */
  rows: number;
  /** The rule that injected {@link fault}. */
  rule?: PgFaultRule;
}

/** One connection attempt (a startup packet). */
export interface PgConnectionAttempt {
  /** 1-based, the same numbering as {@link PgStatement.connection}. */
  readonly connection: number;
  readonly user: string | undefined;
  readonly database: string | undefined;
  fault?: PgFaultKind;
}

interface PgRuleDraw extends RuleDraw {
  /** Injections at most. */
  readonly times?: number;
}

export interface PgStatementRule extends PgRuleDraw {
  readonly fault: PgStatementFault;
  readonly sqlPattern?: RegExp;
  /** Only statements that write (true) or only those that do not (false). */
  readonly writes?: boolean;
  /** A substring of one of the statement's tables. */
  readonly table?: string;
  readonly predicate?: (statement: PgStatement) => boolean;
  /** `delay`: how long the statement is held (25 ms by default); `statement-timeout`: before the error (0). */
  readonly delayMs?: number;
}

export interface PgConnectionRule extends PgRuleDraw {
  readonly fault: 'too-many-connections';
  readonly predicate?: (attempt: PgConnectionAttempt) => boolean;
}

export type PgFaultRule = PgStatementRule | PgConnectionRule;

export interface PgFaultProxyOptions {
  /** The server's URL (`postgres://user@host:port/db`). */
  readonly target: string;
  readonly seed?: number;
  readonly rules?: readonly PgFaultRule[];
  /** Every statement is held this long before it is forwarded (0 by default). */
  readonly latencyMs?: number;
  /** Keep every statement and connection attempt (true by default). */
  readonly record?: boolean;
  /** Awaited before a statement is decided: lets a test hold it (messages wait, in order). */
  readonly before?: (statement: PgStatement) => Promise<void> | void;
  /** Called once the server has answered a forwarded statement (its ReadyForQuery came). */
  readonly after?: (statement: PgStatement) => void;
}

/** `delay` without a `delayMs`. */
const DEFAULT_DELAY_MS = 25;

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

const INJECTED_ERRORS = {
  serialization: { code: '40001', message: 'could not serialize access due to concurrent update' },
  'statement-timeout': { code: '57014', message: 'canceling statement due to statement timeout' },
  'internal-error': { code: 'XX000', message: 'internal error (injected)' },
  'internal-error-after': { code: 'XX000', message: 'internal error (injected)' },
} as const;

/** What replaces a statement injected inside a transaction: it fails on the server, aborting it. */
const POISON_SQL = 'SELECT 1/0';

const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));

/** A message of the protocol: the type byte, the int32 length (itself included), the body. */
const message = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};

/** An ErrorResponse as PostgreSQL frames it: severity (S, V), SQLSTATE (C), message (M). */
export const errorResponse = (severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer =>
  message('E', Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`, 'utf8'));

export const readyForQuery = (status: TransactionStatus): Buffer =>
  message('Z', Buffer.from(status, 'latin1'));

const queryMessage = (sql: string): Buffer => message('Q', Buffer.from(`${sql}\0`, 'utf8'));

const SYNC = message('S', Buffer.alloc(0));

/** The NUL-terminated string at `offset`, and the offset after it. */
const cstring = (buffer: Buffer, offset: number): [string, number] => {
  const end = buffer.indexOf(0, offset);
  const stop = end === -1 ? buffer.length : end;
  return [buffer.toString('utf8', offset, stop), stop + 1];
};

/** The SQL without comments and with string literals and quoted names' contents kept apart. */
const stripSql = (sql: string): string =>
  sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''");

/** Whether the SQL inserts, updates, deletes or merges (also in a CTE: `WITH x AS (DELETE ...)`). */
export const sqlWrites = (sql: string): boolean => {
  const stripped = stripSql(sql);
  return stripped.split(';').some((part) => {
    const head = /^[\s(]*(\w+)/.exec(part)?.[1]?.toLowerCase();
    if (head === 'insert' || head === 'update' || head === 'delete' || head === 'merge') {
      return true;
    }
    if (head !== 'with') return false;
    return /\binsert\s+into\b|\bdelete\s+from\b|\bmerge\s+into\b|\bupdate\s+(?:only\s+)?(?:"[^"]+"|[\w$.]+)(?:\s+(?:as\s+)?\w+)?\s+set\b/i.test(
      part,
    );
  });
};

const NOT_TABLES = new Set([
  'set',
  'of',
  'skip',
  'nowait',
  'select',
  'lateral',
  'only',
  'where',
  'values',
  'default',
  'nothing',
]);

/** The tables the SQL names after FROM, JOIN, INTO, UPDATE, TABLE or USING (best effort). */
export const sqlTables = (sql: string): string[] => {
  const stripped = stripSql(sql);
  const name = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
  const pattern = new RegExp(
    String.raw`\b(from|join|into|update|table|using)\s+(?:only\s+)?(${name}(?:\.${name})?)(\s*\()?`,
    'gi',
  );
  const tables: string[] = [];
  for (const match of stripped.matchAll(pattern)) {
    const keyword = match[1]?.toLowerCase();
    const raw = match[2] ?? '';
    // `FROM f(...)`: a function; `INTO t (a, b)` is a table with its columns.
    if (match[3] !== undefined && (keyword === 'from' || keyword === 'join')) continue;
    const table = raw
      .split('.')
      .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toLowerCase()))
      .join('.');
    if (NOT_TABLES.has(table) || tables.includes(table)) continue;
    tables.push(table);
  }
  return tables;
};

/**
 * What the proxy does with the server's reply to one message batch (up to its ReadyForQuery).
 * Mutable: an extended batch partly forwarded at a Flush is decided when its Execute comes.
 */
interface Pending {
  statement?: PgStatement;
  /**
   * `forward`: delivered; `drop-after`: withheld, the client's connection destroyed at its
   * ReadyForQuery; `replace`: withheld, `reply` written instead at its ReadyForQuery;
   * `synthetic`: nothing was forwarded, `reply` is written at its turn.
   */
  mode: 'forward' | 'drop-after' | 'replace' | 'synthetic';
  reply?: (status: TransactionStatus) => Buffer;
  /** `drop-after` of a batch the client has not synced yet: the proxy sent the Sync. */
  synced?: boolean;
}

/** One client connection and its server connection. */
interface Link {
  readonly id: number;
  readonly client: Socket;
  upstream?: Socket;
  clientBuffer: Buffer;
  serverBuffer: Buffer;
  started: boolean;
  closed: boolean;
  /** The status of the server's last ReadyForQuery. */
  status: TransactionStatus;
  /** The SQL of the prepared statements by name ('' the unnamed one). */
  readonly prepared: Map<string, string>;
  /** The extended-protocol messages received since the last Sync. */
  batch: Buffer[];
  batchSql: string[];
  batchParams: (string | null)[];
  batchExecutes: boolean;
  /**
   * After an error injected at a Flush, messages are ignored until Sync, which gets a
   * ReadyForQuery from the proxy (`reply`) or, if part of the batch reached the server, is
   * forwarded (`forward`).
   */
  discarding: 'reply' | 'forward' | undefined;
  /** The entry of an extended batch partly forwarded (at a Flush) and not yet synced. */
  open: Pending | undefined;
  readonly pending: Pending[];
  /** The connection's messages, handled one after the other. */
  chain: Promise<void>;
}

/**
 * @example
 * ```ts
 * const proxy = await new PgFaultProxy({ target: 'postgres://postgres@127.0.0.1:5432/postgres',
 *   rules: [{ fault: 'drop-after', writes: true, table: 'answers', nth: 1 }] }).start();
 * const pool = proxy.pool();
 * // ... run jobs on pool ...
 * proxy.injected['drop-after']; // how many were injected
 * await proxy.stop();
 * ```
 */
export class PgFaultProxy {
  /** Every statement seen, in arrival order (unless `record: false`). */
  readonly statements: PgStatement[] = [];
  /** Every connection attempt (unless `record: false`). */
  readonly connections: PgConnectionAttempt[] = [];
  /** Faults injected, by kind. */
  readonly injected: Record<PgFaultKind, number> = Object.fromEntries(
    PG_FAULT_KINDS.map((kind) => [kind, 0]),
  ) as Record<PgFaultKind, number>;
  /** Statements forwarded to the server. */
  forwarded = 0;
  /** Statements seen (also when not recorded). */
  seen = 0;
  before: PgFaultProxyOptions['before'];
  after: PgFaultProxyOptions['after'];

  readonly #target: URL;
  readonly #latencyMs: number;
  readonly #record: boolean;
  #rules: readonly PgFaultRule[];
  readonly #counts: RuleCounts<PgFaultRule>;
  readonly #sockets = new Set<Socket>();
  readonly #pools: pg.Pool[] = [];
  #attempts = 0;
  #server: Server | undefined;
  #port: number | undefined;

  constructor(options: PgFaultProxyOptions) {
    this.#target = new URL(options.target);
    this.#counts = new RuleCounts(seeded(options.seed ?? 1), (rule) => rule.times);
    this.#rules = options.rules ?? [];
    this.#latencyMs = options.latencyMs ?? 0;
    this.#record = options.record ?? true;
    this.before = options.before;
    this.after = options.after;
  }

  get rules(): readonly PgFaultRule[] {
    return this.#rules;
  }

  /** The proxy's port, once started. */
  get port(): number {
    if (this.#port === undefined) throw new Error('pg fault proxy not started');
    return this.#port;
  }

  /** The target's URL with the proxy's host and port. */
  get url(): string {
    const url = new URL(this.#target.href);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.href;
  }

  async start(): Promise<this> {
    const server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    this.#port = address.port;
    this.#server = server;
    return this;
  }

  /** Ends the pools built by {@link pool}, closes every connection and the listening socket. */
  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    // Not awaited: a client a test never released would hold `end` for ever.
    for (const pool of this.#pools.splice(0)) pool.end().catch(() => undefined);
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** A pool of `pg` clients through this proxy, ended by {@link stop}. */
  pool(config: pg.PoolConfig = {}): pg.Pool {
    const pool = new pg.Pool({ connectionString: this.url, ...config });
    // An idle client whose connection a fault destroyed must not crash the process.
    pool.on('error', () => undefined);
    this.#pools.push(pool);
    return pool;
  }

  /** Replaces the rules; their counts (n-th, times) start again. */
  setRules(rules: readonly PgFaultRule[]): void {
    this.#rules = rules;
    this.#counts.clear();
  }

  /** Removes the rules and forgets the statements, connection attempts and counters. */
  clear(): void {
    this.setRules([]);
    this.statements.length = 0;
    this.connections.length = 0;
    for (const kind of PG_FAULT_KINDS) this.injected[kind] = 0;
    this.forwarded = 0;
    this.seen = 0;
  }

  /** Injected faults in all. */
  get injectedTotal(): number {
    return Object.values(this.injected).reduce((sum, n) => sum + n, 0);
  }

  #decide(
    subject:
      | { kind: 'statement'; statement: PgStatement }
      | { kind: 'connection'; attempt: PgConnectionAttempt },
  ): PgFaultRule | undefined {
    return this.#counts.decide(this.#rules, (rule) => this.#matches(rule, subject));
  }

  #matches(
    rule: PgFaultRule,
    subject:
      | { kind: 'statement'; statement: PgStatement }
      | { kind: 'connection'; attempt: PgConnectionAttempt },
  ): boolean {
    if (rule.fault === 'too-many-connections') {
      return (
        subject.kind === 'connection' &&
        (rule.predicate === undefined || rule.predicate(subject.attempt))
      );
    }
    if (subject.kind !== 'statement') return false;
    const { statement } = subject;
    if (rule.sqlPattern !== undefined) {
      rule.sqlPattern.lastIndex = 0;
      if (!rule.sqlPattern.test(statement.sql)) return false;
    }
    if (rule.writes !== undefined && rule.writes !== statement.writes) return false;
    const table = rule.table;
    if (table !== undefined && !statement.tables.some((name) => name.includes(table))) {
      return false;
    }
    return rule.predicate === undefined || rule.predicate(statement);
  }

  #accept(client: Socket): void {
    this.#attempts += 1;
    const link: Link = {
      id: this.#attempts,
      client,
      clientBuffer: Buffer.alloc(0),
      serverBuffer: Buffer.alloc(0),
      started: false,
      closed: false,
      status: 'I',
      prepared: new Map(),
      batch: [],
      batchSql: [],
      batchParams: [],
      batchExecutes: false,
      discarding: undefined,
      open: undefined,
      pending: [],
      chain: Promise.resolve(),
    };
    this.#sockets.add(client);
    client.setNoDelay(true);
    client.on('error', () => this.#close(link));
    client.on('close', () => this.#close(link));
    client.on('data', (chunk: Buffer) => this.#fromClient(link, chunk));
  }

  /** Runs the connection's tasks one after the other: a held statement holds those after it. */
  #enqueue(link: Link, task: () => Promise<void> | void): void {
    link.chain = link.chain
      .then(() => (link.closed ? undefined : task()))
      .catch(() => this.#close(link));
  }

  #fromClient(link: Link, chunk: Buffer): void {
    link.clientBuffer =
      link.clientBuffer.length === 0 ? chunk : Buffer.concat([link.clientBuffer, chunk]);
    for (;;) {
      const buffer = link.clientBuffer;
      if (!link.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const packet = buffer.subarray(0, length);
        link.clientBuffer = buffer.subarray(length);
        const code = packet.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          link.client.write('N');
          continue;
        }
        link.started = true;
        if (code === CANCEL_REQUEST) this.#enqueue(link, () => this.#cancel(link, packet));
        else this.#enqueue(link, () => this.#startup(link, packet));
        continue;
      }
      if (buffer.length < 5) return;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return;
      const packet = buffer.subarray(0, length);
      link.clientBuffer = buffer.subarray(length);
      this.#enqueue(link, () => this.#clientMessage(link, packet));
    }
  }

  async #connectUpstream(link: Link): Promise<Socket> {
    const upstream = createConnection({
      host: this.#target.hostname,
      port: Number(this.#target.port || 5432),
    });
    this.#sockets.add(upstream);
    upstream.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      upstream.once('connect', () => resolve());
      upstream.once('error', reject);
    });
    upstream.on('error', () => this.#close(link));
    upstream.on('close', () => this.#close(link));
    link.upstream = upstream;
    return upstream;
  }

  async #cancel(link: Link, packet: Buffer): Promise<void> {
    const upstream = await this.#connectUpstream(link);
    upstream.on('data', (chunk: Buffer) => link.client.write(chunk));
    upstream.write(packet);
  }

  async #startup(link: Link, packet: Buffer): Promise<void> {
    const params = new Map<string, string>();
    let offset = 8;
    while (offset < packet.length && packet[offset] !== 0) {
      const [key, next] = cstring(packet, offset);
      const [value, after] = cstring(packet, next);
      params.set(key, value);
      offset = after;
    }
    const attempt: PgConnectionAttempt = {
      connection: link.id,
      user: params.get('user'),
      database: params.get('database'),
    };
    if (this.#record) this.connections.push(attempt);
    const rule = this.#decide({ kind: 'connection', attempt });
    if (rule?.fault === 'too-many-connections') {
      attempt.fault = rule.fault;
      this.injected[rule.fault] += 1;
      link.client.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      link.closed = true;
      return;
    }
    const upstream = await this.#connectUpstream(link);
    upstream.on('data', (chunk: Buffer) => this.#fromServer(link, chunk));
    // The authentication exchange and the first ReadyForQuery are delivered as they come.
    link.pending.push({ mode: 'forward' });
    upstream.write(packet);
  }

  #clientMessage(link: Link, packet: Buffer): Promise<void> | void {
    const type = String.fromCharCode(packet[0] ?? 0);
    if (link.discarding !== undefined) {
      // PostgreSQL ignores the messages after an error until Sync, then says ReadyForQuery.
      if (type !== 'S') return;
      if (link.discarding === 'forward') link.upstream?.write(packet);
      else {
        this.#push(link, {
          mode: 'synthetic',
          reply: (status) => readyForQuery(status === 'T' ? 'E' : status),
        });
      }
      link.discarding = undefined;
      link.open = undefined;
      return;
    }
    switch (type) {
      case 'P': {
        const [name, next] = cstring(packet, 5);
        const [sql] = cstring(packet, next);
        link.prepared.set(name, sql);
        link.batchSql.push(sql);
        link.batch.push(packet);
        return;
      }
      case 'B': {
        const [, next] = cstring(packet, 5);
        const [name] = cstring(packet, next);
        const sql = link.prepared.get(name);
        if (sql !== undefined && !link.batchSql.includes(sql)) link.batchSql.push(sql);
        link.batchParams.push(...bindParams(packet));
        link.batch.push(packet);
        return;
      }
      case 'E':
        link.batchExecutes = true;
        link.batch.push(packet);
        return;
      case 'C': {
        if (packet[5] === 'S'.charCodeAt(0)) link.prepared.delete(cstring(packet, 6)[0]);
        link.batch.push(packet);
        return;
      }
      case 'D':
        link.batch.push(packet);
        return;
      case 'H':
        link.batch.push(packet);
        return this.#dispatch(link, 'extended', false);
      case 'S':
        link.batch.push(packet);
        return this.#dispatch(link, 'extended', true);
      case 'Q':
        this.#flushRaw(link);
        link.batch.push(packet);
        link.batchSql.push(cstring(packet, 5)[0]);
        return this.#dispatch(link, 'simple', true);
      default:
        // Password, copy data, function call, terminate: passed on as they are.
        this.#flushRaw(link);
        if (type === 'F') link.pending.push({ mode: 'forward' });
        link.upstream?.write(packet);
    }
  }

  /** Forwards what was gathered without deciding it (before a message that is not a statement's). */
  #flushRaw(link: Link): void {
    if (link.batch.length === 0) return;
    link.upstream?.write(Buffer.concat(link.batch));
    this.#resetBatch(link);
  }

  #resetBatch(link: Link): void {
    link.batch = [];
    link.batchSql = [];
    link.batchParams = [];
    link.batchExecutes = false;
  }

  /** A batch (a Query, or extended messages up to Sync or Flush) decided and forwarded. */
  async #dispatch(link: Link, protocol: 'simple' | 'extended', synced: boolean): Promise<void> {
    const messages = Buffer.concat(link.batch);
    const isStatement = protocol === 'simple' || link.batchExecutes;
    const sql = link.batchSql.join(';\n');
    const params = link.batchParams;
    this.#resetBatch(link);
    const upstream = link.upstream;
    if (upstream === undefined) throw new Error('no server connection');
    const open = link.open;
    if (open !== undefined && (open.statement !== undefined || !isStatement)) {
      // The rest of a batch already decided, or more of one that executes nothing yet.
      if (synced) link.open = undefined;
      upstream.write(messages);
      return;
    }
    if (!isStatement) {
      // Parse/Describe/Close without an Execute: nothing to decide.
      const entry: Pending = { mode: 'forward' };
      link.pending.push(entry);
      if (!synced) link.open = entry;
      upstream.write(messages);
      return;
    }
    this.seen += 1;
    const statement: PgStatement = {
      seq: this.seen,
      connection: link.id,
      protocol,
      sql,
      writes: sqlWrites(sql),
      tables: sqlTables(sql),
      outcome: 'pending',
      params,
      rows: 0,
    };
    if (this.#record) this.statements.push(statement);
    await this.before?.(statement);
    const rule = this.#decide({ kind: 'statement', statement }) as PgStatementRule | undefined;
    const fault = rule?.fault;
    if (fault !== undefined) {
      statement.fault = fault;
      statement.rule = rule;
      this.injected[fault] += 1;
    }
    await sleep(this.#latencyMs + (fault === 'delay' ? (rule?.delayMs ?? DEFAULT_DELAY_MS) : 0));
    if (link.closed) return;
    if (fault === 'drop-before') {
      statement.outcome = 'dropped';
      this.#close(link);
      return;
    }
    if (fault === 'serialization' || fault === 'statement-timeout' || fault === 'internal-error') {
      await sleep(fault === 'statement-timeout' ? (rule?.delayMs ?? 0) : 0);
      if (link.closed) return;
      this.#injectError(link, statement, fault, open, synced);
      return;
    }
    this.forwarded += 1;
    const mode =
      fault === 'drop-after'
        ? 'drop-after'
        : fault === 'internal-error-after'
          ? 'replace'
          : 'forward';
    let entry = open;
    if (entry === undefined) {
      entry = { statement, mode };
      link.pending.push(entry);
    } else {
      entry.statement = statement;
      entry.mode = mode;
    }
    if (fault === 'internal-error-after') {
      const { code, message: text } = INJECTED_ERRORS[fault];
      const error = errorResponse('ERROR', code, text);
      entry.reply = (status) => {
        statement.code = code;
        return Buffer.concat([error, readyForQuery(status === 'T' ? 'E' : status)]);
      };
    }
    link.open = synced ? undefined : entry;
    upstream.write(messages);
  }

  /** Answers a statement with an injected ErrorResponse instead of running it. */
  #injectError(
    link: Link,
    statement: PgStatement,
    fault: 'serialization' | 'statement-timeout' | 'internal-error',
    open: Pending | undefined,
    synced: boolean,
  ): void {
    const upstream = link.upstream;
    const { code, message: text } = INJECTED_ERRORS[fault];
    const error = errorResponse('ERROR', code, text);
    statement.outcome = 'error';
    statement.code = code;
    const failed = (status: TransactionStatus) => readyForQuery(status === 'T' ? 'E' : status);
    if (open !== undefined) {
      // Part of the batch reached the server: it gets only the Sync, whose ReadyForQuery
      // the proxy follows (an explicit transaction is not aborted on the server then).
      open.statement = statement;
      open.mode = 'replace';
      if (synced) {
        open.reply = (status) => Buffer.concat([error, failed(status)]);
        link.open = undefined;
        upstream?.write(SYNC);
      } else {
        open.reply = failed;
        link.client.write(error);
        link.discarding = 'forward';
      }
      return;
    }
    if (!synced) {
      // After a Flush: the error now, the ReadyForQuery at the client's Sync.
      this.#push(link, { statement, mode: 'synthetic', reply: () => error });
      link.discarding = 'reply';
      return;
    }
    if (link.status === 'T') {
      // Abort the server's transaction too, so that what follows behaves as on PostgreSQL.
      link.pending.push({
        statement,
        mode: 'replace',
        reply: (status) => Buffer.concat([error, readyForQuery(status)]),
      });
      upstream?.write(queryMessage(POISON_SQL));
      return;
    }
    this.#push(link, {
      statement,
      mode: 'synthetic',
      reply: (status) => Buffer.concat([error, failed(status)]),
    });
  }

  /** Queues a reply behind the replies still expected from the server. */
  #push(link: Link, pending: Pending): void {
    link.pending.push(pending);
    this.#drain(link);
  }

  /** Writes the proxy's own replies that have come to their turn. */
  #drain(link: Link): void {
    for (;;) {
      const head = link.pending[0];
      if (head?.mode !== 'synthetic') return;
      link.pending.shift();
      link.client.write(head.reply?.(link.status) ?? Buffer.alloc(0));
    }
  }

  #fromServer(link: Link, chunk: Buffer): void {
    link.serverBuffer =
      link.serverBuffer.length === 0 ? chunk : Buffer.concat([link.serverBuffer, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      const buffer = link.serverBuffer;
      if (buffer.length < 5) break;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) break;
      const packet = buffer.subarray(0, length);
      link.serverBuffer = buffer.subarray(length);
      const type = String.fromCharCode(packet[0] ?? 0);
      const head = link.pending[0];
      if (type === 'E' && head?.statement !== undefined && head.mode === 'forward') {
        head.statement.outcome = 'error';
        head.statement.code = errorCode(packet);
      }
      if (type === 'D' && head?.statement !== undefined) head.statement.rows += 1;
      if (head === undefined || head.mode === 'forward') out.push(packet);
      if (
        head?.mode === 'drop-after' &&
        link.open === head &&
        !head.synced &&
        (type === 'C' || type === 's' || type === 'E')
      ) {
        // The client flushed and waits before its Sync: the proxy syncs, so that the
        // statement commits (under autocommit) before the connection is destroyed.
        head.synced = true;
        link.upstream?.write(SYNC);
      }
      if (type !== 'Z' || head === undefined) continue;
      link.status = String.fromCharCode(packet[5] ?? 73) as TransactionStatus;
      link.pending.shift();
      if (head.statement !== undefined && head.statement.outcome === 'pending') {
        head.statement.outcome = 'ok';
      }
      if (head.statement !== undefined && head.mode !== 'synthetic') this.after?.(head.statement);
      if (head.mode === 'drop-after') {
        // It ran (and committed, under autocommit); the client never hears of it.
        if (out.length > 0) link.client.write(Buffer.concat(out));
        this.#close(link);
        return;
      }
      if (head.mode === 'replace') out.push(head.reply?.(link.status) ?? Buffer.alloc(0));
      for (let next = link.pending[0]; next?.mode === 'synthetic'; next = link.pending[0]) {
        link.pending.shift();
        out.push(next.reply?.(link.status) ?? Buffer.alloc(0));
      }
    }
    if (out.length > 0 && !link.closed) link.client.write(Buffer.concat(out));
  }

  /** Destroys both sides of a connection (the server then rolls back what is open). */
  #close(link: Link): void {
    if (link.closed && link.client.destroyed && (link.upstream?.destroyed ?? true)) return;
    link.closed = true;
    // Statements the server had not answered never will be (to the client): dropped.
    for (const entry of link.pending) {
      if (entry.statement?.outcome === 'pending') entry.statement.outcome = 'dropped';
    }
    link.client.destroy();
    link.upstream?.destroy();
    this.#sockets.delete(link.client);
    if (link.upstream !== undefined) this.#sockets.delete(link.upstream);
  }
}

/** The parameter values of a Bind message (text format; binary ones as `null`). */
const bindParams = (packet: Buffer): (string | null)[] => {
  try {
    let offset = cstring(packet, cstring(packet, 5)[1])[1];
    const formats: number[] = [];
    const formatCount = packet.readInt16BE(offset);
    offset += 2;
    for (let i = 0; i < formatCount; i++, offset += 2) formats.push(packet.readInt16BE(offset));
    const count = packet.readInt16BE(offset);
    offset += 2;
    const values: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      const length = packet.readInt32BE(offset);
      offset += 4;
      const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
      if (length < 0) values.push(null);
      else {
        values.push(format === 1 ? null : packet.toString('utf8', offset, offset + length));
        offset += length;
      }
    }
    return values;
  } catch {
    return [];
  }
};

/** The SQLSTATE (field C) of an ErrorResponse. */
const errorCode = (packet: Buffer): string | undefined => {
  let offset = 5;
  while (offset < packet.length && packet[offset] !== 0) {
    const field = String.fromCharCode(packet[offset] ?? 0);
    const [value, next] = cstring(packet, offset + 1);
    if (field === 'C') return value;
    offset = next;
  }
  return undefined;
};
