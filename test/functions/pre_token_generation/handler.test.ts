/**
 * The Pre Token Generation trigger as Cognito runs it: Cognito's event in, the event with
 * its response out (or an error, which fails the sign-in), the user's MFA and the client's
 * flows read through the real SDK client (from the Cognito stand-in). A staff user without
 * TOTP gets no token at all; a role that is not spelled exactly is stripped, and such a
 * token gets 401 from the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoMfaLookup, createCognitoClient } from '../../../src/adapters/cognito/mfa-lookup.ts';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { createHandler as moduleResults } from '../../../src/functions/module_results/handler.ts';
import {
  createPreTokenHandler,
  preTokenEventSchema,
} from '../../../src/functions/pre_token_generation/handler.ts';
import { InvalidEventError } from '../../../src/jobs/errors.ts';
import { sampleEvent } from '../../../src/local/events/samples.ts';
import { StaffTokenRefusedError } from '../../../src/services/access/errors.ts';
import { APP_CLIENT, CognitoStandIn } from '../../support/cognito-stand-in.ts';
import { cognitoIdTokenClaims, lambdaContext, moduleResultsEvent } from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';

const POOL = 'ap-east-1_Ab12Cd34E';
const TOTP = 'SOFTWARE_TOKEN_MFA';

const cognito = new CognitoStandIn([
  { pool: POOL, username: 't-017', mfa: [TOTP] },
  { pool: POOL, username: 't-018', mfa: [] },
  { pool: POOL, username: 'admin-1', mfa: ['SMS_MFA'] },
  { pool: POOL, username: 'lms-app', mfa: [TOTP] },
]);
beforeAll(() => cognito.start());
afterAll(() => cognito.stop());

const handle = createPreTokenHandler(() =>
  cognitoMfaLookup(createCognitoClient({ endpoint: cognito.endpoint })),
)(() => testRuntime(createMemoryDb().db));

/** Cognito's version 1 event (the local sample's shape) for a user of the pool. */
const event = (
  username: string,
  role: string | undefined,
  triggerSource = 'TokenGeneration_Authentication',
) => {
  const sample = preTokenEventSchema.parse(sampleEvent('pre_token_generation'));
  const { 'custom:role': _sampleRole, ...attributes } = sample.request.userAttributes;
  return {
    ...sample,
    userPoolId: POOL,
    userName: username,
    triggerSource,
    request: {
      ...sample.request,
      userAttributes: { ...attributes, ...(role !== undefined ? { 'custom:role': role } : {}) },
    },
  };
};

const SUPPRESS_ROLE = { claimsOverrideDetails: { claimsToSuppress: ['custom:role'] } };

describe('pre_token_generation', () => {
  it('a teacher with TOTP enabled keeps the role; the lookups name the pool, the user and the client', async () => {
    cognito.seen.length = 0;
    const input = event('t-017', 'teacher');
    expect(await handle(input, lambdaContext('pre_token_generation'))).toEqual(input);
    expect(cognito.seen).toHaveLength(2);
    expect(cognito.seen).toEqual(
      expect.arrayContaining([
        {
          target: 'AWSCognitoIdentityProviderService.AdminGetUser',
          body: { UserPoolId: POOL, Username: 't-017' },
        },
        {
          target: 'AWSCognitoIdentityProviderService.DescribeUserPoolClient',
          body: { UserPoolId: POOL, ClientId: APP_CLIENT.clientId },
        },
      ]),
    );
  });

  it.each([
    ['teacher', 't-018', 'no MFA at all'],
    ['admin', 'admin-1', 'SMS, not TOTP'],
  ])(
    'a %s without TOTP (%s: %s) gets no token at all: the trigger fails',
    async (role, username) => {
      await expect(
        handle(event(username, role), lambdaContext('pre_token_generation')),
      ).rejects.toThrow(StaffTokenRefusedError);
    },
  );

  it('a refresh is held to the same rule (TOTP switched off since the sign-in)', async () => {
    const refresh = event('t-018', 'teacher', 'TokenGeneration_RefreshTokens');
    await expect(handle(refresh)).rejects.toThrow(StaffTokenRefusedError);
  });

  it('a device sign-in (which skips the MFA challenge) gets no staff token, TOTP or not', async () => {
    const device = event('t-017', 'teacher', 'TokenGeneration_AuthenticateDevice');
    await expect(handle(device)).rejects.toThrow(StaffTokenRefusedError);
  });

  it.each([' admin', 'admin ', 'teacher\t', '\nservice'])(
    'the role %j is no role: stripped from the token even for a user with TOTP',
    async (role) => {
      const input = event('t-017', role);
      expect(await handle(input)).toEqual({ ...input, response: SUPPRESS_ROLE });
    },
  );

  it('the service account with TOTP keeps its role', async () => {
    const input = event('lms-app', 'service');
    expect(await handle(input)).toEqual(input);
  });

  it.each(['student', 'parent'])(
    'a %s is not asked for MFA: the token passes unchanged, Cognito is not asked',
    async (role) => {
      cognito.seen.length = 0;
      const input = event('s-1', role);
      expect(await handle(input)).toEqual(input);
      expect(cognito.seen).toEqual([]);
    },
  );

  it('fails closed: an unknown user or an outage fails the sign-in instead of passing', async () => {
    await expect(handle(event('t-404', 'teacher'))).rejects.toThrow(/User does not exist/);
    cognito.failWith = 500;
    try {
      await expect(handle(event('t-017', 'teacher'))).rejects.toThrow();
    } finally {
      cognito.failWith = undefined;
    }
  });

  it('refuses an event that is not Cognito’s, naming the field', async () => {
    await expect(handle({ userName: 't-017' })).rejects.toThrow(InvalidEventError);
    await expect(handle({ userName: 't-017' })).rejects.toThrow(/userPoolId/);
  });

  it('the local sample event is one the trigger accepts', async () => {
    const sample = sampleEvent('pre_token_generation');
    expect(await handle(sample)).toEqual(sample);
  });

  it('a token stripped of its role gets 401 from the API', async () => {
    const { 'custom:role': _withheld, ...claims } = cognitoIdTokenClaims('teacher', 't-018');
    const reply = await moduleResults(() =>
      testRuntime(createMemoryDb().db, { env: { LMS_ID_CLAIM: 'cognito:username' } }),
    )(moduleResultsEvent('c-1', 'm-1', claims), lambdaContext('module_results'));
    expect(reply).toMatchObject({ statusCode: 401 });
  });
});
