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
    /**
     * A student's fold was left for the next run: it kept being marked again while its
     * answers were read, or another run with a later cut-off is folding it. It stays marked.
     */
    | 'deferred'
    /** A read or write for one student or parent failed; it stays marked for the next run. */
    | 'failed';
  readonly message: string;
}

/** Every kind, for reading a warning back from JSON (a workflow's shard results). */
export const AGGREGATE_WARNING_KINDS = [
  'child_missing',
  'parent_missing',
  'student_missing',
  'invalid_item',
  'deferred',
  'failed',
] as const satisfies readonly AggregateWarning['kind'][];

/** A warning's kind read back from text; an unknown one counts as a failure. */
export const warningKind = (kind: string): AggregateWarning['kind'] =>
  AGGREGATE_WARNING_KINDS.find((known) => known === kind) ?? 'failed';

export const aggregateWarning = (
  kind: AggregateWarning['kind'],
  message: string,
): AggregateWarning => ({ kind, message });
