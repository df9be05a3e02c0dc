import { connect as connectTcp, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isTransient } from '../../src/adapters/postgres/pg.ts';
import { usePgFaultProxies } from './fault-proxies.ts';
import {
  type PgFaultProxy,
  type PgFaultProxyOptions,
  sqlTables,
  sqlWrites,
} from './pg-fault-proxy.ts';

/** An in-process PostgreSQL (PGlite) on a free port: no server to install. */
let db: PGlite;
let server: PGLiteSocketServer;
let target: string;

beforeAll(async () => {
  db = await PGlite.create();
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 20 });
  await server.start();
  target = `postgres://postgres@${server.getServerConn()}/postgres`;
});

afterAll(async () => {
  await server.stop();
  await db.close();
});

const startPgProxy = usePgFaultProxies();
const clients: pg.Client[] = [];

const startProxy = (options: Omit<PgFaultProxyOptions, 'target'> = {}): Promise<PgFaultProxy> =>
  startPgProxy({ target, ...options });

const connectClient = async (proxy: PgFaultProxy): Promise<pg.Client> => {
  const client = new pg.Client({ connectionString: proxy.url });
  // A connection a fault destroys emits 'error' on an idle client as well.
  client.on('error', () => undefined);
  clients.push(client);
  await client.connect();
  return client;
};

beforeEach(async () => {
  await db.exec('DROP TABLE IF EXISTS answers; CREATE TABLE answers (id int PRIMARY KEY, v text)');
});

afterEach(async () => {
  // Before the proxies stop (usePgFaultProxies' afterEach runs after this one).
  await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
});

/** The rows of `answers`, read straight from PGlite (not through the proxy). */
const rows = async (): Promise<{ id: number; v: string }[]> =>
  (await db.query<{ id: number; v: string }>('SELECT id, v FROM answers ORDER BY id')).rows;

/** Polls until `check` holds, failing after `ms`. */
const eventually = async (check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
};

const errorOf = async (promise: Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
};

const frame = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};

/** The first column of a DataRow (int16 count, then int32 length and bytes). */
const firstField = (body: Buffer): string => body.toString('utf8', 6, 6 + body.readInt32BE(2));

const query = (sql: string): Buffer => frame('Q', Buffer.from(`${sql}\0`, 'utf8'));

const parse = (sql: string): Buffer => frame('P', Buffer.from(`\0${sql}\0\0\0`, 'utf8'));
/** Bind of the unnamed statement to the unnamed portal, no parameters. */
const bind = (): Buffer => frame('B', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));
const execute = (): Buffer => frame('E', Buffer.from([0, 0, 0, 0, 0]));
const describeStatement = (): Buffer => frame('D', Buffer.from('S\0', 'latin1'));
const flush = (): Buffer => frame('H', Buffer.alloc(0));
const sync = (): Buffer => frame('S', Buffer.alloc(0));

