/**
 * Who is calling: the identity the API Gateway JWT authorizer vouches for (DESIGN
 * section 5). The gateway has already verified the token; this only reads its claims.
 */
import * as z from 'zod';
import { MAX_PARTITION_KEY_BYTES } from '../../entities/key-limits.ts';
import { CONTROL_CHARACTER, isWellFormed, utf8Length } from '../../lib/text.ts';
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
  /**
   * The caller's LMS id: the id of the teacher, parent or student (or of the admin or
   * service), read from the id claim (`LMS_ID_CLAIM`: `sub` unless configured).
   */
  readonly sub: string;
  readonly role: Role;
}

/** The claim that carries the role. */
export const ROLE_CLAIM = 'custom:role';

/** The claim that carries the LMS id unless `LMS_ID_CLAIM` names another (DESIGN section 5). */
export const DEFAULT_ID_CLAIM = 'sub';

/**
 * Where a Cognito user pool puts the username, which is the LMS id of a user an
 * administrator created (`admin-create-user --username t-017`); Cognito's `sub` is a UUID
 * it generates. The deployed stack and `lms start` read the id from here.
 */
export const COGNITO_USERNAME_CLAIM = 'cognito:username';

const claimValue = z.string().trim().min(1);
/** Present and not blank, but kept as issued: the role is read exactly (see parseRole). */
const roleClaimValue = z.string().refine((value) => value.trim() !== '');

/**
 * The one reading of a `custom:role` value, for the API's principal and for the
 * `pre_token_generation` trigger alike: exactly one of {@link ROLES}, or none. Nothing is
 * trimmed or case-folded: if the API read `" admin"` as admin while the trigger compared
 * it exactly, a padded staff role would skip the trigger's TOTP check and still work as
 * staff. An administrator who typed a padded role gets a user the API refuses (403), which
 * is noticed and fixed; a lenient reading would hide it.
 *
 * @example
 * ```ts
 * parseRole('teacher');  // 'teacher'
 * parseRole(' admin');   // undefined
 * parseRole(undefined);  // undefined
 * ```
 */
export const parseRole = (value: unknown): Role | undefined =>
  ROLE_NAMES.find((role) => role === value);

/**
 * The principal of a request from its JWT claims, the LMS id read from `idClaim`. Without
 * claims, the id claim or a role the caller is unauthenticated (401); a role this API does
 * not know may do nothing (403).
 *
 * @example
 * ```ts
 * principalFromClaims({ sub: 't-1', 'custom:role': 'teacher' }); // { sub: 't-1', role: 'teacher' }
 * principalFromClaims({ sub: '0c5e…', 'cognito:username': 't-1', 'custom:role': 'teacher' },
 *   'cognito:username'); // { sub: 't-1', role: 'teacher' }
 * principalFromClaims(undefined); // throws UnauthenticatedError
 * principalFromClaims({ sub: 'x', 'custom:role': 'janitor' }); // throws ForbiddenError
 * ```
 */
export const principalFromClaims = (
  claims: unknown,
  idClaim: string = DEFAULT_ID_CLAIM,
): Principal => {
  const parsed = z
    .looseObject({ [idClaim]: claimValue, [ROLE_CLAIM]: roleClaimValue })
    .safeParse(claims);
  if (!parsed.success) {
    throw new UnauthenticatedError(
      `authentication required: no "${idClaim}" and "${ROLE_CLAIM}" claims`,
    );
  }
  const sub = parsed.data[idClaim];
  const claimedRole = parsed.data[ROLE_CLAIM];
  if (sub === undefined || claimedRole === undefined) {
    throw new UnauthenticatedError(
      `authentication required: no "${idClaim}" and "${ROLE_CLAIM}" claims`,
    );
  }
  // The LMS id becomes a key (a parent's own record is read by it): one that cannot be a
  // key is refused here rather than by DynamoDB as a 500.
  if (
    !isWellFormed(sub) ||
    CONTROL_CHARACTER.test(sub) ||
    utf8Length(sub) > MAX_PARTITION_KEY_BYTES
  ) {
    throw new UnauthenticatedError(
      `the "${idClaim}" claim is not a usable LMS id (well-formed Unicode, no control characters, at most ${MAX_PARTITION_KEY_BYTES} bytes)`,
    );
  }
  const role = parseRole(claimedRole);
  if (role === undefined) {
    // JSON-quoted, so that a stray space or tab shows in the reply.
    throw new ForbiddenError(
      `role ${JSON.stringify(claimedRole)} may not use this API (roles are spelled exactly: ${ROLE_NAMES.join(', ')})`,
    );
  }
  return { sub, role };
};
