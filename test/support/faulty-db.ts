/**
 * A Db whose every request crosses a fault-injecting proxy, whatever the run's engine:
 * on DynamoDB the HTTP proxy (`fault-proxy.ts`) in front of the endpoint, on PostgreSQL
 * the wire-protocol proxy (`pg-fault-proxy.ts`) in front of the server, with a Db of the
 * adapter built on the proxy's URL and the file's schema. Tests speak DynamoDB's fault
 * vocabulary and request names; on PostgreSQL each statement is named after the DynamoDB
 * request it stands for (the adapter's statements, `statements.ts`) and each fault mapped
 * to what carries its meaning over:
 *
 * | DynamoDB      | PostgreSQL             | meaning                                       |
 * | ------------- | ---------------------- | --------------------------------------------- |
 * | `throttle`    | `serialization` 40001  | refused, not applied, retried                 |
 * | `provisioned` | `drop-before`          | never reached the engine, retried             |
 * | `internal`    | `statement-timeout`    | failed, not applied, retried                  |
 * | `lost`        | `drop-after`           | applied, the response lost, retried           |
 * | `lost500`     | `drop-after`           | likewise                                      |
 * | `crash`       | `internal-error` XX000 | not applied, not retried: the caller stops    |
 * | `crash-after` | `internal-error-after` | applied, then not retried: the caller stops   |
 * | `slow`        | `delay`                | held, then forwarded                          |
 *
 * Statements as requests: `SELECT` by key is GetItem, by a key set BatchGetItem, a page
 * Query (or Scan, without a partition), `count(*)` a Query; `INSERT ... VALUES` is PutItem
 * (its `DO UPDATE SET item = EXCLUDED.item`) or UpdateItem, a conditional `UPDATE` PutItem
 * when it sets the whole item and UpdateItem otherwise, `DELETE` (also `WITH present AS`)
 * DeleteItem, and the many-items `INSERT ... SELECT` and `DELETE ... USING` BatchWriteItem.
 * A statement's `tables` are `<prefix><table>`, as DynamoDB's physical names.
 */
import { afterEach } from 'vitest';
import type { DdbOptions } from '../../src/adapters/dynamodb/ddb.ts';
import { createPostgresDb } from '../../src/adapters/postgres/db.ts';
import { createPool, Pg, type PgCounters } from '../../src/adapters/postgres/pg.ts';
import type { Db } from '../../src/repositories/db.ts';
import type { TableDefinition } from '../../src/tables/definitions.ts';
import { FAULT_KINDS, type FaultKind, FaultProxy, type FaultRule } from './fault-proxy.ts';
import {
  type PgConnectionRule,
  PgFaultProxy,
  type PgStatement,
  type PgStatementFault,
  type PgStatementRule,
} from './pg-fault-proxy.ts';
import type { TestDb } from './test-db.ts';

/** One request (DynamoDB) or statement (PostgreSQL) as the proxy saw it. */
export interface FaultyRequest {
  /** 1-based, in arrival order. */
  readonly seq: number;
  /** DynamoDB's operation, or the one the statement stands for. */
  readonly operation: string;
  /** Physical table names (`<prefix><table>`). */
  readonly tables: readonly string[];
  /** DynamoDB's JSON body, or `{ sql, params }`. */
  readonly body: unknown;
  readonly fault?: FaultKind | undefined;
  /** 200 once the engine has answered (it applied a write), undefined before. */
  readonly status?: number | undefined;
  /** Items a read returned from the engine (DynamoDB's `ScannedCount`, PostgreSQL's rows). */
  readonly scanned?: number | undefined;
}

export interface FaultyRule extends Omit<FaultRule, 'match'> {
  readonly match?: (request: FaultyRequest) => boolean;
}

/** PostgreSQL only: connection attempts answered 53300 "too many clients". */
export interface ConnectionFaults {
  readonly nth?: number | readonly number[];
  readonly chance?: number;
  readonly times?: number;
}

export interface FaultyDbOptions {
  readonly rules?: readonly FaultyRule[];
  readonly seed?: number;
  /** Awaited before a request is decided and forwarded (requests wait, in order). */
  readonly before?: (request: FaultyRequest) => Promise<void> | void;
  /** Called once the engine has answered a forwarded request. */
  readonly after?: (request: FaultyRequest) => void;
  /** PostgreSQL only (DynamoDB has no connections): `too-many-connections` at these attempts. */
  readonly connections?: ConnectionFaults;
}

export interface FaultyDb {
  readonly engine: 'dynamodb' | 'postgres';
  /** A Db through the proxy (DynamoDB's options are ignored on PostgreSQL). */
  db(options?: DdbOptions): Db;
  /** Every request since the last reset. */
  readonly requests: readonly FaultyRequest[];
  /** Faults injected since the last reset, by DynamoDB kind. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** PostgreSQL only: connection attempts refused with 53300 since the last reset. */
  readonly refusedConnections: number;
  /** Forgets requests and counters; replaces the rules when given. */
  reset(rules?: readonly FaultyRule[]): void;
  /** Resolves once no request is in flight (polled with a deadline on PostgreSQL). */
  idle(): Promise<void>;
  before: FaultyDbOptions['before'];
  /** The PostgreSQL adapter's counters of the Dbs built (statements, rows, retries). */
  readonly pgCounters: PgCounters | undefined;
  stop(): Promise<void>;
}

