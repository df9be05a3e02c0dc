import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS_README, functionsReadme } from '../../scripts/functions-readme.ts';

describe('src/functions/README.md', () => {
  it('is what the catalogue says (regenerate it: npm run docs:functions)', () => {
    expect(readFileSync(FUNCTIONS_README, 'utf8')).toBe(functionsReadme());
  });

  it('names calc_all_stats as the nightly stats job, first of all', () => {
    const firstRow = functionsReadme()
      .split('\n')
      .find((line) => line.startsWith('| ['));
    expect(firstRow).toContain('`calc_all_stats`');
    expect(firstRow).toContain('the nightly stats job');
  });
});
