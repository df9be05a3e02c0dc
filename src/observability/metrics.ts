/**
 * Custom metrics in CloudWatch's Embedded Metric Format (EMF), written by Powertools for
 * AWS Lambda Metrics. The ONE catalogue of what the functions emit ({@link METRICS}); the
 * runtime hands each invocation a {@link RunMetrics}, the frames and handlers record into
 * it, and the frame flushes it once per invocation (also when the invocation fails).
 *
 * Where the EMF documents go is the runtime's choice: in Lambda, standard output (which
 * CloudWatch Logs turns into metrics); everywhere else a {@link MetricSink} (the local
 * tools' logger, a test's array), because `lms invoke` keeps standard output for its
 * result JSON.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import type { Logger } from './logger.ts';

/** The CloudWatch namespace of every custom metric (docs/deployment.md, "Metrics"). */
export const METRICS_NAMESPACE = 'lms-lambdas';

/**
 * Every custom metric and its unit; what each counts is the "Metrics" table of
 * docs/deployment.md (a test keeps the two in step). Dimensions are always `service` (the
 * function) and `stage`; some recordings add one (`code`, `phase`).
 */
export const METRICS = {
  /** `record_answers`, a 200: answers stored. */
  AnswersAccepted: MetricUnit.Count,
  /** `record_answers`, a 200: answers already stored (client retries). */
  AnswersDuplicate: MetricUnit.Count,
  /** `record_answers`, a 4xx: the answers of the refused request, by `code`. */
  AnswersRejected: MetricUnit.Count,
  /** `record_answers`, a 4xx: 1, by `code`. */
  AnswerRequestsRejected: MetricUnit.Count,
  /** A job run (or a worker, `phase=work`): records, students or parents computed. */
  RecordsProcessed: MetricUnit.Count,
  /** Of those, written because they changed. */
  RecordsUpdated: MetricUnit.Count,
  /** Of those, not finished (the run then fails). */
  RecordsFailed: MetricUnit.Count,
  /** 1 for a run that failed or threw, 0 for one that succeeded. */
  RunsFailed: MetricUnit.Count,
  /** A whole run, first step to summary. */
  RunDuration: MetricUnit.Milliseconds,
  /** A workflow's plan: the workers (shards) of the run. */
  ShardsPlanned: MetricUnit.Count,
  /** A workflow's plan: 1 when another run held the lease (this one does nothing). */
  RunsSkippedBusy: MetricUnit.Count,
  /** A worker: 1 when it stopped before its shard was done (invoked again from its cursor). */
  ShardContinuations: MetricUnit.Count,
  /** A worker invocation of a workflow. */
  WorkDuration: MetricUnit.Milliseconds,
} as const;

export type MetricName = keyof typeof METRICS;

/** Dimensions a recording adds to `service` and `stage`. */
export type ExtraDimensions = Readonly<Record<string, string>>;

/**
 * What a frame or handler records into; one per runtime, flushed once per invocation.
 *
 * @example
 * ```ts
 * metrics.record('AnswersAccepted', 3);
 * metrics.record('AnswersRejected', 5, { code: 'VALIDATION_FAILED' });
 * metrics.flush(); // one EMF document per set of dimensions
 * ```
 */
export interface RunMetrics {
  record(name: MetricName, value: number, dimensions?: ExtraDimensions): void;
  /** Emits what was recorded since the last flush, then forgets it. */
  flush(): void;
}

/** Where the EMF documents go outside Lambda. */
export type MetricSink = (emf: EmfOutput) => void;

export interface MetricsOptions {
  /** The deployment stage (a dimension); outside AWS, `local`. */
  readonly stage: string;
  /** Powertools' own warnings go here (never to standard output). */
  readonly logger: Logger;
  /** Where the documents go; `stdout`: EMF on standard output, as Lambda wants it. */
  readonly emit: 'stdout' | MetricSink;
}

interface Recorded {
  readonly name: MetricName;
  readonly value: number;
  readonly dimensions: ExtraDimensions;
}

const dimensionKey = (dimensions: ExtraDimensions): string =>
  JSON.stringify(Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * A function's metrics over Powertools Metrics.
 *
 * Recordings are buffered here rather than in Powertools' own store because an EMF document
 * has one set of dimensions: Powertools would put `code` on every metric of the flush.
 * Each set of extra dimensions becomes its own document, serialised by Powertools. A
 * document holds a handful of metrics, each recorded once, far below the 100 metrics or
 * values at which Powertools would publish on its own (to standard output, sink or not).
 *
 * @example
 * ```ts
 * const metrics = createMetrics('record_answers', { stage: 'prod', logger, emit: 'stdout' });
 * const captured: EmfOutput[] = [];
 * const local = createMetrics('record_answers', { stage: 'local', logger, emit: (emf) => captured.push(emf) });
 * ```
 */
export const createMetrics = (service: string, options: MetricsOptions): RunMetrics => {
  const powertools = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: service,
    defaultDimensions: { stage: options.stage },
    logger: options.logger,
  });
  let recorded: Recorded[] = [];
  const emit = (): void => {
    if (options.emit === 'stdout') {
      powertools.publishStoredMetrics();
      return;
    }
    try {
      options.emit(powertools.serializeMetrics());
    } finally {
      powertools.clearMetrics();
      powertools.clearDimensions();
    }
  };
  return {
    record(name, value, dimensions = {}) {
      recorded.push({ name, value, dimensions });
    },
    flush() {
      const groups = new Map<string, Recorded[]>();
      for (const entry of recorded) {
        const key = dimensionKey(entry.dimensions);
        groups.set(key, [...(groups.get(key) ?? []), entry]);
      }
      recorded = [];
      for (const entries of groups.values()) {
        const first = entries[0];
        if (first === undefined) continue;
        powertools.addDimensions({ ...first.dimensions });
        for (const entry of entries) {
          powertools.addMetric(entry.name, METRICS[entry.name], entry.value);
        }
        emit();
      }
    },
  };
};

/**
 * A sink for the local tools: each document at `debug` on the function's logger (standard
 * error), so `LOG_LEVEL=debug lms invoke ...` shows what Lambda would have emitted.
 */
export const logSink =
  (logger: Logger): MetricSink =>
  (emf) =>
    logger.debug('metrics', { emf });

export type { EmfOutput };
