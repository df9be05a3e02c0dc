import { LmsError } from '../../errors.ts';

export class ClassNotFoundError extends LmsError {
  readonly code = 'CLASS_NOT_FOUND';

  constructor(readonly classCode: string) {
    super(`class ${JSON.stringify(classCode)} does not exist`);
  }
}

export class ModuleNotFoundError extends LmsError {
  readonly code = 'MODULE_NOT_FOUND';

  constructor(readonly moduleId: string) {
    super(`module ${JSON.stringify(moduleId)} does not exist`);
  }
}

/** No progress is stored for the student (yet: the aggregate job writes it). */
export class StudentProgressNotFoundError extends LmsError {
  readonly code = 'PROGRESS_NOT_FOUND';

  constructor(readonly studentId: string) {
    super(`no progress for student ${JSON.stringify(studentId)} yet`);
  }
}

/**
 * No summary is stored for the parent (yet: the aggregate job writes it), or the parent no
 * longer exists (its summary is left over until the next full parents run).
 */
export class ParentSummaryNotFoundError extends LmsError {
  readonly code = 'SUMMARY_NOT_FOUND';

  constructor(
    readonly parentId: string,
    readonly reason: 'not_yet' | 'parent_missing' = 'not_yet',
  ) {
    super(
      reason === 'parent_missing'
        ? `parent ${JSON.stringify(parentId)} does not exist`
        : `no summary for parent ${JSON.stringify(parentId)} yet`,
    );
  }
}

/**
 * The module is stored, but its `words` cannot be read (neither a list nor a set of
 * words): with no word list there are no results to compute. A 404 with its own code,
 * so that a client can tell it from a module that does not exist.
 */
export class ModuleUnreadableError extends LmsError {
  readonly code = 'MODULE_UNREADABLE';

  constructor(
    readonly moduleId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `module ${JSON.stringify(moduleId)} is stored, but its word list cannot be read; the module's record must be repaired`,
      options,
    );
  }
}

/**
 * The stored progress of the student does not match its schema (another writer, an old
 * layout): a 404 with its own code until the aggregate job rewrites it (a run that reads
 * an invalid stored progress treats it as missing and writes it anew).
 */
export class StudentProgressUnreadableError extends LmsError {
  readonly code = 'PROGRESS_UNREADABLE';

  constructor(
    readonly studentId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the stored progress of student ${JSON.stringify(studentId)} cannot be read; the next aggregate run that includes the student rewrites it`,
      options,
    );
  }
}

/** As {@link StudentProgressUnreadableError}, for a parent's stored summary. */
export class ParentSummaryUnreadableError extends LmsError {
  readonly code = 'SUMMARY_UNREADABLE';

  constructor(
    readonly parentId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the stored summary of parent ${JSON.stringify(parentId)} cannot be read; the next aggregate run that includes the parent rewrites it`,
      options,
    );
  }
}
