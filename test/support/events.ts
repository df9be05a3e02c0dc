/**
 * API Gateway HTTP API (payload format 2.0) events as `sam local generate-event apigateway
 * http-api-proxy` shapes them, with a JWT authorizer's claims, for the routes of DESIGN
 * section 3; and a Lambda context.
 */
import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  Context,
} from 'aws-lambda';

/** An HTTP API 2.0 event, with a JWT authorizer's context or (a public route) without. */
export type HttpApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2;

export type Claims = Readonly<Record<string, string>>;

export interface HttpEventOptions {
  readonly method: 'GET' | 'POST';
  /** The route template, as in the API definition: `/students/{id}/progress`. */
  readonly route: string;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  /** The JWT authorizer's claims; `null` leaves the authorizer out of the event entirely. */
  readonly claims?: Claims | null;
  readonly headers?: Readonly<Record<string, string>>;
  readonly stage?: string;
  readonly requestId?: string;
}

let requests = 0;

/**
 * The claims an HTTP API JWT authorizer passes on (every value a string, as it sends
 * them), for a role and subject.
 *
 * @example
 * ```ts
 * claimsFor('teacher', 't-1'); // { sub: 't-1', 'custom:role': 'teacher', iss: ..., ... }
 * ```
 */
export const claimsFor = (role: string, sub: string): Claims => ({
  sub,
  'custom:role': role,
  iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_example',
  aud: 'lms-api',
  client_id: 'lms-app',
  token_use: 'access',
  iat: '1772323200',
  exp: '1772326800',
});

/** A UUID as Cognito generates for `sub`: derived from the username so a test can repeat it. */
const cognitoSub = (username: string): string => {
  const hex = Buffer.from(username.padEnd(16, '.')).toString('hex').slice(0, 32).padEnd(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * The claims of a real Cognito ID token of a user an administrator created with
 * `--username <LMS id>` (docs/deployment.md), as the HTTP API JWT authorizer passes them on
 * (every value a string): `sub` is Cognito's UUID, the LMS id is in `cognito:username`.
 *
 * @example
 * ```ts
 * cognitoIdTokenClaims('student', 's-1'); // { sub: '732d312e-…', 'cognito:username': 's-1', ... }
 * ```
 */
export const cognitoIdTokenClaims = (role: string, username: string): Claims => ({
  sub: cognitoSub(username),
  email_verified: 'true',
  iss: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_Ab12Cd34E',
  'cognito:username': username,
  origin_jti: 'b3f1c9a2-5d4e-4f60-8a7b-1c2d3e4f5a6b',
  aud: '6k2v0q8r1l3h5j7n9p4s2t6u8w',
  event_id: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
  token_use: 'id',
  auth_time: '1772323200',
  'custom:role': role,
  exp: '1772326800',
  iat: '1772323200',
  jti: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  email: `${username}@example.com`,
});

/**
 * The raw path of a route with its parameters. A lone surrogate (which tests send on
 * purpose) has no UTF-8 form, so `encodeURIComponent` would throw: like any encoder it
 * becomes U+FFFD in the raw path, while `pathParameters` keeps what the test gave.
 */
const fill = (route: string, parameters: Readonly<Record<string, string>>): string =>
  route.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent((parameters[name] ?? '').replace(/\p{Cs}/gu, '\ufffd')),
  );

/**
 * An HTTP API 2.0 event for one route.
 *
 * @example
 * ```ts
 * httpApiEvent({ method: 'GET', route: '/students/{id}/progress', pathParameters: { id: 's-1' },
 *   claims: claimsFor('student', 's-1') });
 * ```
 */
export const httpApiEvent = (options: HttpEventOptions): HttpApiEvent => {
  requests += 1;
  const stage = options.stage ?? '$default';
  const pathParameters = options.pathParameters ?? {};
  const path = fill(options.route, pathParameters);
  const rawPath = stage === '$default' ? path : `/${stage}${path}`;
  const rawQueryString = new URLSearchParams(options.query ?? {}).toString();
  const routeKey = `${options.method} ${options.route}`;
  const time = new Date(Date.UTC(2026, 2, 5, 1, 2, 3));
  const body = options.body;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-encoding': 'gzip, deflate, br',
    authorization: 'Bearer eyJraWQiOiJleGFtcGxlIiwiYWxnIjoiUlMyNTYifQ.e30.c2lnbmF0dXJl',
    host: 'abc123defg.execute-api.ap-east-1.amazonaws.com',
    'user-agent': 'lms-app/3.2 (test)',
    'x-amzn-trace-id': `Root=1-67c7a1b3-${String(requests).padStart(24, '0')}`,
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(body === undefined
      ? {}
      : {
          'content-type': 'application/json',
          'content-length': String(
            options.isBase64Encoded === true
              ? Buffer.from(body, 'base64').length
              : Buffer.byteLength(body),
          ),
        }),
    ...options.headers,
  };
  const requestContext: APIGatewayEventRequestContextV2 = {
    accountId: '123456789012',
    apiId: 'abc123defg',
    domainName: 'abc123defg.execute-api.ap-east-1.amazonaws.com',
    domainPrefix: 'abc123defg',
    http: {
      method: options.method,
      path: rawPath,
      protocol: 'HTTP/1.1',
      // As `sam local generate-event` writes it: a CIDR, not a bare address.
      sourceIp: '192.168.0.1/32',
      userAgent: 'lms-app/3.2 (test)',
    },
    requestId: options.requestId ?? `req-${requests}`,
    routeKey,
    stage,
    time: '05/Mar/2026:01:02:03 +0000',
    timeEpoch: time.getTime(),
  };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext,
    pathParameters: { ...pathParameters },
    isBase64Encoded: options.isBase64Encoded ?? false,
    stageVariables: {},
    ...(rawQueryString === '' ? {} : { queryStringParameters: { ...options.query } }),
    ...(body === undefined ? {} : { body }),
  };
  // `null`: a route without an authorizer, whose events carry no `authorizer` at all.
  if (options.claims === null) return event;
  return {
    ...event,
    requestContext: {
      ...requestContext,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.claims ?? {}, scopes: [] },
      },
    },
  };
};

