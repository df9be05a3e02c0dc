import { describe, expect, it } from 'vitest';
import { connectTables } from '../../src/adapters/connect.ts';
import { runJobWorkflow } from '../../src/cli/job-command.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { loadConfig } from '../../src/config/config.ts';
import { JobBusyError } from '../../src/local/aws/scheduler/jobs.ts';
import { localContext } from '../../src/local/invoke/lambda-context.ts';
import type { Handle } from '../../src/runtime/runtime.ts';
import { budgetContext, countingWorker } from '../support/counting-worker.ts';

/** A job command's context; the fake workers never reach the (unconnected) client. */
const commandContext = () => {
  const config = loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'local' });
  const lines: string[] = [];
  const progress = createProgress({ interactive: false, log: (line) => lines.push(line) });
  const output = { out: () => {}, err: (line: string) => lines.push(line), interactive: false };
  return { context: { config, connection: connectTables(config), progress }, output, lines };
};

/** The worker with a tiny Lambda budget per invocation (the catalogue's is 15 minutes). */
const tinyBudget =
  (handle: Handle): Handle =>
  (event, context) =>
    handle(event, context === undefined ? localContext('aggregate_students') : budgetContext(6));

describe('runJobWorkflow (lms aggregate and the other workflow commands)', () => {
  it('runs the workflow over the loaded handler and shows shards and continuations', async () => {
    const { context, output, lines } = commandContext();
    try {
      const summary = await runJobWorkflow(
        context,
        output,
        'aggregate_students',
        { mode: 'full', dry_run: true },
        async () => tinyBudget(countingWorker({ shards: 4, countTo: 30 })),
      );
      expect(summary).toMatchObject({ mode: 'full', shards: 4, counted: 30 + 31 + 32 + 33 });
      expect(lines[0]).toBe('shards done: 0/4 (0%)');
      expect(lines).toContain('shards done: 4/4 (100%)');
      const continuations = lines.filter((line) => line.startsWith('continuations: ')).at(-1);
      expect(Number(continuations?.slice('continuations: '.length))).toBeGreaterThanOrEqual(10);
    } finally {
      await context.connection.close();
    }
  });

  it('a skipped run (another holds the lease) is a JobBusyError', async () => {
    const { context, output } = commandContext();
    try {
      await expect(
        runJobWorkflow(context, output, 'aggregate_parents', {}, async () =>
          countingWorker({ shards: 1, countTo: 1, busy: true }),
        ),
      ).rejects.toBeInstanceOf(JobBusyError);
    } finally {
      await context.connection.close();
    }
  });
});
