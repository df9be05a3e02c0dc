import { describe, expect, it } from 'vitest';
import { errorMessage, errorStack } from '../src/errors.ts';

describe('errorMessage', () => {
  it("is an Error's message", () => {
    expect(errorMessage(new Error('table not found'))).toBe('table not found');
  });

  it('is the text of anything else thrown', () => {
    expect(errorMessage('timeout')).toBe('timeout');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

describe('errorStack', () => {
  it("is an Error's stack, which starts with its message", () => {
    expect(errorStack(new Error('boom'))).toMatch(/^Error: boom\n\s+at /);
  });

  it('falls back to the message of an Error without a stack', () => {
    const error = new Error('no stack');
    error.stack = undefined;
    expect(errorStack(error)).toBe('no stack');
  });

  it('is the text of anything else thrown', () => {
    expect(errorStack('timeout')).toBe('timeout');
  });
});
