/**
 * Who is calling: the identity the API Gateway JWT authorizer vouches for (DESIGN
 * section 5). The gateway has already verified the token; this only reads its claims.
 */
import * as z from 'zod';
import { ForbiddenError, UnauthenticatedError } from './errors.ts';

/**
 * The roles of the `custom:role` claim: the one list. The policy, the local development
 * tokens (`lms token`, `lms start`) and the sample events all take their roles from here.
 */
export const ROLES = {
  admin: 'admin',
  teacher: 'teacher',
  parent: 'parent',
  student: 'student',
  /** The LMS app's backend. */
  service: 'service',
} as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/**
 * Every role, in the order of {@link ROLES}: for lists and option choices.
 *
 * @example
 * ```ts
 * new Option('--role <role>').choices(ROLE_NAMES); // admin, teacher, parent, student, service
 * ```
 */
export const ROLE_NAMES: readonly Role[] = Object.values(ROLES);

export interface Principal {
  /** The subject: the id of the teacher, parent or student (or of the admin or service). */
  readonly sub: string;
  readonly role: Role;
}

/** The claim that carries the role. */
export const ROLE_CLAIM = 'custom:role';

const claimsSchema = z.looseObject({
  sub: z.string().trim().min(1),
  [ROLE_CLAIM]: z.string().trim().min(1),
});

const roles: ReadonlySet<string> = new Set(ROLE_NAMES);
const isRole = (value: string): value is Role => roles.has(value);

/**
 * The principal of a request from its JWT claims. Without claims, `sub` or a role the
 * caller is unauthenticated (401); a role this API does not know may do nothing (403).
 *
 * @example
 * ```ts
 * principalFromClaims({ sub: 't-1', 'custom:role': 'teacher' }); // { sub: 't-1', role: 'teacher' }
 * principalFromClaims(undefined); // throws UnauthenticatedError
 * principalFromClaims({ sub: 'x', 'custom:role': 'janitor' }); // throws ForbiddenError
 * ```
 */
export const principalFromClaims = (claims: unknown): Principal => {
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw new UnauthenticatedError(`authentication required: no "sub" and "${ROLE_CLAIM}" claims`);
  }
  const sub = parsed.data.sub;
  const role = parsed.data[ROLE_CLAIM];
  if (!isRole(role)) throw new ForbiddenError(`role "${role}" may not use this API`);
  return { sub, role };
};
