/**
 * What the commands over a database (`stats`, `aggregate`, `check`, and through
 * `transfer-command.ts` `export` and `import`) share: a connection and a progress display
 * that are closed whatever happens, and the way a summary is printed.
 */
import type { Command } from 'commander';
import type { TablesConnection } from '../adapters/connect.ts';
import type { FunctionName } from '../catalog/functions.ts';
import type { Config } from '../config/config.ts';
import { JobBusyError } from '../local/aws/scheduler/jobs.ts';
import { loadFunction } from '../local/invoke/load-function.ts';
import {
  handlerInvoke,
  runWorkflow,
  type WorkflowProgress,
} from '../local/workflows/run-workflow.ts';
import { createLogger } from '../observability/logger.ts';
import { createRuntime, type Handle, type Runtime } from '../runtime/runtime.ts';
import type { ListedWarnings } from '../services/warning-log.ts';
import type { GlobalOptions, Output } from './context.ts';
import { createProgress, type Progress } from './progress.ts';
import { connectTarget, type TableUse } from './target.ts';

export interface JobCommandContext {
  readonly config: Config;
  readonly connection: TablesConnection;
  readonly progress: Progress;
}

/**
 * @example
 * ```ts
 * .action((options, command) =>
 *   withJobContext(command, output, TableUse.Write, async ({ connection, progress }) => { ... }))
 * ```
 */
export const withJobContext = async <T>(
  command: Command,
  output: Output,
  use: TableUse,
  run: (context: JobCommandContext) => Promise<T>,
): Promise<T> => {
  const { config, connection } = await connectTarget(
    command.optsWithGlobals<GlobalOptions>(),
    use,
    `lms ${command.name()}`,
  );
  const progress = createProgress({ interactive: output.interactive ?? false, log: output.err });
  try {
    return await run({ config, connection, progress });
  } finally {
    progress.stop();
    await connection.close();
  }
};

export type PrintableSummary = ListedWarnings<{ readonly message: string }>;

/** Warnings on stderr (listed, then counted), the JSON on stdout if asked, the one-line summary last. */
export const printSummary = (
  output: Output,
  summary: PrintableSummary,
  line: string,
  json: boolean | undefined,
): void => {
  for (const warning of summary.warnings) output.err(`warning: ${warning.message}`);
  if (summary.warnings_total > summary.warnings.length) {
    output.err(`warning: … and ${summary.warnings_total - summary.warnings.length} more`);
  }
  if (json === true) output.out(JSON.stringify(summary, null, 2));
  output.err(line);
};

const SHARDS = 'shards done';
const CONTINUATIONS = 'continuations';

/** Shows a workflow run: a bar over the plan's shards, a counter of continuations. */
export const workflowProgressListener = (progress: Progress) => (event: WorkflowProgress) => {
  progress.update(SHARDS, event.shards_done, event.shards);
  progress.update(CONTINUATIONS, event.continuations);
};

/**
 * Runs a workflow job now, as its schedule would on AWS: the catalogue's state machine,
 * executed in this process over the job's own `createHandler`, each invocation with the
 * catalogue's Lambda timeout. Resolves to the run's summary (what Finish returned).
 *
 * @example
 * ```ts
 * const summary = await runJobWorkflow(context, output, 'aggregate_students', { mode: 'full' });
 * ```
 */
export const runJobWorkflow = async (
  { config, connection, progress }: JobCommandContext,
  output: Output,
  job: FunctionName,
  input: Readonly<Record<string, unknown>>,
  /** The job's handle over a runtime (tests: a fake worker). */
  load: (job: FunctionName, runtime: Runtime) => Promise<Handle> = loadFunction,
): Promise<unknown> => {
  // The command's progress and summary say what a worker's info lines would, once per
  // invocation, through the bars; LOG_LEVEL=debug still shows everything.
  const level =
    config.logLevel === 'debug' ? 'debug' : config.logLevel === 'error' ? 'error' : 'warn';
  const runtime = createRuntime(job, config, {
    db: connection.db,
    logger: createLogger(job, level),
  });
  const result = await runWorkflow({
    job,
    input,
    invoke: handlerInvoke(job, await load(job, runtime)),
    onProgress: workflowProgressListener(progress),
    log: output.err,
  });
  progress.finish(SHARDS);
  progress.finish(CONTINUATIONS);
  if (result.status === 'skipped') {
    throw new JobBusyError(`${job} is already running (another run holds its lease)`);
  }
  return result.output;
};
