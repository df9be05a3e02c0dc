/**
 * aws-local-stepfunctions 3 times out every Task with `Promise.withResolvers` (Node 22),
 * while this project supports Node 20 (`engines`). The spec's behaviour, installed only
 * where the runtime lacks it; imported for its effect by the local workflow runner alone,
 * never by a Lambda bundle.
 */
interface WithResolvers {
  withResolvers?: unknown;
}

if (typeof (Promise as WithResolvers).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
