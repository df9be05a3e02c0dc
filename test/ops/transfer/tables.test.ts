import { describe, expect, it } from 'vitest';
import { splitTableNames, unknownTablesMessage } from '../../../src/ops/transfer/tables.ts';

describe('table names on the command line', () => {
  it('keeps known names once, in the order given, and collects the unknown ones', () => {
    expect(splitTableNames(['answers', 'students', 'answers', 'pupils', 'pupils'])).toEqual({
      tables: ['answers', 'students'],
      unknown: ['pupils'],
    });
    expect(splitTableNames([])).toEqual({ tables: [], unknown: [] });
  });

  it('explains an unknown name with every valid one', () => {
    const message = unknownTablesMessage(['pupils']);
    expect(message).toContain('"pupils"');
    expect(message).toContain(
      'groups, schools, teachers, classes, students, parents, modules, answers',
    );
  });
});
