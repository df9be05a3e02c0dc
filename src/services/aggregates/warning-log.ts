import type { AggregateWarning } from '../../domain/progress/warnings.ts';

/** At most this many warnings are listed in a summary; `warnings_total` counts them all. */
export const MAX_LISTED_WARNINGS = 100;

/**
 * The warnings of one run: all counted, the first {@link MAX_LISTED_WARNINGS} kept, so a
 * table full of dangling links cannot grow a summary without bound.
 */
export class WarningLog {
  readonly listed: AggregateWarning[] = [];
  total = 0;

  add(warning: AggregateWarning): void {
    this.total += 1;
    if (this.listed.length < MAX_LISTED_WARNINGS) this.listed.push(warning);
  }
}
