import { main } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  /** Standard output, joined. */
  readonly out: string;
  /** Standard error, line by line (progress lines, warnings, the closing summary). */
  readonly err: string[];
}

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
): Promise<CliRun> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['node', 'lms', '--endpoint', target.endpoint, '--prefix', target.prefix, ...args],
    {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      interactive: false,
    },
  );
  return { code, out: out.join('\n'), err };
};
