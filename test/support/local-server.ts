/**
 * The one way the test stand-ins (the fault proxy, the Cognito stand-in) listen and stop:
 * on a free port of 127.0.0.1, and closed with every connection, so no test waits on a
 * keep-alive socket.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free local port; resolves to `http://127.0.0.1:<port>`. */
export const listenLocally = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** Closes the listening socket and every open connection. */
export const closeServer = async (server: Server): Promise<void> => {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
};
