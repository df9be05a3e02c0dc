import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../../src/services/access/errors.ts';
import {
  parseRole,
  principalFromClaims,
  ROLE_NAMES,
  ROLES,
} from '../../../src/services/access/principal.ts';

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

  it('is unauthenticated with an id that cannot be a key', () => {
    for (const sub of ['p-1\ud800', 'p-1\u0000', 'p'.repeat(2049), 'é'.repeat(1025)]) {
      expect(() => principalFromClaims({ sub, 'custom:role': 'parent' })).toThrow(
        'claim is not a usable LMS id',
      );
    }
    expect(
      principalFromClaims({ sub: 'p'.repeat(2048), 'custom:role': 'parent' }).sub,
    ).toHaveLength(2048);
  });

  it('reads the LMS id from the configured claim, as from a Cognito ID token', () => {
    const claims = {
      sub: 'd2f50444-0041-7036-aea2-a955fca33d37',
      'cognito:username': 's-1',
      'custom:role': 'student',
      token_use: 'id',
    };
    expect(principalFromClaims(claims, 'cognito:username')).toEqual({
      sub: 's-1',
      role: 'student',
    });
    // The default reads `sub`: Cognito's UUID, which matches no LMS id.
    expect(principalFromClaims(claims).sub).toBe('d2f50444-0041-7036-aea2-a955fca33d37');
  });

  it('is unauthenticated without the configured id claim, whatever else is there', () => {
    for (const claims of [
      { sub: 'd2f50444-0041-7036-aea2-a955fca33d37', 'custom:role': 'student' },
      { sub: 'x', 'cognito:username': '', 'custom:role': 'student' },
      { sub: 'x', 'cognito:username': '  ', 'custom:role': 'student' },
    ]) {
      expect(() => principalFromClaims(claims, 'cognito:username')).toThrow(UnauthenticatedError);
    }
  });

  it.each([' admin', 'admin ', 'teacher\t', '\nservice', ' student '])(
    'forbids the padded role %j (403, the role quoted so the stray character shows): roles are not trimmed',
    (role) => {
      expect(() => principalFromClaims({ sub: 'x', 'custom:role': role })).toThrow(ForbiddenError);
      expect(() => principalFromClaims({ sub: 'x', 'custom:role': role })).toThrow(
        `role ${JSON.stringify(role)} may not use this API`,
      );
    },
  );

  it('forbids a role it does not know, spelled exactly', () => {
    expect(() => principalFromClaims({ sub: 'x', 'custom:role': 'janitor' })).toThrow(
      ForbiddenError,
    );
    expect(() => principalFromClaims({ sub: 'x', 'custom:role': 'Admin' })).toThrow(ForbiddenError);
  });
});

describe('parseRole: the one reading of custom:role (the API and the trigger)', () => {
  it('is exactly one of the roles, nothing trimmed or folded', () => {
    for (const role of ROLE_NAMES) expect(parseRole(role)).toBe(role);
    for (const value of [' admin', 'admin ', 'teacher\t', '\nservice', 'Admin', '', undefined, 7]) {
      expect(parseRole(value)).toBeUndefined();
    }
  });
});
