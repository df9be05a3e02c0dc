/**
 * What a Powertools logger writes meanwhile, line by line (it writes ERROR lines to standard
 * error and the others to standard output, each one JSON object). Restored by
 * `vi.restoreAllMocks()`.
 */
import { vi } from 'vitest';

/**
 * @example
 * ```ts
 * const lines = captureLogLines();
 * await handle(event);
 * lines.filter((line) => line.includes('"level":"ERROR"'));
 * ```
 */
export const captureLogLines = (): string[] => {
  const lines: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      return true;
    });
  }
  return lines;
};
