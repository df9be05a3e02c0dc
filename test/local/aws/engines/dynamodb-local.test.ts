import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynaliteEngine } from '../../../../src/local/aws/engines/dynalite.ts';
import { DynamoDbLocalEngine } from '../../../../src/local/aws/engines/dynamodb-local.ts';
import type { LocalEngine } from '../../../../src/local/aws/engines/engine.ts';
import { isProcessAlive, listensOnPort } from '../../../../src/local/aws/engines/process.ts';
import {
  clientFor,
  createTable,
  dynamoDbLocalProcesses,
  getValue,
  listTables,
  putValue,
} from './helpers.ts';

// A cold JVM takes seconds to answer; these tests wait for it with a deadline, never a sleep.
const JVM_TIMEOUT_MS = 60_000;

// Every engine a test makes is stopped after it, even when an assertion fails half-way, so a
// failing test cannot leave a JVM behind.
const engines: LocalEngine[] = [];
function track<T extends LocalEngine>(engine: T): T {
  engines.push(engine);
  return engine;
}
afterEach(async () => {
  await Promise.allSettled(engines.splice(0).map((engine) => engine.stop()));
});

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

function expectGone(pid: number, port: number): void {
  expect(isProcessAlive(pid)).toBe(false);
  expect(existsSync(`/proc/${pid}`)).toBe(false);
  const leftovers = dynamoDbLocalProcesses();
  expect(leftovers.filter(([p]) => p === pid)).toEqual([]);
  expect(leftovers.filter(([, args]) => args.includes(`-port ${port} `))).toEqual([]);
}

