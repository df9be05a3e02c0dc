/**
 * A stand-in for Cognito on a local port, so the real SDK client (its request signing,
 * JSON 1.1 protocol and error parsing) runs against something, as the fault proxy does for
 * DynamoDB. Over HTTP it answers what the trigger asks: `AdminGetUser` (the user's
 * `UserMFASettingList` and `PreferredMfaSetting`, or `UserNotFoundException`) and
 * `DescribeUserPoolClient` (the client's `ExplicitAuthFlows`, or `ResourceNotFoundException`).
 *
 * In process it also plays the user pool's side of signing in, as Cognito documents it for
 * a pool with OPTIONAL MFA and TOTP as the only factor, so that a sequence of sign-ins,
 * set-ups and refreshes can be run through the real trigger: a client allows only its
 * flows; a user with TOTP enabled gets a `SOFTWARE_TOKEN_MFA` challenge at every sign-in,
 * one without none; every issue of tokens (sign-in or refresh) runs the Pre Token
 * Generation trigger, whose error fails it and whose `claimsToSuppress` leaves claims out
 * of the ID token; a refresh token works only with the client that issued it, until the
 * user is signed out globally; TOTP is set up with an access token (AssociateSoftwareToken,
 * VerifySoftwareToken, SetUserMFAPreference). An authenticator is modelled by its secret:
 * the code it shows is {@link totpCode} of it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-server.ts';

export const STAND_IN_POOL = 'ap-east-1_Ab12Cd34E';
const TOTP = 'SOFTWARE_TOKEN_MFA';

/** The local sample event's client: the LMS app's (SRP, admin password auth). */
export const APP_CLIENT = {
  pool: STAND_IN_POOL,
  clientId: '6k2v0q8r1l3h5j7n9p4s2t6u8w',
  flows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
} as const;

/** The TOTP set-up client as the stack deploys it: IAM-signed sign-ins only. */
export const SETUP_CLIENT = {
  pool: STAND_IN_POOL,
  clientId: '3u1setupclient0q8r1l3h5j7n9',
  flows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
} as const;

export interface StandInUser {
  readonly pool: string;
  readonly username: string;
  /** `UserMFASettingList`: the MFA methods enabled (Cognito omits the list when empty). */
  mfa: readonly string[];
  /** `PreferredMfaSetting`; the first enabled method unless given. */
  preferred?: string | undefined;
  /** For the in-process sign-ins. */
  readonly password?: string;
  /** The user's attributes (`custom:role`, ...), as the trigger receives them. */
  attributes?: Record<string, string>;
  /** The secret of the verified authenticator, if any. */
  totpSecret?: string | undefined;
}

export interface StandInClient {
  readonly pool: string;
  readonly clientId: string;
  readonly flows: readonly string[];
}

export interface SeenRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** What an authenticator holding this secret shows. */
export const totpCode = (secret: string): string => `totp:${secret}`;

/** A refusal of the in-process flows, named as Cognito names its exceptions. */
export class StandInAuthError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'StandInAuthError';
    this.code = code;
  }
}

export interface IssuedTokens {
  /** The ID token's claims, after the trigger's suppressions. */
  readonly idToken: Readonly<Record<string, string>>;
  readonly accessToken: string;
  /** Only a sign-in issues one; a refresh does not. */
  readonly refreshToken?: string;
}

export type SignInResult =
  | { readonly tokens: IssuedTokens }
  | { readonly challenge: 'SOFTWARE_TOKEN_MFA'; readonly session: string };

/** The Pre Token Generation trigger, as Cognito calls it. */
export type PreTokenTrigger = (event: unknown) => Promise<unknown>;

interface Grant {
  readonly username: string;
  readonly clientId: string;
}

export class CognitoStandIn {
  readonly seen: SeenRequest[] = [];
  users: StandInUser[];
  clients: StandInClient[];
  /** When set, every request is answered with this HTTP status (an outage). */
  failWith: number | undefined;
  /** Runs at every issue of tokens of the in-process flows. */
  trigger: PreTokenTrigger | undefined;
  readonly #sessions = new Map<string, Grant>();
  readonly #accessTokens = new Map<string, Grant>();
  readonly #refreshTokens = new Map<string, Grant>();
  readonly #pendingSecrets = new Map<string, string>();
  #server: Server | undefined;
  #endpoint: string | undefined;