/** A connection speaking the protocol by hand: what pg never does (SSLRequest, pipelining). */
const rawSession = async (proxy: PgFaultProxy, { ssl = false } = {}) => {
  const socket: Socket = connectTcp(proxy.port, '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let offset = 0;
  if (ssl) {
    const request = Buffer.alloc(8);
    request.writeInt32BE(8, 0);
    request.writeInt32BE(80877103, 4);
    socket.write(request);
    await eventually(() => received.length >= 1);
    offset = 1;
  }
  const sslAnswer = received.subarray(0, offset).toString('latin1');
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8');
  const startup = Buffer.alloc(8);
  startup.writeInt32BE(8 + params.length, 0);
  startup.writeInt32BE(196608, 4);
  socket.write(Buffer.concat([startup, params]));
  const messages = (): [string, Buffer][] => {
    const out: [string, Buffer][] = [];
    let at = offset;
    while (received.length >= at + 5) {
      const length = received.readInt32BE(at + 1);
      if (received.length < at + 1 + length) break;
      out.push([
        String.fromCharCode(received[at] ?? 0),
        received.subarray(at + 5, at + 1 + length),
      ]);
      at += 1 + length;
    }
    return out;
  };
  await eventually(() => messages().some(([type]) => type === 'Z'));
  const startupCount = messages().length;
  return {
    sslAnswer,
    /** How many messages the startup took (up to its ReadyForQuery). */
    startup: startupCount,
    messages,
    /** The types of the messages after the startup's. */
    types: () =>
      messages()
        .slice(startupCount)
        .map(([type, body]) => (type === 'Z' ? `Z${body.toString('latin1')}` : type))
        .join(' '),
    closed: () => socket.destroyed || socket.readableEnded,
    send: (...packets: Buffer[]) => socket.write(Buffer.concat(packets)),
    close: () => socket.destroy(),
  };
};

describe('PgFaultProxy: pass-through', () => {
  it('forwards simple and extended (parametrised, named) queries and records them', async () => {
    const proxy = await startProxy();
    const client = await connectClient(proxy);
    await client.query("INSERT INTO answers VALUES (1, 'a')");
    await client.query('INSERT INTO answers (id, v) VALUES ($1, $2)', [2, 'b']);
    const named = { name: 'by-id', text: 'SELECT v FROM answers WHERE id = $1' };
    expect((await client.query({ ...named, values: [1] })).rows).toEqual([{ v: 'a' }]);
    // The second run binds the prepared statement without a Parse: its SQL is remembered.
    expect((await client.query({ ...named, values: [2] })).rows).toEqual([{ v: 'b' }]);
    expect(await rows()).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
    expect(
      proxy.statements.map(({ seq, protocol, sql, writes, tables, outcome }) => ({
        seq,
        protocol,
        sql,
        writes,
        tables,
        outcome,
      })),
    ).toEqual([
      {
        seq: 1,
        protocol: 'simple',
        sql: "INSERT INTO answers VALUES (1, 'a')",
        writes: true,
        tables: ['answers'],
        outcome: 'ok',
      },
      {
        seq: 2,
        protocol: 'extended',
        sql: 'INSERT INTO answers (id, v) VALUES ($1, $2)',
        writes: true,
        tables: ['answers'],
        outcome: 'ok',
      },
      {
        seq: 3,
        protocol: 'extended',
        sql: named.text,
        writes: false,
        tables: ['answers'],
        outcome: 'ok',
      },
      {
        seq: 4,
        protocol: 'extended',
        sql: named.text,
        writes: false,
        tables: ['answers'],
        outcome: 'ok',
      },
    ]);
    expect(proxy.forwarded).toBe(4);
    expect(proxy.connections).toEqual([{ connection: 1, user: 'postgres', database: 'postgres' }]);
  });

  it('records the SQLSTATE of an error the server answers, and stays usable', async () => {
    const proxy = await startProxy();
    const client = await connectClient(proxy);
    await client.query("INSERT INTO answers VALUES (1, 'a')");
    const error = await errorOf(client.query("INSERT INTO answers VALUES (1, 'again')"));
    expect(error.code).toBe('23505');
    expect(proxy.statements[1]).toMatchObject({ outcome: 'error', code: '23505' });
    expect((await client.query('SELECT count(*)::int AS n FROM answers')).rows).toEqual([{ n: 1 }]);
  });

  it('works through a Pool, and with record: false records nothing', async () => {
    const proxy = await startProxy({ record: false });
    const pool = proxy.pool({ max: 3 });
    await Promise.all(
      [1, 2, 3].map((id) => pool.query('INSERT INTO answers VALUES ($1, $2)', [id, `v${id}`])),
    );
    expect((await rows()).map((row) => row.id)).toEqual([1, 2, 3]);
    expect(proxy.statements).toEqual([]);
    expect(proxy.seen).toBe(3);
  });

  it('refuses SSL with N and goes on in plain text', async () => {
    const proxy = await startProxy();
    const session = await rawSession(proxy, { ssl: true });
    expect(session.sslAnswer).toBe('N');
    session.send(query('SELECT 1'));
    await eventually(() => session.messages().filter(([type]) => type === 'Z').length === 2);
    expect(proxy.statements.map((s) => s.outcome)).toEqual(['ok']);
    session.close();
  });

  it('pg with ssl required is refused, not hung', async () => {
    const proxy = await startProxy();
    const client = new pg.Client({
      connectionString: proxy.url,
      ssl: { rejectUnauthorized: false },
    });
    client.on('error', () => undefined);
    const error = await errorOf(client.connect());
    expect(error.message).toMatch(/does not support SSL/);
  });
});

describe('PgFaultProxy: faults', () => {
  it('drop-before: the INSERT never runs, the client gets a connection error', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'drop-before', writes: true }] });
    const client = await connectClient(proxy);
    const error = await errorOf(client.query("INSERT INTO answers VALUES (1, 'a')"));
    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/Connection terminated unexpectedly|ECONNRESET/);
    expect(await rows()).toEqual([]);
    expect(proxy.injected['drop-before']).toBe(1);
    expect(proxy.statements[0]).toMatchObject({ fault: 'drop-before', outcome: 'dropped' });
    expect(proxy.forwarded).toBe(0);
  });

  it('drop-after: the INSERT took effect, the client gets a connection error', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'drop-after', table: 'answers' }] });
    const client = await connectClient(proxy);
    const error = await errorOf(client.query('INSERT INTO answers VALUES ($1, $2)', [1, 'a']));
    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/Connection terminated unexpectedly|ECONNRESET/);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    expect(proxy.statements[0]).toMatchObject({ fault: 'drop-after', outcome: 'ok' });
  });

  it('internal-error: XX000, nothing forwarded, not transient for the adapter; the connection stays usable', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'internal-error', nth: 1 }] });
    const client = await connectClient(proxy);
    const error = await errorOf(client.query('INSERT INTO answers VALUES ($1, $2)', [1, 'a']));
    expect(error.code).toBe('XX000');
    expect(isTransient(error)).toBe(false);
    expect(await rows()).toEqual([]);
    await client.query("INSERT INTO answers VALUES (2, 'b')");
    expect(await rows()).toEqual([{ id: 2, v: 'b' }]);
    expect(proxy.injected['internal-error']).toBe(1);
  });

  it('internal-error-after: the INSERT took effect, then XX000; the connection stays usable', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'internal-error-after', nth: 1 }] });
    const client = await connectClient(proxy);
    const error = await errorOf(client.query('INSERT INTO answers VALUES ($1, $2)', [1, 'a']));
    expect(error.code).toBe('XX000');
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    expect(proxy.statements[0]).toMatchObject({ fault: 'internal-error-after', outcome: 'ok' });
    expect((await client.query('SELECT v FROM answers')).rows).toEqual([{ v: 'a' }]);
  });

  it('records the parameters of a Bind and the rows sent back; after is called once answered', async () => {
    const answered: number[] = [];
    const proxy = await startProxy({ after: (statement) => answered.push(statement.seq) });
    const client = await connectClient(proxy);
    await client.query('INSERT INTO answers VALUES ($1, $2), ($3, $4)', [1, 'a', 2, null]);
    await client.query('SELECT * FROM answers WHERE id >= $1', [1]);
    expect(proxy.statements.map((s) => [s.params, s.rows])).toEqual([
      [['1', 'a', '2', null], 0],
      [['1'], 2],
    ]);
    expect(answered).toEqual([1, 2]);
  });

  it('a Pool replaces the connection a fault destroyed', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'drop-after', writes: true, nth: 1 }] });
    const pool = proxy.pool({ max: 1 });
    await errorOf(pool.query('INSERT INTO answers VALUES ($1, $2)', [1, 'a']));
    await pool.query('INSERT INTO answers VALUES ($1, $2)', [2, 'b']);
    expect((await rows()).map((row) => row.id)).toEqual([1, 2]);
    expect(proxy.connections.map((attempt) => attempt.connection)).toEqual([1, 2]);
  });

  it('serialization: 40001, nothing forwarded, the connection stays usable', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'serialization', nth: 1 }] });
    const client = await connectClient(proxy);
    const error = await errorOf(client.query('INSERT INTO answers VALUES ($1, $2)', [1, 'a']));
    expect(error.code).toBe('40001');
    expect(error.message).toBe('could not serialize access due to concurrent update');
    expect(await rows()).toEqual([]);
    await client.query("INSERT INTO answers VALUES (2, 'b')");
    expect(await rows()).toEqual([{ id: 2, v: 'b' }]);
    expect(proxy.statements.map((s) => [s.fault, s.outcome, s.code])).toEqual([
      ['serialization', 'error', '40001'],
      [undefined, 'ok', undefined],
    ]);
  });

  it('a named statement whose first run was injected is parsed again', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'serialization', nth: 1 }] });
    const client = await connectClient(proxy);
    const named = { name: 'put', text: 'INSERT INTO answers VALUES ($1, $2)' };
    expect((await errorOf(client.query({ ...named, values: [1, 'a'] }))).code).toBe('40001');
    await client.query({ ...named, values: [2, 'b'] });
    await client.query({ ...named, values: [3, 'c'] });
    expect((await rows()).map((row) => row.id)).toEqual([2, 3]);
  });

  it('serialization inside a transaction aborts it, as PostgreSQL would', async () => {
    const proxy = await startProxy({
      rules: [{ fault: 'serialization', sqlPattern: /UPDATE answers/ }],
    });
    const client = await connectClient(proxy);
    await client.query('BEGIN');
    await client.query("INSERT INTO answers VALUES (1, 'a')");
    const error = await errorOf(client.query("UPDATE answers SET v = 'b' WHERE id = 1"));
    expect(error.code).toBe('40001');
    // The transaction is failed: everything but its end is refused (by the server).
    const refused = await errorOf(client.query('SELECT 1'));
    expect(refused.code).toBe('25P02');
    // COMMIT of a failed transaction rolls back.
    const commit = await client.query('COMMIT');
    expect(commit.command).toBe('ROLLBACK');
    expect(await rows()).toEqual([]);
    await client.query("INSERT INTO answers VALUES (3, 'c')");
    expect(await rows()).toEqual([{ id: 3, v: 'c' }]);
  });

  it('statement-timeout: 57014 after its delay, then usable', async () => {
    const proxy = await startProxy({
      rules: [{ fault: 'statement-timeout', sqlPattern: /^SELECT/i, times: 1, delayMs: 30 }],
    });
    const client = await connectClient(proxy);
    const started = Date.now();
    const error = await errorOf(client.query('SELECT * FROM answers'));
    expect(error.code).toBe('57014');
    expect(error.message).toBe('canceling statement due to statement timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('too-many-connections: 53300 on connect, the next connection works', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'too-many-connections', times: 1 }] });
    const refused = new pg.Client({ connectionString: proxy.url });
    refused.on('error', () => undefined);
    const error = await errorOf(refused.connect());
    expect(error.code).toBe('53300');
    expect(error.message).toBe('sorry, too many clients already');
    const client = await connectClient(proxy);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(proxy.connections.map((attempt) => attempt.fault)).toEqual([
      'too-many-connections',
      undefined,
    ]);
  });

  it('delay holds a statement', async () => {
    const proxy = await startProxy({
      rules: [{ fault: 'delay', sqlPattern: /VALUES \(1,/, delayMs: 60 }],
    });
    const client = await connectClient(proxy);
    const started = Date.now();
    await client.query("INSERT INTO answers VALUES (1, 'a')");
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
    expect(proxy.statements[0]).toMatchObject({ fault: 'delay', outcome: 'ok' });
    expect(proxy.injected.delay).toBe(1);
  });

  it('delay reorders nothing: pipelined statements and injected replies keep their order', async () => {
    const proxy = await startProxy({
      rules: [
        { fault: 'delay', sqlPattern: /VALUES \(1,/, delayMs: 40 },
        { fault: 'serialization', sqlPattern: /VALUES \(2,/ },
      ],
    });
    const session = await rawSession(proxy);
    // Three queries in one write, before any answer (pg's Client never pipelines).
    session.send(
      query("INSERT INTO answers VALUES (1, 'a')"),
      query("INSERT INTO answers VALUES (2, 'b')"),
      query("SELECT string_agg(id::text, ',') AS ids FROM answers"),
    );
    await eventually(() => session.messages().filter(([type]) => type === 'Z').length === 4);
    const replies = session
      .messages()
      .slice(session.startup)
      .map(([type, body]) =>
        type === 'C' || type === 'D'
          ? `${type}:${type === 'C' ? body.toString('utf8', 0, body.length - 1) : firstField(body)}`
          : type,
      );
    // The startup's messages, then: INSERT done; 40001; the SELECT sees the held INSERT's row.
    expect(replies.filter((reply) => reply !== 'T')).toEqual([
      'C:INSERT 0 1',
      'Z',
      'E',
      'Z',
      expect.stringMatching(/^D:.*1$/),
      'C:SELECT 1',
      'Z',
    ]);
    session.close();
  });

  it('latencyMs holds every statement', async () => {
    const proxy = await startProxy({ latencyMs: 20 });
    const client = await connectClient(proxy);
    const started = Date.now();
    await client.query('SELECT 1');
    await client.query('SELECT 2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});

describe('PgFaultProxy: extended batches flushed before their Sync', () => {
  it('serialization at a Flush: the error at once, the ReadyForQuery at the Sync', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'serialization', writes: true }] });
    const session = await rawSession(proxy);
    session.send(parse("INSERT INTO answers VALUES (1, 'a')"), bind(), execute(), flush());
    await eventually(() => session.types() === 'E');
    session.send(bind(), execute(), sync());
    await eventually(() => session.types() === 'E ZI');
    session.send(query('SELECT 1'));
    await eventually(() => session.types().endsWith('ZI T D C ZI'));
    expect(await rows()).toEqual([]);
    session.close();
  });

  it('a Parse flushed before its Execute is decided at the Execute', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'statement-timeout', table: 'answers' }] });
    const session = await rawSession(proxy);
    session.send(parse("INSERT INTO answers VALUES (1, 'a')"), describeStatement(), flush());
    await eventually(() => session.types() === '1 t n');
    session.send(bind(), execute(), sync());
    await eventually(() => session.types() === '1 t n E ZI');
    expect(proxy.statements.map((s) => [s.sql, s.code])).toEqual([
      ["INSERT INTO answers VALUES (1, 'a')", '57014'],
    ]);
    expect(await rows()).toEqual([]);
    session.close();
  });

  it('drop-after at a Flush: the proxy syncs (commits), then destroys the connection', async () => {
    const proxy = await startProxy({ rules: [{ fault: 'drop-after', writes: true }] });
    const session = await rawSession(proxy);
    session.send(parse("INSERT INTO answers VALUES (1, 'a')"), bind(), execute(), flush());
    await eventually(() => session.closed());
    expect(session.types()).toBe('');
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
  });
});

