/**
 * One measurement: wall time, DynamoDB requests and consumed capacity (from the request
 * metrics middleware) or PostgreSQL statements and rows (`bench/pg-counter.ts`), and the
 * peak growth of the JS heap while it ran.
 */
import type { Counter } from './context.ts';

export interface Measurement<T> {
  readonly value: T;
  readonly ms: number;
  readonly requests: number;
  readonly writes: number;
  readonly byCommand: Record<string, number>;
  readonly readCapacity: number;
  readonly writeCapacity: number;
  /** PostgreSQL: rows returned by SELECTs (0 on DynamoDB). */
  readonly rowsRead: number;
  /** PostgreSQL: rows inserted, updated or deleted (0 on DynamoDB). */
  readonly rowsWritten: number;
  /** Peak heap above the heap at the start, in MB (sampled every 5 ms after a GC). */
  readonly peakHeapMb: number;
  /**
   * With `liveHeapEveryMs`: the peak of the heap right after a full GC, forced at that
   * interval (what the run holds, its garbage left out), above the heap at the start, in MB.
   */
  readonly peakLiveHeapMb?: number;
}

export interface MeasureOptions {
  /** Also sample the live heap (a forced GC, then the heap used) at this interval. */
  readonly liveHeapEveryMs?: number;
  /**
   * Time and count only (`peakHeapMb` is then 0): no full GC forced before the run and no
   * heap sampled during it. For short runs compared by time (a request of 20 ms): a forced
   * full GC leaves its sweeping to background threads that run during the timed request,
   * and each heap sample reads the process's memory figures, costs no request in a Lambda
   * pays, and which weigh most on the run that allocates most.
   */
  readonly timeOnly?: boolean;
}

const gc = (): void => {
  const collect: unknown = Reflect.get(globalThis, 'gc');
  if (typeof collect === 'function') collect();
};

export const measure = async <T>(
  counter: Counter,
  run: () => Promise<T>,
  options: MeasureOptions = {},
): Promise<Measurement<T>> => {
  const heap = options.timeOnly !== true;
  if (heap) gc();
  const baseline = heap ? process.memoryUsage().heapUsed : 0;
  let peak = baseline;
  let livePeak = baseline;
  const sampler = heap
    ? setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 5)
    : undefined;
  const every = heap ? options.liveHeapEveryMs : undefined;
  const liveSampler =
    every === undefined
      ? undefined
      : setInterval(() => {
          gc();
          livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
        }, every);
  counter.reset();
  const started = performance.now();
  try {
    const value = await run();
    const ms = performance.now() - started;
    if (heap) peak = Math.max(peak, process.memoryUsage().heapUsed);
    const snapshot = counter.snapshot();
    return {
      value,
      ms,
      requests: snapshot.requests,
      writes: snapshot.writes,
      byCommand: snapshot.byCommand,
      readCapacity: snapshot.readCapacity,
      writeCapacity: snapshot.writeCapacity,
      rowsRead: snapshot.rowsRead ?? 0,
      rowsWritten: snapshot.rowsWritten ?? 0,
      peakHeapMb: (peak - baseline) / 1024 / 1024,
      ...(every === undefined ? {} : { peakLiveHeapMb: (livePeak - baseline) / 1024 / 1024 }),
    };
  } finally {
    if (sampler !== undefined) clearInterval(sampler);
    if (liveSampler !== undefined) clearInterval(liveSampler);
  }
};

/** The median of repeated runs by time (the machines are noisy; one run proves little). */
export const medianBy = <T extends { ms: number }>(runs: readonly T[]): T => {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new RangeError('no runs');
  return middle;
};

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};