/** Polls (with a deadline) until `pid` no longer runs; SIGKILL is not instantaneous. */
async function waitUntilDead(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('DynamoDbLocalEngine', () => {
  it(
    'runs DynamoDB Local as a child and leaves no JVM behind after stop',
    async () => {
      const engine = track(new DynamoDbLocalEngine());
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
      await engine.start();
      const pid = engine.pid;
      const endpoint = engine.endpoint;
      const port = portOf(endpoint);
      expect(pid).toBeTypeOf('number');
      if (pid === undefined) return;
      expect(isProcessAlive(pid)).toBe(true);
      const running = dynamoDbLocalProcesses().filter(([p]) => p === pid);
      expect(running).toHaveLength(1);
      expect(running[0]?.[1]).toContain(`-port ${port}`);
      expect(running[0]?.[1]).toContain('-sharedDb');
      expect(listensOnPort(pid, port)).toBe(true);
      expect(listensOnPort(process.pid, port)).toBe(false);

      const client = clientFor(endpoint);
      // -sharedDb: another access key and region see the same tables. (DynamoDB Local only
      // accepts alphanumeric access key ids.)
      const other = new DynamoDBClient({
        endpoint,
        region: 'eu-west-2',
        credentials: { accessKeyId: 'someoneElse', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      try {
        await createTable(client, 'things');
        await putValue(client, 'things', 'a', 'apple');
        expect(await getValue(client, 'things', 'a')).toBe('apple');
        expect(await getValue(other, 'things', 'a')).toBe('apple');
      } finally {
        client.destroy();
        other.destroy();
      }

      await engine.stop();
      expect(engine.pid).toBeUndefined();
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
      expectGone(pid, port);
      await expect(listTables(endpoint)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'runs two engines at once on different ports with separate data',
    async () => {
      const first = track(new DynamoDbLocalEngine());
      const second = track(new DynamoDbLocalEngine());
      await Promise.all([first.start(), second.start()]);
      expect(first.endpoint).not.toBe(second.endpoint);
      expect(first.pid).not.toBe(second.pid);

      const client = clientFor(first.endpoint);
      try {
        await createTable(client, 'only-in-first');
      } finally {
        client.destroy();
      }
      expect(await listTables(first.endpoint)).toEqual(['only-in-first']);
      expect(await listTables(second.endpoint)).toEqual([]);

      const stopped = [first, second].map((engine) => ({
        pid: engine.pid ?? -1,
        port: portOf(engine.endpoint),
      }));
      await Promise.all([first.stop(), second.stop()]);
      for (const { pid, port } of stopped) expectGone(pid, port);
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'keeps tables in a folder across engines',
    async () => {
      const path = await mkdtemp(join(tmpdir(), 'lms-ddb-local-'));
      try {
        const writer = track(new DynamoDbLocalEngine({ path }));
        await writer.start();
        const client = clientFor(writer.endpoint);
        try {
          await createTable(client, 'kept');
          await putValue(client, 'kept', 'k1', 'still here');
        } finally {
          client.destroy();
        }
        await writer.stop();

        const reader = track(new DynamoDbLocalEngine({ path }));
        await reader.start();
        const readClient = clientFor(reader.endpoint);
        try {
          expect(await getValue(readClient, 'kept', 'k1')).toBe('still here');
        } finally {
          readClient.destroy();
        }
        await reader.stop();
      } finally {
        await rm(path, { recursive: true, force: true });
      }
    },
    JVM_TIMEOUT_MS * 2,
  );

  it(
    'fails early, with the exit and the last output, when the JVM dies during start',
    async () => {
      const engine = track(new DynamoDbLocalEngine({ startTimeoutMs: JVM_TIMEOUT_MS }));
      const startedAt = Date.now();
      const starting = engine.start();
      // The child exists as soon as start() has picked a port; poll for it with a deadline.
      let pid = engine.pid;
      while (pid === undefined && Date.now() - startedAt < 10_000) {
        await new Promise((resolve) => setImmediate(resolve));
        pid = engine.pid;
      }
      expect(pid).toBeTypeOf('number');
      if (pid !== undefined) process.kill(pid, 'SIGKILL');

      const error = await starting.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringMatching(
          /exited before it was ready \(signal SIGKILL\)[\s\S]*last output/,
        ),
      });
      expect(Date.now() - startedAt).toBeLessThan(JVM_TIMEOUT_MS / 2);
      expect(engine.pid).toBeUndefined();
      if (pid !== undefined) expect(isProcessAlive(pid)).toBe(false);
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'is not fooled by another server taking its port, and retries on a new one',
    async () => {
      const engine = track(new DynamoDbLocalEngine());
      const startedAt = Date.now();
      const starting = engine.start();
      starting.catch(() => {});
      // Wait (deadline-bound) for the JVM to be spawned, then read the port it was given.
      let firstPid: number | undefined;
      let port: number | undefined;
      while (port === undefined && Date.now() - startedAt < 10_000) {
        await new Promise((resolve) => setImmediate(resolve));
        firstPid = engine.pid;
        const args = dynamoDbLocalProcesses().find(([p]) => p === firstPid)?.[1];
        const match = args === undefined ? null : / -port (\d+)/.exec(args);
        if (match?.[1]) port = Number(match[1]);
      }
      expect(port).toBeTypeOf('number');
      // Someone else's DynamoDB binds that port before the JVM does (which takes seconds).
      const squatter = track(new DynaliteEngine({ port }));
      await squatter.start();
      const client = clientFor(squatter.endpoint);
      try {
        await createTable(client, 'squatter-table');
      } finally {
        client.destroy();
      }

      await starting;
      expect(engine.endpoint).not.toBe(squatter.endpoint);
      expect(engine.pid).not.toBe(firstPid);
      expect(await listTables(engine.endpoint)).toEqual([]);
      if (firstPid !== undefined) expect(isProcessAlive(firstPid)).toBe(false);
    },
    JVM_TIMEOUT_MS,
  );

  it('refuses a port that is already taken, without spawning java', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    try {
      if (address === null || typeof address === 'string') throw new Error('no port');
      const engine = track(new DynamoDbLocalEngine({ port: address.port }));
      await expect(engine.start()).rejects.toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringContaining('already in use'),
      });
      expect(engine.pid).toBeUndefined();
      expect(
        dynamoDbLocalProcesses().filter(([, args]) => args.includes(`${address.port}`)),
      ).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe('DynamoDbLocalEngine when its parent dies without stop()', () => {
  const fixture = fileURLToPath(new URL('./fixtures/crashing-parent.ts', import.meta.url));

  /** Runs the fixture and resolves with its report once the engine is up. */
  async function runParent(
    mode: 'throw' | 'wait',
  ): Promise<{ parent: ChildProcess; pid: number; endpoint: string; stderr: () => string }> {
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    parent.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    parent.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const deadline = Date.now() + JVM_TIMEOUT_MS;
    while (!stdout.includes('\n') && parent.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const report = JSON.parse(stdout.split('\n')[0] || '{}') as { pid?: number; endpoint?: string };
    if (report.pid === undefined || report.endpoint === undefined) {
      parent.kill('SIGKILL');
      throw new Error(`the fixture reported nothing; stderr:\n${stderr}`);
    }
    return { parent, pid: report.pid, endpoint: report.endpoint, stderr: () => stderr };
  }

  it(
    'SIGKILLs the JVM when the parent dies of an uncaught error',
    async () => {
      const { parent, pid, endpoint, stderr } = await runParent('throw');
      try {
        if (parent.exitCode === null) await once(parent, 'exit');
        expect(parent.exitCode).toBe(1);
        expect(stderr()).toContain('simulated crash of the parent');
        await waitUntilDead(pid);
        // The orphaned JVM may linger as a zombie if pid 1 does not reap it; it must not run.
        expect(isProcessAlive(pid)).toBe(false);
        expect(dynamoDbLocalProcesses().filter(([p]) => p === pid)).toEqual([]);
        await expect(listTables(endpoint)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      } finally {
        parent.kill('SIGKILL');
        if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      }
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'SIGKILLs the JVM when an unhandled SIGTERM ends the parent, which still dies of it',
    async () => {
      const { parent, pid, endpoint } = await runParent('wait');
      try {
        expect(isProcessAlive(pid)).toBe(true);
        parent.kill('SIGTERM');
        if (parent.exitCode === null && parent.signalCode === null) await once(parent, 'exit');
        // The hook re-raised the signal: the parent ended as SIGTERM would have ended it.
        expect(parent.signalCode).toBe('SIGTERM');
        await waitUntilDead(pid);
        expect(isProcessAlive(pid)).toBe(false);
        expect(dynamoDbLocalProcesses().filter(([p]) => p === pid)).toEqual([]);
        await expect(listTables(endpoint)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      } finally {
        parent.kill('SIGKILL');
        if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      }
    },
    JVM_TIMEOUT_MS,
  );
});
