import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynaliteEngine } from '../../../../src/local/aws/engines/dynalite.ts';
import { expectOneStartAndAnyStops } from '../../engine-lifecycle.ts';
import { clientFor, createTable, getValue, listTables, putValue } from './helpers.ts';

describe('DynaliteEngine in memory', () => {
  it('serves DynamoDB between start and stop, then refuses connections', async () => {
    const engine = new DynaliteEngine();
    expect(() => engine.endpoint).toThrow(expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }));

    await engine.start();
    const endpoint = engine.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(engine.pid).toBeUndefined();

    const client = clientFor(endpoint);
    try {
      const createdAt = Date.now();
      await createTable(client, 'things');
      // createTableMs: 0; with dynalite's default (500 ms) this would take at least 500 ms.
      expect(Date.now() - createdAt).toBeLessThan(400);
      await putValue(client, 'things', 'a', 'apple');
      expect(await getValue(client, 'things', 'a')).toBe('apple');
      expect(await getValue(client, 'things', 'missing')).toBeUndefined();
    } finally {
      // The client keeps its keep-alive socket open; stop() must not hang on it.
      await engine.stop();
    }

    expect(() => engine.endpoint).toThrow(expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }));
    await expect(listTables(endpoint)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    client.destroy();
  });

  it('starts each engine empty and on its own free port', async () => {
    const first = new DynaliteEngine();
    const second = new DynaliteEngine();
    await Promise.all([first.start(), second.start()]);
    try {
      expect(first.endpoint).not.toBe(second.endpoint);
      const client = clientFor(first.endpoint);
      await createTable(client, 'only-in-first');
      client.destroy();
      expect(await listTables(first.endpoint)).toEqual(['only-in-first']);
      expect(await listTables(second.endpoint)).toEqual([]);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('stops promptly even while a client holds a connection with a request half sent', async () => {
    const engine = new DynaliteEngine();
    await engine.start();
    const url = new URL(engine.endpoint);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    // The server resets the connection; that error is the expected outcome here.
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // Headers never finished: the server sees a request in progress, not an idle connection.
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{');
    const startedAt = Date.now();
    await engine.stop();
    await closed;
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('rejects a second start and treats stop on a stopped engine as done', async () => {
    await expectOneStartAndAnyStops(new DynaliteEngine());
  });

  it('can be started again after stop', async () => {
    const engine = new DynaliteEngine();
    await engine.start();
    await engine.stop();
    await engine.start();
    try {
      expect(await listTables(engine.endpoint)).toEqual([]);
    } finally {
      await engine.stop();
    }
  });

  it('fails to start with ENGINE_START_FAILED when the port is taken', async () => {
    const holder = new DynaliteEngine();
    await holder.start();
    try {
      const port = Number(new URL(holder.endpoint).port);
      const engine = new DynaliteEngine({ port });
      await expect(engine.start()).rejects.toMatchObject({
        code: 'ENGINE_START_FAILED',
        message: expect.stringContaining('EADDRINUSE'),
      });
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
    } finally {
      await holder.stop();
    }
  });

  it('rejects an invalid port when built', () => {
    expect(() => new DynaliteEngine({ port: 70_000 })).toThrow(
      expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
    );
  });
});

describe('DynaliteEngine persisted in a folder', () => {
  it('keeps items across engines on the same folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lms-dynalite-'));
    // A folder that does not exist yet, to check start() creates it (mkdir -p).
    const path = join(root, 'nested', 'db');
    try {
      const writer = new DynaliteEngine({ path });
      await writer.start();
      const writeClient = clientFor(writer.endpoint);
      try {
        await createTable(writeClient, 'kept');
        await putValue(writeClient, 'kept', 'k1', 'still here');
      } finally {
        await writer.stop();
        writeClient.destroy();
      }
      expect((await readdir(path)).length).toBeGreaterThan(0);

      const reader = new DynaliteEngine({ path });
      await reader.start();
      const readClient = clientFor(reader.endpoint);
      try {
        expect(await listTables(reader.endpoint)).toEqual(['kept']);
        expect(await getValue(readClient, 'kept', 'k1')).toBe('still here');
      } finally {
        await reader.stop();
        readClient.destroy();
      }

      // An in-memory engine must not see the folder's data.
      const inMemory = new DynaliteEngine();
      await inMemory.start();
      try {
        expect(await listTables(inMemory.endpoint)).toEqual([]);
      } finally {
        await inMemory.stop();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
