/**
 * Which database a command talks to, checked before it connects: a shell with no endpoint
 * and no region gets a message naming `DYNAMODB_ENDPOINT` (not the SDK's "Region is
 * missing"), and a command that writes never reaches real AWS tables by accident.
 */

import { connectTables, type TablesConnection } from '../adapters/connect.ts';
import { sdkRegion } from '../adapters/dynamodb/client.ts';
import { type Config, ConfigError } from '../config/config.ts';
import { commandConfig, type GlobalOptions } from './context.ts';
import { UsageError } from './errors.ts';

/** The flag that lets a command write to real AWS tables (no `DYNAMODB_ENDPOINT`). */
export const AWS_FLAG = '--aws';

/** What a command does to the tables it reaches. */
export const TableUse = {
  Read: 'read',
  Write: 'write',
} as const;
export type TableUse = (typeof TableUse)[keyof typeof TableUse];

const LOCAL_HINT =
  'for the local stack, copy the `export DYNAMODB_ENDPOINT=...` line `npm start` prints (default http://127.0.0.1:8000)';

/**
 * The configuration of a command that reaches tables, after the checks above. `what` names
 * the command in the refusal (`lms seed`).
 *
 * @throws {ConfigError} (exit 2) with no endpoint and no region anywhere (env, profile, --region).
 * @throws {UsageError} (exit 2) when a command that writes would write to AWS without --aws.
 *
 * @example
 * ```ts
 * const config = await targetConfig(command.optsWithGlobals(), TableUse.Write, 'lms seed');
 * ```
 */
export const targetConfig = async (
  options: GlobalOptions,
  use: TableUse,
  what: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Config> => {
  const config = commandConfig(options, env);
  // A DATABASE_URL names its database outright: nothing to guess, nothing to guard.
  if (config.dynamodbEndpoint !== undefined || config.databaseUrl !== undefined) return config;
  const region = config.awsRegion ?? (await sdkRegion());
  if (region === undefined) {
    throw new ConfigError(
      `DYNAMODB_ENDPOINT is not set and no AWS_REGION either, so there is no DynamoDB to talk to: ${LOCAL_HINT}; for real AWS tables set AWS_REGION (or --region, or a profile's region)`,
    );
  }
  if (use === TableUse.Write && options.aws !== true) {
    throw new UsageError(
      `${what} writes, and DYNAMODB_ENDPOINT is not set, so it would write to real AWS tables (region ${region}, prefix "${config.tablePrefix}"): add ${AWS_FLAG} to do that on purpose; ${LOCAL_HINT}`,
    );
  }
  return { ...config, awsRegion: region };
};

/**
 * {@link targetConfig}, then a connection; the caller closes it.
 *
 * @example
 * ```ts
 * const { config, connection } = await connectTarget(options, TableUse.Read, 'lms check');
 * try { ... } finally { connection.close(); }
 * ```
 */
export const connectTarget = async (
  options: GlobalOptions,
  use: TableUse,
  what: string,
): Promise<{ readonly config: Config; readonly connection: TablesConnection }> => {
  const config = await targetConfig(options, use, what);
  return { config, connection: connectTables(config) };
};
