import { describe, expect, it } from 'vitest';
import { InvalidHttpEventError, InvalidParameterError } from '../../src/http/errors.ts';
import { parseHttpEvent } from '../../src/http/event.ts';
import { dateRangeQuery, moduleIdParameter, pathParameter } from '../../src/http/params.ts';
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
});