describe('PgFaultProxy: rules', () => {
  it('nth counts the matching statements only; the first matching rule decides', async () => {
    const proxy = await startProxy({
      rules: [
        { fault: 'serialization', writes: true, table: 'answers', nth: [2, 3] },
        { fault: 'statement-timeout', writes: true, nth: 2 },
      ],
    });
    const client = await connectClient(proxy);
    const codes: (string | undefined)[] = [];
    for (const id of [1, 2, 3, 4]) {
      await client.query('SELECT 1');
      const result = await client.query('INSERT INTO answers VALUES ($1, $2)', [id, 'x']).then(
        () => undefined,
        (error: { code?: string }) => error.code,
      );
      codes.push(result);
    }
    // The second rule's 2nd match was taken by the first rule: it never fires.
    expect(codes).toEqual([undefined, '40001', '40001', undefined]);
    expect((await rows()).map((row) => row.id)).toEqual([1, 4]);
    expect(proxy.injected).toMatchObject({ serialization: 2, 'statement-timeout': 0 });
  });

  it('table, writes, predicate and chance (seeded) select statements; setRules and clear', async () => {
    await db.exec('DROP TABLE IF EXISTS other; CREATE TABLE other (id int)');
    const proxy = await startProxy({ seed: 3 });
    const client = await connectClient(proxy);
    proxy.setRules([{ fault: 'serialization', table: 'other' }]);
    await client.query('SELECT * FROM answers');
    expect((await errorOf(client.query('SELECT * FROM other'))).code).toBe('40001');
    proxy.setRules([{ fault: 'serialization', writes: false }]);
    await client.query('INSERT INTO other VALUES (1)');
    expect((await errorOf(client.query('SELECT * FROM other'))).code).toBe('40001');
    proxy.setRules([{ fault: 'serialization', predicate: (s) => s.sql.includes('42') }]);
    await client.query('SELECT 41');
    expect((await errorOf(client.query('SELECT 42'))).code).toBe('40001');
    expect(proxy.injectedTotal).toBe(3);
    proxy.clear();
    expect(proxy.statements).toEqual([]);
    expect(proxy.injectedTotal).toBe(0);
    await client.query('SELECT 42');

    const draw = async (seed: number): Promise<boolean[]> => {
      const seeded = await startProxy({ seed, rules: [{ fault: 'serialization', chance: 0.5 }] });
      const c = await connectClient(seeded);
      const failed: boolean[] = [];
      for (let i = 0; i < 12; i += 1) {
        failed.push(
          await c.query('SELECT 1').then(
            () => false,
            () => true,
          ),
        );
      }
      return failed;
    };
    const first = await draw(11);
    expect(await draw(11)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
  });
});

describe('PgFaultProxy: before', () => {
  it('holds a statement until the test lets it go; the connection waits in order', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const proxy = await startProxy({
      before: (statement) => (statement.writes ? held : undefined),
    });
    const client = await connectClient(proxy);
    const insert = client.query("INSERT INTO answers VALUES (1, 'a')");
    await eventually(() => proxy.statements.length === 1);
    expect(await rows()).toEqual([]);
    release();
    await insert;
    expect(await rows()).toEqual([{ id: 1, v: 'a' }]);
  });
});

