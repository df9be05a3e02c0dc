/**
 * The JSON body of a request, decoded with limits: API Gateway accepts bodies up to
 * 10 MB and Lambda up to 6 MB, far more than any client of this API needs.
 */
import { InvalidJsonError, PayloadTooLargeError } from './errors.ts';
import type { HttpRequest } from './event.ts';

/**
 * The largest body accepted, in bytes after base64 decoding: 1 MiB. The largest valid
 * `POST /answers` (500 answers of ~250 bytes) is about an eighth of it.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const decode = (request: HttpRequest, body: string, maxBytes: number): Uint8Array => {
  if (!request.isBase64Encoded) {
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes);
    return bytes;
  }
  // Four base64 characters carry three bytes: refuse before decoding something huge.
  if (Math.floor(body.length / 4) * 3 > maxBytes + 3) throw tooLarge(undefined, maxBytes);
  if (body.length % 4 !== 0 || !BASE64.test(body)) {
    throw new InvalidJsonError('the body is marked base64-encoded but is not valid base64');
  }
  const bytes = Buffer.from(body, 'base64');
  if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes);
  return bytes;
};

const tooLarge = (bytes: number | undefined, maxBytes: number): PayloadTooLargeError =>
  new PayloadTooLargeError(
    bytes === undefined
      ? `the body is larger than the limit of ${maxBytes} bytes`
      : `the body is ${bytes} bytes; the limit is ${maxBytes} bytes`,
  );

/**
 * The parsed JSON body: base64 decoded when the event says so, at most `maxBytes` bytes
 * (413 beyond), UTF-8 and JSON (400 `INVALID_JSON` otherwise).
 *
 * @example
 * ```ts
 * const body = readJsonBody(request); // unknown: validate it before use
 * ```
 */
export const readJsonBody = (request: HttpRequest, maxBytes: number = MAX_BODY_BYTES): unknown => {
  if (request.body === undefined || request.body === '') {
    throw new InvalidJsonError('the request has no body; a JSON body is required');
  }
  const bytes = decode(request, request.body, maxBytes);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new InvalidJsonError('the body is not valid UTF-8', { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new InvalidJsonError(`the body is not valid JSON${reason}`, { cause: error });
  }
};
