/**
 * The incoming API Gateway HTTP API event (payload format 2.0), validated before use.
 *
 * The fields we read, and only those: a field we never read must not fail a request (the
 * stock Powertools schema insists on every context field, including `http.sourceIp` as a
 * bare IP address, and rejects the events `sam local generate-event apigateway
 * http-api-proxy` produces, `"192.168.0.1/32"`). Written here rather than picked from
 * `@aws-lambda-powertools/parser`'s schema: importing that module pulls the whole of zod
 * (its locales included) into every HTTP bundle, about 440 KB, over the 400 KB budget.
 */
import * as z from 'zod';
import { clip, isWellFormed } from '../lib/text.ts';
import { describeIssues, zodIssues } from '../lib/zod-issues.ts';
import { InvalidHttpEventError, InvalidParameterError } from './errors.ts';

const requestContextSchema = z.looseObject({
  requestId: z.string(),
  routeKey: z.string(),
  stage: z.string(),
  http: z.looseObject({ method: z.string(), path: z.string() }),
  authorizer: z
    .looseObject({
      jwt: z
        .looseObject({
          // Claim values are read by `principalFromClaims`, which validates them.
          claims: z.record(z.string(), z.unknown()).optional(),
        })
        .optional(),
    })
    .optional(),
});

const stringRecord = z.record(z.string(), z.string());

const httpEventSchema = z.looseObject({
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  headers: stringRecord,
  queryStringParameters: stringRecord.optional(),
  pathParameters: stringRecord.optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
  requestContext: requestContextSchema,
});

/** What a route handler sees of a request. */
export interface HttpRequest {
  readonly method: string;
  readonly routeKey: string;
  readonly rawPath: string;
  readonly requestId: string;
  /** Path parameters of the route (`class_code`, `id`, ...), as API Gateway decoded them. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query parameters; a repeated parameter arrives comma-joined, as API Gateway sends it. */
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case (API Gateway already lower-cases them in 2.0 events). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
  /** The JWT authorizer's claims, or `undefined` when the route had no authorizer. */
  readonly claims: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Throws unless every name and value is well-formed Unicode. A lone surrogate cannot be
 * encoded as UTF-8: as a key it would reach DynamoDB as U+FFFD and name another record.
 */
const assertWellFormed = (kind: string, record: Readonly<Record<string, string>>): void => {
  for (const [name, value] of Object.entries(record)) {
    if (!isWellFormed(name) || !isWellFormed(value)) {
      throw new InvalidParameterError(
        `${kind} ${JSON.stringify(clip(name, 100))} is not well-formed Unicode (it holds a lone UTF-16 surrogate)`,
      );
    }
  }
};

const lowerCaseKeys = (record: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * Validates an HTTP API 2.0 event and returns the request in it.
 *
 * @example
 * ```ts
 * const request = parseHttpEvent(event);
 * request.pathParameters.class_code; // 'c-001'
 * request.claims?.sub;               // 't-1'
 * ```
 */
export const parseHttpEvent = (event: unknown): HttpRequest => {
  const result = httpEventSchema.safeParse(event);
  if (!result.success) {
    throw new InvalidHttpEventError(
      `not an API Gateway HTTP API 2.0 event: ${describeIssues(zodIssues(result.error), '(event)')}`,
    );
  }
  const event2 = result.data;
  assertWellFormed('path parameter', event2.pathParameters ?? {});
  assertWellFormed('query parameter', event2.queryStringParameters ?? {});
  return {
    method: event2.requestContext.http.method,
    routeKey: event2.routeKey,
    rawPath: event2.rawPath,
    requestId: event2.requestContext.requestId,
    pathParameters: event2.pathParameters ?? {},
    query: event2.queryStringParameters ?? {},
    headers: lowerCaseKeys(event2.headers),
    body: event2.body,
    isBase64Encoded: event2.isBase64Encoded,
    claims: event2.requestContext.authorizer?.jwt?.claims,
  };
};
