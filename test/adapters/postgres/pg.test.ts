import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createPool,
  isTransient,
  Pg,
  PostgresDriverMissingError,
  PostgresError,
} from '../../../src/adapters/postgres/pg.ts';

/** An error as `pg` raises it: a plain Error, with the server's SQLSTATE or Node's code as `code`. */
const coded = (code: string, message = `failed with ${code}`): Error =>
  Object.assign(new Error(message), { code });

/** What a promise rejected with; a promise that resolves fails the test. */
const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('isTransient', () => {
  it.each([
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['55P03', 'lock not available'],
    ['57014', 'statement timeout (query canceled)'],
    ['53300', 'too many connections'],
    ['57P01', 'admin shutdown'],
    ['57P02', 'crash shutdown'],
    ['57P03', 'cannot connect now (starting)'],
  ])('retries SQLSTATE %s (%s)', (code) => {
    expect(isTransient(coded(code))).toBe(true);
  });

  // Class 08 as a whole, not a list: a connection exception the list did not foresee is
  // still a connection that broke.
  it.each(['08000', '08003', '08006', '08001', '08004', '08P01'])(
    'retries every connection exception (class 08): %s',
    (code) => {
      expect(isTransient(coded(code))).toBe(true);
    },
  );

  it.each(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'retries a connection that broke or could not be made: %s',
    (code) => {
      expect(isTransient(coded(code))).toBe(true);
    },
  );

  // `pg` and `pg-pool` raise these as plain Errors without a code; the texts are theirs.
  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
    'Query read timeout',
  ])('retries a connection lost without a code: "%s"', (message) => {
    expect(isTransient(new Error(message))).toBe(true);
  });

  // The two messages added last, raised by the driver itself, so that a reworded message in
  // a later `pg` fails here rather than silently becoming final. Neither needs a server: a
  // client that was ended before it connected, and one whose query waits past query_timeout.
  it('retries a statement sent to a client that was closed, as pg reports it', async () => {
    const client = new pg.Client({ connectionString: 'postgres://127.0.0.1:1/none' });
    await client.end();
    const error = await rejection(client.query('SELECT 1'));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Client was closed and is not queryable');
    expect(isTransient(error)).toBe(true);
  });

  it('retries a statement whose answer did not come within query_timeout, as pg reports it', async () => {
    // Never connected: the statement waits in the client's queue until the timeout.
    const client = new pg.Client({
      connectionString: 'postgres://127.0.0.1:1/none',
      query_timeout: 1,
    });
    const error = await rejection(client.query('SELECT 1'));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Query read timeout');
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['XX000', 'internal error'],
    ['23505', 'unique violation'],
    ['23514', 'check violation'],
    ['42P01', 'undefined table'],
    ['22P02', 'invalid text representation'],
    ['57P04', 'database dropped: class 57 is not retried as a whole'],
  ])('does not retry SQLSTATE %s (%s): another attempt fails the same', (code) => {
    expect(isTransient(coded(code))).toBe(false);
  });

  it('does not retry what is not an Error, nor an Error with neither a known code nor message', () => {
    expect(isTransient('ECONNRESET')).toBe(false);
    expect(isTransient({ code: '40001', message: 'Connection terminated' })).toBe(false);
    expect(isTransient(undefined)).toBe(false);
    expect(isTransient(new Error('relation "students" does not exist'))).toBe(false);
    // A code that is not a string (no SQLSTATE) is read as no code at all.
    expect(isTransient(Object.assign(new Error('odd'), { code: 40001 }))).toBe(false);
  });
});

describe('a missing pg driver', () => {
  const notInBundle = () =>
    Promise.reject(
      Object.assign(new Error("Cannot find package 'pg' imported from /var/task/index.mjs"), {
        code: 'ERR_MODULE_NOT_FOUND',
      }),
    );
  const options = { connectionString: 'postgres://127.0.0.1:1/none', max: 1 };

  it('fails the pool with PostgresDriverMissingError, saying what to do, the import error as cause', async () => {
    const error = await rejection(createPool(options, notInBundle));
    expect(error).toBeInstanceOf(PostgresDriverMissingError);
    const missing = error as PostgresDriverMissingError;
    expect(missing.code).toBe('POSTGRES_DRIVER_MISSING');
    expect(missing.name).toBe('PostgresDriverMissingError');
    expect(missing.message).toMatch(/DATABASE_URL is set/);
    expect(missing.message).toMatch(/the npm package pg\) is not in this bundle/);
    expect(missing.message).toMatch(/infra\/bundling\.ts/);
    expect(missing.message).toMatch(/-c database=postgres/);
    expect((missing.cause as { code?: unknown }).code).toBe('ERR_MODULE_NOT_FOUND');
  });

  it('fails the first statement once, not retried, with the driver error as its cause', async () => {
    const sleeps: number[] = [];
    const db = new Pg(createPool(options, notInBundle), {
      retry: {
        maxAttempts: 6,
        baseDelayMs: 1,
        maxDelayMs: 1,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0,
      },
    });
    const error = await rejection(db.query({ text: 'SELECT 1', values: [] }));
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).message).toMatch(
      /pg\) is not in this bundle.*\(after 1 attempt\)$/,
    );
    expect((error as PostgresError).cause).toBeInstanceOf(PostgresDriverMissingError);
    expect(sleeps).toEqual([]);
    expect(db.counters.retries).toBe(0);
  });

  it('hands a password function (IAM tokens) to the driver, which asks it per connection', async () => {
    const password = async () => 'token';
    const pool = await createPool({ ...options, password });
    try {
      expect(pool.options.password).toBe(password);
    } finally {
      await pool.end();
    }
    const plain = await createPool(options);
    try {
      expect(plain.options.password).toBeUndefined();
    } finally {
      await plain.end();
    }
  });

  it('loads the installed driver by default (production)', async () => {
    const pool = await createPool(options);
    try {
      expect(pool).toBeInstanceOf(pg.Pool);
      expect(pool.options.max).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
