import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { readPages } from '../read-pages.ts';

/**
 * The current word list of every module (the table is small: a few hundred modules of
 * 15-25 words), read once per run. An invalid module is skipped and reported; its answers
 * then count as those of a missing module.
 *
 * @example
 * ```ts
 * const words = await moduleWords(db, onInvalid);
 * words.get('m-01'); // ['apple', 'banana', ...]
 * ```
 */
export const moduleWords = async (
  db: Db,
  onInvalid: (error: InvalidStoredItemError) => void,
): Promise<Map<string, readonly string[]>> => {
  const words = new Map<string, readonly string[]>();
  await readPages(
    'modules',
    db.modules.pages({}, { scan: true, project: ['id', 'words'], onInvalid }),
    (module) => words.set(module.id, module.words),
  );
  return words;
};
