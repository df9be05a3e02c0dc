/**
 * The manifest of an export (`manifest.json`): what was exported from where, and for each
 * table its file, item count and SHA-256. An import trusts a file only if both match, so a
 * truncated or edited file is refused before anything is written. Pure.
 */
import * as z from 'zod';
import { describeIssues, zodIssues } from '../../lib/zod-issues.ts';
import { type TableName, tableNames } from '../../tables/definitions.ts';
import { ManifestError } from './errors.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'lms-export';
/** Bumped when a file's layout changes in a way an older import cannot read. */
export const MANIFEST_VERSION = 1;

/** One line per item; `.jsonl` as AWS's export to S3 and most tools name it. */
export const tableFile = (table: TableName): string => `${table}.jsonl`;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');

const tableEntry = z.strictObject({
  // A bare file name: a manifest must not send the import outside its directory.
  file: z.string().regex(/^[A-Za-z0-9_.-]+\.jsonl$/, 'expected a file name such as students.jsonl'),
  items: z.number().int().nonnegative(),
  sha256,
  /** The physical table it was read from. */
  source_table: z.string().min(1),
});

const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  exported_at: z.iso.datetime(),
  source: z.strictObject({
    /** `null`: real AWS. */
    endpoint: z.string().nullable(),
    region: z.string().nullable(),
    prefix: z.string(),
  }),
  tables: z.record(z.string(), tableEntry),
});

export type ManifestTable = z.output<typeof tableEntry>;
export type Manifest = Omit<z.output<typeof manifestSchema>, 'tables'> & {
  readonly tables: Partial<Record<TableName, ManifestTable>>;
};

const isTableName = (name: string): name is TableName => tableNames.some((table) => table === name);

/**
 * The manifest of an export, with tables in definition order.
 *
 * @example
 * ```ts
 * buildManifest({
 *   exportedAt: new Date(), source: { endpoint: null, region: 'eu-west-1', prefix: 'prod-' },
 *   tables: { students: { file: 'students.jsonl', items: 3, sha256: '…', source_table: 'prod-students' } },
 * });
 * ```
 */
export const buildManifest = (input: {
  readonly exportedAt: Date;
  readonly source: Manifest['source'];
  readonly tables: Partial<Record<TableName, ManifestTable>>;
}): Manifest => {
  const ordered: Partial<Record<TableName, ManifestTable>> = {};
  for (const table of tableNames) {
    const entry = input.tables[table];
    if (entry !== undefined) ordered[table] = entry;
  }
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    exported_at: input.exportedAt.toISOString(),
    source: input.source,
    tables: ordered,
  };
};

/** The manifest as written to disk (stable key order, one trailing newline). */
export const manifestText = (manifest: Manifest): string =>
  `${JSON.stringify(manifest, null, 2)}\n`;

/**
 * A manifest read from disk, validated; throws {@link ManifestError} naming the problem.
 *
 * @example
 * ```ts
 * const manifest = parseManifest(await readFile('backup/manifest.json', 'utf8'), 'backup/manifest.json');
 * Object.keys(manifest.tables); // ['students', 'answers']
 * ```
 */
export const parseManifest = (text: string, where: string): Manifest => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${where} is not JSON`, { cause: error });
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    throw new ManifestError(
      `${where} is not an lms export manifest: ${describeIssues(zodIssues(result.error), '(manifest)')}`,
    );
  }
  const tablesOut: Partial<Record<TableName, ManifestTable>> = {};
  const files = new Set<string>();
  for (const [name, entry] of Object.entries(result.data.tables)) {
    if (!isTableName(name)) {
      throw new ManifestError(
        `${where} lists table "${name}", which this version does not define (known: ${tableNames.join(', ')})`,
      );
    }
    if (files.has(entry.file)) {
      throw new ManifestError(`${where} names ${entry.file} for more than one table`);
    }
    files.add(entry.file);
    tablesOut[name] = entry;
  }
  return { ...result.data, tables: tablesOut };
};

/** The tables of a manifest, in definition order. */
export const manifestTables = (manifest: Manifest): TableName[] =>
  tableNames.filter((table) => manifest.tables[table] !== undefined);
