/**
 * A finished job's one line for the stack's log: at `info` the stack prints this line per
 * run, and the function's own pretty-printed JSON (its plan, its shards, its summary) only
 * at `LOG_LEVEL=debug`, so a start's output stays short enough to find the banner in.
 */
import type { FunctionName } from '../../../catalog/functions.ts';
import {
  type AggregateSummary,
  summaryLine as aggregateLine,
} from '../../../services/aggregates/summary.ts';
import { type StatsSummary, summaryLine as statsLine } from '../../../services/stats/summary.ts';

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null;

/** The fields both summary lines read, each of its type: a result without them gets none. */
const hasSummaryFields = (result: Readonly<Record<string, unknown>>): boolean =>
  ['scanned', 'updated', 'unchanged', 'failed', 'warnings_total', 'duration_ms'].every(
    (field) => typeof result[field] === 'number',
  ) && typeof result.job === 'string';

/**
 * The summary line of a job's result (the `lms aggregate` / `lms stats` line), or
 * `undefined` when the result is not a summary of either kind.
 *
 * @example
 * ```ts
 * jobLine('aggregate_students', summary); // 'aggregate_students (incremental, 2026-11-24): ...'
 * ```
 */
export const jobLine = (name: FunctionName, result: unknown): string | undefined => {
  if (!isRecord(result) || !hasSummaryFields(result)) return undefined;
  if (name === 'aggregate_students' || name === 'aggregate_parents') {
    if (typeof result.mode !== 'string' || typeof result.remarked !== 'number') return undefined;
    // Checked above for what summaryLine reads; a job returns the summary of its own kind.
    return aggregateLine(result as unknown as AggregateSummary);
  }
  if (typeof result.vanished !== 'number') return undefined;
  return statsLine(result as unknown as StatsSummary);
};