/** `POST /answers` with a JSON body (`body` is serialised unless already a string). */
export const postAnswersEvent = (
  body: unknown,
  claims: Claims | null,
  options: { readonly base64?: boolean } = {},
): HttpApiEvent => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return httpApiEvent({
    method: 'POST',
    route: '/answers',
    claims,
    body: options.base64 === true ? Buffer.from(text, 'utf8').toString('base64') : text,
    isBase64Encoded: options.base64 === true,
  });
};

/** `GET /classes/{class_code}/modules/{module_id}/results`. */
export const moduleResultsEvent = (
  classCode: string,
  moduleId: string,
  claims: Claims | null,
  query?: Readonly<Record<string, string>>,
): HttpApiEvent =>
  httpApiEvent({
    method: 'GET',
    route: '/classes/{class_code}/modules/{module_id}/results',
    pathParameters: { class_code: classCode, module_id: moduleId },
    claims,
    ...(query === undefined ? {} : { query }),
  });

/** `GET /students/{id}/progress`. */
export const studentProgressEvent = (studentId: string, claims: Claims | null): HttpApiEvent =>
  httpApiEvent({
    method: 'GET',
    route: '/students/{id}/progress',
    pathParameters: { id: studentId },
    claims,
  });

/** `GET /students/{id}/review`. */
export const studentReviewEvent = (
  studentId: string,
  claims: Claims | null,
  query?: Readonly<Record<string, string>>,
): HttpApiEvent =>
  httpApiEvent({
    method: 'GET',
    route: '/students/{id}/review',
    pathParameters: { id: studentId },
    claims,
    ...(query === undefined ? {} : { query }),
  });

/** `GET /classes/{class_code}/review`. */
export const classReviewEvent = (classCode: string, claims: Claims | null): HttpApiEvent =>
  httpApiEvent({
    method: 'GET',
    route: '/classes/{class_code}/review',
    pathParameters: { class_code: classCode },
    claims,
  });

/** `GET /parents/{id}/summary`. */
export const parentSummaryEvent = (parentId: string, claims: Claims | null): HttpApiEvent =>
  httpApiEvent({
    method: 'GET',
    route: '/parents/{id}/summary',
    pathParameters: { id: parentId },
    claims,
  });

/**
 * A Lambda context like the one the Node.js runtime passes.
 *
 * @example
 * ```ts
 * await handle(event, lambdaContext('module_results'));
 * ```
 */
export const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:ap-east-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: `lambda-${requests}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2026/03/05/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The JSON body of a reply (every reply of the HTTP API is JSON). */
export const bodyOf = (reply: { readonly body?: string | undefined }): unknown =>
  JSON.parse(reply.body ?? 'null');
