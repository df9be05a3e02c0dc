/**
 * Metrics a test can read back: the real adapter (`createMetrics`, Powertools' EMF
 * serialisation) with a sink that keeps each document, and look-ups by name and dimensions.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  createMetrics,
  type EmfOutput,
  type MetricName,
  type RunMetrics,
} from '../../src/observability/metrics.ts';

export interface CapturedMetrics {
  readonly metrics: RunMetrics;
  /** Every EMF document flushed so far. */
  readonly documents: EmfOutput[];
  /**
   * The values of a metric in the documents whose dimensions are exactly `service`, `stage`
   * and `dimensions`, in order of emission.
   */
  readonly values: (name: MetricName, dimensions?: Readonly<Record<string, string>>) => number[];
}

/** The dimension names an EMF document declares. */
export const dimensionsOf = (emf: EmfOutput): string[] =>
  (emf._aws.CloudWatchMetrics[0]?.Dimensions[0] ?? []).slice().sort();

/**
 * @example
 * ```ts
 * const captured = captureMetrics('record_answers');
 * const runtime = testRuntime(t.db, { metrics: captured.metrics });
 * captured.values('AnswersAccepted'); // [3]
 * ```
 */
export const captureMetrics = (service: string): CapturedMetrics => {
  const documents: EmfOutput[] = [];
  const metrics = createMetrics(service, {
    stage: 'test',
    logger: new Logger({ serviceName: service, logLevel: 'SILENT' }),
    emit: (emf) => documents.push(emf),
  });
  const values = (name: MetricName, dimensions: Readonly<Record<string, string>> = {}) => {
    const wanted = ['service', 'stage', ...Object.keys(dimensions)].sort();
    return documents
      .filter(
        (emf) =>
          JSON.stringify(dimensionsOf(emf)) === JSON.stringify(wanted) &&
          Object.entries(dimensions).every(([key, value]) => emf[key] === value) &&
          emf.service === service &&
          name in emf,
      )
      .flatMap((emf) => {
        const value = emf[name];
        return Array.isArray(value) ? value.map(Number) : [Number(value)];
      });
  };
  return { metrics, documents, values };
};
