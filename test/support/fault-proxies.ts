/**
 * Fault proxies for a test file, stopped after each test (a file of its own: the bench
 * imports `fault-proxy.ts`, which must not import vitest).
 */
import { afterEach } from 'vitest';
import { FaultProxy, type FaultProxyOptions } from './fault-proxy.ts';
import { PgFaultProxy, type PgFaultProxyOptions } from './pg-fault-proxy.ts';

/**
 * @example
 * ```ts
 * const startProxy = useFaultProxies();
 * it('...', async () => {
 *   const proxy = await startProxy({ target: t.endpoint, rules: [{ fault: 'internal', chance: 0.1 }] });
 *   const db = proxy.db(t.prefix);
 * });
 * ```
 */
export const useFaultProxies = (): ((options: FaultProxyOptions) => Promise<FaultProxy>) => {
  const started: FaultProxy[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((proxy) => proxy.stop()));
  });
  return (options) => {
    const proxy = new FaultProxy(options);
    started.push(proxy);
    return proxy.start();
  };
};

/**
 * The same for PostgreSQL: proxies in front of a PostgreSQL server, stopped (with the pools
 * they built) after each test.
 *
 * @example
 * ```ts
 * const startPgProxy = usePgFaultProxies();
 * it('...', async () => {
 *   const proxy = await startPgProxy({ target: url, rules: [{ fault: 'drop-after', writes: true, nth: 1 }] });
 *   const pool = proxy.pool();
 * });
 * ```
 */
export const usePgFaultProxies = (): ((options: PgFaultProxyOptions) => Promise<PgFaultProxy>) => {
  const started: PgFaultProxy[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((proxy) => proxy.stop()));
  });
  return (options) => {
    const proxy = new PgFaultProxy(options);
    started.push(proxy);
    return proxy.start();
  };
};
