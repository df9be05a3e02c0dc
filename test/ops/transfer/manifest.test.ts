import { describe, expect, it } from 'vitest';
import { ManifestError } from '../../../src/ops/transfer/errors.ts';
import {
  buildManifest,
  manifestTables,
  manifestText,
  parseManifest,
  tableFile,
} from '../../../src/ops/transfer/manifest.ts';

const sha = 'a'.repeat(64);
const entry = (table: string, items = 3) => ({
  file: `${table}.jsonl`,
  items,
  sha256: sha,
  source_table: `prod-${table}`,
});

const manifest = buildManifest({
  exportedAt: new Date('2026-11-24T16:05:00.000Z'),
  source: { endpoint: null, region: 'eu-west-1', prefix: 'prod-' },
  // Given out of order: the manifest lists tables in definition order.
  tables: { answers: entry('answers', 10), students: entry('students') },
});

const withTables = (tables: Record<string, unknown>) =>
  JSON.stringify({ ...JSON.parse(manifestText(manifest)), tables });

describe('the export manifest', () => {
  it('is built with format, version, time, source and tables in definition order', () => {
    expect(manifest).toMatchObject({
      format: 'lms-export',
      version: 1,
      exported_at: '2026-11-24T16:05:00.000Z',
      source: { endpoint: null, region: 'eu-west-1', prefix: 'prod-' },
    });
    expect(Object.keys(manifest.tables)).toEqual(['students', 'answers']);
    expect(manifestTables(manifest)).toEqual(['students', 'answers']);
    expect(tableFile('student_progress')).toBe('student_progress.jsonl');
  });

  it('reads back what it writes', () => {
    expect(parseManifest(manifestText(manifest), 'm.json')).toEqual(manifest);
  });

  it.each([
    ['not JSON', '{', /m\.json is not JSON/],
    ['another format', JSON.stringify({ ...manifest, format: 'other' }), /format/],
    ['a newer version', JSON.stringify({ ...manifest, version: 2 }), /version/],
    ['a negative count', withTables({ students: { ...entry('students'), items: -1 } }), /items/],
    [
      'a field this version does not know',
      JSON.stringify({ ...manifest, comment: 'x' }),
      /not an lms export manifest: comment: is not a known field/,
    ],
    [
      'a bad checksum',
      withTables({ students: { ...entry('students'), sha256: 'xyz' } }),
      /SHA-256/,
    ],
    [
      'a table this version does not define',
      withTables({ pupils: entry('pupils') }),
      /"pupils".*known: groups/,
    ],
    [
      'a path outside the directory',
      withTables({ students: { ...entry('students'), file: '../x.jsonl' } }),
      /file name/,
    ],
    [
      'a file used twice',
      withTables({ students: entry('students'), parents: entry('students') }),
      /more than one table/,
    ],
  ])('is refused when it has %s', (_what, text, message) => {
    const parse = () => parseManifest(text, 'm.json');
    expect(parse).toThrow(ManifestError);
    expect(parse).toThrow(message);
  });
});
