/**
 * Files that are either complete or absent: written under a temporary name, flushed to
 * disk, then renamed over the final name (a rename within a directory is atomic), so a
 * crash never leaves a half-written manifest or checkpoint behind.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A sibling temporary name for `path` (same directory, so the rename stays atomic). */
export const temporaryName = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);

/** What {@link temporaryName} makes, and nothing a person would name a file. */
const TEMPORARY = /^\.[A-Za-z0-9_.-]+\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files a killed process left in a directory (a crash cannot clean
 * up after itself).
 *
 * @example
 * ```ts
 * await removeLeftovers('backup'); // ['.students.jsonl.4242-0a1b2c3d.tmp']
 * ```
 */
export const removeLeftovers = async (directory: string): Promise<string[]> => {
  const names = (await readdir(directory)).filter((name) => TEMPORARY.test(name));
  await Promise.all(names.map((name) => rm(join(directory, name), { force: true })));
  return names;
};

/**
 * Flushes a directory's entries (the rename itself) to disk. Best effort: some systems
 * cannot open a directory for that, and the data is flushed either way.
 */
export const syncDirectory = async (directory: string): Promise<void> => {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here (for example on Windows): the rename is still atomic.
  }
};

/**
 * Writes `path` through `write`, which gets the handle of a temporary sibling: the file
 * appears under its name only once `write` has finished and it is flushed; if anything
 * fails, the temporary file is removed and `path` is as it was.
 *
 * @example
 * ```ts
 * await writeAtomically('backup/notes.txt', (handle) => handle.writeFile('done', 'utf8'));
 * ```
 */
export const writeAtomically = async <T>(
  path: string,
  write: (handle: FileHandle) => Promise<T>,
): Promise<T> => {
  const temporary = temporaryName(path);
  let result: T;
  try {
    const handle = await open(temporary, 'w');
    try {
      result = await write(handle);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
  return result;
};

/**
 * @example
 * ```ts
 * await writeFileAtomic('backup/manifest.json', JSON.stringify(manifest));
 * ```
 */
export const writeFileAtomic = (path: string, text: string): Promise<void> =>
  writeAtomically(path, (handle) => handle.writeFile(text, 'utf8'));
