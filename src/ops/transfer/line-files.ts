/**
 * JSON Lines files, streamed: written page by page, verified and read line by line, so
 * memory holds one page or a few lines, never a table.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { errorMessage } from '../../errors.ts';
import { ExportFileError } from './errors.ts';
import { writeAtomically } from './files.ts';

export interface FileDigest {
  /** Lines, one per item. */
  readonly items: number;
  readonly sha256: string;
}

/**
 * Writes pages of lines to `path`, each line ended by a newline. The file appears under its
 * name only once complete and flushed (temporary name, then rename); each page is written
 * before the next is pulled from `pages`, which is the backpressure on the reader.
 *
 * @example
 * ```ts
 * const { items, sha256 } = await writeLinesFile('backup/students.jsonl', store.scanLines('students'));
 * ```
 */
export const writeLinesFile = async (
  path: string,
  pages: AsyncIterable<readonly string[]>,
  onPage?: (itemsSoFar: number) => void,
): Promise<FileDigest> => {
  const hash = createHash('sha256');
  let items = 0;
  await writeAtomically(path, async (handle) => {
    for await (const page of pages) {
      if (page.length === 0) continue;
      const chunk = Buffer.from(`${page.join('\n')}\n`, 'utf8');
      hash.update(chunk);
      // On a file handle, writeFile continues at the current position and loops over
      // partial writes, which a bare `write` would leave to us.
      await handle.writeFile(chunk);
      items += page.length;
      onPage?.(items);
    }
  });
  return { items, sha256: hash.digest('hex') };
};

/**
 * The lines of a file, one at a time (readline pauses the file while the consumer works).
 *
 * @example
 * ```ts
 * for await (const line of readLines('backup/students.jsonl')) console.log(line.length);
 * ```
 */
export const readLines = (path: string): AsyncIterable<string> =>
  createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });

/**
 * Checks a file against what its manifest says before anything of it is written: the line
 * count, the SHA-256 of its bytes, and that every line is an item (`checkLine`). Throws
 * {@link ExportFileError} naming the file and the first problem; a count or checksum
 * mismatch is reported before a bad line, as it says more (truncated, or changed).
 *
 * @example
 * ```ts
 * await verifyLinesFile('backup/students.jsonl', 'students.jsonl', { items: 3, sha256 }, (line) => store.checkLine('students', line));
 * ```
 */
export const verifyLinesFile = async (
  path: string,
  file: string,
  expected: FileDigest,
  checkLine: (line: string) => void,
  onProgress?: (lines: number) => void,
): Promise<void> => {
  const refuse = (problem: string, cause?: unknown) =>
    new ExportFileError(file, `${problem}; the file is refused, nothing was written`, { cause });
  const hash = createHash('sha256');
  const source = createReadStream(path);
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  source.on('error', (error) => hashing.destroy(error));
  source.pipe(hashing);
  let lines = 0;
  let firstBad: string | undefined;
  try {
    for await (const line of createInterface({
      input: hashing,
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      lines += 1;
      if (firstBad === undefined) {
        try {
          checkLine(line);
        } catch (error) {
          firstBad = `line ${lines} is not an item of its table (${errorMessage(error)})`;
        }
      }
      if (lines % 10_000 === 0) onProgress?.(lines);
    }
  } catch (error) {
    throw refuse(`cannot be read (${errorMessage(error)})`, error);
  }
  onProgress?.(lines);
  if (lines !== expected.items) {
    throw refuse(
      `has ${lines} lines but the manifest lists ${expected.items} items (${lines < expected.items ? 'truncated' : 'lines added'}?)`,
    );
  }
  if (hash.digest('hex') !== expected.sha256) {
    throw new ExportFileError(
      file,
      'its SHA-256 differs from the manifest (changed since the export)',
    );
  }
  if (firstBad !== undefined) throw refuse(firstBad);
};
