/**
 * Who may reach the stack's local-only routes: the console (its page, its assets and its
 * requests under `/_console/`, which mint tokens without credentials) and `/_jobs` (which
 * runs jobs without a token). They are for a person at this machine, so they are served
 * only when the stack listens on a loopback address, and answer only requests that name
 * the stack by a loopback `Host`; a request that changes state must be JSON and, from a
 * browser, come from the stack's own page.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIPv4 } from 'node:net';

/** A request the local-only routes refuse, as the server answers it. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const LOOPBACK_IPV4 = /^127\.\d+\.\d+\.\d+$/;

/**
 * Whether an address or name (`--host`, or a `Host` header's name; IPv6 with or without
 * brackets) is this machine only. `0.0.0.0` and `::` are every interface: not loopback.
 */
export const isLoopbackAddress = (host: string): boolean => {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  return isIPv4(v4) && LOOPBACK_IPV4.test(v4);
};

/** `name[:port]` of a Host header, an IPv6 address in brackets; undefined if malformed. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i;

/**
 * A loopback `Host`: `127.0.0.1[:port]`, `localhost[:port]`, `[::1][:port]`. The name, not
 * the address the request reached, is what DNS rebinding forges: a page at
 * `http://evil.example:3000/` whose name now resolves to 127.0.0.1 reaches this server as
 * its own origin, but its browser still sends `Host: evil.example:3000`.
 */
export const isLoopbackHost = (host: string | undefined): boolean => {
  const name = host === undefined ? undefined : HOST_HEADER.exec(host)?.[1];
  return name !== undefined && isLoopbackAddress(name);
};

/** `scheme://host[:port]` normalised (default port dropped, lower case); undefined if not a URL. */
const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

const isJson = (contentType: string | undefined) =>
  contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';

/**
 * Why a request to a local-only route is refused, or undefined when it may go on. The
 * caller has checked that the path is a local-only row's (`routes.ts`) and that the stack listens on loopback.
 *
 * @example
 * ```ts
 * localOnlyRefusal('POST', { host: '127.0.0.1:3000', 'content-type': 'text/plain' });
 * // { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: '...' }
 * ```
 */
export const localOnlyRefusal = (
  method: string,
  headers: IncomingHttpHeaders,
): Refusal | undefined => {
  const { host, origin } = headers;
  if (!isLoopbackHost(host)) {
    return {
      status: 403,
      code: 'HOST_NOT_LOOPBACK',
      message: `the console and /_jobs answer only 127.0.0.1, localhost or [::1] as Host, not ${JSON.stringify((host ?? '').slice(0, 100))}: open the stack at the address its banner prints`,
    };
  }
  if (method === 'GET' || method === 'HEAD') return undefined;
  // A request without Origin is accepted: browsers send one on every POST, same-origin or
  // cross-site (a `Referrer-Policy: no-referrer` page sends "null", refused below), so one
  // without is not a page's but a program's, such as the banner's curl line; a program
  // running here can read the signing key in the data folder anyway. A page on another
  // origin, loopback ones on another port included, is refused.
  if (origin !== undefined && originOf(origin) !== originOf(`http://${host}`)) {
    return {
      status: 403,
      code: 'CROSS_ORIGIN',
      message: `a ${method} to the console or /_jobs must come from the stack's own page (http://${host}), not from ${JSON.stringify(origin.slice(0, 100))}`,
    };
  }
  // Not a type a cross-site form or a fetch without a CORS preflight can send: such a
  // request never reaches this server from another origin's page.
  if (!isJson(headers['content-type'])) {
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `a ${method} to the console or /_jobs needs -H "content-type: application/json" (the body may be empty where no event is needed)`,
    };
  }
  return undefined;
};
