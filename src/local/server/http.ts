/**
 * The plumbing every route of the local server shares: reading a body under a limit, and
 * writing a reply. API Gateway's own limits and replies (413, 500) live here, since the
 * console's and /_jobs' requests are held to them too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** API Gateway HTTP API's payload limit. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * How much of a too-large body is still read (and dropped) before the 413 is sent. A client
 * that is still writing when the server closes sees a reset instead of the answer, so a body
 * somewhat over the limit is read to its end; an endless one is cut off here.
 */
const DRAIN_LIMIT_BYTES = 4 * MAX_PAYLOAD_BYTES;

export type Body =
  | { readonly kind: 'read'; readonly body: Buffer }
  | { readonly kind: 'too-large' };

export const readBody = (request: IncomingMessage, limit: number): Promise<Body> =>
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

export const json = (value: unknown): string => JSON.stringify(value);

export const send = (
  response: ServerResponse,
  status: number,
  body: string | Uint8Array,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): void => {
  response.writeHead(status, headers);
  response.end(body);
};

/** The API's error shape, `{ error: { code, message } }`. */
export const sendError = (
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
): void => send(response, status, json({ error: { code, message } }));

/** API Gateway's own 413; the connection is closed, since the client sent more than it may. */
export const sendTooLarge = (response: ServerResponse): void =>
  send(response, 413, json({ message: 'Request Entity Too Large' }), {
    'content-type': 'application/json',
    connection: 'close',
  });

/** API Gateway's 404 for a path no route serves. */
export const sendNotFound = (response: ServerResponse): void =>
  send(response, 404, json({ message: 'Not Found' }));
