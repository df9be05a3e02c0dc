/**
 * The local stack's one HTTP server: every request goes through the route table of
 * `routes.ts` (OpenAPI, the console's page and requests, `/_jobs`, then the HTTP API behind
 * the API Gateway emulation of `aws/gateway/`). The console and `/_jobs` are local-only
 * (`local-only.ts`): off unless it listens on loopback, and guarded before their row runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import type { FunctionName } from '../../catalog/functions.ts';
import { errorStack } from '../../errors.ts';
import type { DevKeys } from '../aws/auth/dev-keys.ts';
import { LocalGateway } from '../aws/gateway/gateway.ts';
import { MalformedPathError, requestUrl } from '../aws/gateway/routes.ts';
import type { LocalJobs } from '../aws/scheduler/jobs.ts';
import type { StaticAsset } from '../console/assets.ts';
import type { ConsoleApi } from '../console/console-api.ts';
import type { Handle } from '../invoke/load-function.ts';
import { json, send, sendError } from './http.ts';
import { isLoopbackAddress, localOnlyRefusal } from './local-only.ts';
import { isLocalOnlyPath, routeOf, type ServerRoute, serverRoutes } from './routes.ts';

export interface LocalApiOptions {
  readonly port: number;
  /**
   * The interface to listen on (default 127.0.0.1). On any other than a loopback one the
   * console and `/_jobs` are off: only the API is served.
   */
  readonly host?: string;
  readonly keys: DevKeys;
  readonly load: (name: FunctionName) => Promise<Handle>;
  readonly jobs: LocalJobs;
  readonly log: (line: string) => void;
  /**
   * The web console's static files: `GET /` and `GET /_console/assets/<file>`
   * (`src/local/console/assets.ts`); undefined when none is served.
   */
  readonly assets?: (path: string) => Promise<StaticAsset | undefined>;
  /** The console's own requests under `/_console/` (identities, sign-in, directory, ...). */
  readonly console?: ConsoleApi;
}

/**
 * @example
 * ```ts
 * const api = new LocalApi({ port: 3000, keys, load: loadFunction, jobs, log: console.error });
 * await api.start(); // http://127.0.0.1:3000
 * await api.stop();
 * ```
 */
export class LocalApi {
  readonly #routes: readonly ServerRoute[];
  readonly #sockets = new Set<Socket>();
  readonly #host: string;
  /** The console and /_jobs are served: the stack listens on loopback. */
  readonly #servesLocalOnly: boolean;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(private readonly options: LocalApiOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#servesLocalOnly = isLoopbackAddress(this.#host);
    this.#routes = serverRoutes({
      gateway: new LocalGateway({ keys: options.keys, load: options.load, log: options.log }),
      jobs: options.jobs,
      assets: options.assets,
      console: options.console,
    });
  }

  get url(): string {
    if (this.#url === undefined) throw new Error('the local API is not started');
    return this.#url;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (error instanceof MalformedPathError && !response.headersSent)
          return sendError(response, 400, error.code, error.message);
        this.options.log(`api: ${errorStack(error)}`);
        if (!response.headersSent) send(response, 500, json({ message: 'Internal Server Error' }));
        else response.end();
      });
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    const host = this.#host;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : this.options.port;
    this.#server = server;
    // Every interface includes loopback: the URL printed names it, reachable from this machine.
    const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    this.#url = `http://${isIPv6(reachable) ? `[${reachable}]` : reachable}:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections would hold close() open for minutes.
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const target = request.url ?? '/';
    const method = request.method ?? 'GET';
    response.on('finish', () => {
      this.options.log(
        `${method} ${target} ${response.statusCode} ${Math.round(performance.now() - started)} ms`,
      );
    });
    const url = requestUrl(target);
    if (isLocalOnlyPath(this.#routes, url.pathname)) {
      if (!this.#servesLocalOnly) {
        return sendError(
          response,
          404,
          'LOCAL_ONLY',
          `the console and /_jobs are off: this stack listens on ${this.#host}, not a loopback address (lms start --host 127.0.0.1 serves them)`,
        );
      }
      const refusal = localOnlyRefusal(method, request.headers);
      if (refusal !== undefined)
        return sendError(response, refusal.status, refusal.code, refusal.message);
    }
    // The last row takes every path: there is always one.
    await routeOf(this.#routes, method, url.pathname)?.handle({ request, response, url, method });
  }
}
