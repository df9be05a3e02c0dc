/**
 * An HTTP proxy in front of the test engine that injects faults the way DynamoDB and the
 * network produce them, so the real SDK (its error parsing, classification and retries)
 * runs, not a mocked client. Each request is decided from its operation (`X-Amz-Target`)
 * and JSON body (the table, the key, the item) by the first rule that matches it and
 * draws it (a seeded chance, the n-th match, or a predicate):
 *
 * - `throttle` / `provisioned`: 400 ThrottlingException / ProvisionedThroughputExceededException,
 *   not forwarded (the SDK retries both: throttling error codes);
 * - `internal`: 500 InternalServerError, not forwarded (retried: a transient status);
 * - `lost`: forwarded and applied by the engine, then the client's socket is destroyed
 *   before any response (ECONNRESET: retried, though the write took effect);
 * - `lost500`: forwarded and applied, then answered 500 (retried likewise);
 * - `crash`: 400 ValidationException, not forwarded (a client error: not retried, the
 *   caller fails at that point, as if its process stopped there);
 * - `crash-after`: forwarded and applied, then answered 400 ValidationException (the
 *   caller stops right after a write that took effect);
 * - `slow`: forwarded after the rule's `delayMs` (latency: concurrent requests then reach
 *   the engine in another order than they were sent).
 *
 * `latencyMs` holds EVERY request that long before forwarding it (the bench's network round
 * trip, `bench/latency-proxy.ts`); with `record: false` and no rules nor hooks, a request is
 * not even parsed, so the proxy costs the bench little processor time.
 *
 * How the SDK classifies errors (`@smithy/core/retry`, `getRetryErrorType`): throttling
 * codes (ThrottlingException, ProvisionedThroughputExceededException, ...) or 429 are
 * THROTTLING; 500/502/503/504, ECONNRESET and friends are TRANSIENT; only those two kinds
 * are retried. The DynamoDB client retries up to `maxAttempts` = 4 attempts in all (its
 * own default: `resolveRetryConfig(..., { defaultMaxAttempts: 4, defaultBaseDelay: 25 })`;
 * 3 is the SDK's generic default), throttling with a 1 s backoff base.
 */
import { randomBytes } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../../src/adapters/dynamodb/db.ts';
import { Ddb, type DdbOptions } from '../../src/adapters/dynamodb/ddb.ts';
import type { Db } from '../../src/repositories/db.ts';
import { seeded } from '../../src/seed/random.ts';
import { RuleCounts, type RuleDraw } from './fault-rules.ts';
import { closeServer, listenLocally } from './local-server.ts';

export const FAULT_KINDS = [
  'throttle',
  'provisioned',
  'internal',
  'lost',
  'lost500',
  'crash',
  'crash-after',
  'slow',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Operations that change an item. */
export const WRITE_OPERATIONS: readonly string[] = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
];

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  /** 1-based, in arrival order. */
  readonly seq: number;
  /** `PutItem`, `Query`, ... (the `X-Amz-Target` after the dot). */
  readonly operation: string;
  /** Every table the request names (`TableName`, or the tables of a batch). */
  readonly tables: readonly string[];
  readonly body: Record<string, unknown>;
  /** The fault injected, if any. */
  fault?: FaultKind;
  /** The engine's HTTP status, when forwarded. */
  status?: number;
  /** The engine's `ScannedCount` of a Query or Scan (items read). */
  scanned?: number;
}

export interface FaultRule extends RuleDraw {
  readonly fault: FaultKind;
  /** Which requests the rule considers (all by default). */
  readonly match?: (request: ProxiedRequest) => boolean;
  /** Injections at most. */
  readonly limit?: number;
  /** `slow`: how long the request is held before it is forwarded (25 ms by default). */
  readonly delayMs?: number;
}

