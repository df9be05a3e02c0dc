/**
 * The JSON body of a request, decoded with limits: API Gateway accepts bodies up to
 * 10 MB and Lambda up to 6 MB, far more than any client of this API needs.
 */
import { clip, isWellFormed } from '../lib/text.ts';
import { InvalidJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import type { HttpRequest } from './event.ts';

/**
 * The largest body accepted, in bytes after base64 decoding: 1 MiB. The largest valid
 * `POST /answers` (500 answers of ~250 bytes) is about an eighth of it.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// `ignoreBOM`: keep a leading byte order mark in the text, so it is refused by name below
// rather than silently dropped for some clients and not others.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const decode = (request: HttpRequest, body: string, maxBytes: number): Uint8Array => {
  if (!request.isBase64Encoded) {
    const bytes = Buffer.from(body, 'utf8');
    if (bytes.length > maxBytes) throw tooLarge(bytes.length, maxBytes);
    // Encoding has quietly turned any lone surrogate into U+FFFD (two ids into one).
    if (!isWellFormed(body)) {
      throw new InvalidJsonError(
        'the body is not well-formed Unicode (it holds a lone UTF-16 surrogate)',
      );
    }
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

/** `application/json` or a `+json` type (`application/merge-patch+json`), any case. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/**
 * Throws unless the `content-type`, when there is one, is JSON in UTF-8 (JSON has no
 * other encoding, RFC 8259). A missing header is accepted: the body is parsed as JSON
 * either way, and plenty of clients send none.
 */
const assertJsonContentType = (request: HttpRequest): void => {
  const header = request.headers['content-type'];
  if (header === undefined) return;
  const [type = '', ...parameters] = header.split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  if (!JSON_MEDIA_TYPE.test(type) || (charset !== undefined && !/^utf-?8$/i.test(charset))) {
    throw new UnsupportedMediaTypeError(
      `the body must be JSON in UTF-8 ("content-type: application/json"), got content-type ${JSON.stringify(clip(header, 100))}`,
    );
  }
};

/** U+FEFF at the start: a byte order mark, which JSON (RFC 8259) does not allow. */
const BYTE_ORDER_MARK = '\ufeff';

/**
 * The parsed JSON body: base64 decoded when the event says so, at most `maxBytes` bytes
 * (413 beyond), declared as JSON when declared at all (400 `UNSUPPORTED_MEDIA_TYPE`),
 * UTF-8 and JSON (400 `INVALID_JSON` otherwise).
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
  assertJsonContentType(request);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new InvalidJsonError('the body is not valid UTF-8', { cause: error });
  }
  if (text.startsWith(BYTE_ORDER_MARK)) {
    throw new InvalidJsonError('the body starts with a byte order mark (U+FEFF); send plain UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new InvalidJsonError(`the body is not valid JSON${reason}`, { cause: error });
  }
};
