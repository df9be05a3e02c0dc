import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach } from 'vitest';

/** Runs `sql` on a fresh connection to `databaseUrl` and returns the rows. */
export async function queryOnce<T extends pg.QueryResultRow = pg.QueryResultRow>(
  databaseUrl: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A connected client; errors after the fact (the server went away) are left to the test. */
export async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The processes whose parent is this one and whose command name is `name` (Linux only). */
export function childrenNamed(name: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(open + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (comm === name && Number(ppid) === process.pid && state !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** Processes whose command line mentions `text` (Linux only). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) found.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return found;
}

/** Whether `process.kill(pid, 0)` finds no such process. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * A pool whose clients ignore errors that arrive once the test is done with them (the server
 * shutting down while `pool.end()` still closes them would otherwise be an uncaught error).
 */
export function quietPool(databaseUrl: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * A maker of temporary folders named `prefix…`, each removed after the test that made it.
 * Registers the file's `afterEach`: call it at the top level of the file.
 */
export function tempFolders(prefix: string): () => Promise<string> {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(
      folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
    );
  });
  return async () => {
    const folder = await mkdtemp(join(tmpdir(), prefix));
    folders.push(folder);
    return folder;
  };
}

/**
 * Runs `transactions` read-modify-write transactions at once, each on a connection of its own
 * from `pool`, each reading a counter with `read` (`$1` is the counter's id) and writing it
 * back one higher; returns the counter's final value. Whether any update was lost is what
 * the caller asserts: how `read` keeps them apart is the engine's own (a row lock, or one
 * transaction at a time).
 */
export async function countInTransactions(
  pool: pg.Pool,
  transactions: number,
  read: string,
): Promise<number | undefined> {
  await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int)');
  await pool.query('INSERT INTO counter VALUES (1, 0)');
  await Promise.all(
    Array.from({ length: transactions }, async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ n: number }>(read, [1]);
        await client.query('UPDATE counter SET n = $1 WHERE id = 1', [(rows[0]?.n ?? 0) + 1]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }),
  );
  return (await pool.query<{ n: number }>('SELECT n FROM counter')).rows[0]?.n;
}
