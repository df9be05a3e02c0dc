import { type Command, Option } from 'commander';
import { signDevToken, withLocalIdClaim } from '../../local/aws/auth/tokens.ts';
import { banner } from '../../local/banner.ts';
import {
  DEFAULT_DB_PORT,
  engineFamily,
  STACK_ENGINE_KINDS,
  type StackEngineKind,
} from '../../local/database.ts';
import { demoLoginIds } from '../../local/demo-identities.ts';
import { type RunningStack, StartInterruptedError, startLocalStack } from '../../local/start.ts';
import { SEED_SIZES, type SeedSizeName } from '../../seed/sizes.ts';
import { ROLE_NAMES } from '../../services/access/principal.ts';
import { commandConfig, type GlobalOptions, type Output } from '../context.ts';
import { nonNegativeInteger } from '../parse.ts';

interface StartFlags {
  port: number;
  dbPort?: number;
  host: string;
  engine: StackEngineKind;
  inMemory?: boolean;
  data: string;
  seed: boolean;
  seedSize: SeedSizeName;
  seedNumber: number;
  schedule: boolean;
}

/** `lms start` (= `npm start`): the whole system on this machine until Ctrl-C. */
export const registerStart = (program: Command, output: Output): void => {
  program
    .command('start')
    .description(
      'run the local stack: a database (DynamoDB or PostgreSQL), tables, demo data, HTTP API, scheduled jobs',
    )
    .option('--port <n>', 'HTTP API port', nonNegativeInteger, 3000)
    .option(
      '--db-port <n>',
      `embedded database port (0: any free one; default ${DEFAULT_DB_PORT.dynamodb} for DynamoDB, ${DEFAULT_DB_PORT.postgres} for PostgreSQL)`,
      nonNegativeInteger,
    )
    .option(
      '--host <host>',
      'interface to listen on (the console and /_jobs only on a loopback one)',
      '127.0.0.1',
    )
    .addOption(
      new Option(
        '--engine <engine>',
        'embedded database: DynamoDB (dynalite, dynamodb-local) or PostgreSQL (pglite, postgres); DATABASE_URL or DYNAMODB_ENDPOINT set: that database instead',
      )
        .choices(STACK_ENGINE_KINDS)
        .default('dynalite'),
    )
    .option('--in-memory', 'keep nothing on disk (data and signing key vanish at exit)')
    .option('--data <dir>', 'where data and the signing key are kept', '.data')
    .option('--no-seed', 'do not write demo data into empty tables')
    .addOption(
      new Option('--seed-size <size>', 'size of the demo data')
        .choices(Object.keys(SEED_SIZES))
        .default('small'),
    )
    .option('--seed-number <n>', 'random seed of the demo data', nonNegativeInteger, 1)
    .option('--no-schedule', 'do not fire the cron schedules (jobs still run via /_jobs)')
    .action(async (flags: StartFlags, command: Command) => {
      // As deployed: the LMS id in cognito:username, unless LMS_ID_CLAIM names another claim.
      const config = commandConfig(
        command.optsWithGlobals<GlobalOptions>(),
        withLocalIdClaim(process.env),
        { sharedClock: true },
      );
      // Handlers from the first moment: Ctrl-C while the engine starts or the demo data is
      // written stops what started, in reverse, instead of killing the process mid-write.
      const interrupt = new AbortController();
      let stack: RunningStack | undefined;
      let signalled = false;
      let resolveStopped = () => {};
      const stopped = new Promise<void>((resolve) => {
        resolveStopped = resolve;
      });
      const onSignal = (signal: NodeJS.Signals) => {
        if (signalled) {
          output.err(`${signal} again: exiting without stopping the rest`);
          process.exit(130);
        }
        signalled = true;
        output.err(`${signal}: stopping what started, in reverse`);
        interrupt.abort(new Error(signal));
        // Before the stack is up, its start sees the abort and stops what it started.
        stack?.stop().finally(resolveStopped);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const removeHandlers = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
      try {
        stack = await startLocalStack({
          config,
          engine: flags.engine,
          inMemory: flags.inMemory === true,
          dataDir: flags.data,
          port: flags.port,
          dbPort: flags.dbPort ?? DEFAULT_DB_PORT[engineFamily(flags.engine)],
          host: flags.host,
          seed: flags.seed ? { size: flags.seedSize, seed: flags.seedNumber } : false,
          schedule: flags.schedule,
          log: output.err,
          // The seed's tables and the workflows' shards under the one-line steps and runs.
          ...(config.logLevel === 'debug' ? { debug: output.err } : {}),
          signal: interrupt.signal,
        });
      } catch (error) {
        removeHandlers();
        throw error;
      }
      if (signalled) {
        // The signal came as the last service started: the start did not see it.
        await stack.stop().finally(removeHandlers);
        throw new StartInterruptedError('interrupted while starting; what had started is stopped');
      }
      try {
        const { demo } = stack;
        const ids = demoLoginIds(demo);
        const tokens: Record<string, { id: string; token: string }> = {};
        for (const role of ROLE_NAMES) {
          const id = ids[role];
          if (id !== undefined) {
            const token = await signDevToken(stack.keys, { id, role, idClaim: config.idClaim });
            tokens[role] = { id, token };
          }
        }
        output.out(
          banner({
            apiUrl: stack.apiUrl,
            host: stack.host,
            database: {
              family: stack.engine.family,
              location: stack.location,
              variable: stack.variable,
              namespace: stack.namespace,
            },
            engine: stack.engine.kind,
            storage:
              stack.engine.kind === 'external'
                ? 'not started by lms start, left running at exit'
                : flags.inMemory === true
                  ? stack.engine.kind === 'postgres'
                    ? 'in a temporary folder removed at exit'
                    : 'in memory'
                  : `persisted in ${flags.data}`,
            prefix: config.tablePrefix,
            timezone: config.timezone,
            jobs: stack.jobs.list(),
            tokens,
            idClaim: config.idClaim,
            demo,
            now: new Date(),
          }),
        );
      } catch (error) {
        removeHandlers();
        await stack.stop();
        throw error;
      }
      await stopped;
      removeHandlers();
      output.err('local stack stopped');
    });
};
