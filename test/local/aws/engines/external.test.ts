import { describe, expect, it } from 'vitest';
import { DynaliteEngine } from '../../../../src/local/aws/engines/dynalite.ts';
import { ExternalEngine } from '../../../../src/local/aws/engines/external.ts';
import { findFreePort } from '../../../../src/local/aws/engines/network.ts';
import { clientFor, createTable, listTables } from './helpers.ts';

describe('ExternalEngine', () => {
  it('starts against an endpoint that answers and leaves it running on stop', async () => {
    const remote = new DynaliteEngine();
    await remote.start();
    try {
      const client = clientFor(remote.endpoint);
      await createTable(client, 'remote-table');
      client.destroy();

      const engine = new ExternalEngine({ endpoint: `${remote.endpoint}/`, startTimeoutMs: 2_000 });
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
      await engine.start();
      expect(engine.kind).toBe('external');
      expect(engine.pid).toBeUndefined();
      // Normalised: the trailing slash is dropped.
      expect(engine.endpoint).toBe(remote.endpoint);
      expect(await listTables(engine.endpoint)).toEqual(['remote-table']);

      await engine.stop();
      expect(() => engine.endpoint).toThrow(
        expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }),
      );
      // stop() must not touch the remote.
      expect(await listTables(remote.endpoint)).toEqual(['remote-table']);
    } finally {
      await remote.stop();
    }
  });

  it('rejects with ENGINE_START_FAILED within the deadline when nothing listens', async () => {
    const port = await findFreePort();
    const engine = new ExternalEngine({
      endpoint: `http://127.0.0.1:${port}`,
      // Long enough for a refused probe to come back on a loaded machine.
      startTimeoutMs: 2_000,
    });
    const startedAt = Date.now();
    await expect(engine.start()).rejects.toMatchObject({
      code: 'ENGINE_START_FAILED',
      // The last attempt's error: refused, or (on a machine so busy that a probe outlived
      // what was left of the deadline) cut short. How long past the deadline it took is the
      // machine's business, not this test's.
      message: expect.stringMatching(/did not answer within 2000 ms: .*(ECONNREFUSED|abort)/),
    });
    // It polled until the deadline rather than giving up on the first refusal.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_900);
    expect(() => engine.endpoint).toThrow(expect.objectContaining({ code: 'ENGINE_NOT_STARTED' }));
  });

  it('waits for an endpoint that comes up before the deadline', async () => {
    const port = await findFreePort();
    const engine = new ExternalEngine({
      endpoint: `http://127.0.0.1:${port}`,
      // Generous: it returns as soon as the endpoint answers, however busy the machine.
      startTimeoutMs: 60_000,
    });
    const remote = new DynaliteEngine({ port });
    const starting = engine.start();
    try {
      await remote.start();
      await starting;
      expect(engine.endpoint).toBe(remote.endpoint);
    } finally {
      await starting.catch(() => {});
      await remote.stop();
    }
  });

  it('rejects endpoints that are not http(s) URLs when built', () => {
    for (const endpoint of ['', 'localhost:8000', 'ftp://example.com']) {
      expect(() => new ExternalEngine({ endpoint })).toThrow(
        expect.objectContaining({ code: 'ENGINE_INVALID_OPTIONS' }),
      );
    }
  });
});
