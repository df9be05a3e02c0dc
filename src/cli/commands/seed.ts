import { type Command, Option } from 'commander';
import { connectTables } from '../../adapters/connect.ts';
import { localDate } from '../../domain/time-zone.ts';
import { LEARNER_KINDS, type LearnerKind } from '../../seed/generate.ts';
import { SEED_SIZES, type SeedSizeName } from '../../seed/sizes.ts';
import { writeSeed } from '../../seed/write.ts';
import type { GlobalOptions, Output } from '../context.ts';
import { UsageError } from '../errors.ts';
import { nonNegativeInteger } from '../parse.ts';
import { createProgress } from '../progress.ts';
import { TableUse, targetConfig } from '../target.ts';

/** `lms seed`: a deterministic demo organisation with 30 days of answers. */
export const registerSeed = (program: Command, output: Output): void => {
  program
    .command('seed')
    .description(
      'write a deterministic demo organisation and 30 days of answers (90 with --learners simulated)',
    )
    .addOption(
      new Option('--size <size>', 'how big').choices(Object.keys(SEED_SIZES)).default('small'),
    )
    .option('--seed <n>', 'random seed: the same seed writes the same data', nonNegativeInteger, 1)
    .option('--today <date>', 'last day of answers (YYYY-MM-DD in LMS_TIMEZONE; default: today)')
    .addOption(
      new Option(
        '--learners <kind>',
        'basic: learn with practice and forget with time away, 30 days; simulated: learners who forget (half-life regression), 90 days',
      )
        .choices(LEARNER_KINDS)
        .default('basic'),
    )
    .action(
      async (
        options: { size: SeedSizeName; seed: number; today?: string; learners: LearnerKind },
        command: Command,
      ) => {
        const config = await targetConfig(
          command.optsWithGlobals<GlobalOptions>(),
          TableUse.Write,
          'lms seed',
        );
        const now = new Date();
        const today = options.today ?? localDate(now, config.timezone);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
          throw new UsageError(`--today ${today}: expected a date such as 2026-11-24`);
        }
        const connection = connectTables(config);
        const progress = createProgress({
          interactive: output.interactive ?? false,
          log: output.err,
        });
        try {
          const summary = await writeSeed(
            connection.db,
            {
              size: SEED_SIZES[options.size],
              seed: options.seed,
              today,
              timezone: config.timezone,
              learners: options.learners,
              ...(options.today === undefined ? { notAfter: now } : {}),
            },
            {
              onProgress: (p) => {
                progress.update(p.table, p.written, p.total);
                if (p.total !== undefined && p.written === p.total) progress.finish(p.table);
              },
            },
          );
          progress.stop();
          const counts = Object.entries(summary.written)
            .map(([table, count]) => `${count} ${table}`)
            .join(', ');
          output.err(
            `seed ${options.size} #${options.seed}${options.learners === 'basic' ? '' : ` (${options.learners} learners)`} up to ${today}: ${counts} in ${(summary.duration_ms / 1000).toFixed(1)} s`,
          );
        } finally {
          progress.stop();
          await connection.close();
        }
      },
    );
};