export interface FaultProxyOptions {
  /** The engine's endpoint (`t.endpoint`). */
  readonly target: string;
  readonly seed?: number;
  readonly rules?: readonly FaultRule[];
  /**
   * Awaited before a request is decided and forwarded: lets a test hold a request until
   * another writer has done something (requests wait; nothing is lost).
   */
  readonly before?: (request: ProxiedRequest) => Promise<void> | void;
  /** Called once the engine has answered a forwarded request (`status` is set). */
  readonly after?: (request: ProxiedRequest) => void;
  /** Every request is held this long before it is forwarded (0 by default). */
  readonly latencyMs?: number;
  /** Keep every request in {@link FaultProxy.requests} (true by default). */
  readonly record?: boolean;
}

/** `slow` without a `delayMs`. */
const DEFAULT_SLOW_MS = 25;

const delay = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));

/** A DynamoDB-shaped error body (awsJson1_0: `__type` names the error). */
const errorBody = (code: string, message: string) =>
  JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message });

const ERRORS: Record<
  Exclude<FaultKind, 'lost' | 'slow'>,
  { status: number; code: string; message: string }
> = {
  throttle: {
    status: 400,
    code: 'ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput. (injected)',
  },
  provisioned: {
    status: 400,
    code: 'ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. (injected)',
  },
  internal: {
    status: 500,
    code: 'InternalServerError',
    message: 'Internal server error (injected)',
  },
  lost500: {
    status: 500,
    code: 'InternalServerError',
    message: 'Internal server error (injected)',
  },
  crash: { status: 400, code: 'ValidationException', message: 'Injected crash' },
  'crash-after': { status: 400, code: 'ValidationException', message: 'Injected crash' },
};

const tablesOf = (body: Record<string, unknown>): string[] => {
  if (typeof body.TableName === 'string') return [body.TableName];
  const items = body.RequestItems;
  if (items !== null && typeof items === 'object') return Object.keys(items);
  const transact = body.TransactItems;
  if (Array.isArray(transact)) {
    return transact.flatMap((entry: Record<string, { TableName?: string }>) =>
      Object.values(entry).flatMap((op) => (op.TableName === undefined ? [] : [op.TableName])),
    );
  }
  return [];
};

const readBody = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

/**
 * @example
 * ```ts
 * const proxy = new FaultProxy({ target: t.endpoint, seed: 7, rules: [
 *   { fault: 'throttle', chance: 0.2, match: (r) => r.tables.some((n) => n.endsWith('answers')) },
 * ] });
 * await proxy.start();
 * const db = proxy.db(t.prefix);
 * // ... run jobs on db ...
 * proxy.injected.throttle; // how many were injected
 * await proxy.stop();
 * ```
 */
export class FaultProxy {
  /** Every request seen, in arrival order. */
  readonly requests: ProxiedRequest[] = [];
  /** Faults injected, by kind. */
  readonly injected: Record<FaultKind, number> = Object.fromEntries(
    FAULT_KINDS.map((kind) => [kind, 0]),
  ) as Record<FaultKind, number>;
  rules: readonly FaultRule[];
  before: FaultProxyOptions['before'];
  after: FaultProxyOptions['after'];
  /** Requests forwarded to the engine so far (not reset by {@link reset}). */
  forwarded = 0;

  readonly #target: URL;
  readonly #latencyMs: number;
  readonly #record: boolean;
  readonly #counts: RuleCounts<FaultRule>;
  readonly #agent = new Agent({ keepAlive: true });
  readonly #clients: { client: DynamoDBClient; doc: DynamoDBDocumentClient }[] = [];
  #server: Server | undefined;
  #endpoint: string | undefined;
  #inFlight = 0;
  #idle: (() => void)[] = [];

  constructor(options: FaultProxyOptions) {
    this.#target = new URL(options.target);
    this.#counts = new RuleCounts(seeded(options.seed ?? 1), (rule) => rule.limit);
    this.rules = options.rules ?? [];
    this.before = options.before;
    this.after = options.after;
    this.#latencyMs = options.latencyMs ?? 0;
    this.#record = options.record ?? true;
  }

