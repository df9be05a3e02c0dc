import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/local/aws/engines/index.ts';
import { LOCK_FILE } from '../../src/local/claim.ts';
import { bannerOf, bannerParts, exitOf, startLms, stopAll } from '../support/lms-start.ts';

/** `lms start --engine postgres` as a process: Debian's server in `<data>/postgres`. */
const folders: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}, 90_000);

describe('lms start --engine postgres', () => {
  it('runs the stack on its own server, prints DATABASE_URL, and stops the server on Ctrl-C', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lms-start-postgres-'));
    folders.push(data);
    // As root the server runs as nobody, who must reach the folder (mkdtemp makes it 0700).
    chmodSync(data, 0o755);
    const started = startLms('--engine', 'postgres', '--data', data);
    const stdout = await bannerOf(started);
    const { databaseUrl, summaryUrl, parentToken } = bannerParts(stdout);
    expect(databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(stdout).toContain(`PostgreSQL ${databaseUrl}   (postgres, persisted in ${data}, schema`);
    expect(stdout).not.toContain('DYNAMODB_ENDPOINT');

    const summary = await fetch(summaryUrl ?? '', {
      headers: { authorization: `Bearer ${parentToken}` },
    });
    expect(summary.status).toBe(200);

    // The postmaster's pid, as the server wrote it in its folder.
    const pid = Number(
      readFileSync(join(data, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    expect(isProcessAlive(pid)).toBe(true);

    started.child.kill('SIGINT');
    expect(await exitOf(started.child)).toBe(0);
    // The server stops after everything that used it, and none is left behind.
    expect(started.stderr()).toMatch(
      /PostgreSQL \(postgres\) stopped\ndata folder and ports stopped\n/,
    );
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(data, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  }, 180_000);
});
