import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgresBinaries } from '../../../src/local/postgres/binaries.ts';
import { createPostgresEngine } from '../../../src/local/postgres/index.ts';
import {
  POSTGRES_TEMP_PREFIX,
  PostgresServerEngine,
} from '../../../src/local/postgres/postgres-server.ts';
import { expectOneStartAndAnyStops } from '../engine-lifecycle.ts';
import {
  childrenNamed,
  countInTransactions,
  isGone,
  processesMentioning,
  queryOnce,
  quietPool,
  tempFolders,
} from './helpers.ts';

// The folder itself is the cluster: as root it is handed to nobody, who must be able to
// reach it, and a folder inside a root-only mkdtemp folder would not be.
const tempFolder = tempFolders('lms-pgtest-');

describe('PostgresServerEngine in a temporary folder', () => {
  it('answers SELECT 1, then stops its process and removes its folder', async () => {
    const engine = new PostgresServerEngine({ unsafeNoFsync: true });
    expect(engine.kind).toBe('postgres');
    expect(engine.pid).toBeUndefined();
    expect(() => engine.databaseUrl).toThrow(
      expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
    );
    await engine.start();
    const pid = engine.pid;
    const folder = engine.folder;
    const url = engine.databaseUrl;
    try {
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(pid).toBeTypeOf('number');
      expect(isGone(pid ?? -1)).toBe(false);
      expect(folder?.startsWith(join(tmpdir(), POSTGRES_TEMP_PREFIX))).toBe(true);
      expect(childrenNamed('postgres')).toEqual([pid]);
      expect(await queryOnce(url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await queryOnce(url, "SELECT current_setting('max_connections') AS m")).toEqual([
        { m: '200' },
      ]);
    } finally {
      await engine.stop();
    }
    expect(isGone(pid ?? -1)).toBe(true);
    expect(childrenNamed('postgres')).toEqual([]);
    expect(processesMentioning(folder ?? '/nonexistent')).toEqual([]);
    expect(existsSync(folder ?? '/nonexistent')).toBe(false);
    expect(engine.pid).toBeUndefined();
    await expect(queryOnce(url, 'SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects a second start and treats stop on a stopped engine as done', async () => {
    await expectOneStartAndAnyStops(new PostgresServerEngine({ unsafeNoFsync: true }));
  });

  it('stops with clients connected and a transaction open', async () => {
    const engine = createPostgresEngine({ kind: 'postgres', unsafeNoFsync: true });
    await engine.start();
    const pid = engine.pid;
    const pool = quietPool(engine.databaseUrl, 4);
    const held = await pool.connect();
    held.on('error', () => {});
    try {
      await held.query('BEGIN');
      await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0)')));
    } finally {
      await engine.stop();
    }
    expect(isGone(pid ?? -1)).toBe(true);
    held.release(true);
    await pool.end().catch(() => {});
  });
});

describe('PostgresServerEngine with several clients at once', () => {
  it('runs transactions from a pool side by side, with row locks keeping them right', async () => {
    const engine = new PostgresServerEngine({ unsafeNoFsync: true });
    await engine.start();
    const pool = quietPool(engine.databaseUrl, 10);
    try {
      // Transactions side by side: the row lock (FOR UPDATE) is what keeps each update.
      expect(
        await countInTransactions(pool, 30, 'SELECT n FROM counter WHERE id = $1 FOR UPDATE'),
      ).toBe(30);
    } finally {
      await pool.end();
      await engine.stop();
    }
  });
});

describe('PostgresServerEngine in a folder', () => {
  it('keeps data across a stop and a start', async () => {
    const path = await tempFolder();
    const first = new PostgresServerEngine({ path });
    await first.start();
    try {
      await queryOnce(first.databaseUrl, 'CREATE TABLE kept (v text)');
      await queryOnce(first.databaseUrl, 'INSERT INTO kept VALUES ($1)', ['still here']);
    } finally {
      await first.stop();
    }
    expect(existsSync(join(path, 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(path, 'postmaster.pid'))).toBe(false);
    const second = new PostgresServerEngine({ path });
    await second.start();
    try {
      expect(await queryOnce(second.databaseUrl, 'SELECT v FROM kept')).toEqual([
        { v: 'still here' },
      ]);
    } finally {
      await second.stop();
    }
    expect(existsSync(join(path, 'PG_VERSION'))).toBe(true);
  });

  it('refuses a folder another server is using, which keeps working', async () => {
    const path = await tempFolder();
    const first = new PostgresServerEngine({ path, unsafeNoFsync: true });
    await first.start();
    try {
      const second = new PostgresServerEngine({ path, unsafeNoFsync: true });
      await expect(second.start()).rejects.toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringMatching(/in use by another PostgreSQL server.*postmaster\.pid/s),
      });
      expect(second.pid).toBeUndefined();
      await second.stop();
      expect(await queryOnce(first.databaseUrl, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(childrenNamed('postgres')).toEqual([first.pid]);
    } finally {
      await first.stop();
    }
  });
});

describe.runIf(process.getuid?.() === 0)('PostgresServerEngine as root', () => {
  it('says so when nobody cannot reach the folder', async () => {
    const parent = await tempFolder(); // mkdtemp: mode 700, root's
    const engine = new PostgresServerEngine({ path: join(parent, 'cluster') });
    await expect(engine.start()).rejects.toMatchObject({
      code: 'ENGINE_START_FAILED',
      message: expect.stringContaining('nobody cannot reach'),
    });
    expect(childrenNamed('postgres')).toEqual([]);
  });
});

describe('PostgreSQL binaries', () => {
  it('are found, the newest Debian version first', () => {
    const { initdb, postgres } = findPostgresBinaries();
    expect(initdb).toMatch(/\/initdb$/);
    expect(postgres).toMatch(/\/postgres$/);
  });

  it('when missing, make start fail with what to install', async () => {
    expect(() => findPostgresBinaries({ binDir: '/nonexistent/bin' })).toThrow(
      /install Debian's postgresql package/,
    );
    const engine = new PostgresServerEngine({ binDir: '/nonexistent/bin' });
    await expect(engine.start()).rejects.toMatchObject({
      code: 'ENGINE_START_FAILED',
      message: expect.stringContaining("install Debian's postgresql package"),
    });
    await engine.stop();
  });
});
