import { describe, expect, it } from 'vitest';
import { quotedExamples, readRepoFile, squeeze } from '../support/quoted-examples.ts';

// The frames' examples copy a real handler; a copy that no longer matches misleads the
// next reader of the frame.
describe.each([
  'src/http/http-handler.ts',
  'src/jobs/job-handler.ts',
  'src/jobs/sharded-handler.ts',
  'src/services/stats/stats-handler.ts',
])('the @example of %s', (source) => {
  const examples = quotedExamples(source);

  it('quotes a handler', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('is $file as it stands', ({ file, code }) => {
    expect(squeeze(readRepoFile(file))).toContain(code);
  });
});