const PG_FAULT: Record<FaultKind, PgStatementFault> = {
  throttle: 'serialization',
  provisioned: 'drop-before',
  internal: 'statement-timeout',
  lost: 'drop-after',
  lost500: 'drop-after',
  crash: 'internal-error',
  'crash-after': 'internal-error-after',
  slow: 'delay',
};

/** The DynamoDB operation a statement of the adapter stands for. */
export const operationOf = (sql: string): string => {
  // answer_rates' TTL purge before the write (`expiredPurge` of statements.ts).
  const text = sql.replace(/^WITH expired AS \(DELETE .*? ELSE false END\)\) /s, '');
  if (/^WITH present AS/.test(text) || /^DELETE /.test(text)) {
    return / USING unnest\(/.test(text) ? 'BatchWriteItem' : 'DeleteItem';
  }
  if (/^INSERT /.test(text)) {
    if (/ SELECT value FROM jsonb_array_elements/.test(text)) return 'BatchWriteItem';
    return /DO UPDATE SET item = EXCLUDED\.item/.test(text) ? 'PutItem' : 'UpdateItem';
  }
  if (/^UPDATE /.test(text)) {
    return /SET item = \$\d+::jsonb WHERE/.test(text) ? 'PutItem' : 'UpdateItem';
  }
  if (/^SELECT /.test(text)) {
    if (/ CROSS JOIN LATERAL /.test(text)) return 'BatchGetItem';
    if (/count\(\*\)::int AS n/.test(text)) return 'Query';
    if (/ ORDER BY /.test(text)) return / WHERE t\."[^"]+" = \$/.test(text) ? 'Query' : 'Scan';
    return 'GetItem';
  }
  return 'Other';
};

/**
 * The index a Query statement reads (PostgreSQL): a global index is its partition column
 * in the WHERE, a local one the table's partition column and the index's sort column (its
 * ORDER BY, or its `IS NOT NULL` in a count). Undefined for the table itself.
 */
export const queriedIndexOf = (sql: string, table: TableDefinition): string | undefined => {
  const partition = / WHERE t\."([^"]+)" = \$/.exec(sql)?.[1];
  if (partition === undefined) return undefined;
  if (partition !== table.partitionKey) {
    return table.indexes.find((index) => index.partitionKey === partition)?.name;
  }
  const sort =
    / ORDER BY t\."([^"]+)"/.exec(sql)?.[1] ?? / t\."([^"]+)" IS NOT NULL/.exec(sql)?.[1];
  return table.localIndexes?.find((index) => index.sortKey === sort)?.name;
};

/**
 * The string value of `attribute` in the item or key a request names (DynamoDB: `Item` or
 * `Key`; PostgreSQL: an item parameter, or a `t."attribute" = $n` of its WHERE).
 */
export const attributeOf = (request: FaultyRequest, attribute: string): string | undefined => {
  const body = request.body as Record<string, unknown> | undefined;
  if (body === undefined) return undefined;
  if ('sql' in body) {
    const { sql, params } = body as { sql: string; params: readonly (string | null)[] };
    const pattern = new RegExp(`t\\."${attribute}" = \\$(\\d+)`);
    const byKey = pattern.exec(sql)?.[1];
    if (byKey !== undefined) return params[Number(byKey) - 1] ?? undefined;
    for (const param of params) {
      if (param === null || !param.startsWith('{')) continue;
      try {
        const value = (JSON.parse(param) as Record<string, unknown>)[attribute];
        if (typeof value === 'string') return value;
      } catch {}
    }
    return undefined;
  }
  const item = (body.Item ?? body.Key) as Record<string, { S?: string } | undefined> | undefined;
  return item?.[attribute]?.S;
};

const dynamoFaultyDb = async (t: TestDb, options: FaultyDbOptions): Promise<FaultyDb> => {
  const proxy = await new FaultProxy({
    target: t.endpoint,
    rules: (options.rules ?? []) as readonly FaultRule[],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.before === undefined ? {} : { before: options.before }),
    ...(options.after === undefined ? {} : { after: options.after }),
  }).start();
  return {
    engine: 'dynamodb',
    db: (ddbOptions) => proxy.db(t.prefix, ddbOptions),
    get requests() {
      return proxy.requests;
    },
    get injected() {
      return proxy.injected;
    },
    refusedConnections: 0,
    reset: (rules) => proxy.reset(rules as readonly FaultRule[] | undefined),
    idle: () => proxy.idle(),
    get before() {
      return proxy.before as FaultyDbOptions['before'];
    },
    set before(hook) {
      proxy.before = hook;
    },
    pgCounters: undefined,
    stop: () => proxy.stop(),
  };
};

