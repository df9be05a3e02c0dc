import type { Readable } from 'node:stream';

/**
 * The last lines a child wrote, for error messages. A child's pipes must be drained anyway
 * (a full pipe blocks the JVM), and keeping only a bounded tail means a long-running engine
 * cannot grow memory with its logs.
 *
 * @example
 * ```ts
 * const tail = new OutputTail(50);
 * tail.attach(child.stderr, 'stderr');
 * child.once('exit', () => console.error(tail.format()));
 * ```
 */
export class OutputTail {
  readonly #max: number;
  readonly #lines: string[] = [];
  // A chunk can end mid-line; the rest of that line arrives with the next chunk.
  readonly #partial = new Map<string, string>();

  constructor(max = 50) {
    this.#max = max;
  }

  /** Drains `stream` into the tail, each line prefixed with `label`. */
  attach(stream: Readable | null | undefined, label: string): void {
    if (!stream) return;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(label, chunk));
    stream.once('end', () => this.flush(label));
  }

  /** Adds raw text from `label`; only complete lines are kept until {@link flush}. */
  push(label: string, text: string): void {
    const pieces = ((this.#partial.get(label) ?? '') + text).split(/\r?\n/);
    this.#partial.set(label, pieces.pop() ?? '');
    for (const line of pieces) this.#add(label, line);
  }

  /** Keeps a trailing line that never got its newline (the stream ended). */
  flush(label: string): void {
    const rest = this.#partial.get(label);
    this.#partial.delete(label);
    if (rest) this.#add(label, rest);
  }

  /** The kept lines, oldest first. */
  lines(): readonly string[] {
    return [...this.#lines];
  }

  /** The kept lines as one indented block, or a note that there were none. */
  format(): string {
    if (this.#lines.length === 0) return '  (no output)';
    return this.#lines.map((line) => `  ${line}`).join('\n');
  }

  #add(label: string, line: string): void {
    if (line.trim() === '') return;
    this.#lines.push(`[${label}] ${line}`);
    if (this.#lines.length > this.#max) this.#lines.splice(0, this.#lines.length - this.#max);
  }
}
