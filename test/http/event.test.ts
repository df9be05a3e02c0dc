import { describe, expect, it } from 'vitest';
import { InvalidHttpEventError, InvalidParameterError } from '../../src/http/errors.ts';
import { parseHttpEvent } from '../../src/http/event.ts';
import { claimsFor, httpApiEvent, moduleResultsEvent } from '../support/events.ts';

describe('parseHttpEvent', () => {
  it('reads route, path and query parameters, claims and body of a SAM-shaped event', () => {
    const request = parseHttpEvent(
      moduleResultsEvent('c-1', 'm-1', claimsFor('teacher', 't-1'), { from: '2026-03-01' }),
    );
    expect(request).toMatchObject({
      method: 'GET',
      routeKey: 'GET /classes/{class_code}/modules/{module_id}/results',
      rawPath: '/classes/c-1/modules/m-1/results',
      pathParameters: { class_code: 'c-1', module_id: 'm-1' },
      query: { from: '2026-03-01' },
      body: undefined,
      isBase64Encoded: false,
      claims: { sub: 't-1', 'custom:role': 'teacher' },
    });
    expect(request.requestId).toMatch(/^req-/);
  });

  it('has no claims when the route has no authorizer', () => {
    const request = parseHttpEvent(httpApiEvent({ method: 'GET', route: '/x', claims: null }));
    expect(request.claims).toBeUndefined();
    expect(request.query).toEqual({});
  });

  it('lower-cases header names', () => {
    const request = parseHttpEvent(
      httpApiEvent({ method: 'GET', route: '/x', headers: { 'X-Custom': 'v' } }),
    );
    expect(request.headers['x-custom']).toBe('v');
  });

  it('refuses what is not an HTTP API 2.0 event', () => {
    const v2 = httpApiEvent({ method: 'GET', route: '/x' });
    for (const event of [
      undefined,
      {},
      'GET /x',
      { ...v2, version: '1.0' },
      { ...v2, headers: 7 },
    ]) {
      expect(() => parseHttpEvent(event)).toThrow(InvalidHttpEventError);
    }
  });

  it('refuses path and query parameters that are not well-formed Unicode', () => {
    const lone = '\ud800';
    for (const event of [
      moduleResultsEvent(`c-1${lone}`, 'm-1', null),
      moduleResultsEvent('c-1', `\udfff`, null),
      moduleResultsEvent('c-1', 'm-1', null, { from: `2026-03-01${lone}` }),
      moduleResultsEvent('c-1', 'm-1', null, { [`x${lone}`]: '1' }),
    ]) {
      expect(() => parseHttpEvent(event)).toThrow(InvalidParameterError);
    }
    expect(() => parseHttpEvent(moduleResultsEvent(`c-1${lone}`, 'm-1', null))).toThrow(
      'path parameter "class_code" is not well-formed Unicode',
    );
    // a well-formed pair is fine
    expect(parseHttpEvent(moduleResultsEvent('c-😀', 'm-1', null)).pathParameters.class_code).toBe(
      'c-😀',
    );
  });
});
