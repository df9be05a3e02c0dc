import { describe, expect, it } from 'vitest';
import { api, local } from '../../console/src/endpoints.ts';
import { parseRoute, resultsHash } from '../../console/src/routes.ts';

describe("the console's endpoints", () => {
  it('escape every segment, so an id with / ? % # stays one segment', () => {
    expect(api.studentProgress('s/1?x%#')).toBe('/students/s%2F1%3Fx%25%23/progress');
    expect(api.parentSummary('p 1')).toBe('/parents/p%201/summary');
    expect(local.startJob('a/b')).toBe('/_jobs/a%2Fb?wait=false');
  });

  it('send a date range only for the dates given', () => {
    expect(api.moduleResults('c-1', 'm-1')).toBe('/classes/c-1/modules/m-1/results');
    expect(api.moduleResults('c-1', 'm-1', { from: '2026-11-01', to: undefined })).toBe(
      '/classes/c-1/modules/m-1/results?from=2026-11-01',
    );
    expect(api.moduleResults('c-1', 'm-1', { from: '', to: '2026-11-30' })).toBe(
      '/classes/c-1/modules/m-1/results?to=2026-11-30',
    );
  });

  it('and the hash routes read back the ids they were built from', () => {
    const hash = resultsHash('c/1', 'm?1', { from: '2026-11-01', to: '2026-11-30' });
    expect(parseRoute(hash)).toEqual({
      view: 'results',
      classCode: 'c/1',
      moduleId: 'm?1',
      from: '2026-11-01',
      to: '2026-11-30',
    });
  });
});
