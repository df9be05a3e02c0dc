/**
 * The metrics adapter over Powertools Metrics: what an EMF document holds, one document per
 * set of dimensions, a flush that forgets, and where the documents go (standard output in
 * Lambda only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../../infra/bundling.ts';
import { createMemoryDb } from '../../src/adapters/memory/db.ts';
import { loadConfig } from '../../src/config/config.ts';
import {
  createMetrics,
  type EmfOutput,
  METRICS,
  METRICS_NAMESPACE,
} from '../../src/observability/metrics.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { dimensionsOf } from '../support/metrics.ts';

const quiet = () => new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/** What is written on standard output meanwhile. */
const captureStdout = (): string[] => {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createMetrics', () => {
  it('flushes one EMF document per set of dimensions, with units, namespace, service and stage', () => {
    const documents: EmfOutput[] = [];
    const metrics = createMetrics('record_answers', {
      stage: 'prod',
      logger: quiet(),
      emit: (emf) => documents.push(emf),
    });
    metrics.record('AnswersAccepted', 3);
    metrics.record('AnswersDuplicate', 2);
    metrics.record('AnswersRejected', 7, { code: 'VALIDATION_FAILED' });
    metrics.record('RunDuration', 1250);
    expect(documents).toEqual([]);
    metrics.flush();

    expect(documents).toHaveLength(2);
    const [plain, byCode] = documents as [EmfOutput, EmfOutput];
    expect(plain).toMatchObject({
      service: 'record_answers',
      stage: 'prod',
      AnswersAccepted: 3,
      AnswersDuplicate: 2,
      RunDuration: 1250,
    });
    expect(plain._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [expect.arrayContaining(['service', 'stage'])],
        Metrics: [
          { Name: 'AnswersAccepted', Unit: 'Count' },
          { Name: 'AnswersDuplicate', Unit: 'Count' },
          { Name: 'RunDuration', Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(dimensionsOf(plain)).toEqual(['service', 'stage']);
    expect(byCode).toMatchObject({ code: 'VALIDATION_FAILED', AnswersRejected: 7 });
    expect(byCode).not.toHaveProperty('AnswersAccepted');
    expect(dimensionsOf(byCode)).toEqual(['code', 'service', 'stage']);

    // A flush forgets what it emitted, and an empty flush emits nothing.
    metrics.flush();
    expect(documents).toHaveLength(2);
    metrics.record('AnswersAccepted', 1);
    metrics.flush();
    expect(documents).toHaveLength(3);
    expect(documents[2]).not.toHaveProperty('code');
    expect(documents[2]).toMatchObject({ AnswersAccepted: 1 });
    expect(documents[2]).not.toHaveProperty('AnswersDuplicate');
  });

  it('writes EMF on standard output when asked to (Lambda), one JSON line per document', () => {
    const metrics = createMetrics('calc_all_stats', {
      stage: 'dev',
      logger: quiet(),
      emit: 'stdout',
    });
    const written = captureStdout();
    metrics.record('RecordsProcessed', 12);
    metrics.record('RecordsUpdated', 4, { phase: 'work' });
    metrics.flush();
    const lines = written.join('').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ service: 'calc_all_stats', stage: 'dev', RecordsProcessed: 12 }),
      expect.objectContaining({ phase: 'work', RecordsUpdated: 4 }),
    ]);
  });
});

describe('createRuntime', () => {
  it('never puts metrics on standard output by default (lms invoke keeps it for its result)', () => {
    const logged: unknown[] = [];
    const logger = new Logger({ serviceName: 'record_answers', logLevel: 'DEBUG' });
    vi.spyOn(logger, 'debug').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    const runtime = createRuntime('record_answers', loadConfig({}), {
      db: createMemoryDb().db,
      logger,
    });
    const written = captureStdout();
    runtime.metrics.record('AnswersAccepted', 2);
    runtime.metrics.flush();
    expect(written).toEqual([]);
    // The local tools show them at debug, on the logger (standard error).
    expect(logged).toEqual([
      ['metrics', { emf: expect.objectContaining({ stage: 'local', AnswersAccepted: 2 }) }],
    ]);
  });
});

describe('docs/deployment.md', () => {
  it('lists every metric with its unit in the Metrics table', () => {
    const docs = readFileSync(join(PROJECT_ROOT, 'docs/deployment.md'), 'utf8');
    const table = docs.slice(docs.indexOf('## Metrics'));
    for (const [name, unit] of Object.entries(METRICS)) {
      expect(table, name).toMatch(new RegExp(`\\| [^|\\n]*\`${name}\`[^|\\n]* \\| ${unit} \\|`));
    }
  });
});
