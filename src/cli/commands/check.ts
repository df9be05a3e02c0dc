import type { Command } from 'commander';
import { IntegrityProblemsError } from '../../services/check/errors.ts';
import { runCheck } from '../../services/check/run-check.ts';
import { reportLines, summaryLine } from '../../services/check/summary.ts';
import type { Output } from '../context.ts';
import { withJobContext } from '../job-command.ts';
import { nonNegativeInteger, positiveInteger } from '../parse.ts';
import { TableUse } from '../target.ts';

/**
 * `lms check`: the integrity report. Exit 0 when clean, 1 when something is wrong (the
 * last line is then the summary, as the error's message), 2 on a usage or config error.
 */
export const registerCheck = (program: Command, output: Output): void => {
  program
    .command('check')
    .description(
      'integrity report: dangling links, parents and students that disagree (exit 1 on findings)',
    )
    .option('--skip-answers', 'do not read the answers (the biggest table)')
    .option('--examples <n>', 'examples listed per kind of finding', nonNegativeInteger, 10)
    .option('--segments <n>', 'parallel scan segments for the answers', positiveInteger, 1)
    .option('--json', 'print the whole report as JSON on stdout')
    .action(
      async (
        options: { skipAnswers?: boolean; examples: number; segments: number; json?: boolean },
        command: Command,
      ) => {
        await withJobContext(command, output, TableUse.Read, async ({ connection, progress }) => {
          const report = await runCheck(connection.db, {
            skipAnswers: options.skipAnswers === true,
            examples: options.examples,
            segments: options.segments,
            onProgress: (event) => {
              progress.update(`${event.table} read`, event.items);
              if (event.done) progress.finish(`${event.table} read`);
            },
          });
          progress.stop();
          if (options.json === true) output.out(JSON.stringify(report, null, 2));
          else for (const line of reportLines(report)) output.out(line);
          if (!report.ok) throw new IntegrityProblemsError(report, summaryLine(report));
          output.err(summaryLine(report));
        });
      },
    );
};
