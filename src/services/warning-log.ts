/**
 * The warnings of one job run (stats, aggregates): all counted, the first
 * {@link MAX_LISTED_WARNINGS} kept, so a table full of dangling links cannot grow a
 * summary, or the log line that carries it, without bound.
 */

/** At most this many warnings are listed in a summary; `warnings_total` counts them all. */
export const MAX_LISTED_WARNINGS = 100;

/** The two fields every job summary reports its warnings in. */
export interface ListedWarnings<W> {
  readonly warnings: readonly W[];
  readonly warnings_total: number;
}

/**
 * @example
 * ```ts
 * const log = new WarningLog<StatsWarning>();
 * log.addAll(read.warnings);
 * log.add(warning('write_failed', 'class c-1: throttled'));
 * return { ...counts, ...log.summary() }; // { warnings: [first 100], warnings_total: 250 }
 * ```
 */
export class WarningLog<W> {
  readonly #listed: W[] = [];
  #total = 0;

  add(warning: W): void {
    this.#total += 1;
    if (this.#listed.length < MAX_LISTED_WARNINGS) this.#listed.push(warning);
  }

  addAll(warnings: Iterable<W>): void {
    for (const warning of warnings) this.add(warning);
  }

  summary(): ListedWarnings<W> {
    // A copy: a summary already returned does not change when the run adds more.
    return { warnings: [...this.#listed], warnings_total: this.#total };
  }
}
