/**
 * Issue 20, item 1, played through: the sign-ins, set-ups and refreshes of the Cognito
 * stand-in, each issue of tokens running the real trigger (its lookups over the real SDK
 * client). The review's sequence: someone holds teacher t-017's password before TOTP is set
 * up, signs in with it alone and keeps the refresh token; the teacher then sets TOTP up;
 * the old refresh token must not yield a teacher token. And before set-up, whoever holds
 * the password must not be able to register an authenticator of their own.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cognitoMfaLookup, createCognitoClient } from '../../../src/adapters/cognito/mfa-lookup.ts';
import { createMemoryDb } from '../../../src/adapters/memory/db.ts';
import { createHandler as moduleResults } from '../../../src/functions/module_results/handler.ts';
import { createPreTokenHandler } from '../../../src/functions/pre_token_generation/handler.ts';
import {
  APP_CLIENT,
  CognitoStandIn,
  type IssuedTokens,
  SETUP_CLIENT,
  type SignInResult,
  STAND_IN_POOL,
  totpCode,
} from '../../support/cognito-stand-in.ts';
import { lambdaContext, moduleResultsEvent } from '../../support/events.ts';
import { testRuntime } from '../../support/runtime.ts';

const PASSWORD = 'Correct-Horse-42';
const app = APP_CLIENT.clientId;
const setup = SETUP_CLIENT.clientId;

const cognito = new CognitoStandIn();
beforeAll(async () => {
  await cognito.start();
  cognito.trigger = createPreTokenHandler(() =>
    cognitoMfaLookup(createCognitoClient({ endpoint: cognito.endpoint })),
  )(() => testRuntime(createMemoryDb().db));
});
afterAll(() => cognito.stop());

/** An administrator's new teacher: role set, password known, no authenticator yet. */
beforeEach(() => {
  cognito.users = [
    {
      pool: STAND_IN_POOL,
      username: 't-017',
      password: PASSWORD,
      mfa: [],
      preferred: undefined,
      attributes: { 'custom:role': 'teacher' },
    },
    {
      pool: STAND_IN_POOL,
      username: 's-1',
      password: PASSWORD,
      mfa: [],
      preferred: undefined,
      attributes: { 'custom:role': 'student' },
    },
  ];
});

const tokensOf = (result: SignInResult): IssuedTokens => {
  if (!('tokens' in result))
    throw new Error(`expected tokens, got a ${result.challenge} challenge`);
  return result.tokens;
};

const refused = { code: 'UserLambdaValidationException' };

/** An administrator's set-up (docs/deployment.md): a session of the set-up client, opened with IAM credentials. */
const adminSetUp = async (username: string): Promise<{ secret: string; setupRefresh: string }> => {
  const session = tokensOf(
    await cognito.signIn(setup, 'ADMIN_USER_PASSWORD_AUTH', username, PASSWORD),
  );
  expect(session.idToken).not.toHaveProperty('custom:role');
  const secret = cognito.associateSoftwareToken(session.accessToken);
  // The staff member's phone scans the secret and shows its code.
  cognito.verifySoftwareToken(session.accessToken, totpCode(secret));
  cognito.enableTotp(session.accessToken);
  if (session.refreshToken === undefined) throw new Error('a sign-in issues a refresh token');
  return { secret, setupRefresh: session.refreshToken };
};

/** A sign-in to the app client answered with the code of the authenticator holding `secret`. */
const signInWithTotp = async (username: string, secret: string): Promise<IssuedTokens> => {
  const challenged = await cognito.signIn(app, 'USER_SRP_AUTH', username, PASSWORD);
  if (!('challenge' in challenged)) throw new Error('expected a TOTP challenge');
  return cognito.answerTotp(challenged.session, totpCode(secret));
};

describe('a staff role only from a TOTP-answered session (issue 20)', () => {
  it('the password alone before set-up gets no token at all, so no refresh token to keep', async () => {
    for (const flow of ['USER_SRP_AUTH', 'ADMIN_USER_PASSWORD_AUTH'] as const) {
      await expect(cognito.signIn(app, flow, 't-017', PASSWORD)).rejects.toMatchObject(refused);
    }
  });

  it('the review’s sequence: set-up after a password-only attempt leaves nothing that refreshes into a teacher token', async () => {
    // The attacker's attempt with the password alone: refused, nothing kept.
    await expect(cognito.signIn(app, 'USER_SRP_AUTH', 't-017', PASSWORD)).rejects.toMatchObject(
      refused,
    );
    // The administrator's set-up with the teacher. Its own session is the only
    // password-only one there ever was, and it never carries the role, refreshed or not.
    const { secret, setupRefresh } = await adminSetUp('t-017');
    const refreshedSetup = await cognito.refresh(setup, setupRefresh);
    expect(refreshedSetup.idToken).not.toHaveProperty('custom:role');
    // Nor can its refresh token be spent at the app client, whose tokens the API accepts.
    await expect(cognito.refresh(app, setupRefresh)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });

    // The teacher: challenged, answers the code, gets the role, refreshed too.
    const signedIn = await signInWithTotp('t-017', secret);
    expect(signedIn.idToken).toMatchObject({ 'custom:role': 'teacher', aud: app });
    const refreshed = await cognito.refresh(app, signedIn.refreshToken ?? '');
    expect(refreshed.idToken).toMatchObject({ 'custom:role': 'teacher' });

    // The attacker now: the password leads to a challenge only, and a guess fails.
    const challenged = await cognito.signIn(app, 'USER_SRP_AUTH', 't-017', PASSWORD);
    expect(challenged).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA' });
    if (!('challenge' in challenged)) throw new Error('expected a challenge');
    await expect(cognito.answerTotp(challenged.session, totpCode('guess'))).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
  });

  it('before set-up, the password alone cannot register an authenticator: no session to do it in', async () => {
    // The app client refuses the session an access token would come from...
    await expect(cognito.signIn(app, 'USER_SRP_AUTH', 't-017', PASSWORD)).rejects.toMatchObject(
      refused,
    );
    // ...and the set-up client takes no password sign-in a user can make (only IAM-signed).
    await expect(cognito.signIn(setup, 'USER_SRP_AUTH', 't-017', PASSWORD)).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });

  it('TOTP switched off (a lost phone): the teacher’s refresh token stops working', async () => {
    const { secret } = await adminSetUp('t-017');
    const signedIn = await signInWithTotp('t-017', secret);
    const user = cognito.users.find((candidate) => candidate.username === 't-017');
    if (user === undefined) throw new Error('no t-017');
    user.mfa = [];
    user.preferred = undefined;
    await expect(cognito.refresh(app, signedIn.refreshToken ?? '')).rejects.toMatchObject(refused);
  });

  it('a teacher token from a TOTP session is the API’s teacher; a student signs in with the password alone', async () => {
    const { secret } = await adminSetUp('t-017');
    const { idToken } = await signInWithTotp('t-017', secret);
    const reply = await moduleResults(() =>
      testRuntime(createMemoryDb().db, { env: { LMS_ID_CLAIM: 'cognito:username' } }),
    )(moduleResultsEvent('c-1', 'm-1', { ...idToken }), lambdaContext('module_results'));
    // The teacher is known as a teacher (403: not this class's teacher), not 401.
    expect(reply).toMatchObject({ statusCode: 403 });

    const student = tokensOf(await cognito.signIn(app, 'USER_SRP_AUTH', 's-1', PASSWORD));
    expect(student.idToken).toMatchObject({ 'custom:role': 'student' });
  });
});
