import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../../src/services/access/errors.ts';
import { principalFromClaims, ROLES } from '../../../src/services/access/principal.ts';

describe('principalFromClaims', () => {
  it('reads sub and custom:role', () => {
    for (const role of Object.values(ROLES)) {
      expect(principalFromClaims({ sub: 'x-1', 'custom:role': role, iss: 'i' })).toEqual({
        sub: 'x-1',
        role,
      });
    }
  });

  it('is unauthenticated without claims, sub or role', () => {
    for (const claims of [
      undefined,
      null,
      {},
      { sub: 'x-1' },
      { 'custom:role': 'admin' },
      { sub: '', 'custom:role': 'admin' },
      { sub: 'x-1', 'custom:role': ' ' },
      { sub: 7, 'custom:role': 'admin' },
    ]) {
      expect(() => principalFromClaims(claims)).toThrow(UnauthenticatedError);
    }
  });

  it('forbids a role it does not know, spelled exactly', () => {
    expect(() => principalFromClaims({ sub: 'x', 'custom:role': 'janitor' })).toThrow(
      ForbiddenError,
    );
    expect(() => principalFromClaims({ sub: 'x', 'custom:role': 'Admin' })).toThrow(ForbiddenError);
  });
});
