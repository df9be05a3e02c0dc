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
 * Every custom metric: its unit and, for docs/deployment.md, what it counts. Dimensions are
 * always `service` (the function) and `stage`; some add one (`code`, `phase`).
 */
export const METRICS = {
  AnswersAccepted: { unit: MetricUnit.Count, what: 'answers stored by a 200 reply' },
  AnswersDuplicate: {
    unit: MetricUnit.Count,
    what: 'answers of a 200 reply that were already stored (client retries)',
  },
  AnswersRejected: {
    unit: MetricUnit.Count,
    what: 'answers in a request refused with a 4xx (nothing of it is stored); dimension `code`',
  },
  AnswerRequestsRejected: {
    unit: MetricUnit.Count,
    what: 'requests refused with a 4xx, by error `code` (bad JSON or a forbidden role carry 0 answers)',
  },
  RecordsProcessed: {
    unit: MetricUnit.Count,
    what: 'records (stats) or students / parents (aggregates) computed by a run',
  },
  RecordsUpdated: { unit: MetricUnit.Count, what: 'of those, written because they changed' },
  RecordsFailed: { unit: MetricUnit.Count, what: 'of those, not finished (the run then fails)' },
  RunsFailed: {
    unit: MetricUnit.Count,
    what: '1 for a run that failed or threw, 0 for one that succeeded',
  },
  RunDuration: { unit: MetricUnit.Milliseconds, what: 'a whole run, first step to summary' },
  ShardsPlanned: { unit: MetricUnit.Count, what: 'workers a workflow run was split into' },
  RunsSkippedBusy: {
    unit: MetricUnit.Count,
    what: '1 when a workflow run found another one holding the lease (it does nothing)',
  },
  ShardContinuations: {
    unit: MetricUnit.Count,
    what: '1 when a worker stopped before its shard was done (invoked again from its cursor)',
  },
  WorkDuration: { unit: MetricUnit.Milliseconds, what: 'one worker invocation of a workflow' },
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
          powertools.addMetric(entry.name, METRICS[entry.name].unit, entry.value);
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
