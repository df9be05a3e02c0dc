import { Argument, type Command } from 'commander';
import * as z from 'zod';
import { addDays } from '../../domain/time-zone.ts';
import { assertClockAgrees } from '../../lib/clock-skew.ts';
import { describeIssues, zodIssues } from '../../lib/zod-issues.ts';
import { WorkflowProtocolError } from '../../local/workflows/run-workflow.ts';
import { AggregateRunError } from '../../services/aggregates/errors.ts';
import { type AggregateSummary, summaryLine } from '../../services/aggregates/summary.ts';
import type { Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { printSummary, runJobWorkflow, withJobContext } from '../job-command.ts';
import { positiveInteger } from '../parse.ts';
import { TableUse } from '../target.ts';

export const AGGREGATE_TARGETS = ['students', 'parents'] as const;
export type AggregateTarget = (typeof AGGREGATE_TARGETS)[number];

const JOB_OF = {
  students: 'aggregate_students',
  parents: 'aggregate_parents',
} as const satisfies Record<AggregateTarget, string>;

/**
 * The fields of a summary this command reads (the closing line, the warnings, the exit
 * code): it comes back from Finish through JSON, so it is checked, not trusted.
 */
const printedSummarySchema = z.looseObject({
  job: z.enum(['aggregate_students', 'aggregate_parents']),
  mode: z.string(),
  dry_run: z.boolean(),
  today: z.string(),
  scanned: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  remarked: z.number(),
  warnings: z.array(z.looseObject({ message: z.string() })),
  warnings_total: z.number(),
  duration_ms: z.number(),
});

const readSummary = (output: unknown): AggregateSummary => {
  const result = printedSummarySchema.safeParse(output);
  if (!result.success) {
    throw new WorkflowProtocolError(
      `the run's summary is not an aggregate summary: ${describeIssues(zodIssues(result.error), '(summary)')}`,
    );
  }
  // Checked above for every field summaryLine and printSummary read; the rest is passed on as is.
  return result.data as unknown as AggregateSummary;
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
      // Even a dry run writes: the workflow takes the job's lease in `jobs`.
      await withJobContext(command, output, TableUse.Write, async (context) => {
        // This machine's clock decides which answers are old enough to fold: it must agree
        // with the database's (a laptop's run with --aws; an endpoint may be another host).
        assertClockAgrees(
          await context.connection.admin.readClock(() => new Date()),
          `lms aggregate ${target}`,
        );
        // The job's options, as the schedule sends them (the execution input of the workflow).
        const input = {
          mode: options.full === true ? 'full' : 'incremental',
          ...(options.dryRun === true ? { dry_run: true } : {}),
          ...(today !== undefined ? { today } : {}),
          concurrency: options.concurrency,
        };
        const summary = readSummary(await runJobWorkflow(context, output, JOB_OF[target], input));
        context.progress.stop();
        printSummary(output, summary, summaryLine(summary), options.json);
        if (summary.failed > 0) throw new AggregateRunError(summary);
      });
    });
};
