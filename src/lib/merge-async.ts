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
    pending.set(
      index,
      iterator.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => {
    pull(index);
  });
  try {
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
