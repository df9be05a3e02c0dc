import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody } from '../../src/http/body.ts';
import { InvalidJsonError, PayloadTooLargeError } from '../../src/http/errors.ts';
import { type HttpRequest, parseHttpEvent } from '../../src/http/event.ts';
import { claimsFor, httpApiEvent } from '../support/events.ts';

const request = (body: string | undefined, isBase64Encoded = false): HttpRequest =>
  parseHttpEvent(
    httpApiEvent({
      method: 'POST',
      route: '/answers',
      claims: claimsFor('service', 'app'),
      isBase64Encoded,
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
});
