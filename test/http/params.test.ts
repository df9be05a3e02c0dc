import { describe, expect, it } from 'vitest';
import { InvalidHttpEventError, InvalidParameterError } from '../../src/http/errors.ts';
import { parseHttpEvent } from '../../src/http/event.ts';
import {
  dateRangeQuery,
  MAX_MODULE_ID_BYTES,
  MAX_PATH_ID_BYTES,
  moduleIdParameter,
  pathParameter,
} from '../../src/http/params.ts';
import { httpApiEvent, moduleResultsEvent } from '../support/events.ts';

const withQuery = (query: Record<string, string>) =>
  parseHttpEvent(moduleResultsEvent('c-1', 'm-1', null, query));

describe('parameters', () => {
  it('reads path parameters; a missing one means a miswired route', () => {
    const request = parseHttpEvent(moduleResultsEvent('c-1', 'm-1', null));
    expect(pathParameter(request, 'class_code')).toBe('c-1');
    expect(() => pathParameter(request, 'id')).toThrow(InvalidHttpEventError);
    const bare = parseHttpEvent(httpApiEvent({ method: 'GET', route: '/x' }));
    expect(() => pathParameter(bare, 'class_code')).toThrow(InvalidHttpEventError);
  });

  it('refuses a module id with "#"', () => {
    expect(() =>
      moduleIdParameter(parseHttpEvent(moduleResultsEvent('c-1', 'm#1', null)), 'module_id'),
    ).toThrow(InvalidParameterError);
  });

  it('reads from/to as calendar dates, either optional, from not after to', () => {
    expect(dateRangeQuery(withQuery({}))).toEqual({ from: undefined, to: undefined });
    expect(dateRangeQuery(withQuery({ from: '2026-03-01', to: '2026-03-01' }))).toEqual({
      from: '2026-03-01',
      to: '2026-03-01',
    });
    expect(dateRangeQuery(withQuery({ to: '2026-03-01', page: '2' }))).toEqual({
      from: undefined,
      to: '2026-03-01',
    });
    const bad: Record<string, string>[] = [
      { from: '2026-03-02', to: '2026-03-01' },
      { from: '2026-02-30' },
      { to: '2026-03-01T00:00:00Z' },
      { from: '2026-03-01,2026-03-02' }, // a repeated parameter, as API Gateway joins it
      { from: '' },
    ];
    for (const query of bad) {
      expect(() => dateRangeQuery(withQuery(query)), JSON.stringify(query)).toThrow(
        InvalidParameterError,
      );
    }
  });

  it('refuses path ids longer than a DynamoDB key, counted in UTF-8 bytes', () => {
    expect(MAX_PATH_ID_BYTES).toBe(2048);
    expect(MAX_MODULE_ID_BYTES).toBe(1023); // `<module_id>#` is a sort-key prefix
    const classCode = (code: string) =>
      pathParameter(parseHttpEvent(moduleResultsEvent(code, 'm-1', null)), 'class_code');
    expect(classCode('c'.repeat(2048))).toHaveLength(2048);
    expect(() => classCode('c'.repeat(2049))).toThrow(InvalidParameterError);
    // 1024 characters, 2048 bytes: fits; one more 2-byte character does not
    expect(classCode('é'.repeat(1024))).toHaveLength(1024);
    expect(() => classCode('é'.repeat(1025))).toThrow('2050 bytes in UTF-8; an id is at most 2048');
    const moduleId = (id: string) =>
      moduleIdParameter(parseHttpEvent(moduleResultsEvent('c-1', id, null)), 'module_id');
    expect(moduleId('m'.repeat(1023))).toHaveLength(1023);
    expect(() => moduleId('m'.repeat(1024))).toThrow(InvalidParameterError);
    expect(() => moduleId('😀'.repeat(256))).toThrow('1024 bytes');
  });

  it('refuses path ids with control characters', () => {
    for (const code of ['c\u0000', 'c\n1', '\u007f', 'c\u0085']) {
      expect(
        () => pathParameter(parseHttpEvent(moduleResultsEvent(code, 'm-1', null)), 'class_code'),
        JSON.stringify(code),
      ).toThrow('must not contain control characters');
    }
  });

  it('refuses from/to outside 2000-01-01 to 2999-12-31', () => {
    const outside: Record<string, string>[] = [
      { to: '9999-12-31' },
      { from: '1999-12-31' },
      { to: '3000-01-01' },
    ];
    for (const query of outside) {
      expect(() => dateRangeQuery(withQuery(query)), JSON.stringify(query)).toThrow(
        'must be a date from 2000-01-01 to 2999-12-31',
      );
    }
    expect(dateRangeQuery(withQuery({ from: '2000-01-01', to: '2999-12-31' }))).toEqual({
      from: '2000-01-01',
      to: '2999-12-31',
    });
  });

  it('echoes at most a little of a refused value', () => {
    expect(() => dateRangeQuery(withQuery({ from: 'x'.repeat(10_000) }))).toThrow(/got "x{99}…"$/);
  });
});
