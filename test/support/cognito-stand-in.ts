/**
 * A stand-in for Cognito's `AdminGetUser` on a local port, so the real SDK client (its
 * request signing, JSON 1.1 protocol and error parsing) runs against something, as the
 * fault proxy does for DynamoDB. It knows users by pool and name and answers what Cognito
 * answers: the user's `UserMFASettingList`, or `UserNotFoundException`.
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-server.ts';

export interface StandInUser {
  readonly pool: string;
  readonly username: string;
  /** `UserMFASettingList`: the MFA methods enabled (Cognito omits the list when empty). */
  readonly mfa: readonly string[];
}

export interface SeenRequest {
  readonly target: string;
  readonly body: Record<string, unknown>;
}

export class CognitoStandIn {
  readonly seen: SeenRequest[] = [];
  users: readonly StandInUser[];
  /** When set, every request is answered with this HTTP status (an outage). */
  failWith: number | undefined;
  #server: Server | undefined;
  #endpoint: string | undefined;

  constructor(users: readonly StandInUser[] = []) {
    this.users = users;
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
        const reply = (status: number, payload: unknown) => {
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(JSON.stringify(payload));
        };
        if (this.failWith !== undefined) {
          reply(this.failWith, { __type: 'InternalErrorException', message: 'stand-in outage' });
          return;
        }
        if (target !== 'AWSCognitoIdentityProviderService.AdminGetUser') {
          reply(400, { __type: 'InvalidParameterException', message: `unexpected ${target}` });
          return;
        }
        const user = this.users.find(
          (candidate) => candidate.pool === body.UserPoolId && candidate.username === body.Username,
        );
        if (user === undefined) {
          reply(400, { __type: 'UserNotFoundException', message: 'User does not exist.' });
          return;
        }
        reply(200, {
          Username: user.username,
          UserAttributes: [],
          Enabled: true,
          UserStatus: 'CONFIRMED',
          ...(user.mfa.length > 0
            ? { UserMFASettingList: user.mfa, PreferredMfaSetting: user.mfa[0] }
            : {}),
        });
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
}
