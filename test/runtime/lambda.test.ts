import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/config.ts';
import { handle as studentProgress } from '../../src/functions/student_progress/main.ts';
import { lambdaHandle } from '../../src/runtime/lambda.ts';
import type { HandlerFactory } from '../../src/runtime/runtime.ts';
import { bodyOf, claimsFor, studentProgressEvent } from '../support/events.ts';

/** A function whose handle answers with the table prefix of the runtime it was given. */
const prefixOf: HandlerFactory<string> = (runtime) => async () => runtime().config.tablePrefix;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('lambdaHandle: a function as deployed', () => {
  it('reads the environment on the first invocation and keeps it for the container', async () => {
    const handle = lambdaHandle('calc_all_stats', prefixOf);
    // Importing and creating the handle reads nothing: the first invocation does.
    vi.stubEnv('LMS_TABLE_PREFIX', 'one-');
    expect(await handle({})).toBe('one-');
    vi.stubEnv('LMS_TABLE_PREFIX', 'two-');
    expect(await handle({})).toBe('one-');
    // Another container (another module instance) reads it afresh.
    expect(await lambdaHandle('calc_all_stats', prefixOf)({})).toBe('two-');
  });

  it('fails the invocation on a bad environment, naming the variable, and retries later', async () => {
    const handle = lambdaHandle('calc_all_stats', prefixOf);
    vi.stubEnv('LOG_LEVEL', 'chatty');
    await expect(handle({})).rejects.toBeInstanceOf(ConfigError);
    await expect(handle({})).rejects.toThrow(/LOG_LEVEL/);
    vi.stubEnv('LOG_LEVEL', 'warn');
    vi.stubEnv('LMS_TABLE_PREFIX', 'fixed-');
    expect(await handle({})).toBe('fixed-');
  });

  it('lets an HTTP function answer a bad environment with a JSON error, never a stack trace', async () => {
    vi.stubEnv('LMS_TIMEZONE', 'Mars/Olympus');
    const reply = await studentProgress(studentProgressEvent('s-1', claimsFor('admin', 'admin')));
    expect(reply.statusCode).toBe(500);
    expect(bodyOf(reply)).toEqual({
      error: { code: 'INTERNAL_ERROR', message: expect.any(String) },
    });
    expect(reply.body).not.toContain('at ');
  });
});