const pgFaultyDb = async (t: TestDb, options: FaultyDbOptions): Promise<FaultyDb> => {
  const side = t.postgres;
  if (side === undefined) throw new Error('not on PostgreSQL');
  const views = new WeakMap<PgStatement, FaultyRequest>();
  const neutral = new WeakMap<object, FaultKind>();
  let requests: FaultyRequest[] = [];
  let hook = options.before;
  const viewOf = (statement: PgStatement): FaultyRequest => {
    let view = views.get(statement);
    if (view === undefined) {
      // The schema's tables only (not a CTE's name, nor a function's after USING).
      const tables = statement.tables
        .filter((name) => name.startsWith(`${side.schema}.`))
        .map((name) => `${t.prefix}${name.slice(side.schema.length + 1)}`);
      const operation = operationOf(statement.sql);
      const body = { sql: statement.sql, params: statement.params };
      view = {
        seq: statement.seq,
        operation,
        tables,
        body,
        get fault() {
          return statement.rule === undefined ? undefined : neutral.get(statement.rule);
        },
        get status() {
          return statement.outcome === 'ok' ? 200 : undefined;
        },
        get scanned() {
          return statement.rows;
        },
      };
      views.set(statement, view);
    }
    return view;
  };
  const translate = (rules: readonly FaultyRule[]): PgStatementRule[] =>
    rules.map((rule) => {
      const match = rule.match;
      const translated: PgStatementRule = {
        fault: PG_FAULT[rule.fault],
        ...(match === undefined ? {} : { predicate: (s: PgStatement) => match(viewOf(s)) }),
        ...(rule.nth === undefined ? {} : { nth: rule.nth }),
        ...(rule.chance === undefined ? {} : { chance: rule.chance }),
        ...(rule.limit === undefined ? {} : { times: rule.limit }),
        ...(rule.delayMs === undefined ? {} : { delayMs: rule.delayMs }),
      };
      neutral.set(translated, rule.fault);
      return translated;
    });
  const connectionRules = (): PgConnectionRule[] =>
    options.connections === undefined
      ? []
      : [{ fault: 'too-many-connections' as const, ...options.connections }];
  const proxy = await new PgFaultProxy({
    target: side.databaseUrl,
    rules: [...translate(options.rules ?? []), ...connectionRules()],
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    before: async (statement) => {
      const view = viewOf(statement);
      requests.push(view);
      await hook?.(view);
    },
    after: (statement) => options.after?.(viewOf(statement)),
  }).start();
  const pgs: Pg[] = [];
  const counters: PgCounters = { statements: 0, rowsRead: 0, rowsWritten: 0, retries: 0 };
  return {
    engine: 'postgres',
    db: () => {
      const pg = new Pg(createPool({ connectionString: proxy.url, max: 10 }));
      pgs.push(pg);
      return createPostgresDb(pg, t.prefix);
    },
    get requests() {
      return requests;
    },
    get injected() {
      const counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
        FaultKind,
        number
      >;
      for (const request of requests) if (request.fault !== undefined) counts[request.fault] += 1;
      return counts;
    },
    get refusedConnections() {
      return proxy.injected['too-many-connections'];
    },
    reset: (rules) => {
      requests = [];
      const kept = rules === undefined ? proxy.rules : [...translate(rules), ...connectionRules()];
      proxy.clear();
      proxy.setRules(kept);
    },
    idle: async () => {
      const deadline = Date.now() + 5_000;
      while (proxy.statements.some((s) => s.outcome === 'pending') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    get before() {
      return hook;
    },
    set before(value) {
      hook = value;
    },
    get pgCounters() {
      return pgs.reduce(
        (sum, pg) => ({
          statements: sum.statements + pg.counters.statements,
          rowsRead: sum.rowsRead + pg.counters.rowsRead,
          rowsWritten: sum.rowsWritten + pg.counters.rowsWritten,
          retries: sum.retries + pg.counters.retries,
        }),
        { ...counters },
      );
    },
    stop: async () => {
      for (const pg of pgs.splice(0)) pg.close().catch(() => undefined);
      await proxy.stop();
    },
  };
};

/**
 * A faulty Db in front of the file's tables, on the run's engine.
 *
 * @example
 * ```ts
 * const faulty = await faultyTestDb(t, { rules: [{ fault: 'lost', match: isWrite, nth: 1 }] });
 * await aggregateStudents(faulty.db(), { now });
 * await faulty.stop();
 * ```
 */
export const faultyTestDb = (t: TestDb, options: FaultyDbOptions = {}): Promise<FaultyDb> =>
  t.postgres === undefined ? dynamoFaultyDb(t, options) : pgFaultyDb(t, options);

/** {@link faultyTestDb}, stopped after each test. */
export const useFaultyDbs = (): ((t: TestDb, options?: FaultyDbOptions) => Promise<FaultyDb>) => {
  const started: FaultyDb[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((faulty) => faulty.stop()));
  });
  return async (t, options) => {
    const faulty = await faultyTestDb(t, options);
    started.push(faulty);
    return faulty;
  };
};