describe('reading the SQL', () => {
  it('tells writes, also in a CTE', () => {
    expect(sqlWrites('insert into t values (1)')).toBe(true);
    expect(sqlWrites(' UPDATE t SET a = 1')).toBe(true);
    expect(sqlWrites('DELETE FROM t')).toBe(true);
    expect(sqlWrites('MERGE INTO t USING s ON true WHEN MATCHED THEN DO NOTHING')).toBe(true);
    expect(sqlWrites('WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone')).toBe(
      true,
    );
    expect(sqlWrites('WITH x AS (SELECT 1) UPDATE t SET a = 1 FROM x')).toBe(true);
    expect(sqlWrites('SELECT * FROM t FOR UPDATE')).toBe(false);
    expect(sqlWrites("SELECT 'insert into t' -- delete from t")).toBe(false);
    expect(sqlWrites('BEGIN; INSERT INTO t VALUES (1); COMMIT')).toBe(true);
  });

  it('finds the tables a statement names', () => {
    expect(
      sqlTables('SELECT * FROM a JOIN public.b ON true WHERE x IN (SELECT y FROM "C")'),
    ).toEqual(['a', 'public.b', 'C']);
    expect(sqlTables('INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2')).toEqual([
      't',
    ]);
    expect(
      sqlTables('SELECT * FROM unnest($1::int[]) AS u JOIN t ON true FOR UPDATE OF t'),
    ).toEqual(['t']);
    expect(sqlTables('UPDATE ONLY t SET a = 1')).toEqual(['t']);
  });
});
