/**
 * The local HTTP API: every HTTP function of the catalogue behind API Gateway HTTP API
 * semantics (payload format 2.0, a JWT authorizer that answers 401 itself, 404 for an
 * unknown route, 413 above the payload limit), plus `/_jobs` to list and run scheduled
 * functions now and `GET /openapi.json` (no token) for the API's OpenAPI document. The
 * console and `/_jobs` are local-only (`local-only.ts`): off unless it listens on loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIPv6, type Socket } from 'node:net';
import type { FunctionName } from '../../catalog/functions.ts';
import { errorStack } from '../../errors.ts';
import { openApiDocument } from '../../openapi/document.ts';
import type { DevKeys } from '../aws/auth/dev-keys.ts';
import { verifyDevToken } from '../aws/auth/tokens.ts';
import { buildHttpEvent } from '../aws/gateway/event.ts';
import {
  decodePathSegment,
  type LocalRoute,
  localRoutes,
  MalformedPathError,
  matchRoute,
  requestUrl,
} from '../aws/gateway/routes.ts';
import { JobBusyError, jobErrorOf, type LocalJobs, NotAJobError } from '../aws/scheduler/jobs.ts';
import { CONSOLE_PATH, type ConsoleApi } from '../console/console-api.ts';
import { localContext } from '../invoke/lambda-context.ts';
import { type Handle, isFunctionName } from '../invoke/load-function.ts';
import { isLocalOnlyPath, isLoopbackAddress, localOnlyRefusal } from './local-only.ts';

/** Where the local API serves the OpenAPI document, without a token. */
export const OPENAPI_PATH = '/openapi.json';

/** The largest body a console request may have. */
const CONSOLE_BODY_LIMIT = 64 * 1024;

/** API Gateway HTTP API's payload limit. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

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

/** A file of the console, as served. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: string | Uint8Array;
}

/** Where the console's bundled files are served from (`/` is its page). */
export const CONSOLE_ASSETS_PATH = '/_console/assets/';

/**
 * How much of a too-large body is still read (and dropped) before the 413 is sent. A client
 * that is still writing when the server closes sees a reset instead of the answer, so a body
 * somewhat over the limit is read to its end; an endless one is cut off here.
 */
const DRAIN_LIMIT_BYTES = 4 * MAX_PAYLOAD_BYTES;

type Body = { readonly kind: 'read'; readonly body: Buffer } | { readonly kind: 'too-large' };

const readBody = (request: IncomingMessage, limit: number): Promise<Body> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > DRAIN_LIMIT_BYTES) {
      // Not worth reading: answer at once; the connection is closed after the reply.
      resolve({ kind: 'too-large' });
      return;
    }
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT_BYTES) {
        // Read no more: the 413 goes out and the connection closes after it.
        request.pause();
        resolve({ kind: 'too-large' });
      } else if (size <= limit) {
        chunks.push(chunk);
      } else {
        chunks.length = 0;
      }
    });
    request.on('end', () =>
      resolve(size > limit ? { kind: 'too-large' } : { kind: 'read', body: Buffer.concat(chunks) }),
    );
    request.on('error', reject);
  });

/** API Gateway's own 413; the connection is closed, since the client sent more than it may. */
const sendTooLarge = (response: ServerResponse) =>
  send(response, 413, json({ message: 'Request Entity Too Large' }), {
    'content-type': 'application/json',
    connection: 'close',
  });

/** RFC 6750's quoted-string: printable ASCII without quotes or backslashes. */
const quoted = (text: string) => `"${text.replace(/[^ !#-[\]-~]/g, ' ')}"`;

