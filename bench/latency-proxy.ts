/**
 * An HTTP proxy in front of the bench engine that holds every request `delayMs` before
 * passing it on, so a local engine answers with something like DynamoDB's network round
 * trip (a few milliseconds in-region) and a run's time shows how well it overlaps its
 * requests. node:http only; the body is buffered, then forwarded unchanged.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LatencyProxy {
  readonly endpoint: string;
  /** Requests forwarded so far. */
  readonly forwarded: () => number;
  stop(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const proxy = await startLatencyProxy(engine.endpoint, 5);
 * const client = createDynamoClient({ endpoint: proxy.endpoint });
 * ```
 */
export const startLatencyProxy = async (target: string, delayMs: number): Promise<LatencyProxy> => {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  let forwarded = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        forwarded += 1;
        const proxied = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: incoming.headers,
            agent,
          },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        proxied.on('error', (error) => {
          if (!outgoing.headersSent) outgoing.writeHead(502);
          outgoing.end(error.message);
        });
        proxied.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    forwarded: () => forwarded,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
};
