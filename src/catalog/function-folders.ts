/**
 * The catalogue and `src/functions/` must name the same functions: a catalogued function
 * without its folder would silently not be deployed or served, a folder without an entry
 * would never be triggered. `npm run synth`, the local stack and a test all check it.
 *
 * Separate from `functions.ts` because it reads the file system, which no Lambda bundle
 * should import.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LmsError } from '../errors.ts';
import { functionNames } from './functions.ts';

/** `src/functions/` of this checkout. */
export const FUNCTIONS_DIR = fileURLToPath(new URL('../functions/', import.meta.url));

/** What every function folder holds: the Lambda entry and the event → service code. */
export const FUNCTION_FILES = ['main.ts', 'handler.ts'] as const;

export class CatalogueMismatchError extends LmsError {
  readonly code = 'CATALOGUE_MISMATCH';

  constructor(readonly problems: readonly string[]) {
    super(`the function catalogue and src/functions/ disagree: ${problems.join('; ')}`);
  }
}

/**
 * Every disagreement between the catalogue and the folders of `dir`, one sentence each
 * naming the function; empty when they agree.
 *
 * @example
 * ```ts
 * functionFolderProblems(); // []
 * // after renaming src/functions/record_answers to recordAnswers:
 * // ['record_answers is in the catalogue (src/catalog/functions.ts) but src/functions/record_answers/ is missing',
 * //  'src/functions/recordAnswers/ has no entry in the catalogue (src/catalog/functions.ts)']
 * ```
 */
export const functionFolderProblems = (
  dir: string = FUNCTIONS_DIR,
  names: readonly string[] = functionNames,
): string[] => {
  const folders = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
    : [];
  const problems: string[] = [];
  for (const name of names) {
    if (!folders.includes(name)) {
      problems.push(
        `${name} is in the catalogue (src/catalog/functions.ts) but src/functions/${name}/ is missing`,
      );
      continue;
    }
    for (const file of FUNCTION_FILES) {
      if (!existsSync(join(dir, name, file)))
        problems.push(`${name}: src/functions/${name}/${file} is missing`);
    }
  }
  for (const folder of folders) {
    if (!names.includes(folder))
      problems.push(
        `src/functions/${folder}/ has no entry in the catalogue (src/catalog/functions.ts)`,
      );
  }
  return problems;
};

/** Throws a `CatalogueMismatchError` naming every disagreement. */
export const assertFunctionFolders = (dir: string = FUNCTIONS_DIR): void => {
  const problems = functionFolderProblems(dir);
  if (problems.length > 0) throw new CatalogueMismatchError(problems);
};
