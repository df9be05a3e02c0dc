import { createServer } from 'node:net';

/**
 * Asks the OS for a port that is free right now on `host`. Another process may still take it
 * before the caller binds it; that race is accepted because DynamoDB Local cannot be told to
 * pick a port itself and report it back.
 *
 * @example
 * ```ts
 * const port = await findFreePort('127.0.0.1'); // e.g. 41234
 * ```
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  if (address === null || typeof address === 'string') {
    throw new Error(`could not read the port of a socket bound to ${host}`);
  }
  return address.port;
}

/**
 * Whether `port` can be bound on `host` right now. Checked before spawning DynamoDB Local,
 * because if another DynamoDB answered on that port, the readiness poll would succeed
 * against it while our JVM dies of "address already in use".
 *
 * @example
 * ```ts
 * if (!(await isPortFree(8000))) throw new Error('port 8000 is taken');
 * ```
 */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return false;
    throw error;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return true;
}

/**
 * The URL of an HTTP server on `host`:`port`; IPv6 literals need brackets to be a valid URL.
 *
 * @example
 * ```ts
 * formatEndpoint('::1', 8000); // 'http://[::1]:8000'
 * ```
 */
export function formatEndpoint(host: string, port: number): string {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${hostPart}:${port}`;
}

/** Rejects ports Node would reject later with a less readable error. */
export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 65535;
}
