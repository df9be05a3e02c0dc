import type { AggregateProgressListener } from './progress.ts';

/**
 * Reads pages of a table, handing every item to `each` and reporting how many were read,
 * so a scan of a big table shows progress and never holds more than the caller keeps.
 *
 * @example
 * ```ts
 * await readTable('student_marks', db.student_marks.pages({}, { scan: true }), (mark) => tasks.push(mark), onProgress);
 * ```
 */
export const readTable = async <T>(
  table: string,
  pages: AsyncIterable<readonly T[]>,
  each: (item: T) => void,
  onProgress: AggregateProgressListener | undefined,
): Promise<number> => {
  let items = 0;
  for await (const page of pages) {
    for (const item of page) each(item);
    items += page.length;
    onProgress?.({ phase: 'read', table, items, done: false });
  }
  onProgress?.({ phase: 'read', table, items, done: true });
  return items;
};
