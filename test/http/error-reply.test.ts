import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_REPLY_LIMITS, errorReply, HTTP_STATUS_BY_CODE } from '../../src/http/error-reply.ts';
import {
  InvalidJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../../src/http/errors.ts';
import { InvalidStoredItemError } from '../../src/repositories/errors.ts';
import { ForbiddenError } from '../../src/services/access/errors.ts';
import {
  AnswersRateLimitedError,
  AnswersValidationError,
} from '../../src/services/answers/errors.ts';
import { bodyOf } from '../support/events.ts';

const quiet = () => new Logger({ serviceName: 'test', logLevel: 'SILENT' });

describe('errorReply', () => {
  it('maps each client error to its status and { error: { code, message } }', () => {
    const reply = errorReply(new ForbiddenError('not allowed to see this class'), quiet());
    expect(reply.statusCode).toBe(403);
    expect(reply.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(bodyOf(reply)).toEqual({
      error: { code: 'FORBIDDEN', message: 'not allowed to see this class' },
    });
    expect(errorReply(new InvalidJsonError('x'), quiet()).statusCode).toBe(400);
    expect(errorReply(new PayloadTooLargeError('x'), quiet()).statusCode).toBe(413);
    expect(errorReply(new UnsupportedMediaTypeError('x'), quiet()).statusCode).toBe(400);
    expect(new Set(Object.values(HTTP_STATUS_BY_CODE))).toEqual(
      new Set([400, 401, 403, 404, 409, 413, 429]),
    );
  });

  it('a rate-limited request gets 429 with Retry-After in whole seconds', () => {
    const reply = errorReply(new AnswersRateLimitedError(['s-1', 's-2'], 600, 18), quiet());
    expect(reply.statusCode).toBe(429);
    expect(reply.headers).toEqual({
      'retry-after': '18',
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message:
          'at most 600 answers per student per minute: over it for s-1, s-2; retry after 18 s',
      },
    });
    // No other error carries it.
    expect(errorReply(new InvalidJsonError('x'), quiet()).headers).not.toHaveProperty(
      'retry-after',
    );
  });

  it('adds the details a client can act on', () => {
    const issues = [{ index: 2, field: 'correct', message: 'must be true or false' }];
    expect(bodyOf(errorReply(new AnswersValidationError(issues), quiet()))).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'invalid request: answers[2].correct: must be true or false',
        details: issues,
      },
    });
  });

  it('caps details at 20, counts the rest, and cuts every echoed string: the reply stays small', () => {
    const issues = Array.from({ length: 150_000 }, (_, i) => ({
      index: null,
      field: `k${i}`,
      message: 'is not a known field',
    }));
    const huge = { index: 0, field: 'x'.repeat(1_000_000), message: 'is not a known field' };
    const reply = errorReply(new AnswersValidationError([huge, ...issues]), quiet());
    expect(reply.statusCode).toBe(400);
    const body = bodyOf(reply) as {
      error: { message: string; details: { field: string }[]; details_omitted: number };
    };
    expect(body.error.details).toHaveLength(ERROR_REPLY_LIMITS.details);
    expect(body.error.details_omitted).toBe(150_001 - ERROR_REPLY_LIMITS.details);
    expect(body.error.details[0]?.field).toHaveLength(ERROR_REPLY_LIMITS.detailStringLength);
    expect(body.error.details[0]?.field.endsWith('…')).toBe(true);
    expect(body.error.details[1]).toEqual(issues[0]);
    expect(body.error.message.length).toBeLessThanOrEqual(ERROR_REPLY_LIMITS.messageLength);
    expect(Buffer.byteLength(reply.body ?? '')).toBeLessThan(64 * 1024);
    // within the limits, nothing is omitted or said to be
    const few = errorReply(new AnswersValidationError(issues.slice(0, 20)), quiet());
    expect(bodyOf(few)).not.toHaveProperty('error.details_omitted');
  });

  it('turns anything else into a 500 that reveals nothing, logging the error with its stack', () => {
    const logger = quiet();
    const logged = vi.spyOn(logger, 'error');
    for (const error of [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new InvalidStoredItemError('dev-answers', { student_id: 's-1' }, []),
      'a string',
    ]) {
      const reply = errorReply(error, logger);
      expect(reply.statusCode).toBe(500);
      expect(bodyOf(reply)).toEqual({
        error: {
          code: 'INTERNAL_ERROR',
          message: 'internal error; the request id identifies it in the logs',
        },
      });
      expect(reply.body).not.toMatch(/dev-answers|TypeError|at /);
    }
    expect(logged).toHaveBeenCalledTimes(3);
    expect(logged.mock.calls[0]?.[1]).toBeInstanceOf(TypeError);
  });
});
