import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PGLITE_LOCK_FILE, PgliteEngine } from '../../../src/local/postgres/pglite.ts';
import { expectOneStartAndAnyStops } from '../engine-lifecycle.ts';
import { connect, countInTransactions, queryOnce, quietPool, tempFolders } from './helpers.ts';

const tempFolder = tempFolders('lms-pglite-test-');

describe('PgliteEngine in memory', () => {
  it('answers SELECT 1 between start and stop, then refuses connections', async () => {
    const engine = new PgliteEngine();
    expect(engine.kind).toBe('pglite');
    expect(() => engine.databaseUrl).toThrow(
      expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
    );
    await engine.start();
    const url = engine.databaseUrl;
    try {
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(engine.pid).toBeUndefined();
      expect(await queryOnce(url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      // PGlite has one user and one database; whatever a client asks for, it gets those.
      const other = url.replace('postgres@', 'someone:secret@').replace(/\/postgres$/, '/lms');
      expect(await queryOnce(other, 'SELECT current_user AS u, current_database() AS d')).toEqual([
        { u: 'postgres', d: 'postgres' },
      ]);
    } finally {
      await engine.stop();
    }
    expect(() => engine.databaseUrl).toThrow(
      expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
    );
    await expect(queryOnce(url, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects a second start and treats stop on a stopped engine as done', async () => {
    await expectOneStartAndAnyStops(new PgliteEngine());
  });

  it('stops while clients are still connected', async () => {
    const engine = new PgliteEngine();
    await engine.start();
    const client = await connect(engine.databaseUrl);
    await client.query('SELECT 1');
    await engine.stop();
    await expect(client.query('SELECT 1')).rejects.toThrow();
  });

  it('rejects a bad port at construction', () => {
    expect(() => new PgliteEngine({ port: 70_000 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
  });
});

describe('PgliteEngine with several clients at once', () => {
  it('serves 4 clients with interleaved statements, each getting its own answers', async () => {
    const engine = new PgliteEngine();
    await engine.start();
    const clients: pg.Client[] = [];
    try {
      for (let i = 0; i < 4; i++) clients.push(await connect(engine.databaseUrl));
      // Each client runs its statements in order; the four run at the same time.
      const answers = await Promise.all(
        clients.map(async (client, c) => {
          const seen: string[] = [];
          for (let i = 0; i < 25; i++) {
            const { rows } = await client.query<{ v: string }>('SELECT $1::text || $2::text AS v', [
              `c${c}-`,
              String(i),
            ]);
            seen.push(rows[0]?.v ?? 'missing');
          }
          return seen;
        }),
      );
      answers.forEach((seen, c) => {
        expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `c${c}-${i}`));
      });
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      await engine.stop();
    }
  });

  it('keeps a transaction to its client: the others wait, then see its committed rows', async () => {
    const engine = new PgliteEngine();
    await engine.start();
    const clients: pg.Client[] = [];
    try {
      for (let i = 0; i < 4; i++) clients.push(await connect(engine.databaseUrl));
      const [writer, ...readers] = clients as [pg.Client, ...pg.Client[]];
      await writer.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
      await writer.query('BEGIN');
      await writer.query('INSERT INTO t VALUES ($1, $2)', [1, 'a']);
      let settled = 0;
      // Parameterised (extended protocol): the case the stock pglite-socket multiplexer mixes up.
      const reads = readers.map((reader) =>
        reader
          .query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id > $1', [0])
          .then(({ rows }) => {
            settled++;
            return rows;
          }),
      );
      await writer.query('INSERT INTO t VALUES ($1, $2)', [2, 'b']);
      expect(await writer.query('SELECT count(*)::int AS n FROM t')).toMatchObject({
        rows: [{ n: 2 }],
      });
      // The readers' statements are held back while the writer's transaction is open.
      expect(settled).toBe(0);
      await writer.query('COMMIT');
      expect(await Promise.all(reads)).toEqual([[{ n: 2 }], [{ n: 2 }], [{ n: 2 }]]);
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      await engine.stop();
    }
  });

  it('serves a pg.Pool with several connections', async () => {
    const engine = new PgliteEngine();
    await engine.start();
    const pool = quietPool(engine.databaseUrl, 8);
    try {
      // Transactions from several pooled connections at once, each read-modify-write with
      // no lock: PGlite runs transactions one after another, so no update is lost.
      expect(await countInTransactions(pool, 20, 'SELECT n FROM counter WHERE id = $1')).toBe(20);
    } finally {
      await pool.end();
      await engine.stop();
    }
  });

  it('rolls back the transaction of a client that disconnects, and the others go on', async () => {
    const engine = new PgliteEngine();
    await engine.start();
    try {
      const url = engine.databaseUrl;
      await queryOnce(url, 'CREATE TABLE t (id int)');
      const leaver = await connect(url);
      await leaver.query('BEGIN');
      await leaver.query('INSERT INTO t VALUES (1)');
      const other = await connect(url);
      const waiting = other.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
      await leaver.end();
      expect((await waiting).rows).toEqual([{ n: 0 }]);
      await other.end();
    } finally {
      await engine.stop();
    }
  });

  it('refuses connections beyond maxConnections with PostgreSQL error 53300', async () => {
    const engine = new PgliteEngine({ maxConnections: 2 });
    await engine.start();
    const clients: pg.Client[] = [];
    try {
      clients.push(await connect(engine.databaseUrl), await connect(engine.databaseUrl));
      await expect(connect(engine.databaseUrl)).rejects.toMatchObject({ code: '53300' });
      await clients[0]?.end();
      // A freed slot is available again (the server notices the close asynchronously).
      const deadline = Date.now() + 5_000;
      for (;;) {
        try {
          clients.push(await connect(engine.databaseUrl));
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
        }
      }
    } finally {
      await Promise.all(clients.map((client) => client.end().catch(() => {})));
      await engine.stop();
    }
  });
});

describe('PgliteEngine in a folder', () => {
  it('keeps data across a stop and a start', async () => {
    const path = await tempFolder();
    const first = new PgliteEngine({ path });
    await first.start();
    try {
      await queryOnce(first.databaseUrl, 'CREATE TABLE kept (v text)');
      await queryOnce(first.databaseUrl, 'INSERT INTO kept VALUES ($1)', ['still here']);
      expect(existsSync(join(path, PGLITE_LOCK_FILE))).toBe(true);
    } finally {
      await first.stop();
    }
    expect(existsSync(join(path, PGLITE_LOCK_FILE))).toBe(false);
    const second = new PgliteEngine({ path });
    await second.start();
    try {
      expect(await queryOnce(second.databaseUrl, 'SELECT v FROM kept')).toEqual([
        { v: 'still here' },
      ]);
    } finally {
      await second.stop();
    }
  });

  it('refuses a folder another engine is using, which keeps working', async () => {
    const path = await tempFolder();
    const first = new PgliteEngine({ path });
    await first.start();
    try {
      const second = new PgliteEngine({ path });
      await expect(second.start()).rejects.toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringContaining('in use'),
      });
      await second.stop();
      expect(await queryOnce(first.databaseUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await first.stop();
    }
  });

  it('takes over the lock file of a process that no longer runs', async () => {
    const path = await tempFolder();
    // A pid that existed and has exited (and been reaped) by the time spawnSync returns.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(path, PGLITE_LOCK_FILE), `${dead}\n`);
    const engine = new PgliteEngine({ path });
    await engine.start();
    try {
      expect(await queryOnce(engine.databaseUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await engine.stop();
    }
  });
});
