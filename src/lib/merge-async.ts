/**
 * Interleaves several async iterators, yielding each value as soon as it arrives. Used to
 * run parallel scan segments; written here because the standard `AsyncIterator` helpers
 * have no merge and the usual packages for it pull in a stream library for ten lines.
 *
 * @example
 * ```ts
 * for await (const page of mergeAsync([scan(0), scan(1)])) handle(page);
 * ```
 */
export async function* mergeAsync<T>(iterators: readonly AsyncIterator<T>[]): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    const iterator = iterators[index];
    if (iterator === undefined) return;
    // An iterator whose `next()` failed is finished (as `for await` treats it): it leaves
    // `pending` before the failure reaches the race, so it is not closed again below.
    let next: Promise<IteratorResult<T>>;
    try {
      next = Promise.resolve(iterator.next());
    } catch (error) {
      next = Promise.reject(error);
    }
    const settled = next.then(
      (result) => ({ index, result }),
      (error: unknown) => {
        pending.delete(index);
        throw error;
      },
    );
    // The race still sees a failure; this only stops a request still in flight after the
    // merge has ended (break, error elsewhere) from becoming an unhandled rejection.
    settled.catch(() => {});
    pending.set(index, settled);
  };
  try {
    iterators.forEach((_, index) => {
      pull(index);
    });
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done === true) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // An early exit (break, error) closes the iterators still running.
    await Promise.allSettled(
      [...pending.keys()].map((index) => iterators[index]?.return?.(undefined)),
    );
  }
}
