/**
 * What every command shares: configuration (environment, overridden by global flags) and
 * the way output is written. Results go to stdout, logs and progress to stderr, so
 * `lms ... > out.json` captures only the result.
 */
import { type Config, loadConfig } from '../config/config.ts';

export interface GlobalOptions {
  readonly endpoint?: string;
  readonly prefix?: string;
  readonly region?: string;
  /** `--aws`: a command that writes may write to real AWS tables (no endpoint). */
  readonly aws?: boolean;
}

export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Progress as bars (a terminal) rather than log lines (CI, cron, a pipe, a test). */
  readonly interactive?: boolean;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  interactive: process.stderr.isTTY === true && process.env.CI !== 'true',
};

/** The configuration of a command: flags take precedence over the environment. */
export const commandConfig = (
  options: GlobalOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
  load: Parameters<typeof loadConfig>[1] = {},
): Config =>
  loadConfig(
    {
      ...env,
      ...(options.endpoint !== undefined ? { DYNAMODB_ENDPOINT: options.endpoint } : {}),
      ...(options.prefix !== undefined ? { LMS_TABLE_PREFIX: options.prefix } : {}),
      ...(options.region !== undefined ? { AWS_REGION: options.region } : {}),
    },
    load,
  );
