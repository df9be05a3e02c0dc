import { main } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  /** Standard output, joined. */
  readonly out: string;
  /** Standard error, line by line (progress lines, warnings, the closing summary). */
  readonly err: string[];
}

const captured = async (args: readonly string[]): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'lms', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    interactive: false,
  });
  return { code, out: out.join('\n'), err };
};

/**
 * Runs `lms` in this process against a test engine and prefix, capturing what it prints
 * (progress as log lines, as on a pipe).
 *
 * @example
 * ```ts
 * const { code, err } = await runLms(t, 'stats', '--dry-run');
 * ```
 */
export const runLms = async (
  target: { readonly endpoint: string; readonly prefix: string },
  ...args: string[]
): Promise<CliRun> => captured(['--endpoint', target.endpoint, '--prefix', target.prefix, ...args]);

/** The variables that choose the tables; the shell of {@link runLmsWithEnv} has only the given ones. */
const ENGINE_VARIABLES = ['DYNAMODB_ENDPOINT', 'DATABASE_URL', 'LMS_TABLE_PREFIX'] as const;

/**
 * Runs `lms` as an operator's shell with these variables would (`t.env`: the tables of a
 * test on either engine, `DATABASE_URL` included), capturing what it prints. The process's
 * environment is put back afterwards.
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
  const saved = { ...process.env };
  for (const name of ENGINE_VARIABLES) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await captured(args);
  } finally {
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) delete process.env[name];
    }
    Object.assign(process.env, saved);
  }
};
