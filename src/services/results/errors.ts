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
