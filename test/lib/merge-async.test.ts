import { describe, expect, it } from 'vitest';
import { mergeAsync } from '../../src/lib/merge-async.ts';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

const deferred = <T>(): Deferred<T> => {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * An iterator driven by hand: each `next()` returns a promise the test settles with
 * `push`, `end` or `fail`; `return` calls are counted.
 */
class ManualIterator<T> implements AsyncIterator<T> {
  readonly #calls: Deferred<IteratorResult<T>>[] = [];
  nextCalls = 0;
  returnCalls = 0;

  next(): Promise<IteratorResult<T>> {
    this.nextCalls++;
    const call = deferred<IteratorResult<T>>();
    this.#calls.push(call);
    return call.promise;
  }

  async return(): Promise<IteratorResult<T>> {
    this.returnCalls++;
    return { done: true, value: undefined };
  }

  #pending(): Deferred<IteratorResult<T>> {
    const call = this.#calls.shift();
    if (call === undefined) throw new Error('no next() call is waiting');
    return call;
  }

  push(value: T): void {
    this.#pending().resolve({ done: false, value });
  }

  end(): void {
    this.#pending().resolve({ done: true, value: undefined });
  }

  fail(error: unknown): void {
    this.#pending().reject(error);
  }
}

async function* fromArray<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const value of values) {
    await Promise.resolve();
    yield value;
  }
}

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
};

describe('mergeAsync', () => {
  it('yields every value of every iterator exactly once', async () => {
    const values = await collect(
      mergeAsync([fromArray([1, 2, 3]), fromArray([10, 20]), fromArray([]), fromArray([100])]),
    );
    expect([...values].sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 20, 100]);
  });

  it('keeps the order of each iterator', async () => {
    const values = await collect(
      mergeAsync([fromArray(['a1', 'a2', 'a3']), fromArray(['b1', 'b2'])]),
    );
    expect(values.filter((v) => v.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(values.filter((v) => v.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('ends at once with no iterators', async () => {
    expect(await collect(mergeAsync<number>([]))).toEqual([]);
  });

  it('does not let a slow iterator block a fast one', async () => {
    const slow = new ManualIterator<string>();
    const fast = new ManualIterator<string>();
    const merged = mergeAsync([slow, fast]);

    const first = merged.next();
    await settle();
    expect(slow.nextCalls).toBe(1);
    expect(fast.nextCalls).toBe(1);
    fast.push('f1');
    expect(await first).toEqual({ done: false, value: 'f1' });

    const second = merged.next();
    await settle();
    fast.push('f2');
    expect(await second).toEqual({ done: false, value: 'f2' });

    const third = merged.next();
    await settle();
    fast.end();
    slow.push('s1');
    expect(await third).toEqual({ done: false, value: 's1' });

    const fourth = merged.next();
    await settle();
    slow.end();
    expect(await fourth).toEqual({ done: true, value: undefined });
    // Iterators that finished on their own are not closed again.
    expect(slow.returnCalls).toBe(0);
    expect(fast.returnCalls).toBe(0);
  });

  it('asks each iterator for one value at a time', async () => {
    const a = new ManualIterator<number>();
    const merged = mergeAsync([a]);
    const first = merged.next();
    await settle();
    expect(a.nextCalls).toBe(1);
    a.push(1);
    await first;
    expect(a.nextCalls).toBe(2);
    const second = merged.next();
    await settle();
    expect(a.nextCalls).toBe(2);
    a.end();
    expect(await second).toEqual({ done: true, value: undefined });
  });

  it('rejects the consumer on an error and closes the other iterators', async () => {
    const failing = new ManualIterator<number>();
    const other = new ManualIterator<number>();
    const finished = new ManualIterator<number>();
    const merged = mergeAsync([failing, other, finished]);

    const first = merged.next();
    await settle();
    finished.end();
    await settle();
    const boom = new Error('segment 0 failed');
    failing.fail(boom);
    await expect(first).rejects.toBe(boom);

    expect(other.returnCalls).toBe(1);
    // The failed iterator is already finished (as `for await` treats it), and so is the
    // one that ended: neither is closed again.
    expect(failing.returnCalls).toBe(0);
    expect(finished.returnCalls).toBe(0);
    expect(await merged.next()).toEqual({ done: true, value: undefined });
  });

  it('closes every running iterator when the consumer breaks early', async () => {
    const a = new ManualIterator<string>();
    const b = new ManualIterator<string>();
    const consumer = (async () => {
      for await (const value of mergeAsync([a, b])) {
        if (value === 'a1') break;
      }
    })();
    await settle();
    a.push('a1');
    await consumer;
    expect(a.returnCalls).toBe(1);
    expect(b.returnCalls).toBe(1);
  });

  it('closes async generators when the consumer breaks early', async () => {
    const closed: string[] = [];
    async function* source(name: string): AsyncGenerator<string> {
      try {
        for (let i = 0; ; i++) {
          await Promise.resolve();
          yield `${name}${i}`;
        }
      } finally {
        closed.push(name);
      }
    }
    const seen: string[] = [];
    for await (const value of mergeAsync([source('a'), source('b')])) {
      seen.push(value);
      if (seen.length === 5) break;
    }
    expect(seen).toHaveLength(5);
    expect(closed.sort()).toEqual(['a', 'b']);
  });

  it('closes the others when an iterator throws synchronously from next()', async () => {
    const good = new ManualIterator<number>();
    const bad: AsyncIterator<number> = {
      next() {
        throw new Error('sync failure');
      },
    };
    await expect(collect(mergeAsync([good, bad]))).rejects.toThrow('sync failure');
    expect(good.returnCalls).toBe(1);
  });

  it('leaves no unhandled rejection when a closed iterator fails afterwards', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const a = new ManualIterator<string>();
      const b = new ManualIterator<string>();
      const consumer = (async () => {
        for await (const value of mergeAsync([a, b])) {
          if (value === 'a1') break;
        }
      })();
      await settle();
      a.push('a1');
      await consumer;
      // The merge has ended; the requests it had in flight fail now.
      a.fail(new Error('late failure a'));
      b.fail(new Error('late failure b'));
      await settle();
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
