/**
 * The `@example` blocks of a source file that quote another file: those whose first line
 * is a comment naming it (`// src/functions/student_progress/handler.ts`). Such an example
 * is a copy, so it drifts when the file it copies changes; a test holds it to the file.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface QuotedExample {
  /** The quoted file, relative to the repository. */
  readonly file: string;
  /** The example's code after that first line, with whitespace runs made one space. */
  readonly code: string;
}

/** Whitespace runs as one space: a quote may wrap lines differently than the formatter. */
export const squeeze = (text: string): string => text.replace(/\s+/g, ' ').trim();

export const readRepoFile = (file: string): string => readFileSync(ROOT + file, 'utf8');

export const quotedExamples = (source: string): QuotedExample[] => {
  const text = readRepoFile(source);
  const blocks = [...text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)];
  return blocks.flatMap(([, body = '']) => {
    const lines = body.split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    const file = /^\/\/ (src\/\S+\.ts)$/.exec(lines[0] ?? '')?.[1];
    return file === undefined ? [] : [{ file, code: squeeze(lines.slice(1).join('\n')) }];
  });
};
