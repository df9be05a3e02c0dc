/** The import checkpoint on disk: read once at the start, replaced atomically after each group. */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../lib/atomic-write.ts';
import { emptyState, type ImportState, parseImportState, stateText } from './checkpoint.ts';

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/**
 * The checkpoint at `path`, or an empty state if there is none yet.
 *
 * @example
 * ```ts
 * const state = await readImportState('backup/.import-state.json');
 * ```
 */
export const readImportState = async (path: string): Promise<ImportState> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return emptyState();
    throw error;
  }
  return parseImportState(text, path);
};

export const writeImportState = (path: string, state: ImportState): Promise<void> =>
  writeFileAtomic(path, stateText(state));
