import { describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../../../src/services/access/principal.ts';
import {
  decideToken,
  isAdminOnlyClient,
  STAFF_ROLES,
  TOTP_MFA,
  type TokenRequest,
  type UserMfaLookup,
} from '../../../src/services/access/staff-mfa.ts';

const APP = ['ALLOW_USER_SRP_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const SETUP = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/** The port over fixed tables of users' settings and clients' flows; remembers who was asked for. */
const lookupOf = (
  users: Record<string, { enabled: readonly string[]; preferred?: string }>,
  clients: Record<string, readonly string[]> = { app: APP, setup: SETUP },
) => {
  const asked: string[] = [];
  const lookup: UserMfaLookup = {
    mfaSettings: async (pool, username) => {
      asked.push(`${pool}/${username}`);
      const user = users[username];
      return { enabled: user?.enabled ?? [], preferred: user?.preferred };
    },
    clientAuthFlows: async (pool, clientId) => {
      asked.push(`${pool}/client ${clientId}`);
      return clients[clientId] ?? [];
    },
  };
  return { lookup, asked };
};

const request = (
  username: string,
  role?: string,
  options: { clientId?: string; triggerSource?: string } = {},
): TokenRequest => ({
  userPoolId: 'pool-1',
  username,
  clientId: options.clientId ?? 'app',
  triggerSource: options.triggerSource ?? 'TokenGeneration_Authentication',
  attributes: role === undefined ? {} : { 'custom:role': role },
});

const WITH_TOTP = { enabled: [TOTP_MFA], preferred: TOTP_MFA };

describe('staff TOTP decision', () => {
  it('staff are exactly admin, teacher and service: the roles that read other families’ data', () => {
    expect([...STAFF_ROLES].sort()).toEqual(['admin', 'service', 'teacher']);
    expect(ROLE_NAMES.filter((role) => !STAFF_ROLES.includes(role)).sort()).toEqual([
      'parent',
      'student',
    ]);
  });

  it.each(STAFF_ROLES)(
    '%s: kept with TOTP enabled and preferred; without, no token at all (refused, not stripped)',
    async (role) => {
      const { lookup } = lookupOf({
        'with-totp': WITH_TOTP,
        'sms-only': { enabled: ['SMS_MFA'], preferred: 'SMS_MFA' },
        'not-preferred': { enabled: [TOTP_MFA] },
      });
      expect(await decideToken(lookup, request('with-totp', role))).toEqual({ kind: 'issue' });
      expect(await decideToken(lookup, request('sms-only', role))).toEqual({
        kind: 'refuse',
        role,
        reason: `${role} sms-only has no TOTP MFA enabled`,
      });
      for (const username of ['not-preferred', 'none']) {
        expect(await decideToken(lookup, request(username, role))).toMatchObject({
          kind: 'refuse',
        });
      }
    },
  );

  it.each([
    'TokenGeneration_Authentication',
    'TokenGeneration_HostedAuth',
    'TokenGeneration_RefreshTokens',
  ])('%s of a staff user with TOTP keeps the role', async (triggerSource) => {
    const { lookup } = lookupOf({ t: WITH_TOTP });
    expect(await decideToken(lookup, request('t', 'teacher', { triggerSource }))).toEqual({
      kind: 'issue',
    });
  });

  it.each([
    'TokenGeneration_AuthenticateDevice',
    'TokenGeneration_NewPasswordChallenge',
    'TokenGeneration_SomethingNew',
    '',
  ])(
    '%s (no MFA challenge known behind it) is refused a staff token, Cognito not even asked',
    async (triggerSource) => {
      const { lookup, asked } = lookupOf({ t: WITH_TOTP });
      expect(await decideToken(lookup, request('t', 'admin', { triggerSource }))).toMatchObject({
        kind: 'refuse',
        role: 'admin',
      });
      expect(asked).toEqual([]);
    },
  );

  it('a set-up session never carries a staff role, with TOTP or without, refreshed or not', async () => {
    const { lookup } = lookupOf({ t: WITH_TOTP });
    for (const username of ['t', 'none']) {
      for (const triggerSource of [
        'TokenGeneration_Authentication',
        'TokenGeneration_RefreshTokens',
      ]) {
        expect(
          await decideToken(
            lookup,
            request(username, 'teacher', { clientId: 'setup', triggerSource }),
          ),
        ).toEqual({
          kind: 'strip-role',
          role: 'teacher',
          reason: `teacher ${username}: a TOTP set-up session carries no role`,
        });
      }
    }
  });

  it('the set-up client is one whose only sign-in is IAM-signed admin password auth', () => {
    expect(isAdminOnlyClient(SETUP)).toBe(true);
    expect(isAdminOnlyClient(['ALLOW_ADMIN_USER_PASSWORD_AUTH'])).toBe(true);
    expect(isAdminOnlyClient(APP)).toBe(false);
    expect(isAdminOnlyClient(['ALLOW_REFRESH_TOKEN_AUTH'])).toBe(false);
    expect(isAdminOnlyClient(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH'])).toBe(false);
    expect(isAdminOnlyClient([])).toBe(false);
  });

  it.each(['parent', 'student', undefined])(
    'role %s: issued unchanged without asking Cognito (no staff role to withhold)',
    async (role) => {
      const { lookup, asked } = lookupOf({});
      expect(await decideToken(lookup, request('u-1', role))).toEqual({ kind: 'issue' });
      expect(asked).toEqual([]);
    },
  );

  it.each([' admin', 'admin ', 'teacher\t', '\nservice', ' parent', 'Student', 'janitor'])(
    'role %j is no role: stripped from the token, whatever the user’s MFA (deny by default)',
    async (role) => {
      const { lookup } = lookupOf({ 'u-1': WITH_TOTP });
      expect(await decideToken(lookup, request('u-1', role))).toEqual({
        kind: 'strip-role',
        role,
        reason: `${JSON.stringify(role)} is not a role (roles are spelled exactly)`,
      });
    },
  );
});
