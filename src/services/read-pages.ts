/**
 * The read every job's scan shares (stats, aggregates, check): pages of a table, each item
 * handed on as it arrives, a count, and progress after every page. One place, so a big
 * table shows progress the same way in every job and is never held whole by the reader.
 */

/** How far the read of one table has got; `done` once its last page is in. */
export interface ReadProgress {
  readonly phase: 'read';
  /** What is being read (`students`, `student_marks`, ...). */
  readonly table: string;
  /** Items read so far. */
  readonly items: number;
  readonly done: boolean;
}

/**
 * Reads every page of `pages`, handing each item to `each`; reports progress after each
 * page and once at the end, and returns how many items were read.
 *
 * @example
 * ```ts
 * const marks: StudentMark[] = [];
 * const read = await readPages(
 *   'student_marks',
 *   db.student_marks.pages({}, { scan: true }),
 *   (mark) => marks.push(mark),
 *   (event) => console.log(`${event.table}: ${event.items}${event.done ? ' (done)' : ''}`),
 * );
 * ```
 */
export const readPages = async <T>(
  table: string,
  pages: AsyncIterable<readonly T[]>,
  each: (item: T) => void,
  onProgress?: (event: ReadProgress) => void,
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