  constructor(
    users: readonly StandInUser[] = [],
    clients: readonly StandInClient[] = [APP_CLIENT, SETUP_CLIENT],
  ) {
    this.users = [...users];
    this.clients = [...clients];
  }

  get endpoint(): string {
    if (this.#endpoint === undefined) throw new Error('Cognito stand-in not started');
    return this.#endpoint;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const target = String(request.headers['x-amz-target'] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
        this.seen.push({ target, body });
        const [status, payload] = this.#answer(target, body);
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      });
    });
    this.#endpoint = await listenLocally(server);
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await closeServer(server);
  }

  #answer(target: string, body: Record<string, unknown>): [number, unknown] {
    if (this.failWith !== undefined) {
      return [this.failWith, { __type: 'InternalErrorException', message: 'stand-in outage' }];
    }
    if (target === 'AWSCognitoIdentityProviderService.DescribeUserPoolClient') {
      const client = this.clients.find(
        (candidate) => candidate.pool === body.UserPoolId && candidate.clientId === body.ClientId,
      );
      if (client === undefined) {
        return [
          400,
          { __type: 'ResourceNotFoundException', message: 'User pool client does not exist.' },
        ];
      }
      return [
        200,
        {
          UserPoolClient: {
            UserPoolId: client.pool,
            ClientId: client.clientId,
            ExplicitAuthFlows: client.flows,
          },
        },
      ];
    }
    if (target !== 'AWSCognitoIdentityProviderService.AdminGetUser') {
      return [400, { __type: 'InvalidParameterException', message: `unexpected ${target}` }];
    }
    const user = this.users.find(
      (candidate) => candidate.pool === body.UserPoolId && candidate.username === body.Username,
    );
    if (user === undefined) {
      return [400, { __type: 'UserNotFoundException', message: 'User does not exist.' }];
    }
    const preferred = 'preferred' in user ? user.preferred : user.mfa[0];
    return [
      200,
      {
        Username: user.username,
        UserAttributes: [],
        Enabled: true,
        UserStatus: 'CONFIRMED',
        ...(user.mfa.length > 0 ? { UserMFASettingList: user.mfa } : {}),
        ...(preferred !== undefined ? { PreferredMfaSetting: preferred } : {}),
      },
    ];
  }

  #user(username: string): StandInUser {
    const user = this.users.find((candidate) => candidate.username === username);
    if (user === undefined) throw new StandInAuthError('UserNotFoundException', username);
    return user;
  }

  #client(clientId: string): StandInClient {
    const client = this.clients.find((candidate) => candidate.clientId === clientId);
    if (client === undefined) throw new StandInAuthError('ResourceNotFoundException', clientId);
    return client;
  }

  /** InitiateAuth (`USER_SRP_AUTH`, its proof modelled by the password) or AdminInitiateAuth. */
  async signIn(
    clientId: string,
    flow: 'USER_SRP_AUTH' | 'ADMIN_USER_PASSWORD_AUTH',
    username: string,
    password: string,
  ): Promise<SignInResult> {
    const client = this.#client(clientId);
    if (!client.flows.includes(`ALLOW_${flow}`)) {
      throw new StandInAuthError(
        'InvalidParameterException',
        `${flow} is not enabled for this client`,
      );
    }
    const user = this.#user(username);
    if (user.password !== password) {
      throw new StandInAuthError('NotAuthorizedException', 'Incorrect username or password.');
    }
    if (user.mfa.includes(TOTP)) {
      const session = randomUUID();
      this.#sessions.set(session, { username, clientId });
      return { challenge: 'SOFTWARE_TOKEN_MFA', session };
    }
    return { tokens: await this.#issue(user, client, 'TokenGeneration_Authentication', true) };
  }

  /** RespondToAuthChallenge with `SOFTWARE_TOKEN_MFA_CODE`. */
  async answerTotp(session: string, code: string): Promise<IssuedTokens> {
    const grant = this.#sessions.get(session);
    if (grant === undefined)
      throw new StandInAuthError('NotAuthorizedException', 'Invalid session.');
    this.#sessions.delete(session);
    const user = this.#user(grant.username);
    if (user.totpSecret === undefined || code !== totpCode(user.totpSecret)) {
      throw new StandInAuthError('CodeMismatchException', 'Invalid code received for user');
    }
    return this.#issue(user, this.#client(grant.clientId), 'TokenGeneration_Authentication', true);
  }

  /** InitiateAuth with `REFRESH_TOKEN_AUTH`. */
  async refresh(clientId: string, refreshToken: string): Promise<IssuedTokens> {
    const grant = this.#refreshTokens.get(refreshToken);
    if (grant === undefined || grant.clientId !== clientId) {
      throw new StandInAuthError('NotAuthorizedException', 'Invalid Refresh Token');
    }
    const user = this.#user(grant.username);
    return this.#issue(user, this.#client(clientId), 'TokenGeneration_RefreshTokens', false);
  }

  /** AssociateSoftwareToken: a new secret, not in use until verified. */
  associateSoftwareToken(accessToken: string): string {
    const { username } = this.#signedIn(accessToken);
    const secret = randomUUID();
    this.#pendingSecrets.set(username, secret);
    return secret;
  }

  /** VerifySoftwareToken: the new authenticator replaces any earlier one. */
  verifySoftwareToken(accessToken: string, code: string): void {
    const { username } = this.#signedIn(accessToken);
    const pending = this.#pendingSecrets.get(username);
    if (pending === undefined || code !== totpCode(pending)) {
      throw new StandInAuthError('EnableSoftwareTokenMFAException', 'Code mismatch');
    }
    this.#pendingSecrets.delete(username);
    this.#user(username).totpSecret = pending;
  }

  /** SetUserMFAPreference: TOTP enabled and preferred (it needs a verified authenticator). */
  enableTotp(accessToken: string): void {
    const user = this.#user(this.#signedIn(accessToken).username);
    if (user.totpSecret === undefined) {
      throw new StandInAuthError('InvalidParameterException', 'no verified software token');
    }
    user.mfa = [TOTP];
    user.preferred = TOTP;
  }

  /** AdminUserGlobalSignOut: every refresh and access token of the user stops working. */
  globalSignOut(username: string): void {
    for (const tokens of [this.#refreshTokens, this.#accessTokens]) {
      for (const [token, grant] of tokens) if (grant.username === username) tokens.delete(token);
    }
  }

  #signedIn(accessToken: string): Grant {
    const grant = this.#accessTokens.get(accessToken);
    if (grant === undefined)
      throw new StandInAuthError('NotAuthorizedException', 'Invalid Access Token');
    return grant;
  }

  async #issue(
    user: StandInUser,
    client: StandInClient,
    triggerSource: string,
    withRefreshToken: boolean,
  ): Promise<IssuedTokens> {
    const attributes = user.attributes ?? {};
    let suppress: readonly string[] = [];
    if (this.trigger !== undefined) {
      let reply: unknown;
      try {
        reply = await this.trigger({
          version: '1',
          triggerSource,
          region: 'ap-east-1',
          userPoolId: user.pool,
          userName: user.username,
          callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: client.clientId },
          request: {
            userAttributes: { ...attributes },
            groupConfiguration: {
              groupsToOverride: [],
              iamRolesToOverride: [],
              preferredRole: null,
            },
          },
          response: { claimsOverrideDetails: null },
        });
      } catch (error) {
        // Cognito's answer to a trigger that fails: no tokens at all.
        throw new StandInAuthError(
          'UserLambdaValidationException',
          `PreTokenGeneration failed with error ${error instanceof Error ? error.message : String(error)}.`,
        );
      }
      suppress = suppressedBy(reply);
    }
    const idToken = Object.fromEntries(
      Object.entries({
        ...attributes,
        'cognito:username': user.username,
        aud: client.clientId,
        token_use: 'id',
      }).filter(([claim]) => !suppress.includes(claim)),
    );
    const grant = { username: user.username, clientId: client.clientId };
    const accessToken = randomUUID();
    this.#accessTokens.set(accessToken, grant);
    if (!withRefreshToken) return { idToken, accessToken };
    const refreshToken = randomUUID();
    this.#refreshTokens.set(refreshToken, grant);
    return { idToken, accessToken, refreshToken };
  }
}

/** The claims a trigger's reply suppresses (`response.claimsOverrideDetails.claimsToSuppress`). */
const suppressedBy = (reply: unknown): readonly string[] => {
  const response = (reply as { response?: { claimsOverrideDetails?: unknown } } | undefined)
    ?.response;
  const details = response?.claimsOverrideDetails as
    | { claimsToSuppress?: unknown }
    | null
    | undefined;
  const claims = details?.claimsToSuppress;
  return Array.isArray(claims)
    ? claims.filter((claim): claim is string => typeof claim === 'string')
    : [];
};
