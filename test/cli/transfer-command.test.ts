import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.ts';
import { knownTables } from '../../src/cli/transfer-command.ts';

describe('knownTables', () => {
  it('keeps each known table once, in the order given', () => {
    expect(knownTables(['answers', 'students', 'answers'])).toEqual(['answers', 'students']);
  });

  it('refuses unknown names with a usage error naming them', () => {
    expect(() => knownTables(['students', 'pupils'])).toThrow(UsageError);
    expect(() => knownTables(['pupils'])).toThrow(/"pupils"/);
  });
});
