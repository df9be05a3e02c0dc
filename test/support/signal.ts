/**
 * A promise resolved from outside: one step of an interleaving a test forces (a request
 * held at the fault proxy until another writer has done something).
 *
 * @example
 * ```ts
 * const reached = signal();
 * // in the proxy's `before`: reached.resolve(); await released.promise;
 * await reached.promise;
 * ```
 */
export const signal = (): { readonly promise: Promise<void>; readonly resolve: () => void } => {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};
