import { main } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  /** Standard output, joined. */
  readonly out: string;
  /** Standard error, line by line (progress lines, warnings, the closing summary). */
  readonly err: string[];
}

/** The variables that say which database a command reaches: set from the target, nothing else. */
const TARGET_VARIABLES = ['DYNAMODB_ENDPOINT', 'DATABASE_URL', 'AWS_REGION', 'LMS_TABLE_PREFIX'];

/**
 * The environment of an `lms` (or any) child process that reaches the target: this
 * process's, with the target's variables in place of whatever database it named.
 *
 * @example
 * ```ts
 * await promisify(execFile)(process.execPath, ['bin/lms.mjs', 'check'], { env: lmsEnv(t.env) });
 * ```
 */
export const lmsEnv = (
  env: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> => {
  const result = { ...base };
  for (const name of TARGET_VARIABLES) delete result[name];
  return { ...result, ...env };
};

/**
 * Runs `lms` in this process against a test engine and prefix, capturing what it prints
 * (progress as log lines, as on a pipe). The target's `env` (a TestDb's: DynamoDB's
 * endpoint or PostgreSQL's URL) stands in for the shell's while the command runs.
 *
 * @example
 * ```ts
 * const { code, err } = await runLms(t, 'stats', '--dry-run');
 * ```
 */
export const runLms = async (
  target: { readonly env: Readonly<Record<string, string>>; readonly prefix: string },
  ...args: string[]
): Promise<CliRun> => runLmsWithEnv(target.env, '--prefix', target.prefix, ...args);

/**
 * Runs `lms` as an operator's shell with these variables would (`t.env`: the tables of a
 * test on either engine, `DATABASE_URL` included), capturing what it prints (progress as
 * log lines, as on a pipe). The process's environment is put back afterwards.
 *
 * @example
 * ```ts
 * const { code } = await runLmsWithEnv(t.env, 'export', '--out', dir);
 * ```
 */
export const runLmsWithEnv = async (
  env: Readonly<Record<string, string>>,
  ...args: string[]
): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const saved = new Map(TARGET_VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of TARGET_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  try {
    const code = await main(['node', 'lms', ...args], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      interactive: false,
    });
    return { code, out: out.join('\n'), err };
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};
