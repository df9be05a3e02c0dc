import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynaliteEngine } from '../../../src/local/engines/dynalite.ts';
import { DynamoDbLocalEngine } from '../../../src/local/engines/dynamodb-local.ts';
import { isProcessAlive, listensOnPort } from '../../../src/local/engines/process.ts';
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

function expectGone(pid: number, port: string): void {
  expect(isProcessAlive(pid)).toBe(false);
  expect(existsSync(`/proc/${pid}`)).toBe(false);
  const leftovers = dynamoDbLocalProcesses();
  expect(leftovers.filter(([p]) => p === pid)).toEqual([]);
  expect(leftovers.filter(([, args]) => args.includes(`-port ${port}`))).toEqual([]);
}

describe('DynamoDbLocalEngine', () => {
  it(
    'runs DynamoDB Local as a child and leaves no JVM behind after stop',
    async () => {
      const engine = new DynamoDbLocalEngine();
      await engine.start();
      const pid = engine.pid;
      const endpoint = engine.endpoint;
      const port = new URL(endpoint).port;
      expect(pid).toBeTypeOf('number');
      if (pid === undefined) return;
      expect(isProcessAlive(pid)).toBe(true);
      const running = dynamoDbLocalProcesses().filter(([p]) => p === pid);
      expect(running).toHaveLength(1);
      expect(running[0]?.[1]).toContain(`-port ${port}`);
      expect(running[0]?.[1]).toContain('-sharedDb');
      expect(listensOnPort(pid, Number(port))).toBe(true);
      expect(listensOnPort(process.pid, Number(port))).toBe(false);

      const client = clientFor(endpoint);
      try {
        await createTable(client, 'things');
        await putValue(client, 'things', 'a', 'apple');
        expect(await getValue(client, 'things', 'a')).toBe('apple');
        // -sharedDb: another access key and region see the same tables.
        // (DynamoDB Local only accepts alphanumeric access key ids.)
        const other = new DynamoDBClient({
          endpoint,
          region: 'eu-west-2',
          credentials: { accessKeyId: 'someoneElse', secretAccessKey: 'x' },
          maxAttempts: 1,
        });
        try {
          expect(await getValue(other, 'things', 'a')).toBe('apple');
        } finally {
          other.destroy();
        }
      } finally {
        client.destroy();
        await engine.stop();
      }

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
      const first = new DynamoDbLocalEngine();
      const second = new DynamoDbLocalEngine();
      const started = await Promise.allSettled([first.start(), second.start()]);
      try {
        expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
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
      } finally {
        const pids = [first.pid, second.pid];
        const ports = [first, second].map((engine) =>
          engine.pid === undefined ? '' : new URL(engine.endpoint).port,
        );
        await Promise.all([first.stop(), second.stop()]);
        pids.forEach((pid, index) => {
          if (pid !== undefined) expectGone(pid, ports[index] ?? '');
        });
      }
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'keeps tables in a folder across engines',
    async () => {
      const path = await mkdtemp(join(tmpdir(), 'lms-ddb-local-'));
      try {
        const writer = new DynamoDbLocalEngine({ path });
        await writer.start();
        const client = clientFor(writer.endpoint);
        try {
          await createTable(client, 'kept');
          await putValue(client, 'kept', 'k1', 'still here');
        } finally {
          client.destroy();
          await writer.stop();
        }

        const reader = new DynamoDbLocalEngine({ path });
        await reader.start();
        const readClient = clientFor(reader.endpoint);
        try {
          expect(await getValue(readClient, 'kept', 'k1')).toBe('still here');
        } finally {
          readClient.destroy();
          await reader.stop();
        }
      } finally {
        await rm(path, { recursive: true, force: true });
      }
    },
    JVM_TIMEOUT_MS * 2,
  );

  it(
    'fails early, with the exit and the last output, when the JVM dies during start',
    async () => {
      const engine = new DynamoDbLocalEngine({ startTimeoutMs: JVM_TIMEOUT_MS });
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
    'SIGKILLs the JVM when the parent process crashes without calling stop()',
    async () => {
      const fixture = fileURLToPath(new URL('./fixtures/crashing-parent.ts', import.meta.url));
      const { code, stdout, stderr } = await new Promise<{
        code: number | null;
        stdout: string;
        stderr: string;
      }>((resolve) => {
        const parent = execFile(
          process.execPath,
          ['--import', 'tsx', fixture],
          { timeout: JVM_TIMEOUT_MS },
          (_error, out, err) => resolve({ code: parent.exitCode, stdout: out, stderr: err }),
        );
      });
      expect(stderr).toContain('simulated crash of the parent');
      expect(code).toBe(1);
      const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        pid?: number;
        endpoint?: string;
      };
      expect(report.pid).toBeTypeOf('number');
      expect(report.endpoint).toBeTypeOf('string');
      const { pid, endpoint } = report;
      if (pid === undefined || endpoint === undefined) return;

      // SIGKILL was sent from the parent's 'exit' hook; the kernel may need a moment to finish.
      const deadline = Date.now() + 10_000;
      while (isProcessAlive(pid) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The orphaned JVM may linger as a zombie if pid 1 does not reap it; it must not run.
      expect(isProcessAlive(pid)).toBe(false);
      expect(dynamoDbLocalProcesses().filter(([p]) => p === pid)).toEqual([]);
      await expect(listTables(endpoint)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    },
    JVM_TIMEOUT_MS,
  );

  it(
    'is not fooled by another server taking its port, and retries on a new one',
    async () => {
      const engine = new DynamoDbLocalEngine();
      const startedAt = Date.now();
      const starting = engine.start();
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
      // A DynamoDB of someone else's binds that port before the JVM (which takes seconds).
      const squatter = new DynaliteEngine({ port });
      await squatter.start();
      try {
        const client = clientFor(squatter.endpoint);
        await createTable(client, 'squatter-table');
        client.destroy();

        await starting;
        expect(engine.endpoint).not.toBe(squatter.endpoint);
        expect(engine.pid).not.toBe(firstPid);
        expect(await listTables(engine.endpoint)).toEqual([]);
        if (firstPid !== undefined) expect(isProcessAlive(firstPid)).toBe(false);
      } finally {
        await starting.catch(() => {});
        await engine.stop();
        await squatter.stop();
      }
    },
    JVM_TIMEOUT_MS,
  );

  it('refuses a port that is already taken, without spawning java', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    try {
      if (address === null || typeof address === 'string') throw new Error('no port');
      const before = dynamoDbLocalProcesses().length;
      const engine = new DynamoDbLocalEngine({ port: address.port });
      await expect(engine.start()).rejects.toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringContaining('already in use'),
      });
      expect(engine.pid).toBeUndefined();
      expect(dynamoDbLocalProcesses().length).toBe(before);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
