/**
 * The console's own requests under `/_console/` (not its static files): the demo identities
 * to sign in as, the token for one, and the navigation data of `directory.ts`. Answers are
 * plain `{ status, body }`, sent by the local API's server; errors are the API's
 * `{ error: { code, message } }`, and a missing or refused token the authorizer's 401.
 */
import * as z from 'zod';
import type { Db } from '../../repositories/db.ts';
import { ForbiddenError, UnauthenticatedError } from '../../services/access/errors.ts';
import {
  type Principal,
  principalFromClaims,
  ROLES,
  type Role,
} from '../../services/access/principal.ts';
import type { DevKeys } from '../aws/auth/dev-keys.ts';
import { signDevToken, verifyDevToken } from '../aws/auth/tokens.ts';
import { type DemoIdentities, demoLoginIds } from '../demo-identities.ts';
import { readDirectory, readOrganisation } from './directory.ts';

/** Where the console's requests live (its static files are under `assets/`). */
export const CONSOLE_PATH = '/_console/';

/** How long a console sign-in lasts: the banner's tokens' working day. */
const SESSION_SECONDS = 12 * 3600;

export interface ConsoleIdentity {
  readonly role: Role;
  readonly id: string;
  readonly name: string | null;
  readonly label: string;
  /** Where this identity starts in the console (a hash route). */
  readonly home: string;
}