  /** `http://127.0.0.1:<port>`, once started. */
  get endpoint(): string {
    if (this.#endpoint === undefined) throw new Error('fault proxy not started');
    return this.#endpoint;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        // The proxy's own failure: a 400 the SDK will not retry, so it shows in the test.
        if (!response.headersSent) {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(errorBody('ValidationException', `fault proxy: ${String(error)}`));
        } else response.destroy();
      });
    });
    this.#endpoint = await listenLocally(server);
    this.#server = server;
    return this;
  }

  /** Closes the clients built by {@link db}, every connection and the listening socket. */
  async stop(): Promise<void> {
    for (const { client, doc } of this.#clients.splice(0)) {
      doc.destroy();
      client.destroy();
    }
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await closeServer(server);
    this.#agent.destroy();
  }

  /** A Db over the tables under `prefix`, every request of it through this proxy. */
  db(prefix: string, options: DdbOptions = {}): Db {
    const client = createDynamoClient({ endpoint: this.endpoint });
    const doc = createDocumentClient(client);
    this.#clients.push({ client, doc });
    return createDynamoDb(new Ddb(doc, options), prefix);
  }

  /** Resolves once no request is in flight (a failed caller's other writes have landed). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Injected faults in all. */
  get injectedTotal(): number {
    return Object.values(this.injected).reduce((sum, n) => sum + n, 0);
  }

  /** Forgets the requests, counters and rule positions (the rules stay unless given). */
  reset(rules?: readonly FaultRule[]): void {
    this.requests.length = 0;
    for (const kind of FAULT_KINDS) this.injected[kind] = 0;
    this.#counts.clear();
    if (rules !== undefined) this.rules = rules;
  }

  #decide(request: ProxiedRequest): FaultRule | undefined {
    return this.#counts.decide(
      this.rules,
      (rule) => rule.match === undefined || rule.match(request),
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.#inFlight += 1;
    try {
      const raw = await readBody(request);
      const method = request.method ?? 'POST';
      const path = request.url ?? '/';
      if (
        !this.#record &&
        this.rules.length === 0 &&
        this.before === undefined &&
        this.after === undefined
      ) {
        // Latency only (the bench): nothing to decide, so nothing is parsed, and the reply
        // is streamed through rather than buffered (buffering a 1 MB page cost the bench's
        // rebuild a sixth of its processor time).
        await delay(this.#latencyMs);
        await this.#pipe(method, path, request.headers, raw, response);
        return;
      }
      const target = request.headers['x-amz-target'];
      const operation = typeof target === 'string' ? (target.split('.').at(-1) ?? '') : '';
      const body =
        raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      const seen: ProxiedRequest = {
        seq: this.requests.length + 1,
        operation,
        tables: tablesOf(body),
        body,
      };
      if (this.#record) this.requests.push(seen);
      await this.before?.(seen);
      const rule = this.#decide(seen);
      const fault = rule?.fault;
      if (fault !== undefined) {
        seen.fault = fault;
        this.injected[fault] += 1;
      }
      if (
        fault === 'throttle' ||
        fault === 'provisioned' ||
        fault === 'internal' ||
        fault === 'crash'
      ) {
        this.#answerError(response, fault);
        return;
      }
      await delay(this.#latencyMs + (fault === 'slow' ? (rule?.delayMs ?? DEFAULT_SLOW_MS) : 0));
      const upstream = await this.#forward(method, path, request.headers, raw);
      seen.status = upstream.status;
      this.after?.(seen);
      if (operation === 'Query' || operation === 'Scan') {
        try {
          const parsed = JSON.parse(upstream.body.toString('utf8')) as { ScannedCount?: number };
          if (typeof parsed.ScannedCount === 'number') seen.scanned = parsed.ScannedCount;
        } catch {
          // Not JSON: nothing to count.
        }
      }
      if (fault === 'lost') {
        // The engine applied the request; its response never reaches the client.
        response.socket?.destroy();
        return;
      }
      if (fault === 'lost500' || fault === 'crash-after') {
        this.#answerError(response, fault);
        return;
      }
      this.#reply(response, upstream);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  #reply(
    response: ServerResponse,
    upstream: { status: number; headers: IncomingHttpHeaders; body: Buffer },
  ): void {
    response.writeHead(upstream.status, upstream.headers);
    response.end(upstream.body);
  }

  #answerError(response: ServerResponse, fault: Exclude<FaultKind, 'lost' | 'slow'>): void {
    const { status, code, message } = ERRORS[fault];
    const body = errorBody(code, message);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomBytes(16).toString('hex'),
    });
    response.end(body);
  }

  /** Sends the request on to the engine; `onReply` gets the engine's reply as it starts. */
  #send<T>(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    onReply: (
      reply: IncomingMessage,
      resolve: (value: T) => void,
      reject: (error: unknown) => void,
    ) => void,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      this.forwarded += 1;
      const upstream = httpRequest(
        {
          protocol: this.#target.protocol,
          hostname: this.#target.hostname,
          port: this.#target.port,
          method,
          path,
          headers,
          agent: this.#agent,
        },
        (reply) => onReply(reply, resolve, reject),
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** The engine's reply streamed to `response` as it comes. */
  #pipe(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    return this.#send<void>(method, path, headers, body, (reply, resolve, reject) => {
      response.writeHead(reply.statusCode ?? 500, reply.headers);
      reply.pipe(response);
      reply.on('end', () => resolve());
      reply.on('error', reject);
    });
  }

  /** The engine's whole reply, buffered (a fault may replace or drop it). */
  #forward(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return this.#send(method, path, headers, body, (reply, resolve, reject) => {
      readBody(reply).then(
        (data) => resolve({ status: reply.statusCode ?? 500, headers: reply.headers, body: data }),
        reject,
      );
    });
  }
}

