/**
 * The import checkpoint (`.import-state.json` in the export directory): for each target
 * (endpoint and prefix) and table, how many lines of the file are durably in the table.
 * Pure: the state is a value, every change returns a new one; `checkpoint-file.ts` keeps
 * it on disk.
 *
 * A target's progress belongs to one manifest (by its SHA-256): a directory overwritten by
 * a newer export does not resume from the old export's progress.
 */
import * as z from 'zod';
import { describeIssues, zodIssues } from '../../lib/zod-issues.ts';
import type { TableName } from '../../tables/definitions.ts';
import { ImportStateError } from './errors.ts';

export const CHECKPOINT_FILE = '.import-state.json';

const tableProgressSchema = z.strictObject({
  /** Lines from the start of the file whose items are written. */
  lines_done: z.number().int().nonnegative(),
  /** Whether the table was empty before the first line was written (then counts must match). */
  empty_before: z.boolean(),
  /** Every line written and the count checked. */
  complete: z.boolean(),
});

const targetSchema = z.strictObject({
  manifest_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  updated_at: z.iso.datetime(),
  tables: z.record(z.string(), tableProgressSchema),
});

const stateSchema = z.strictObject({
  version: z.literal(1),
  targets: z.record(z.string(), targetSchema),
});

export type TableProgress = z.output<typeof tableProgressSchema>;
export type ImportState = z.output<typeof stateSchema>;

/** Where an import of one table starts. */
export interface ResumePoint {
  readonly linesDone: number;
  /** Undefined: the table's import has not started, emptiness is still to be checked. */
  readonly emptyBefore: boolean | undefined;
  readonly complete: boolean;
}

export const emptyState = (): ImportState => ({ version: 1, targets: {} });

/**
 * @example
 * ```ts
 * const state = parseImportState(await readFile(path, 'utf8'), path);
 * ```
 */
export const parseImportState = (text: string, where: string): ImportState => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportStateError(
      `${where} is not JSON; run the import with --restart to start over`,
      { cause: error },
    );
  }
  const result = stateSchema.safeParse(json);
  if (!result.success) {
    throw new ImportStateError(
      `${where} is not an import checkpoint (${describeIssues(zodIssues(result.error), '(checkpoint)')}); run the import with --restart to start over`,
    );
  }
  return result.data;
};

export const stateText = (state: ImportState): string => `${JSON.stringify(state, null, 2)}\n`;

/** True when the target has progress, but for another export than this manifest's. */
export const isStale = (state: ImportState, target: string, manifestSha: string): boolean => {
  const entry = state.targets[target];
  return entry !== undefined && entry.manifest_sha256 !== manifestSha;
};

/** The state without any progress for a target (its progress is for another export). */
export const withoutTarget = (state: ImportState, target: string): ImportState => {
  const { [target]: _dropped, ...rest } = state.targets;
  return { ...state, targets: rest };
};

/**
 * The state without a target's progress on these tables (`--restart`): other tables and
 * other targets keep theirs.
 */
export const withoutTables = (
  state: ImportState,
  target: string,
  tables: readonly TableName[],
): ImportState => {
  const entry = state.targets[target];
  if (entry === undefined) return state;
  const kept = Object.fromEntries(
    Object.entries(entry.tables).filter(([table]) => !tables.some((dropped) => dropped === table)),
  );
  return { ...state, targets: { ...state.targets, [target]: { ...entry, tables: kept } } };
};

/**
 * Where the import of a table into a target resumes.
 *
 * @example
 * ```ts
 * resumePoint(state, 'http://localhost:8000 prefix="dev-"', manifestSha, 'answers', 6000);
 * // { linesDone: 2000, emptyBefore: true, complete: false }
 * ```
 */
export const resumePoint = (
  state: ImportState,
  target: string,
  manifestSha: string,
  table: TableName,
  totalLines: number,
): ResumePoint => {
  const entry = state.targets[target];
  const progress = entry?.manifest_sha256 === manifestSha ? entry.tables[table] : undefined;
  if (progress === undefined) return { linesDone: 0, emptyBefore: undefined, complete: false };
  if (progress.lines_done > totalLines) {
    throw new ImportStateError(
      `the checkpoint says ${progress.lines_done} lines of ${table} are done, but the export has ${totalLines}; run the import with --restart to start over`,
    );
  }
  return {
    linesDone: progress.lines_done,
    emptyBefore: progress.empty_before,
    complete: progress.complete,
  };
};

/**
 * The state with a table's progress recorded (a target's progress for another manifest is
 * replaced: it no longer applies).
 */
export const recordProgress = (
  state: ImportState,
  target: string,
  manifestSha: string,
  table: TableName,
  progress: TableProgress,
  now: Date,
): ImportState => {
  const entry = state.targets[target];
  const tablesBefore = entry?.manifest_sha256 === manifestSha ? entry.tables : {};
  return {
    ...state,
    targets: {
      ...state.targets,
      [target]: {
        manifest_sha256: manifestSha,
        updated_at: now.toISOString(),
        tables: { ...tablesBefore, [table]: progress },
      },
    },
  };
};
