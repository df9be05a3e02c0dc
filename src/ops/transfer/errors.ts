import { LmsError } from '../../errors.ts';

/** A table named for export does not exist at the source. */
export class SourceTableMissingError extends LmsError {
  readonly code = 'SOURCE_TABLE_MISSING';
}

/** The directory holds no usable manifest: not an export, or one that did not finish. */
export class ManifestError extends LmsError {
  readonly code = 'EXPORT_MANIFEST_INVALID';
}

/**
 * An export file does not match its manifest (checksum, line count, or a line that is not
 * an item of its table): raised by the verification that precedes any write, or if the
 * file changes while it is imported.
 */
export class ExportFileError extends LmsError {
  readonly code = 'EXPORT_FILE_INVALID';

  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

/** The import checkpoint cannot be read or does not fit the export. */
export class ImportStateError extends LmsError {
  readonly code = 'IMPORT_STATE_INVALID';
}

export interface CountMismatch {
  readonly table: string;
  readonly expected: number;
  readonly found: number;
}

/**
 * After an import into tables that were empty, a table holds a different number of items
 * than the export listed.
 */
export class ImportCountMismatchError extends LmsError {
  readonly code = 'IMPORT_COUNT_MISMATCH';

  constructor(readonly mismatches: readonly CountMismatch[]) {
    super(
      `item counts differ after the import: ${mismatches
        .map((m) => `${m.table} has ${m.found}, the export ${m.expected}`)
        .join('; ')}`,
    );
  }
}