/** What the predicates below read of a request (also of `faulty-db.ts`'s statements). */
export interface RequestShape {
  readonly operation: string;
  readonly tables: readonly string[];
}

/** Whether a request names a table whose physical name ends with `name` (`t-...-answers`). */
export const onTable =
  (...names: readonly string[]) =>
  (request: RequestShape): boolean =>
    request.tables.some((table) => names.some((name) => table.endsWith(`-${name}`)));

/** Whether a request is one of `operations`. */
export const isOperation =
  (...operations: readonly string[]) =>
  (request: RequestShape): boolean =>
    operations.includes(request.operation);

/** Both predicates. */
export const both =
  <R extends RequestShape>(...predicates: readonly ((request: R) => boolean)[]) =>
  (request: R): boolean =>
    predicates.every((predicate) => predicate(request));

/** Whether a request changes an item: the requests whose response can be lost once applied. */
export const isWrite = isOperation(...WRITE_OPERATIONS);

/** Where {@link everyFault} injects each kind for certain, and how often after that. */
export interface EveryFaultOptions {
  /** The matching requests each kind is injected into whatever the seed draws. */
  readonly at: {
    readonly throttle: readonly number[];
    readonly provisioned: readonly number[];
    readonly internal: readonly number[];
    readonly lost: readonly number[];
    readonly lost500: readonly number[];
  };
  /** The chances drawn from the proxy's seed after that (`slow` holds 3 ms). */
  readonly chance: {
    readonly internal: number;
    readonly lost: number;
    readonly lost500: number;
    readonly slow: number;
    readonly throttle?: number;
  };
}

/**
 * Every fault kind on every table: each at fixed positions (so each is injected whatever the
 * draw), then at random from the proxy's seed. Lost responses are of writes only: a lost
 * read is just a failed one. Throttling is kept rare: the SDK backs it off from a second.
 *
 * @example
 * ```ts
 * startProxy({ target, seed: 5, rules: everyFault({ at: { throttle: [4], ... }, chance: { ... } }) });
 * ```
 */
export const everyFault = ({ at, chance }: EveryFaultOptions): FaultRule[] => [
  { fault: 'throttle', nth: at.throttle },
  { fault: 'provisioned', nth: at.provisioned },
  { fault: 'internal', nth: at.internal },
  { fault: 'lost', match: isWrite, nth: at.lost },
  { fault: 'lost500', match: isWrite, nth: at.lost500 },
  { fault: 'internal', chance: chance.internal },
  { fault: 'lost', match: isWrite, chance: chance.lost },
  { fault: 'lost500', match: isWrite, chance: chance.lost500 },
  { fault: 'slow', chance: chance.slow, delayMs: 3 },
  ...(chance.throttle === undefined
    ? []
    : [{ fault: 'throttle' as const, chance: chance.throttle }]),
];
