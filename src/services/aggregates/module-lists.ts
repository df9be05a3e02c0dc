/**
 * Word lists edited since the last roll-over. Per-module figures count only the words of
 * a module's current list, so an edited list changes the figures of every student who
 * answered in the module, with no new answer. The fold state keeps every word answered,
 * so those students' module figures are recomputed from it (the `module_id` index of
 * `student_state`), never from their answers.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../repositories/db.ts';

/** A short, stable fingerprint of a word list (`null`: the module record is missing). */
export const listFingerprint = (words: readonly string[] | undefined): string =>
  words === undefined
    ? 'missing'
    : createHash('sha256').update(JSON.stringify(words)).digest('base64url').slice(0, 22);

export const fingerprints = (moduleWords: ReadonlyMap<string, readonly string[]>) =>
  new Map([...moduleWords].map(([id, words]) => [id, listFingerprint(words)]));

/**
 * The modules whose list differs from the one recorded (a deleted module included).
 * Nothing recorded yet (the first roll-over): none, the lists are recorded from now on.
 *
 * @example
 * ```ts
 * changedModules(new Map([['m-1', 'abc']]), new Map([['m-1', 'xyz']])); // ['m-1']
 * ```
 */
export const changedModules = (
  recorded: ReadonlyMap<string, string> | undefined,
  current: ReadonlyMap<string, string>,
): string[] => {
  if (recorded === undefined) return [];
  const ids = new Set([...recorded.keys(), ...current.keys()]);
  return [...ids].filter(
    (id) => recorded.get(id) !== (current.get(id) ?? listFingerprint(undefined)),
  );
};

/**
 * The students with a fold part of a module (an index query per module, ids only).
 *
 * @example
 * ```ts
 * for await (const ids of studentsOfModule(db, 'm-1')) ...
 * ```
 */
export async function* studentsOfModule(db: Db, moduleId: string): AsyncIterable<string[]> {
  for await (const page of db.student_state.pages(
    { module_id: moduleId },
    { project: ['student_id', 'part'] },
  )) {
    yield page.map((item) => item.student_id);
  }
}
