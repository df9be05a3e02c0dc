import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryDb } from '../../src/adapters/memory/db.ts';
import { type Config, ConfigError } from '../../src/config/config.ts';
import { handle as studentProgress } from '../../src/functions/student_progress/main.ts';
import type { Db } from '../../src/repositories/db.ts';
import { deployedStage, lambdaHandle } from '../../src/runtime/lambda.ts';
import type { CoreRuntime, HandlerFactory } from '../../src/runtime/runtime.ts';
import { bodyOf, claimsFor, studentProgressEvent } from '../support/events.ts';
import { captureLogLines } from '../support/log-lines.ts';

/** A function whose handle answers with the table prefix of the runtime it was given. */
const prefixOf: HandlerFactory<string> = (runtime) => async () => runtime().config.tablePrefix;

/**
 * A connection that counts how often Lambda asks for one (a memory Db: nothing here
 * reaches a table).
 */
const countingConnect = () => {
  const connected: Config[] = [];
  const { db } = createMemoryDb();
  return {
    connected,
    db,
    connect: (config: Config) => {
      connected.push(config);
      return { db };
    },
  };
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A function that records one metric and flushes, as the frames do. */
const recordsOne: HandlerFactory<string> = (runtime) => async () => {
  runtime().metrics.record('RecordsProcessed', 5);
  runtime().metrics.flush();
  return 'done';
};

/** What is written on standard output meanwhile. */
const captureStdout = (): string[] => {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
};

describe('lambdaHandle: a function as deployed', () => {
  it('reads the environment on the first invocation and keeps it for the container', async () => {
    const handle = lambdaHandle('calc_all_stats', prefixOf, countingConnect().connect);
    // Importing and creating the handle reads nothing: the first invocation does.
    vi.stubEnv('LMS_TABLE_PREFIX', 'one-');
    expect(await handle({})).toBe('one-');
    vi.stubEnv('LMS_TABLE_PREFIX', 'two-');
    expect(await handle({})).toBe('one-');
    // Another container (another module instance) reads it afresh.
    expect(await lambdaHandle('calc_all_stats', prefixOf, countingConnect().connect)({})).toBe(
      'two-',
    );
  });

  it('connects the Db of a function with tables once per container, from its configuration', async () => {
    const { connected, connect, db } = countingConnect();
    const dbOf: HandlerFactory<Db> = (runtime) => async () => runtime().db;
    const handle = lambdaHandle('calc_all_stats', dbOf, connect);
    expect(connected).toEqual([]);
    vi.stubEnv('LMS_TABLE_PREFIX', 'one-');
    expect(await handle({})).toBe(db);
    expect(await handle({})).toBe(db);
    expect(connected.map((config) => config.tablePrefix)).toEqual(['one-']);
  });

  it('gives a function without tables a runtime without a Db', async () => {
    const keys: HandlerFactory<string[], CoreRuntime> = (runtime) => async () =>
      Object.keys(runtime()).sort();
    expect(await lambdaHandle('pre_token_generation', keys)({})).toEqual([
      'config',
      'logger',
      'metrics',
      'now',
    ]);
  });

  it('fails the invocation on a bad environment, naming the variable, and retries later', async () => {
    const handle = lambdaHandle('calc_all_stats', prefixOf, countingConnect().connect);
    vi.stubEnv('LOG_LEVEL', 'chatty');
    await expect(handle({})).rejects.toBeInstanceOf(ConfigError);
    await expect(handle({})).rejects.toThrow(/LOG_LEVEL/);
    vi.stubEnv('LOG_LEVEL', 'warn');
    vi.stubEnv('LMS_TABLE_PREFIX', 'fixed-');
    expect(await handle({})).toBe('fixed-');
  });

  it('lets an HTTP function answer a bad environment with a JSON error, never a stack trace', async () => {
    vi.stubEnv('LMS_TIMEZONE', 'Mars/Olympus');
    // The failure is logged at ERROR, as it must be in Lambda: captured here, so a run of
    // the suite does not print an ERROR line that is expected.
    const lines = captureLogLines();
    const reply = await studentProgress(studentProgressEvent('s-1', claimsFor('admin', 'admin')));
    const errors = lines.filter((line) => line.includes('"level":"ERROR"'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('LMS_TIMEZONE');
    expect(reply.statusCode).toBe(500);
    expect(bodyOf(reply)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: expect.any(String) },
    });
    expect(reply.body).not.toContain('at ');
  });

  it('emits EMF on standard output in Lambda, its stage from the deployed function name', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'prod-calc_all_stats');
    const written = captureStdout();
    expect(await lambdaHandle('calc_all_stats', recordsOne, countingConnect().connect)({})).toBe(
      'done',
    );
    const documents = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toEqual([
      expect.objectContaining({
        service: 'calc_all_stats',
        stage: 'prod',
        RecordsProcessed: 5,
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'lms-lambdas' })],
        }),
      }),
    ]);
  });

  it('keeps standard output clean outside Lambda (a main.ts run by a test)', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    vi.stubEnv('LOG_LEVEL', 'error');
    const written = captureStdout();
    expect(await lambdaHandle('calc_all_stats', recordsOne, countingConnect().connect)({})).toBe(
      'done',
    );
    expect(written).toEqual([]);
  });
});

describe('deployedStage', () => {
  it('is the prefix the stack gives function names, or the whole name of anything else', () => {
    expect(deployedStage('prod-record_answers', 'record_answers')).toBe('prod');
    expect(deployedStage('my-dev-2-calc_all_stats', 'calc_all_stats')).toBe('my-dev-2');
    expect(deployedStage('renamed-by-hand', 'calc_all_stats')).toBe('renamed-by-hand');
    expect(deployedStage('-calc_all_stats', 'calc_all_stats')).toBe('-calc_all_stats');
  });
});
