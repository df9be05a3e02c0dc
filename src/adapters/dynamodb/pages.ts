/**
 * What the document client's reads (`Ddb`) and the low-level client's export scans share
 * once the SDK's paginators (`paginateQuery`, `paginateScan`) have followed
 * `LastEvaluatedKey`: the fan-out of a parallel scan, and turning response pages into
 * item pages or a count. Written once here so neither client re-implements the page loop.
 */
import { mergeAsync } from '../../lib/merge-async.ts';

/** The two request fields that make a scan read one segment of a parallel scan. */
export interface ScanSegment {
  readonly Segment: number;
  readonly TotalSegments: number;
}

/**
 * Runs `scanOne` once per segment and merges their pages as they arrive (in no particular
 * order); one segment, or fewer, is a plain scan (`scanOne(undefined)`).
 *
 * @example
 * ```ts
 * const pages = scanInSegments(4, (segment) =>
 *   paginateScan({ client }, { TableName: 'dev-answers', ...segment }),
 * );
 * ```
 */
export const scanInSegments = <Page>(
  segments: number,
  scanOne: (segment: ScanSegment | undefined) => AsyncGenerator<Page>,
): AsyncGenerator<Page> =>
  segments <= 1
    ? scanOne(undefined)
    : mergeAsync(
        Array.from({ length: segments }, (_, segment) =>
          scanOne({ Segment: segment, TotalSegments: segments }),
        ),
      );

/**
 * The items of each response page (an empty page stays an empty page: a filtered read
 * can return one with a continuation key).
 *
 * @example
 * ```ts
 * for await (const items of itemPages(paginateQuery({ client: doc }, { ...params }))) {
 *   console.log(items.length);
 * }
 * ```
 */
export async function* itemPages<T>(
  responses: AsyncIterable<{ readonly Items?: T[] | undefined }>,
): AsyncGenerator<T[]> {
  for await (const response of responses) yield response.Items ?? [];
}

/**
 * The sum of `Count` over every response page of a `Select: 'COUNT'` read.
 *
 * @example
 * ```ts
 * await countOf(paginateScan({ client: doc }, { TableName: 'dev-students', Select: 'COUNT' }));
 * ```
 */
export const countOf = async (
  responses: AsyncIterable<{ readonly Count?: number | undefined }>,
): Promise<number> => {
  let total = 0;
  for await (const response of responses) total += response.Count ?? 0;
  return total;
};
