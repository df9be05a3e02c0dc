/**
 * `lms import`: an export directory into the tables of a store, resumable.
 *
 * 1. The manifest is read; every file still to import is verified against it (line
 *    count, SHA-256, every line an item of its table) before anything is written.
 * 2. Missing tables are created.
 * 3. Each file is streamed line by line into batches (BatchWriteItem's 25 items on
 *    DynamoDB, one statement of 500 on PostgreSQL), written a group of batches at a time;
 *    after each group the checkpoint (`.import-state.json` beside the manifest) records
 *    how many lines are in the table.
 * 4. Each table is counted: if it was empty before, it must hold exactly the exported
 *    count.
 *
 * A restarted import skips the lines the checkpoint holds. Puts are idempotent (same key,
 * same item), so the group that was in flight when the import stopped, written again,
 * changes nothing: no line is lost, none is stored twice.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pMap from 'p-map';
import { chunk } from '../../lib/chunk.ts';
import type { TableName } from '../../tables/definitions.ts';
import {
  CHECKPOINT_FILE,
  emptyState,
  type ImportState,
  isStale,
  type ResumePoint,
  recordProgress,
  resumePoint,
  withoutTables,
  withoutTarget,
} from './checkpoint.ts';
import { readImportState, writeImportState } from './checkpoint-file.ts';
import {
  type CountMismatch,
  ExportFileError,
  ImportCountMismatchError,
  ManifestError,
} from './errors.ts';
import { readLines, verifyLinesFile } from './line-files.ts';
import {
  MANIFEST_FILE,
  type Manifest,
  type ManifestTable,
  manifestTables,
  parseManifest,
} from './manifest.ts';
import type { TransferListener } from './progress.ts';
import type { TransferStore } from './store.ts';

const CHANGED_DURING_IMPORT =
  'changed while it was imported; restore the export and run the import again (it resumes)';

/** Lines per batch unless the store says otherwise: DynamoDB's limit of one BatchWriteItem request. */
const BATCH = 25;

export interface LoadedManifest {
  readonly manifest: Manifest;
  /** SHA-256 of the manifest file: the identity of the export in the checkpoint. */
  readonly sha256: string;
  readonly path: string;
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/**
 * The manifest of an export directory, validated.
 *
 * @example
 * ```ts
 * const { manifest } = await loadManifest('backup');
 * ```
 */
export const loadManifest = async (directory: string): Promise<LoadedManifest> => {
  const path = join(directory, MANIFEST_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissing(error)) {
      throw new ManifestError(
        `no ${MANIFEST_FILE} in ${directory}: not an export, or an export that did not finish`,
        { cause: error },
      );
    }
    throw error;
  }
  return {
    manifest: parseManifest(bytes.toString('utf8'), path),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    path,
  };
};

export interface ImportOptions {
  /** The export directory (it also holds the checkpoint). */
  readonly from: string;
  /** Only these tables of the export (default: all of them). */
  readonly tables?: readonly TableName[];
  /** Ignore the checkpoint and import everything again. */
  readonly restart?: boolean;
  /** Batches in flight at once. */
  readonly concurrency?: number;
  /** Batches per checkpointed group. */
  readonly batchesPerGroup?: number;
  readonly now?: () => Date;
  readonly onProgress?: TransferListener;
  /** Things worth telling the operator (resuming, skipped tables, non-empty targets). */
  readonly onNote?: (message: string) => void;
}

export interface ImportTableSummary {
  readonly table: TableName;
  /** Items in the export. */
  readonly items: number;
  /** Lines written by this run. */
  readonly written: number;
  /** Lines not written by this run because the checkpoint had them. */
  readonly skipped: number;
  readonly empty_before: boolean;
  /** Items in the table after the import (counted). */
  readonly count_after: number | undefined;
}

export interface ImportSummary {
  readonly from: string;
  readonly target: string;
  readonly checkpoint: string;
  readonly tables: readonly ImportTableSummary[];
  readonly items: number;
  readonly written: number;
  readonly skipped: number;
  readonly duration_ms: number;
}

/**
 * @example
 * ```ts
 * const summary = await importTables(store, { from: 'backup' });
 * console.log(`${summary.written} written, ${summary.skipped} skipped from the checkpoint`);
 * ```
 */
