import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody } from '../../src/http/body.ts';
import {
  InvalidJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../src/http/errors.ts';
import { type HttpRequest, parseHttpEvent } from '../../src/http/event.ts';
import { claimsFor, httpApiEvent } from '../support/events.ts';

const request = (
  body: string | undefined,
  isBase64Encoded = false,
  headers: Record<string, string> = {},
): HttpRequest =>
  parseHttpEvent(
    httpApiEvent({
      method: 'POST',
      route: '/answers',
      claims: claimsFor('service', 'app'),
      isBase64Encoded,
      headers,
      ...(body === undefined ? {} : { body }),
    }),
  );

const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('readJsonBody', () => {
  it('parses a JSON body, plain or base64-encoded', () => {
    expect(readJsonBody(request('{"answers":[]}'))).toEqual({ answers: [] });
    expect(readJsonBody(request(base64('{"word":"café"}'), true))).toEqual({ word: 'café' });
  });

  it('refuses a missing or empty body, bad base64, bad UTF-8 and bad JSON as INVALID_JSON', () => {
    for (const [body, encoded] of [
      [undefined, false],
      ['', false],
      ['{"answers": [', false],
      ["{'answers': []}", false],
      ['not base64!', true],
      ['eyJ', true],
      [base64(Buffer.from([0x7b, 0xff, 0x7d])), true],
    ] as const) {
      expect(() => readJsonBody(request(body, encoded)), String(body)).toThrow(InvalidJsonError);
    }
  });

  it('counts the limit in bytes after decoding: 1 MiB accepted, one byte more refused', () => {
    expect(MAX_BODY_BYTES).toBe(1_048_576);
    const json = (bytes: number) => `"${'x'.repeat(bytes - 2)}"`;
    expect(readJsonBody(request(json(MAX_BODY_BYTES)))).toHaveLength(MAX_BODY_BYTES - 2);
    expect(() => readJsonBody(request(json(MAX_BODY_BYTES + 1)))).toThrow(PayloadTooLargeError);
    // multi-byte characters count as the bytes they take
    const wide = `"${'é'.repeat(MAX_BODY_BYTES / 2)}"`;
    expect(() => readJsonBody(request(wide))).toThrow(PayloadTooLargeError);
    // base64 of exactly the limit is larger than the limit, yet accepted
    expect(readJsonBody(request(base64(json(MAX_BODY_BYTES)), true))).toHaveLength(
      MAX_BODY_BYTES - 2,
    );
    expect(() => readJsonBody(request(base64(json(MAX_BODY_BYTES + 1)), true))).toThrow(
      'the body is 1048577 bytes; the limit is 1048576 bytes',
    );
    expect(() => readJsonBody(request(base64(json(3 * MAX_BODY_BYTES)), true))).toThrow(
      'larger than the limit',
    );
  });

  it('refuses a byte order mark and a body that is not well-formed Unicode, by name', () => {
    expect(() => readJsonBody(request('\ufeff{"answers":[]}'))).toThrow('byte order mark');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"answers":[]}')]);
    expect(() => readJsonBody(request(bom.toString('base64'), true))).toThrow('byte order mark');
    // a lone surrogate in the text itself (not as a JSON escape): it would be sent as U+FFFD
    expect(() => readJsonBody(request('{"answers":[],"x":"\ud800"}'))).toThrow(
      'not well-formed Unicode',
    );
    expect(() => readJsonBody(request('{"x":"\ud800"}'))).toThrow(InvalidJsonError);
  });

  it('refuses a body declared as something other than JSON in UTF-8; accepts an undeclared one', () => {
    const body = '{"answers":[]}';
    for (const type of [
      'application/json',
      'Application/JSON; charset=UTF-8',
      'application/json;charset="utf-8"',
      'application/vnd.lms+json',
    ]) {
      expect(readJsonBody(request(body, false, { 'content-type': type })), type).toEqual({
        answers: [],
      });
    }
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonx',
      '',
    ]) {
      expect(() => readJsonBody(request(body, false, { 'content-type': type })), type).toThrow(
        UnsupportedMediaTypeError,
      );
    }
    const bare = parseHttpEvent(
      httpApiEvent({ method: 'POST', route: '/answers', claims: null, body }),
    );
    const { 'content-type': _declared, ...headers } = bare.headers;
    expect(readJsonBody({ ...bare, headers })).toEqual({ answers: [] });
  });
});
