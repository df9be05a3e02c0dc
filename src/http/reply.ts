import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** What every function of the HTTP API returns to API Gateway (payload format 2.0). */
export type HttpReply = APIGatewayProxyStructuredResultV2;

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  // Replies hold children's data and depend on the caller: no shared cache may keep them.
  'cache-control': 'no-store',
} as const;

/**
 * A JSON reply, with any headers of its own (an error's `retry-after`) beside the fixed ones.
 *
 * @example
 * ```ts
 * jsonReply(200, { accepted: 2, duplicates: 0 });
 * // { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', ... }, body: '{"accepted":2,"duplicates":0}' }
 * ```
 */
export const jsonReply = (
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpReply => ({
  statusCode,
  headers: { ...headers, ...HEADERS },
  body: JSON.stringify(body),
});
