import type { AggregateMode } from '../../domain/progress/run-modes.ts';
import { type AggregateWarning, aggregateWarning } from '../../domain/progress/warnings.ts';
import { localDate } from '../../domain/time-zone.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { WarningLog } from '../warning-log.ts';
import type { AggregateOptions } from './options.ts';

/** What both aggregate runs settle before they read anything. */
export interface RunStart {
  readonly started: Date;
  /** `performance.now()` at the start, for `duration_ms`. */
  readonly tick: number;
  readonly mode: AggregateMode;
  readonly dryRun: boolean;
  /** The day of the run in the time zone. */
  readonly today: string;
  readonly warnings: WarningLog<AggregateWarning>;
  /** Skips an invalid stored item, keeping a warning of it. */
  readonly onInvalid: (error: InvalidStoredItemError) => void;
}

export const startRun = <P>(options: AggregateOptions<P>): RunStart => {
  const started = (options.now ?? (() => new Date()))();
  const warnings = new WarningLog<AggregateWarning>();
  return {
    started,
    tick: performance.now(),
    mode: options.mode ?? 'incremental',
    dryRun: options.dryRun === true,
    today: options.today ?? localDate(started, options.timeZone),
    warnings,
    onInvalid: (error) => {
      warnings.add(aggregateWarning('invalid_item', `skipped: ${error.message}`));
    },
  };
};
