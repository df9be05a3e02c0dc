/** Something an aggregate run found and reported; never fatal to the run. */
export interface AggregateWarning {
  readonly kind: /** A parent lists a student who does not exist: left out of the summary. */
    | 'child_missing'
    /** A mark names a parent who does not exist: the mark is cleared. */
    | 'parent_missing'
    /** A student has answers but no `students` record: progress computed, no parent marked. */
    | 'student_missing'
    /** A stored item failed validation and was skipped. */
    | 'invalid_item'
    /** A read or write for one student or parent failed; it stays marked for the next run. */
    | 'failed';
  readonly message: string;
}

export const aggregateWarning = (
  kind: AggregateWarning['kind'],
  message: string,
): AggregateWarning => ({ kind, message });
