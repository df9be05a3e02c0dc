import { type Command, Option } from 'commander';
import { ALL_LEVELS, type StatsLevel } from '../../domain/stats/levels.ts';
import { StatsWriteError } from '../../services/stats/errors.ts';
import type { StatsProgress } from '../../services/stats/progress.ts';
import { DEFAULT_SEGMENTS, runStats } from '../../services/stats/run-stats.ts';
import { summaryLine } from '../../services/stats/summary.ts';
import type { Output } from '../context.ts';
import { printSummary, withJobContext } from '../job-command.ts';
import { positiveInteger } from '../parse.ts';
import type { Progress } from '../progress.ts';
import { TableUse } from '../target.ts';

const jobOf = (level: StatsLevel | 'all') =>
  level === 'all' ? 'calc_all_stats' : `calc_${level}_stats`;

/** Shows a stats run's progress: one counter per table read, one bar for the writes. */
export const statsProgressListener = (progress: Progress) => (event: StatsProgress) => {
  if (event.phase === 'read') {
    progress.update(`${event.table} read`, event.items);
    if (event.done) progress.finish(`${event.table} read`);
  } else {
    progress.update('stats written', event.done, event.total);
    if (event.done === event.total) progress.finish('stats written');
  }
};

/** `lms stats`: the nightly stats jobs, run now against the configured tables. */
export const registerStats = (program: Command, output: Output): void => {
  program
    .command('stats')
    .description('count what is under every class, teacher, school and group; write changed stats')
    .addOption(
      new Option('--level <level>', 'which level to compute')
        .choices([...ALL_LEVELS, 'all'])
        .default('all'),
    )
    .option('--dry-run', 'compute and report, write nothing')
    .option('--concurrency <n>', 'writes in flight at once', positiveInteger, 16)
    .option(
      '--segments <n>',
      'parallel scan segments for students',
      positiveInteger,
      DEFAULT_SEGMENTS,
    )
    .option('--json', 'print the whole summary as JSON on stdout')
    .action(
      async (
        options: {
          level: StatsLevel | 'all';
          dryRun?: boolean;
          concurrency: number;
          segments: number;
          json?: boolean;
        },
        command: Command,
      ) => {
        // A dry run only reads: it may look at real AWS tables without --aws.
        const use = options.dryRun === true ? TableUse.Read : TableUse.Write;
        await withJobContext(command, output, use, async ({ connection, progress }) => {
          const summary = await runStats(connection.db, {
            job: jobOf(options.level),
            levels: options.level === 'all' ? ALL_LEVELS : [options.level],
            dryRun: options.dryRun,
            concurrency: options.concurrency,
            segments: options.segments,
            onProgress: statsProgressListener(progress),
          });
          progress.stop();
          printSummary(output, summary, summaryLine(summary), options.json);
          if (summary.failed > 0) throw new StatsWriteError(summary);
        });
      },
    );
};
