import { describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../../../src/services/access/principal.ts';
import {
  decideToken,
  STAFF_ROLES,
  TOTP_MFA,
  type TokenRequest,
  type UserMfaLookup,
} from '../../../src/services/access/staff-mfa.ts';

/** The port over a fixed table of users' enabled methods; remembers who was asked for. */
const lookupOf = (enabled: Record<string, readonly string[]>) => {
  const asked: string[] = [];
  const lookup: UserMfaLookup = {
    enabledMfa: async (pool, username) => {
      asked.push(`${pool}/${username}`);
      return enabled[username] ?? [];
    },
  };
  return { lookup, asked };
};

const request = (username: string, role?: string): TokenRequest => ({
  userPoolId: 'pool-1',
  username,
  attributes: role === undefined ? {} : { 'custom:role': role },
});

describe('staff TOTP decision', () => {
  it('staff are exactly admin, teacher and service: the roles that read other families’ data', () => {
    expect([...STAFF_ROLES].sort()).toEqual(['admin', 'service', 'teacher']);
    expect(ROLE_NAMES.filter((role) => !STAFF_ROLES.includes(role)).sort()).toEqual([
      'parent',
      'student',
    ]);
  });

  it.each(STAFF_ROLES)('%s: the role is kept with TOTP enabled, withheld without', async (role) => {
    const { lookup, asked } = lookupOf({ 'with-totp': [TOTP_MFA], 'sms-only': ['SMS_MFA'] });
    expect(await decideToken(lookup, request('with-totp', role))).toEqual({ kind: 'issue' });
    expect(await decideToken(lookup, request('sms-only', role))).toEqual({
      kind: 'strip-role',
      role,
      reason: `${role} sms-only has no TOTP MFA enabled`,
    });
    expect(await decideToken(lookup, request('none', role))).toMatchObject({ kind: 'strip-role' });
    expect(asked).toEqual(['pool-1/with-totp', 'pool-1/sms-only', 'pool-1/none']);
  });

  it.each(['parent', 'student', 'janitor', undefined])(
    'role %s: issued unchanged without asking Cognito (no staff role to withhold)',
    async (role) => {
      const { lookup, asked } = lookupOf({});
      expect(await decideToken(lookup, request('u-1', role))).toEqual({ kind: 'issue' });
      expect(asked).toEqual([]);
    },
  );
});
