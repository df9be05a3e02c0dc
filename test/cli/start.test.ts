import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCK_FILE } from '../../src/local/claim.ts';
import {
  bannerOf,
  bannerParts,
  bareEnv,
  exitOf,
  poll,
  runLms,
  startLms as startLmsOn,
  startLmsWith,
  stopAll,
} from '../support/lms-start.ts';

const engine = inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

/** `lms start` on the run's DynamoDB engine (a test may name another after it: the last wins). */
const startLms = (...args: string[]) => startLmsOn('--engine', engine, ...args);

/** The JVMs of DynamoDB Local on a port (none must outlive a stack). */
const jvmsOn = (port: string | undefined) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal') && line.includes(`-port ${port}`));

const folders: string[] = [];
afterAll(async () => {
  // A stack left running by a failed test stops its own engine (a SIGKILLed lms would
  // orphan a DynamoDB Local JVM).
  await stopAll();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}, 60_000);

describe('npm start (lms start) as a process', () => {
  it('prints a banner whose export and curl lines work, and stops everything on Ctrl-C', async () => {
    // At `info`, as `npm start` runs by default: the start-up log is one line per step and
    // per job, with no job's JSON between the steps and the banner.
    const started = startLmsWith({ LOG_LEVEL: 'info' }, '--engine', engine, '--in-memory');
    const stdout = await bannerOf(started);
    const { apiUrl, teacherToken, parentToken, resultsUrl, summaryUrl } = bannerParts(stdout);
    const logLines = started.stderr().trimEnd().split('\n');
    expect(logLines.filter((line) => /^\s*[{}"\]]/.test(line))).toEqual([]);
    expect(logLines.filter((line) => line.startsWith('job '))).toEqual([
      expect.stringMatching(/^job calc_all_stats: \d+ records, /),
      expect.stringMatching(/^job aggregate_students \(full, [\d-]+\): \d+ students recomputed/),
      expect.stringMatching(/^job aggregate_parents \(full, [\d-]+\): \d+ parents recomputed/),
    ]);
    expect(logLines.filter((line) => line.startsWith('demo data:'))).toHaveLength(2);
    // Every curl's reply ends with a newline, so it does not run into the prompt; the
    // results' label names the range its query asks for.
    const curls = stdout.split('\n').filter((line) => line.trimStart().startsWith('curl '));
    expect(curls.length).toBeGreaterThan(3);
    for (const curl of curls) expect(curl).toContain(`curl -w '\\n' `);
    const labelled = /from=(\d{4}-\d\d-\d\d)" +# the last 7 days \(from (\d{4}-\d\d-\d\d)\)$/m.exec(
      stdout,
    );
    expect(labelled?.[1]).toBeDefined();
    expect(labelled?.[2]).toBe(labelled?.[1]);
    const dbPort = /DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
    expect(apiUrl).toBeDefined();
    // Shaped as the deployed pool's ID tokens: a UUID sub, the LMS id the username.
    expect(stdout).toMatch(/export TEACHER_TOKEN=\S+ +# cognito:username \S+/);
    const payload = JSON.parse(
      Buffer.from(teacherToken?.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({
      sub: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      'cognito:username': expect.stringMatching(/^t-/),
      'custom:role': 'teacher',
      token_use: 'id',
    });

    // The demo class's module shows the last 7 days' answers: the banner picked it from the data.
    expect(resultsUrl?.startsWith(apiUrl ?? '-')).toBe(true);
    const response = await fetch(resultsUrl ?? '', {
      headers: { authorization: `Bearer ${teacherToken}` },
    });
    expect(response.status).toBe(200);
    const results = (await response.json()) as {
      overall: { attempts: number };
      cells: unknown[];
    };
    expect(results.overall.attempts).toBeGreaterThan(0);
    expect(results.cells.length).toBeGreaterThan(0);
    const summary = await fetch(summaryUrl ?? '', {
      headers: { authorization: `Bearer ${parentToken}` },
    });
    expect(summary.status).toBe(200);

    // `npx lms` beside the stack, in a bare shell, with the banner's export line alone.
    const exported = /^ {4}export DYNAMODB_ENDPOINT=(\S+)$/m.exec(stdout)?.[1];
    expect(exported).toBe(`http://127.0.0.1:${dbPort}`);
    const listed = await runLms(['tables', 'list'], { DYNAMODB_ENDPOINT: exported ?? '' });
    expect(listed.stdout).toMatch(/^students +(>0|~\d+) items/m);

    started.child.kill('SIGINT');
    expect(await exitOf(started.child)).toBe(0);
    expect(started.stderr()).toContain('local stack stopped');
    await expect(fetch(apiUrl ?? '')).rejects.toThrow();
    // No engine outlives the stack (a JVM would still hold its port).
    expect(jvmsOn(dbPort)).toEqual([]);
  }, 180_000);

  it('Ctrl-C while seeding stops in reverse (exit 130); the next start finishes the seed and refuses a second stack', async () => {
    const data = mkdtempSync(join(tmpdir(), 'lms-start-data-'));
    folders.push(data);
    // On dynalite whatever the run's engine: a persisted DynamoDB Local takes minutes to
    // seed; the resume on that engine is tested in process (test/local/resume.test.ts).
    // At debug, where the seed says each table it has written (info says only its start
    // and its end): the signal comes once the students are written, mid-seed.
    const first = startLmsWith({ LOG_LEVEL: 'debug' }, '--data', data, '--engine', 'dynalite');
    await poll(
      () => (/^demo data: students \d+$/m.test(first.stderr()) ? true : undefined),
      120_000,
      'the seed to write the students',
    );
    first.child.kill('SIGINT');
    expect(await exitOf(first.child)).toBe(130);
    const stopping = first.stderr();
    expect(stopping).toContain('SIGINT: stopping what started, in reverse');
    expect(stopping).toMatch(/interrupted; stopping what started, in reverse/);
    expect(stopping).toMatch(/DynamoDB \(\S+\) stopped\ndata folder and ports stopped\n/);
    expect(stopping).toMatch(/lms: interrupted \(SIGINT\) while starting.*\[INTERRUPTED\]/);
    expect(first.stdout()).not.toContain('Ctrl-C stops everything');
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);

    const second = startLms('--data', data, '--engine', 'dynalite');
    const stdout = await bannerOf(second);
    expect(second.stderr()).toMatch(/was interrupted \(\w+\); finishing it/);
    const { parentToken, summaryUrl, apiUrl } = bannerParts(stdout);
    const summary = await fetch(summaryUrl ?? '', {
      headers: { authorization: `Bearer ${parentToken}` },
    });
    expect(summary.status).toBe(200);

    // A third stack on the same folder, and one in memory on the same API port: refused
    // at once, naming the running one, before any work.
    const apiPort = new URL(apiUrl ?? 'http://x').port;
    const sameFolder = startLms('--data', data, '--engine', 'dynalite');
    expect(await exitOf(sameFolder.child)).toBe(2);
    expect(sameFolder.stderr()).toContain(
      `is in use by another lms start (pid ${second.child.pid}, since `,
    );
    expect(sameFolder.stderr()).not.toContain('tables:');
    const samePort = spawn(
      process.execPath,
      ['bin/lms.mjs', 'start', '--in-memory', '--port', apiPort, '--db-port', '0', '--no-schedule'],
      { env: bareEnv() },
    );
    let samePortErr = '';
    samePort.stderr.on('data', (chunk: Buffer) => {
      samePortErr += chunk.toString();
    });
    const [samePortCode] = (await once(samePort, 'exit')) as [number | null];
    expect(samePortCode).toBe(2);
    expect(samePortErr).toContain(
      `port ${apiPort} for the HTTP API (--port) is in use by pid ${second.child.pid} `,
    );
    expect(samePortErr).not.toContain('tables:');

    second.child.kill('SIGINT');
    expect(await exitOf(second.child)).toBe(0);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  }, 300_000);
});
