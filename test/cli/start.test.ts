import {
  type ChildProcessWithoutNullStreams,
  execFile,
  execFileSync,
  spawn,
} from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCK_FILE } from '../../src/local/claim.ts';

const engine = inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';

/** Polls `check` until it returns a value, or fails at the deadline. */
const poll = async <T>(
  check: () => T | undefined,
  deadlineMs: number,
  what: string,
): Promise<T> => {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A shell with no AWS settings and no profile, as a newcomer's may be. */
const bareEnv = (): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: 'warn',
    LMS_TABLE_PREFIX: '',
    LMS_ID_CLAIM: '',
    AWS_CONFIG_FILE: join(tmpdir(), 'lms-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'lms-no-aws-config'),
  };
  for (const name of ['DYNAMODB_ENDPOINT', 'AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID']) {
    delete env[name];
  }
  return env;
};

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];

const startLms = (...args: string[]): Started => {
  const child = spawn(
    process.execPath,
    [
      'bin/lms.mjs',
      'start',
      '--port',
      '0',
      '--db-port',
      '0',
      '--no-schedule',
      '--engine',
      engine,
      ...args,
    ],
    { env: bareEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
};

const banner = (started: Started) =>
  poll(
    () => (started.stdout().includes('Ctrl-C stops everything') ? started.stdout() : undefined),
    120_000,
    'the banner',
  );

const exitOf = async (child: ChildProcessWithoutNullStreams) =>
  child.exitCode ?? ((await once(child, 'exit')) as [number | null])[0];

/** The JVMs of DynamoDB Local on a port (none must outlive a stack). */
const jvmsOn = (port: string | undefined) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal') && line.includes(`-port ${port}`));

const folders: string[] = [];
afterAll(async () => {
  // Ctrl-C first, so that a stack left running by a failed test stops its own engine (a
  // SIGKILLed lms would orphan a DynamoDB Local JVM); SIGKILL only if it does not exit.
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}, 60_000);

describe('npm start (lms start) as a process', () => {
  it('prints a banner whose export and curl lines work, and stops everything on Ctrl-C', async () => {
    const started = startLms('--in-memory');
    const stdout = await banner(started);
    const apiUrl = /HTTP API\s+(http:\/\/\S+)/.exec(stdout)?.[1];
    const dbPort = /DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1];
    const teacherToken = /export TEACHER_TOKEN=(\S+)/.exec(stdout)?.[1];
    const parentToken = /export PARENT_TOKEN=(\S+)/.exec(stdout)?.[1];
    const resultsUrl = /curl -H "Authorization: Bearer \$TEACHER_TOKEN" "(\S+)"/.exec(stdout)?.[1];
    const summaryUrl = /curl -H "Authorization: Bearer \$PARENT_TOKEN" (\S+\/summary)/.exec(
      stdout,
    )?.[1];
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

    // The demo class's module shows this week's answers: the banner picked it from the data.
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
    const listed = await promisify(execFile)(process.execPath, ['bin/lms.mjs', 'tables', 'list'], {
      env: { ...bareEnv(), DYNAMODB_ENDPOINT: exported },
    });
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
    const first = startLms('--data', data, '--engine', 'dynalite');
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
    const stdout = await banner(second);
    expect(second.stderr()).toMatch(/was interrupted \(\w+\); finishing it/);
    const parentToken = /export PARENT_TOKEN=(\S+)/.exec(stdout)?.[1];
    const summaryUrl = /curl -H "Authorization: Bearer \$PARENT_TOKEN" (\S+\/summary)/.exec(
      stdout,
    )?.[1];
    const summary = await fetch(summaryUrl ?? '', {
      headers: { authorization: `Bearer ${parentToken}` },
    });
    expect(summary.status).toBe(200);

    // A third stack on the same folder, and one in memory on the same API port: refused
    // at once, naming the running one, before any work.
    const apiPort = new URL(/HTTP API\s+(http:\/\/\S+)/.exec(stdout)?.[1] ?? 'http://x').port;
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
