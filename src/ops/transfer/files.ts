/**
 * Files that are either complete or absent: written under a temporary name, flushed to
 * disk, then renamed over the final name (a rename within a directory is atomic), so a
 * crash never leaves a half-written manifest or checkpoint behind.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
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
 * @example
 * ```ts
 * await writeFileAtomic('backup/manifest.json', JSON.stringify(manifest));
 * ```
 */
export const writeFileAtomic = async (path: string, text: string): Promise<void> => {
  const temporary = temporaryName(path);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text, 'utf8');
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
};
