import { Argument, type Command } from 'commander';
import { addDays } from '../../domain/time-zone.ts';
import { aggregateParents } from '../../services/aggregates/aggregate-parents.ts';
import { aggregateStudents } from '../../services/aggregates/aggregate-students.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import type { AggregateProgress } from '../../services/aggregates/progress.ts';
import { summaryLine } from '../../services/aggregates/summary.ts';
import type { Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { printSummary, withJobContext } from '../job-command.ts';
import { positiveInteger } from '../parse.ts';
import type { Progress } from '../progress.ts';

export const AGGREGATE_TARGETS = ['students', 'parents'] as const;
export type AggregateTarget = (typeof AGGREGATE_TARGETS)[number];

/** Shows an aggregate run's progress: a counter per table read, a bar for the computing. */
export const aggregateProgressListener = (progress: Progress) => (event: AggregateProgress) => {
  if (event.phase === 'read') {
    progress.update(`${event.table} read`, event.items);
    if (event.done) progress.finish(`${event.table} read`);
  } else {
    const task = `${event.unit} aggregated`;
    progress.update(task, event.done, event.total);
    if (event.done === event.total) progress.finish(task);
  }
};

const calendarDate = (value: string): string => {
  try {
    // A round trip through the calendar rejects 2026-02-30 as well as 'tomorrow'.
    if (addDays(value, 0) === value) return value;
  } catch {
    // reported below
  }
  throw new UsageError(`--today ${value}: expected a date such as 2026-11-24`);
};

interface AggregateCommandOptions {
  readonly full?: boolean;
  readonly dryRun?: boolean;
  readonly today?: string;
  readonly concurrency: number;
  readonly json?: boolean;
}

/** `lms aggregate students|parents`: the aggregate jobs, run now against the configured tables. */
export const registerAggregate = (program: Command, output: Output): void => {
  program
    .command('aggregate')
    .description('recompute student progress or parent summaries (incremental unless --full)')
    .addArgument(
      new Argument('<target>', 'which aggregate to recompute').choices([...AGGREGATE_TARGETS]),
    )
    .option('--full', 'recompute everyone, not only what is marked')
    .option('--dry-run', 'compute and report, write nothing')
    .option(
      '--today <date>',
      'the day of the run (YYYY-MM-DD in LMS_TIMEZONE; default: today), to reproduce a run',
    )
    .option('--concurrency <n>', 'students or parents in flight at once', positiveInteger, 16)
    .option('--json', 'print the whole summary as JSON on stdout')
    .action(async (target: AggregateTarget, options: AggregateCommandOptions, command: Command) => {
      const today = options.today === undefined ? undefined : calendarDate(options.today);
      await withJobContext(command, output, async ({ config, connection, progress }) => {
        const run = target === 'students' ? aggregateStudents : aggregateParents;
        const summary = await run(connection.db, {
          mode: options.full === true ? 'full' : 'incremental',
          dryRun: options.dryRun,
          timeZone: config.timezone,
          settleMs: config.answerSettleSeconds * 1000,
          today,
          concurrency: options.concurrency,
          onProgress: aggregateProgressListener(progress),
        });
        progress.stop();
        printSummary(output, summary, summaryLine(summary), options.json);
        if (summary.failed > 0) throw new AggregateRunError(summary);
      });
    });
};
