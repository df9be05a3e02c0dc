/**
 * API Gateway HTTP API, locally: a catalogue route matched, the JWT authorizer (a missing or
 * refused token is its own 401; the function is never invoked), the payload format 2.0
 * event, the function invoked, and its result turned into the HTTP reply API Gateway makes
 * of it. Knows nothing of the server around it: a request in, a reply out.
 */
import type { IncomingMessage } from 'node:http';
import type { FunctionName } from '../../../catalog/functions.ts';
import { errorStack } from '../../../errors.ts';
import { localContext } from '../../invoke/lambda-context.ts';
import type { Handle } from '../../invoke/load-function.ts';
import type { DevKeys } from '../auth/dev-keys.ts';
import { verifyDevToken } from '../auth/tokens.ts';
import { buildHttpEvent } from './event.ts';
import { type LocalRoute, localRoutes, matchRoute, type RouteMatch } from './routes.ts';

/** An HTTP reply, as the server sends it. */
export interface GatewayReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

export interface GatewayOptions {
  readonly keys: DevKeys;
  readonly load: (name: FunctionName) => Promise<Handle>;
  readonly log: (line: string) => void;
}

const JSON_TYPE = { 'content-type': 'application/json' } as const;

const jsonReply = (
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = JSON_TYPE,
): GatewayReply => ({
  status,
  headers,
  body: JSON.stringify(value),
});

/** RFC 6750's quoted-string: printable ASCII without quotes or backslashes. */
const quoted = (text: string) => `"${text.replace(/[^ !#-[\]-~]/g, ' ')}"`;

/** Lambda's result → the HTTP response API Gateway makes of it (payload format 2.0 rules). */
export const replyOf = (result: unknown): GatewayReply => {
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
    return {
      status: result.statusCode,
      headers,
      body: base64 ? Buffer.from(body, 'base64') : body,
    };
  }
  // Anything else is taken as a JSON body with status 200, as API Gateway does.
  return {
    status: 200,
    headers: JSON_TYPE,
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
};

/**
 * @example
 * ```ts
 * const gateway = new LocalGateway({ keys, load: loadFunction, log: console.error });
 * const match = gateway.match('GET', '/students/s-1/progress');
 * if (match.kind === 'match') await gateway.call(match, request, url, Buffer.alloc(0));
 * ```
 */
export class LocalGateway {
  readonly #routes: readonly LocalRoute[] = localRoutes();

  constructor(private readonly options: GatewayOptions) {}

  /** The catalogue route of a request; a malformed %-escape in it throws MalformedPathError. */
  match(method: string, path: string): RouteMatch {
    return matchRoute(this.#routes, method, path);
  }

  /** The authorizer, then the function: the reply API Gateway would send. */
  async call(
    match: Extract<RouteMatch, { kind: 'match' }>,
    request: IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<GatewayReply> {
    const { log } = this.options;
    const method = request.method ?? 'GET';
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
      log(`WARN ${method} ${url.pathname} 401: ${description}; ${remedy}`);
      return jsonReply(
        401,
        { message: 'Unauthorized' },
        {
          ...JSON_TYPE,
          'www-authenticate':
            verified === undefined
              ? 'Bearer'
              : `Bearer error="invalid_token", error_description=${quoted(description)}`,
        },
      );
    }
    const event = buildHttpEvent({
      request,
      url,
      route: match.route,
      pathParameters: match.pathParameters,
      claims: verified.claims,
      body,
    });
    const { functionName, timeoutSeconds } = match.route;
    const handle = await this.options.load(functionName);
    try {
      return replyOf(await handle(event, localContext(functionName, timeoutSeconds)));
    } catch (error) {
      // A function that throws is a 500 from API Gateway; the details stay in the logs.
      log(`${functionName} threw: ${errorStack(error)}`);
      return jsonReply(500, { message: 'Internal Server Error' });
    }
  }
}
