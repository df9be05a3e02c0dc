import { describe, expect, it } from 'vitest';
import {
  BaseEngine,
  EngineKind,
  type RunningEngine,
} from '../../../../src/local/aws/engines/engine.ts';

/** A promise settled from outside, so that a test decides when a launch or shutdown ends. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
} {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * An engine whose launches and shutdowns are held until the test settles them, and which
 * counts them, so that races between start and stop can be staged step by step.
 */
class HeldEngine extends BaseEngine<RunningEngine> {
  readonly kind = EngineKind.External;
  readonly launches: Array<ReturnType<typeof deferred<RunningEngine>>> = [];
  readonly shutdowns: Array<ReturnType<typeof deferred<void>>> = [];

  constructor() {
    super('held');
  }

  protected override launch(): Promise<RunningEngine> {
    const launch = deferred<RunningEngine>();
    this.launches.push(launch);
    return launch.promise;
  }

  protected override shutdown(): Promise<void> {
    const shutdown = deferred<void>();
    this.shutdowns.push(shutdown);
    return shutdown.promise;
  }
}

const running = (port: number): RunningEngine => ({ endpoint: `http://127.0.0.1:${port}` });

/** Lets every pending promise callback run, so that a test observes what has happened. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Reports whether `promise` has settled by now, without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle();
  return settled;
}

const notStarted = expect.objectContaining({ code: 'ENGINE_NOT_STARTED' });

describe('BaseEngine', () => {
  it('has an endpoint only while running, and a pid of undefined', async () => {
    const engine = new HeldEngine();
    expect(() => engine.endpoint).toThrow(notStarted);
    expect(() => engine.endpoint).toThrow('held engine is idle, it has no endpoint');
    expect(engine.pid).toBeUndefined();

    const starting = engine.start();
    expect(() => engine.endpoint).toThrow('held engine is starting, it has no endpoint');
    engine.launches[0]?.resolve(running(8000));
    await starting;
    expect(engine.endpoint).toBe('http://127.0.0.1:8000');

    const stopping = engine.stop();
    expect(() => engine.endpoint).toThrow('held engine is stopping, it has no endpoint');
    engine.shutdowns[0]?.resolve();
    await stopping;
    expect(() => engine.endpoint).toThrow(notStarted);
  });

  it('rejects a start while starting, running or stopping, without launching again', async () => {
    const engine = new HeldEngine();
    const first = engine.start();
    await expect(engine.start()).rejects.toMatchObject({
      code: 'ENGINE_ALREADY_STARTED',
      message: 'held engine is already starting',
    });
    engine.launches[0]?.resolve(running(8000));
    await first;
    await expect(engine.start()).rejects.toThrow('held engine is already running');

    const stopping = engine.stop();
    await expect(engine.start()).rejects.toThrow('held engine is already stopping');
    engine.shutdowns[0]?.resolve();
    await stopping;
    expect(engine.launches).toHaveLength(1);
  });

  it('is idle and startable again after a failed start', async () => {
    const engine = new HeldEngine();
    const failing = engine.start();
    engine.launches[0]?.reject(new Error('port taken'));
    await expect(failing).rejects.toThrow('port taken');
    expect(() => engine.endpoint).toThrow('held engine is idle, it has no endpoint');
    // Nothing was running, so there is nothing to shut down.
    await engine.stop();
    expect(engine.shutdowns).toHaveLength(0);

    const retry = engine.start();
    engine.launches[1]?.resolve(running(8001));
    await retry;
    expect(engine.endpoint).toBe('http://127.0.0.1:8001');
  });

  it('can be started again after a stop', async () => {
    const engine = new HeldEngine();
    for (const port of [8000, 8001]) {
      const starting = engine.start();
      engine.launches.at(-1)?.resolve(running(port));
      await starting;
      expect(engine.endpoint).toBe(`http://127.0.0.1:${port}`);
      const stopping = engine.stop();
      engine.shutdowns.at(-1)?.resolve();
      await stopping;
    }
    expect(engine.launches).toHaveLength(2);
    expect(engine.shutdowns).toHaveLength(2);
  });

  it('makes a stop during a start wait for it, then stop what it started', async () => {
    const engine = new HeldEngine();
    const starting = engine.start();
    const stopping = engine.stop();
    expect(await isSettled(stopping)).toBe(false);
    expect(engine.shutdowns).toHaveLength(0);

    engine.launches[0]?.resolve(running(8000));
    await starting;
    await settle();
    // The start finished, but the stop already waiting for it takes the engine down.
    expect(engine.shutdowns).toHaveLength(1);
    expect(await isSettled(stopping)).toBe(false);
    engine.shutdowns[0]?.resolve();
    await stopping;
    expect(() => engine.endpoint).toThrow('held engine is idle, it has no endpoint');
  });

  it('makes a stop during a start that fails resolve, with nothing to shut down', async () => {
    const engine = new HeldEngine();
    const starting = engine.start();
    starting.catch(() => {});
    const stopping = engine.stop();
    engine.launches[0]?.reject(new Error('java not found'));
    await expect(starting).rejects.toThrow('java not found');
    await stopping;
    expect(engine.shutdowns).toHaveLength(0);
  });

  it('treats stop on an idle engine as done, and shuts down once for concurrent stops', async () => {
    const engine = new HeldEngine();
    await engine.stop();
    await engine.stop();

    const starting = engine.start();
    engine.launches[0]?.resolve(running(8000));
    await starting;
    const first = engine.stop();
    const second = engine.stop();
    // The second stop must not resolve before the engine is actually down.
    expect(await isSettled(second)).toBe(false);
    engine.shutdowns[0]?.resolve();
    await Promise.all([first, second]);
    expect(engine.shutdowns).toHaveLength(1);
    await engine.stop();
    expect(engine.shutdowns).toHaveLength(1);
  });

  it('is idle after a failed shutdown, reporting the failure to every waiting stop', async () => {
    const engine = new HeldEngine();
    const starting = engine.start();
    engine.launches[0]?.resolve(running(8000));
    await starting;

    const first = engine.stop();
    const second = engine.stop();
    engine.shutdowns[0]?.reject(new Error('survived SIGKILL'));
    await expect(first).rejects.toThrow('survived SIGKILL');
    await expect(second).rejects.toThrow('survived SIGKILL');
    expect(() => engine.endpoint).toThrow('held engine is idle, it has no endpoint');
    // The failure is not replayed to a later stop, and the engine can start again.
    await engine.stop();
    const restart = engine.start();
    engine.launches[1]?.resolve(running(8001));
    await restart;
    expect(engine.endpoint).toBe('http://127.0.0.1:8001');
  });

  it('turns a launch that throws before returning a promise into a rejected start', async () => {
    class ThrowingEngine extends HeldEngine {
      protected override launch(): Promise<RunningEngine> {
        throw new Error('bad options');
      }
    }
    const engine = new ThrowingEngine();
    await expect(engine.start()).rejects.toThrow('bad options');
    expect(() => engine.endpoint).toThrow('held engine is idle, it has no endpoint');
    await engine.stop();
  });
});
