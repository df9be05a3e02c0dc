/**
 * The ONE table the local server routes by: method and path pattern → handler, tried in
 * order, the first that matches serves. The rows marked `localOnly` are the console and
 * `/_jobs` (`local-only.ts` guards every path they cover, whatever the method); the last
 * row, API Gateway, takes every other request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openApiDocument } from '../../openapi/document.ts';
import type { LocalGateway } from '../aws/gateway/gateway.ts';
import { decodePathSegment } from '../aws/gateway/routes.ts';
import type { LocalJobs } from '../aws/scheduler/jobs.ts';
import type { StaticAsset } from '../console/assets.ts';
import { CONSOLE_PATH, type ConsoleApi } from '../console/console-api.ts';
import {
  json,
  MAX_PAYLOAD_BYTES,
  readBody,
  send,
  sendError,
  sendNotFound,
  sendTooLarge,
} from './http.ts';
import { handleJobs } from './jobs-route.ts';

/** Where the local API serves the OpenAPI document, without a token. */
const OPENAPI_PATH = '/openapi.json';

/** The largest body a console request may have: a sign-in is two ids. */
const CONSOLE_BODY_LIMIT = 64 * 1024;

export interface ServerRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  readonly method: string;
}

export interface ServerRoute {
  /** What the row serves, for a reader and a test. */
  readonly name: string;
  /**
   * The methods it serves; another method goes on to the next row. None: the row serves
   * nothing here (a part this stack lacks) but its paths stay guarded.
   */
  readonly methods: readonly string[] | 'any';
  readonly path: RegExp;
  /** For a person at this machine only: guarded by `local-only.ts`, off on a network --host. */
  readonly localOnly: boolean;
  readonly handle: (request: ServerRequest) => Promise<void>;
}

export interface RouteParts {
  readonly gateway: LocalGateway;
  readonly jobs: LocalJobs;
  /** The console's files (`console/assets.ts`); without them `/` goes on to the API (404). */
  readonly assets?: ((path: string) => Promise<StaticAsset | undefined>) | undefined;
  /** The console's requests; without them `/_console/*` goes on to the API (404). */
  readonly console?: ConsoleApi | undefined;
}

/**
 * @example
 * ```ts
 * const routes = serverRoutes({ gateway, jobs, assets, console });
 * routes.find((route) => route.path.test('/_jobs'))?.name; // 'jobs'
 * ```
 */
export const serverRoutes = ({ gateway, jobs, assets, console }: RouteParts): ServerRoute[] => [
  {
    name: 'OpenAPI document',
    methods: 'any',
    path: /^\/openapi\.json$/,
    localOnly: false,
    handle: async ({ response, method }) => {
      if (method !== 'GET' && method !== 'HEAD')
        return sendError(response, 405, 'METHOD_NOT_ALLOWED', `GET ${OPENAPI_PATH}`);
      send(response, 200, json(openApiDocument()));
    },
  },
  {
    name: 'console page and assets',
    methods: assets === undefined ? [] : ['GET', 'HEAD'],
    path: /^\/$|^\/favicon\.ico$|^\/_console\/assets\//,
    localOnly: true,
    handle: async ({ response, url, method }) => {
      const asset = await assets?.(url.pathname);
      if (asset === undefined) return sendNotFound(response);
      response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
      response.end(method === 'HEAD' ? undefined : asset.body);
    },
  },
  {
    name: 'console requests',
    methods: console === undefined ? [] : 'any',
    path: /^\/_console\//,
    localOnly: true,
    handle: async ({ request, response, url, method }) => {
      if (console === undefined) return sendNotFound(response);
      const read = await readBody(request, CONSOLE_BODY_LIMIT);
      if (read.kind === 'too-large') return sendTooLarge(response);
      const reply = await console.handle({
        method,
        path: decodePathSegment(url.pathname.slice(CONSOLE_PATH.length)),
        authorization: request.headers.authorization,
        body: read.body,
      });
      send(response, reply.status, json(reply.body));
    },
  },
  {
    name: 'jobs',
    methods: 'any',
    path: /^\/_jobs(?:\/|$)/,
    localOnly: true,
    handle: ({ request, response, url, method }) =>
      handleJobs(jobs, request, response, url, method),
  },
  {
    name: 'HTTP API',
    methods: 'any',
    path: /^/,
    localOnly: false,
    handle: async ({ request, response, url, method }) => {
      const match = gateway.match(method, url.pathname);
      if (match.kind === 'not-found') return sendNotFound(response);
      const read = await readBody(request, MAX_PAYLOAD_BYTES);
      if (read.kind === 'too-large') return sendTooLarge(response);
      const reply = await gateway.call(match, request, url, read.body);
      send(response, reply.status, reply.body, { ...reply.headers });
    },
  },
];

/** The row that serves a request: the first whose path and method match. */
export const routeOf = (
  routes: readonly ServerRoute[],
  method: string,
  pathname: string,
): ServerRoute | undefined =>
  routes.find(
    (route) =>
      route.path.test(pathname) && (route.methods === 'any' || route.methods.includes(method)),
  );

/** Whether a path is one of the local-only rows', whatever the method. */
export const isLocalOnlyPath = (routes: readonly ServerRoute[], pathname: string): boolean =>
  routes.some((route) => route.localOnly && route.path.test(pathname));
