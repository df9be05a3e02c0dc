import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/local/claim.ts';
import {
  bannerOf,
  bannerParts,
  exitOf,
  runLms,
  type Started,
  startLms,
  startLmsWith,
  stopAll,
} from '../support/lms-start.ts';

/**
 * `lms start --engine pglite` as a process, beside a dynalite stack on the same seed: the
 * stack starts its own engines (no run engine is used), so the file runs under any
 * LMS_TEST_ENGINE, and `npm run test:pglite` names it.
 */
const folders: string[] = [];
afterAll(async () => {
  await stopAll();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}, 90_000);

/** The module_results answer less the moment it was computed. */
const moduleResults = async (started: Started) => {
  const { resultsUrl, teacherToken } = bannerParts(await bannerOf(started));
  expect(resultsUrl).toBeDefined();
  const response = await fetch(resultsUrl ?? '', {
    headers: { authorization: `Bearer ${teacherToken}` },
  });
  expect(response.status).toBe(200);
  const { generated_at: _generatedAt, ...body } = (await response.json()) as Record<
    string,
    unknown
  >;
  const url = new URL(resultsUrl ?? '');
  return { path: `${url.pathname}${url.search}`, body };
};

describe('lms start --engine pglite', () => {
  it('prints DATABASE_URL, answers as dynalite does on the same seed, and serves lms beside it', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lms-start-pglite-'));
    folders.push(data);
    // Started together, so both seeds end at (almost) the same moment.
    const pglite = startLms('--engine', 'pglite', '--data', data, '--seed-number', '3');
    const dynalite = startLms('--engine', 'dynalite', '--in-memory', '--seed-number', '3');
    const stdout = await bannerOf(pglite);

    const { databaseUrl } = bannerParts(stdout);
    expect(databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(stdout).toContain(`PostgreSQL ${databaseUrl}   (pglite, persisted in ${data}, schema`);
    expect(stdout).not.toContain('DYNAMODB_ENDPOINT');
    expect(stdout).not.toContain('DynamoDB');

    // The console's demo teacher's heatmap: the same class, module and figures on both.
    const [onPglite, onDynalite] = await Promise.all([
      moduleResults(pglite),
      moduleResults(dynalite),
    ]);
    expect(onPglite.path).toBe(onDynalite.path);
    expect((onPglite.body.overall as { attempts: number }).attempts).toBeGreaterThan(0);
    expect(onPglite.body).toEqual(onDynalite.body);
    dynalite.child.kill('SIGINT');

    // `lms` in another shell with the banner's line alone, while the stack runs: PGlite's
    // wire server takes their connections beside the stack's own.
    const env = { DATABASE_URL: databaseUrl ?? '' };
    const listed = await runLms(['tables', 'list'], env);
    expect(listed.stdout).toMatch(/^"public"\."students" +(>0|~\d+) items/m);
    const aggregated = await runLms(['aggregate', 'students'], env);
    expect(`${aggregated.stdout}${aggregated.stderr}`).toMatch(
      /aggregate_students \(incremental, .*0 failed/,
    );
    const checked = await runLms(['check'], env);
    expect(`${checked.stdout}${checked.stderr}`).toMatch(/check: no problems in [\d,]+ records/);
    // The stack still answers after them.
    const { parentToken, summaryUrl } = bannerParts(stdout);
    const summary = await fetch(summaryUrl ?? '', {
      headers: { authorization: `Bearer ${parentToken}` },
    });
    expect(summary.status).toBe(200);

    // DATABASE_URL in the environment: a second stack on that database, starting no engine
    // (whatever --engine says), finding the data seeded, leaving the database running.
    const external = startLmsWith(env, '--in-memory', '--engine', 'postgres');
    const externalBanner = await bannerOf(external);
    expect(externalBanner).toContain(
      `PostgreSQL ${databaseUrl}   (external, not started by lms start, left running at exit, schema`,
    );
    expect(externalBanner).toContain(`\n    export DATABASE_URL=${databaseUrl}\n`);
    expect(external.stderr()).not.toMatch(/demo data: writing seed/);
    external.child.kill('SIGINT');
    expect(await exitOf(external.child)).toBe(0);
    expect(external.stderr()).toContain('PostgreSQL (external) stopped');
    expect((await runLms(['tables', 'list'], env)).stdout).toMatch(/"public"\."students"/);

    pglite.child.kill('SIGINT');
    expect(await exitOf(pglite.child)).toBe(0);
    expect(pglite.stderr()).toMatch(
      /PostgreSQL \(pglite\) stopped\ndata folder and ports stopped\n/,
    );
    expect(existsSync(join(data, 'pglite'))).toBe(true);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
    expect(await exitOf(dynalite.child)).toBe(0);

    // The data stays in <data>/pglite: the next start finds the tables and the seed.
    const again = startLms('--engine', 'pglite', '--data', data, '--seed-number', '3');
    await bannerOf(again);
    expect(again.stderr()).toMatch(/tables: 0 created, \d+ already there\n/);
    expect(again.stderr()).not.toMatch(/demo data: writing seed/);
    again.child.kill('SIGINT');
    expect(await exitOf(again.child)).toBe(0);
  }, 300_000);
});
