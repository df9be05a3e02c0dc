import { describe, expect, it } from 'vitest';
import { api, local } from '../../console/src/endpoints.ts';
import { classReviewHash, parseRoute, resultsHash, reviewHash } from '../../console/src/routes.ts';

describe("the console's endpoints", () => {
  it('escape every segment, so an id with / ? % # stays one segment', () => {
    expect(api.studentProgress('s/1?x%#')).toBe('/students/s%2F1%3Fx%25%23/progress');
    expect(api.parentSummary('p 1')).toBe('/parents/p%201/summary');
    expect(local.startJob('a/b')).toBe('/_jobs/a%2Fb?wait=false');
    expect(api.studentReview('s/1')).toBe('/students/s%2F1/review');
    expect(api.classReview('c?1')).toBe('/classes/c%3F1/review');
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

  it('and the review routes too, a chosen word kept in the query', () => {
    expect(parseRoute(reviewHash('s/1', 'über & co'))).toEqual({
      view: 'review',
      studentId: 's/1',
      word: 'über & co',
    });
    expect(parseRoute(reviewHash('s-1'))).toEqual({
      view: 'review',
      studentId: 's-1',
      word: undefined,
    });
    expect(parseRoute(classReviewHash('c/1'))).toEqual({ view: 'class-review', classCode: 'c/1' });
  });
});
