/**
 * `lms start` as a child process, for the tests that start the stack (`start.test.ts` on the
 * run's DynamoDB engine, the PostgreSQL ones on an engine of their own): a bare shell, the
 * banner awaited, and Ctrl-C for every child left running by a failed test, so that the
 * engine it started stops with it.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Polls `check` until it returns a value, or fails at the deadline. */
export const poll = async <T>(
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

/** A shell with no database settings, no AWS settings and no profile, as a newcomer's may be. */
export const bareEnv = (): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: 'warn',
    LMS_TABLE_PREFIX: '',
    LMS_ID_CLAIM: '',
    AWS_CONFIG_FILE: join(tmpdir(), 'lms-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'lms-no-aws-config'),
  };
  for (const name of [
    'DYNAMODB_ENDPOINT',
    'DATABASE_URL',
    'AWS_REGION',
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
  ]) {
    delete env[name];
  }
  return env;
};

export interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** The stacks a test file started, stopped by {@link stopAll}. */
export const startedChildren: ChildProcessWithoutNullStreams[] = [];

/** `lms start` on any free ports, without schedules, in a bare shell. */
export const startLms = (...args: string[]): Started => startLmsWith({}, ...args);

/** {@link startLms} with variables set in the bare shell (`DATABASE_URL`). */
export const startLmsWith = (env: Record<string, string>, ...args: string[]): Started => {
  const child = spawn(
    process.execPath,
    ['bin/lms.mjs', 'start', '--port', '0', '--db-port', '0', '--no-schedule', ...args],
    { env: { ...bareEnv(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  startedChildren.push(child);
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

/** The banner, once printed; fails early if the stack exits first. */
export const bannerOf = (started: Started): Promise<string> =>
  poll(
    () => {
      if (started.stdout().includes('Ctrl-C stops everything')) return started.stdout();
      if (started.child.exitCode !== null)
        throw new Error(`lms start exited ${started.child.exitCode}: ${started.stderr()}`);
      return undefined;
    },
    120_000,
    'the banner',
  );

export const exitOf = async (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  child.exitCode ?? ((await once(child, 'exit')) as [number | null])[0];

/**
 * Ctrl-C to every stack still running, so that each stops its own engine (a SIGKILLed lms
 * would orphan a postgres server); SIGKILL only if one does not exit in 30 s.
 */
export const stopAll = async (): Promise<void> => {
  for (const child of startedChildren) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
};

/** The banner's lines a test reads. */
export const bannerParts = (stdout: string) => ({
  apiUrl: /HTTP API\s+(http:\/\/\S+)/.exec(stdout)?.[1],
  databaseUrl: /^ {4}export DATABASE_URL=(\S+)$/m.exec(stdout)?.[1],
  teacherToken: /export TEACHER_TOKEN=(\S+)/.exec(stdout)?.[1],
  parentToken: /export PARENT_TOKEN=(\S+)/.exec(stdout)?.[1],
  resultsUrl: /curl -w '\\n' -H "Authorization: Bearer \$TEACHER_TOKEN" "(\S+)"/.exec(stdout)?.[1],
  summaryUrl: /curl -w '\\n' -H "Authorization: Bearer \$PARENT_TOKEN" (\S+\/summary)/.exec(
    stdout,
  )?.[1],
});

/** `lms <args>` beside a stack, in a bare shell plus `env`. */
export const runLms = (args: readonly string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, ['bin/lms.mjs', ...args], {
    env: { ...bareEnv(), ...env },
  });