export const importTables = async (
  store: TransferStore,
  options: ImportOptions,
): Promise<ImportSummary> => {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const note = options.onNote ?? (() => {});
  const concurrency = options.concurrency ?? 4;
  const batchLines = store.batchLines ?? BATCH;
  const groupLines = batchLines * (options.batchesPerGroup ?? 40);
  const { manifest, sha256: manifestSha } = await loadManifest(options.from);
  const checkpointPath = join(options.from, CHECKPOINT_FILE);
  const target = store.target;

  const selected = options.tables ?? manifestTables(manifest);
  const entries = new Map<TableName, ManifestTable>();
  for (const table of selected) {
    const entry = manifest.tables[table];
    if (entry === undefined) {
      throw new ManifestError(
        `${table} is not in the export in ${options.from} (it holds: ${manifestTables(manifest).join(', ')})`,
      );
    }
    entries.set(table, entry);
  }

  let state: ImportState;
  if (options.restart === true) {
    // Only these tables of this target start over; an unreadable checkpoint is dropped.
    const before = await readImportState(checkpointPath).catch(() => emptyState());
    state = withoutTables(before, target, [...entries.keys()]);
    note(
      `--restart: ${[...entries.keys()].join(', ')} written again from the first line, whatever the checkpoint says`,
    );
  } else {
    state = await readImportState(checkpointPath);
  }
  if (isStale(state, target, manifestSha)) {
    note(`the checkpoint for ${target} is from another export; starting over`);
    state = withoutTarget(state, target);
  }
  const resume = new Map<TableName, ResumePoint>();
  for (const [table, entry] of entries) {
    resume.set(table, resumePoint(state, target, manifestSha, table, entry.items));
  }
  const toDo = [...entries.keys()].filter((table) => resume.get(table)?.complete !== true);

  // Nothing is written before every file still to import has been verified.
  for (const table of toDo) {
    const entry = entries.get(table);
    if (entry === undefined) continue;
    await verifyLinesFile(
      join(options.from, entry.file),
      entry.file,
      entry,
      (line) => store.checkLine(table, line),
      (lines) => options.onProgress?.({ phase: 'verify', table, lines, total: entry.items }),
    );
  }
  if (toDo.length > 0) await store.createMissingTables(toDo);

  const save = async (table: TableName, progress: Parameters<typeof recordProgress>[4]) => {
    state = recordProgress(state, target, manifestSha, table, progress, now());
    await writeImportState(checkpointPath, state);
  };

  const results: ImportTableSummary[] = [];
  const mismatches: CountMismatch[] = [];
  for (const [table, entry] of entries) {
    const from = resume.get(table) ?? { linesDone: 0, emptyBefore: undefined, complete: false };
    if (from.complete) {
      note(`${table}: already imported (${entry.items} items, per the checkpoint), skipped`);
      results.push({
        table,
        items: entry.items,
        written: 0,
        skipped: entry.items,
        empty_before: from.emptyBefore ?? false,
        count_after: undefined,
      });
      continue;
    }
    const emptyBefore = from.emptyBefore ?? (await store.isEmpty(table));
    if (from.linesDone > 0) {
      note(
        `${table}: resuming after ${from.linesDone} of ${entry.items} lines (per the checkpoint)`,
      );
    }
    // Emptiness is recorded before the first write: a resumed import still knows it.
    await save(table, { lines_done: from.linesDone, empty_before: emptyBefore, complete: false });

    let done = from.linesDone;
    let seen = 0;
    let group: string[] = [];
    const flush = async () => {
      await pMap(chunk(group, batchLines), (batch) => store.putLines(table, batch), {
        concurrency,
      });
      done += group.length;
      group = [];
      await save(table, { lines_done: done, empty_before: emptyBefore, complete: false });
      options.onProgress?.({ phase: 'import', table, lines: done, total: entry.items });
    };
    options.onProgress?.({ phase: 'import', table, lines: done, total: entry.items });
    for await (const line of readLines(join(options.from, entry.file))) {
      seen += 1;
      if (seen <= from.linesDone) continue;
      if (seen > entry.items) {
        throw new ExportFileError(entry.file, CHANGED_DURING_IMPORT);
      }
      group.push(line);
      if (group.length >= groupLines) await flush();
    }
    if (group.length > 0) await flush();
    if (seen !== entry.items) {
      throw new ExportFileError(entry.file, CHANGED_DURING_IMPORT);
    }

    const found = await store.count(table);
    if (emptyBefore && found !== entry.items) {
      mismatches.push({ table: store.tableName(table), expected: entry.items, found });
    } else {
      if (!emptyBefore) {
        note(
          `${table}: the table was not empty before the import; ${entry.items} items in the export, ${found} in the table now`,
        );
      }
      await save(table, { lines_done: done, empty_before: emptyBefore, complete: true });
    }
    results.push({
      table,
      items: entry.items,
      written: done - from.linesDone,
      skipped: from.linesDone,
      empty_before: emptyBefore,
      count_after: found,
    });
  }
  if (mismatches.length > 0) throw new ImportCountMismatchError(mismatches);

  const sum = (pick: (t: ImportTableSummary) => number) =>
    results.reduce((total, t) => total + pick(t), 0);
  return {
    from: options.from,
    target,
    checkpoint: checkpointPath,
    tables: results,
    items: sum((t) => t.items),
    written: sum((t) => t.written),
    skipped: sum((t) => t.skipped),
    duration_ms: Math.round(performance.now() - started),
  };
};