export interface ConsoleRequest {
  readonly method: string;
  /** The path after `/_console/`: `identities`, `sign-in`, ... */
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

export interface ConsoleReply {
  readonly status: number;
  readonly body: unknown;
}

export interface ConsoleApiOptions {
  readonly db: Db;
  readonly keys: DevKeys;
  readonly idClaim: string;
  readonly demo: DemoIdentities;
  /** `LMS_TIMEZONE`: the console draws days as the aggregates count them. */
  readonly timezone: string;
}

const error = (status: number, code: string, message: string): ConsoleReply => ({
  status,
  body: { error: { code, message } },
});

const UNAUTHORIZED: ConsoleReply = { status: 401, body: { message: 'Unauthorized' } };

const signInSchema = z.strictObject({ role: z.string(), id: z.string() });

const hash = (...segments: readonly string[]) =>
  `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;

/**
 * The identities the console offers: the banner's, but the service user (it may only post
 * answers, so no view shows it anything), plus a teacher of another class, who sees the
 * API refuse the demo class.
 */
const identitiesOf = async (db: Db, demo: DemoIdentities): Promise<ConsoleIdentity[]> => {
  const ids = demoLoginIds(demo);
  const nameOf = async (role: Role, id: string): Promise<string | null> => {
    const options = { project: ['name'] as const, onInvalid: () => {} };
    if (role === ROLES.teacher) return (await db.teachers.find({ id }, options))?.name ?? null;
    if (role === ROLES.parent) return (await db.parents.find({ id }, options))?.name ?? null;
    if (role === ROLES.student) return (await db.students.find({ id }, options))?.name ?? null;
    return null;
  };
  const candidates: { role: Role; id: string | undefined; label: string; home: string }[] = [
    {
      role: ROLES.teacher,
      id: ids.teacher,
      label: 'demo teacher',
      home:
        demo.classCode !== undefined && demo.moduleId !== undefined
          ? hash('classes', demo.classCode, 'modules', demo.moduleId, 'results')
          : '#/classes',
    },
    {
      role: ROLES.parent,
      id: ids.parent,
      label: 'demo parent',
      home: ids.parent === undefined ? '#/' : hash('parents', ids.parent, 'summary'),
    },
    {
      role: ROLES.student,
      id: ids.student,
      label: 'demo student',
      home: ids.student === undefined ? '#/' : hash('students', ids.student, 'progress'),
    },
    { role: ROLES.admin, id: ids.admin, label: 'admin', home: '#/organisation' },
    { role: ROLES.teacher, id: demo.otherTeacherId, label: 'another teacher', home: '#/classes' },
  ];
  const identities: ConsoleIdentity[] = [];
  for (const candidate of candidates) {
    if (candidate.id === undefined) continue;
    const { id } = candidate;
    identities.push({ ...candidate, id, name: await nameOf(candidate.role, id) });
  }
  return identities;
};

/**
 * @example
 * ```ts
 * const api = new ConsoleApi({ db, keys, idClaim: 'cognito:username', demo });
 * await api.handle({ method: 'GET', path: 'identities', authorization: undefined, body });
 * // { status: 200, body: { identities: [{ role: 'teacher', id: 't-0001', ... }] } }
 * ```
 */
export class ConsoleApi {
  #identities: Promise<ConsoleIdentity[]> | undefined;

  constructor(private readonly options: ConsoleApiOptions) {}

  /** Read once: the identities are the stack's demo, fixed when it started. A failed read is tried again. */
  identities(): Promise<ConsoleIdentity[]> {
    if (this.#identities === undefined) {
      const reading = identitiesOf(this.options.db, this.options.demo);
      reading.catch(() => {
        if (this.#identities === reading) this.#identities = undefined;
      });
      this.#identities = reading;
    }
    return this.#identities;
  }

  async handle(request: ConsoleRequest): Promise<ConsoleReply> {
    const { method, path } = request;
    const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
    if (route === undefined)
      return error(404, 'NOT_FOUND', `no console route /_console/${path.slice(0, 100)}`);
    if (method !== route.method)
      return error(405, 'METHOD_NOT_ALLOWED', `${route.method} /_console/${path}`);
    return route.handle(this, request);
  }

  async signIn(body: Buffer): Promise<ConsoleReply> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return error(400, 'INVALID_JSON', 'the body must be JSON: { "role": "...", "id": "..." }');
    }
    const request = signInSchema.safeParse(parsed);
    if (!request.success)
      return error(400, 'INVALID_REQUEST', 'the body must be { "role": "...", "id": "..." }');
    const identity = (await this.identities()).find(
      (candidate) => candidate.role === request.data.role && candidate.id === request.data.id,
    );
    if (identity === undefined) {
      return error(
        404,
        'UNKNOWN_IDENTITY',
        `${request.data.role} ${request.data.id.slice(0, 100)} is not a demo identity of this stack (GET /_console/identities lists them)`,
      );
    }
    const token = await signDevToken(this.options.keys, {
      id: identity.id,
      role: identity.role,
      idClaim: this.options.idClaim,
      ttlSeconds: SESSION_SECONDS,
    });
    return {
      status: 200,
      body: {
        token,
        role: identity.role,
        id: identity.id,
        expires_at: new Date(Date.now() + SESSION_SECONDS * 1000).toISOString(),
        timezone: this.options.timezone,
      },
    };
  }

  /** The principal of a bearer token the stack signed, as the API's authorizer checks it. */
  async principal(authorization: string | undefined): Promise<Principal | undefined> {
    const token = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();
    if (token === '') return undefined;
    const verified = await verifyDevToken(this.options.keys, token);
    if (!verified.ok) return undefined;
    try {
      return principalFromClaims(verified.claims, this.options.idClaim);
    } catch (cause) {
      if (cause instanceof UnauthenticatedError) return undefined;
      throw cause;
    }
  }

  async authenticated(
    request: ConsoleRequest,
    read: (principal: Principal) => Promise<unknown>,
  ): Promise<ConsoleReply> {
    let principal: Principal | undefined;
    try {
      principal = await this.principal(request.authorization);
    } catch (cause) {
      if (cause instanceof ForbiddenError) return error(403, cause.code, cause.message);
      throw cause;
    }
    if (principal === undefined) return UNAUTHORIZED;
    try {
      return { status: 200, body: await read(principal) };
    } catch (cause) {
      if (cause instanceof ForbiddenError) return error(403, cause.code, cause.message);
      throw cause;
    }
  }

  get db(): Db {
    return this.options.db;
  }
}

const ROUTES: Readonly<
  Record<
    string,
    {
      readonly method: string;
      readonly handle: (api: ConsoleApi, request: ConsoleRequest) => Promise<ConsoleReply>;
    }
  >
> = {
  identities: {
    method: 'GET',
    handle: async (api) => ({ status: 200, body: { identities: await api.identities() } }),
  },
  'sign-in': { method: 'POST', handle: (api, request) => api.signIn(request.body) },
  directory: {
    method: 'GET',
    handle: (api, request) =>
      api.authenticated(request, (principal) => readDirectory(api.db, principal)),
  },
  organisation: {
    method: 'GET',
    handle: (api, request) =>
      api.authenticated(request, (principal) => readOrganisation(api.db, principal)),
  },
};
