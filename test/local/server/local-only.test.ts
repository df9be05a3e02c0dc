/** Which addresses, Host names and requests the console and /_jobs take. */
import { describe, expect, it } from 'vitest';
import * as localOnly from '../../../src/local/server/local-only.ts';

const { isLoopbackAddress, isLoopbackHost, localOnlyRefusal } = localOnly;

describe('loopback', () => {
  it('as a --host: this machine only, never every interface', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'])
      expect(isLoopbackAddress(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '127.0.0.1.nip.io', '128.0.0.1', ''])
      expect(isLoopbackAddress(host), host).toBe(false);
  });

  it('as a Host header: a loopback name with or without a port, nothing else', () => {
    for (const host of ['127.0.0.1:3000', 'localhost', 'localhost:3000', '[::1]:3000', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of [
      undefined,
      '',
      'evil.example:3000',
      'localhost.evil.example',
      '::1',
      '127.0.0.1:3000:1',
      'localhost:port',
      '0.0.0.0:3000',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('localOnlyRefusal', () => {
  const host = '127.0.0.1:3000';
  const json = 'application/json';

  it('reads without a check of Origin or type', () => {
    expect(localOnlyRefusal('GET', { host, origin: 'http://evil.example' })).toBeUndefined();
    expect(localOnlyRefusal('HEAD', { host })).toBeUndefined();
  });

  it('takes a change as JSON from the same origin, a default port or not, or from no Origin', () => {
    expect(localOnlyRefusal('POST', { host, 'content-type': json })).toBeUndefined();
    expect(
      localOnlyRefusal('POST', { host, origin: 'http://127.0.0.1:3000', 'content-type': json }),
    ).toBeUndefined();
    expect(
      localOnlyRefusal('POST', {
        host: 'localhost:80',
        origin: 'http://localhost',
        'content-type': 'Application/JSON; charset=utf-8',
      }),
    ).toBeUndefined();
  });

  it('refuses the Host first, then the Origin, then the type', () => {
    expect(localOnlyRefusal('POST', { host: 'evil.example' })?.code).toBe('HOST_NOT_LOOPBACK');
    expect(localOnlyRefusal('POST', { host, origin: 'http://127.0.0.1:3001' })?.code).toBe(
      'CROSS_ORIGIN',
    );
    expect(localOnlyRefusal('DELETE', { host, 'content-type': 'application/jsonx' })).toMatchObject(
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    );
  });
});