const send = (
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => {
  response.writeHead(status, headers);
  response.end(body);
};

const json = (value: unknown) => JSON.stringify(value);

const sendError = (response: ServerResponse, status: number, code: string, message: string) =>
  send(response, status, json({ error: { code, message } }));

/** Lambda's result → the HTTP response API Gateway makes of it (payload format 2.0 rules). */
const sendResult = (response: ServerResponse, result: unknown) => {
  if (
    typeof result === 'object' &&
    result !== null &&
    'statusCode' in result &&
    typeof result.statusCode === 'number'
  ) {
    const headers: Record<string, string> = {};
    if ('headers' in result && typeof result.headers === 'object' && result.headers !== null) {
      for (const [name, value] of Object.entries(result.headers)) headers[name] = String(value);
    }
    const body = 'body' in result && typeof result.body === 'string' ? result.body : '';
    const base64 = 'isBase64Encoded' in result && result.isBase64Encoded === true;
    response.writeHead(result.statusCode, headers);
    response.end(base64 ? Buffer.from(body, 'base64') : body);
    return;
  }
  // Anything else is taken as a JSON body with status 200, as API Gateway does.
  send(response, 200, typeof result === 'string' ? result : json(result ?? null));
};

/**
 * @example
 * ```ts
 * const api = new LocalApi({ port: 3000, keys, load: loadFunction, jobs, log: console.error });
 * await api.start(); // http://127.0.0.1:3000
 * await api.stop();
 * ```
 */
export class LocalApi {
  readonly #routes: LocalRoute[] = localRoutes();
  readonly #sockets = new Set<Socket>();
  readonly #host: string;
  /** The console and /_jobs are served: the stack listens on loopback. */
  readonly #servesLocalOnly: boolean;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(private readonly options: LocalApiOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#servesLocalOnly = isLoopbackAddress(this.#host);
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

    if (url.pathname === OPENAPI_PATH) {
      if (method !== 'GET' && method !== 'HEAD') {
        return send(
          response,
          405,
          json({ error: { code: 'METHOD_NOT_ALLOWED', message: `GET ${OPENAPI_PATH}` } }),
        );
      }
      return send(response, 200, json(openApiDocument()));
    }
    if (isLocalOnlyPath(url.pathname)) {
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
    if (
      this.options.assets !== undefined &&
      (method === 'GET' || method === 'HEAD') &&
      (url.pathname === '/' || url.pathname.startsWith(CONSOLE_ASSETS_PATH))
    ) {
      const asset = await this.options.assets(url.pathname);
      if (asset === undefined) return send(response, 404, json({ message: 'Not Found' }));
      response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
      response.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (this.options.console !== undefined && url.pathname.startsWith(CONSOLE_PATH)) {
      // The console's requests are small JSON: a sign-in is two ids.
      const read = await readBody(request, CONSOLE_BODY_LIMIT);
      if (read.kind === 'too-large') return sendTooLarge(response);
      const reply = await this.options.console.handle({
        method,
        path: decodePathSegment(url.pathname.slice(CONSOLE_PATH.length)),
        authorization: request.headers.authorization,
        body: read.body,
      });
      return send(response, reply.status, json(reply.body));
    }
    if (url.pathname === '/_jobs' || url.pathname.startsWith('/_jobs/')) {
      await this.#jobs(request, response, url, method);
      return;
    }

    const match = matchRoute(this.#routes, method, url.pathname);
    if (match.kind === 'not-found') {
      send(response, 404, json({ message: 'Not Found' }));
      return;
    }
    const read = await readBody(request, MAX_PAYLOAD_BYTES);
    if (read.kind === 'too-large') return sendTooLarge(response);
    const { body } = read;
    // The JWT authorizer: API Gateway answers 401 itself; the function is never invoked.
    const header = request.headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const verified = token === '' ? undefined : await verifyDevToken(this.options.keys, token);
    if (verified === undefined || !verified.ok) {
      // The body stays API Gateway's; the header (RFC 6750) and the log say why and what to do.
      const description =
        verified === undefined
          ? 'no bearer token in the Authorization header'
          : verified.description;
      const remedy =
        verified === undefined
          ? 'send -H "Authorization: Bearer $TEACHER_TOKEN" (the banner prints the tokens; also npx lms token)'
          : verified.remedy;
      this.options.log(`WARN ${method} ${url.pathname} 401: ${description}; ${remedy}`);
      send(response, 401, json({ message: 'Unauthorized' }), {
        'content-type': 'application/json',
        'www-authenticate':
          verified === undefined
            ? 'Bearer'
            : `Bearer error="invalid_token", error_description=${quoted(description)}`,
      });
      return;
    }
    const event = buildHttpEvent({
      request,
      url,
      route: match.route,
      pathParameters: match.pathParameters,
      claims: verified.claims,
      body,
    });
    const handle = await this.options.load(match.route.functionName);
    let result: unknown;
    try {
      result = await handle(
        event,
        localContext(match.route.functionName, match.route.timeoutSeconds),
      );
    } catch (error) {
      // A function that throws is a 500 from API Gateway; the details stay in the logs.
      this.options.log(`${match.route.functionName} threw: ${errorStack(error)}`);
      send(response, 500, json({ message: 'Internal Server Error' }));
      return;
    }
    sendResult(response, result);
  }

  async #jobs(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    const [name = '', ...rest] = url.pathname
      .slice('/_jobs/'.length)
      .split('/')
      .map((segment) => decodePathSegment(segment));
    if (url.pathname === '/_jobs' || (name === '' && rest.length === 0)) {
      if (method !== 'GET')
        return send(
          response,
          405,
          json({ error: { code: 'METHOD_NOT_ALLOWED', message: 'GET /_jobs lists the jobs' } }),
        );
      return send(response, 200, json({ jobs: this.options.jobs.list() }));
    }
    if (!isFunctionName(name)) {
      return send(
        response,
        404,
        json({ error: { code: 'UNKNOWN_FUNCTION', message: `no function ${name.slice(0, 100)}` } }),
      );
    }
    if (rest.length > 0) {
      // GET /_jobs/<function>/runs/<id>: one run, while it runs or among the kept ones.
      const [runs, id, ...more] = rest;
      const run =
        runs === 'runs' && id !== undefined && more.length === 0 && method === 'GET'
          ? this.options.jobs.findRun(name, id)
          : undefined;
      if (run === undefined) {
        return send(
          response,
          404,
          json({
            error: {
              code: 'UNKNOWN_RUN',
              message: `no run ${url.pathname.slice(0, 200)}: GET /_jobs/${name}/runs/<id> of a run GET /_jobs lists`,
            },
          }),
        );
      }
      return send(response, 200, json({ run }));
    }
    if (method !== 'POST') {
      return send(
        response,
        405,
        json({
          error: { code: 'METHOD_NOT_ALLOWED', message: `POST /_jobs/${name} runs the job now` },
        }),
      );
    }
    const wait = url.searchParams.get('wait') !== 'false';
    const read = await readBody(request, MAX_PAYLOAD_BYTES);
    if (read.kind === 'too-large') return sendTooLarge(response);
    const text = read.body.toString('utf8').trim();
    let event: unknown;
    try {
      event = text === '' ? undefined : JSON.parse(text);
    } catch {
      return send(
        response,
        400,
        json({
          error: { code: 'INVALID_JSON', message: 'the body must be a JSON event or empty' },
        }),
      );
    }
    try {
      if (wait) send(response, 200, json(await this.options.jobs.run(name, event)));
      else send(response, 202, json({ run: this.options.jobs.launch(name, event) }));
    } catch (error) {
      if (error instanceof NotAJobError)
        return send(response, 400, json({ error: { code: error.code, message: error.message } }));
      if (error instanceof JobBusyError)
        return send(response, 409, json({ error: { code: error.code, message: error.message } }));
      send(response, 500, json({ error: jobErrorOf(error) }));
    }
  }
}
