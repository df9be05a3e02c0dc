/**
 * `lms export`: tables to JSON Lines files plus a manifest. Items are copied as stored
 * (raw DynamoDB JSON, nothing validated or dropped), one page at a time.
 *
 * An export is complete when its `manifest.json` exists: an older manifest in the
 * directory is removed first, every file is written under a temporary name and renamed
 * when done, and the manifest is written last (temporary name, rename). A crash at any
 * point leaves a directory that an import refuses.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeLeftovers, writeFileAtomic } from '../../lib/atomic-write.ts';
import type { TableName } from '../../tables/definitions.ts';
import { SourceTableMissingError } from './errors.ts';
import { writeLinesFile } from './line-files.ts';
import {
  buildManifest,
  MANIFEST_FILE,
  type Manifest,
  type ManifestTable,
  manifestText,
  tableFile,
} from './manifest.ts';
import type { TransferListener } from './progress.ts';
import type { TransferStore } from './store.ts';

export interface ExportOptions {
  /** The directory to write (created if needed). */
  readonly out: string;
  readonly tables: readonly TableName[];
  /**
   * Whether the tables were named explicitly: then a missing one is an error; otherwise
   * (every defined table) it is left out with a note.
   */
  readonly explicit?: boolean;
  /** Where the data comes from, for the manifest (the prefix comes from the store). */
  readonly source: { readonly endpoint: string | null; readonly region: string | null };
  /** Parallel scan segments per table. */
  readonly segments?: number;
  readonly now?: () => Date;
  readonly onProgress?: TransferListener;
  readonly onNote?: (message: string) => void;
}

export interface ExportSummary {
  readonly out: string;
  readonly manifest: Manifest;
  readonly tables: number;
  readonly items: number;
  /** Defined tables that do not exist at the source (only when none were named). */
  readonly missing: readonly TableName[];
  readonly duration_ms: number;
}

/**
 * @example
 * ```ts
 * const summary = await exportTables(store, {
 *   out: 'backup', tables: ['students', 'answers'], source: { endpoint: null, region: 'eu-west-1' },
 * });
 * summary.manifest.tables.students?.items; // 3124
 * ```
 */
export const exportTables = async (
  store: TransferStore,
  options: ExportOptions,
): Promise<ExportSummary> => {
  const started = performance.now();
  const exportedAt = (options.now ?? (() => new Date()))();
  const existing = new Set(await store.existingTables(options.tables));
  const missing = options.tables.filter((table) => !existing.has(table));
  if (options.explicit === true && missing.length > 0) {
    throw new SourceTableMissingError(
      `no such table at the source: ${missing.map((table) => store.tableName(table)).join(', ')}`,
    );
  }
  for (const table of missing) {
    options.onNote?.(`${table}: no table ${store.tableName(table)} at the source, not exported`);
  }

  await mkdir(options.out, { recursive: true });
  // An earlier export's manifest would vouch for files this export is about to replace.
  await rm(join(options.out, MANIFEST_FILE), { force: true });
  await removeLeftovers(options.out);

  const entries: Partial<Record<TableName, ManifestTable>> = {};
  let items = 0;
  for (const table of options.tables.filter((t) => existing.has(t))) {
    const file = tableFile(table);
    const digest = await writeLinesFile(
      join(options.out, file),
      store.scanLines(table, { segments: options.segments }),
      (count) => options.onProgress?.({ phase: 'export', table, items: count, done: false }),
    );
    options.onProgress?.({ phase: 'export', table, items: digest.items, done: true });
    entries[table] = {
      file,
      items: digest.items,
      sha256: digest.sha256,
      source_table: store.tableName(table),
    };
    items += digest.items;
  }

  const manifest = buildManifest({
    exportedAt,
    source: { ...options.source, prefix: store.prefix },
    tables: entries,
  });
  await writeFileAtomic(join(options.out, MANIFEST_FILE), manifestText(manifest));
  return {
    out: options.out,
    manifest,
    tables: Object.keys(entries).length,
    items,
    missing: options.explicit === true ? [] : missing,
    duration_ms: Math.round(performance.now() - started),
  };
};
