import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const lms = async (...args: string[]) => {
  const err: string[] = [];
  const out: string[] = [];
  const code = await main(['node', 'lms', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('lms usage errors exit 2, as the README promises', () => {
  it.each([
    [['check', '--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['tables', 'drop'], /unknown command 'drop'/],
    [['aggregate', 'teachers'], /'teachers' is invalid/],
    [['aggregate'], /missing required argument 'target'/],
    [['stats', '--concurrency', 'many'], /expected a whole number >= 1/],
    [['seed', '--size', 'huge'], /argument 'huge' is invalid/],
    [['token', '--role', 'teacher'], /--id <id>/],
    [['import'], /required option '--from <dir>'/],
    [[], /Usage: lms/],
  ])('lms %j', async (args, message) => {
    const { code, err } = await lms(...args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('help still exits 0', async () => {
    const { code, out } = await lms('--help');
    expect(code).toBe(0);
    expect(out).toContain('--aws');
  });
});
