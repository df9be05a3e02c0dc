import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';

describe('progress as log lines (no terminal)', () => {
  it('logs a task at most once per interval, and always when it finishes', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = createProgress({
      interactive: false,
      log: (line) => lines.push(line),
      logEveryMs: 1000,
      clock: () => now,
    });
    progress.update('students read', 100);
    now = 500;
    progress.update('students read', 200);
    now = 1000;
    progress.update('students read', 300);
    progress.update('stats written', 5, 20);
    progress.finish('students read');
    now = 1200;
    progress.update('stats written', 20, 20);
    progress.finish('stats written');
    progress.stop();
    expect(lines).toEqual([
      'students read: 100',
      'students read: 300',
      'stats written: 5/20 (25%)',
      'stats written: 20/20 (100%)',
    ]);
  });
});
