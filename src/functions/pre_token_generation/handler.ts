/**
 * `pre_token_generation`: the user pool's Pre Token Generation trigger (event version 1,
 * which customises the ID token, the one the API accepts). A staff role (admin, teacher,
 * service) reaches a token only from a session that answered a TOTP code: without TOTP
 * enabled the trigger throws, and Cognito issues no token at all; a set-up session's
 * token loses `custom:role`, and so does a token whose role is not spelled exactly (see
 * `services/access/staff-mfa.ts`). A parent's or student's token passes unchanged.
 */
import * as z from 'zod';
import { cognitoMfaLookup, createCognitoClient } from '../../adapters/cognito/mfa-lookup.ts';
import { parseJobEvent } from '../../jobs/events.ts';
import type { CoreRuntime, HandlerFactory } from '../../runtime/runtime.ts';
import { StaffTokenRefusedError } from '../../services/access/errors.ts';
import { ROLE_CLAIM } from '../../services/access/principal.ts';
import { decideToken, type UserMfaLookup } from '../../services/access/staff-mfa.ts';

/** What the trigger reads of Cognito's event; everything else is handed back as it came. */
export const preTokenEventSchema = z.looseObject({
  userPoolId: z.string().min(1),
  userName: z.string().min(1),
  triggerSource: z.string(),
  callerContext: z.looseObject({ clientId: z.string().min(1) }),
  request: z.looseObject({ userAttributes: z.record(z.string(), z.string()) }),
  response: z.looseObject({}).nullish(),
});
export type PreTokenEvent = z.output<typeof preTokenEventSchema>;

/**
 * The handler over any {@link UserMfaLookup} (built once per container, on first use). Its
 * runtime has no Db: the catalogue grants this function no table, and a Cognito trigger's
 * 5 seconds include the cold start, so its bundle leaves the DynamoDB client out.
 *
 * @example
 * ```ts
 * const handle = createPreTokenHandler(() => lookup)(() => runtime);
 * await handle(cognitoEvent); // the event, its response suppressing custom:role or not; or throws
 * ```
 */
export const createPreTokenHandler =
  (lookupOf: (runtime: CoreRuntime) => UserMfaLookup): HandlerFactory<PreTokenEvent, CoreRuntime> =>
  (provide) => {
    let lookup: UserMfaLookup | undefined;
    return async (event, context) => {
      const runtime = provide();
      const { logger } = runtime;
      if (context !== undefined) logger.addContext(context);
      const parsed = parseJobEvent(preTokenEventSchema, event);
      lookup ??= lookupOf(runtime);
      const decision = await decideToken(lookup, {
        userPoolId: parsed.userPoolId,
        username: parsed.userName,
        clientId: parsed.callerContext.clientId,
        triggerSource: parsed.triggerSource,
        attributes: parsed.request.userAttributes,
      });
      if (decision.kind === 'issue') return parsed;
      const details = {
        username: parsed.userName,
        role: decision.role,
        reason: decision.reason,
        triggerSource: parsed.triggerSource,
        clientId: parsed.callerContext.clientId,
      };
      // WARN, not ERROR: a staff member without TOTP, or someone trying a stolen password,
      // is the policy working, not a bug. A refusal still counts in Lambda's Errors (a
      // trigger refuses only by throwing), whose alarm then points at these lines.
      if (decision.kind === 'refuse') {
        logger.warn('staff token refused: no TOTP-answered session', details);
        // Cognito shows the message to the caller: it says what to do, not what was seen.
        throw new StaffTokenRefusedError(
          'sign-in refused: this account needs TOTP set up by an administrator',
        );
      }
      logger.warn('role withheld from the token', details);
      return {
        ...parsed,
        response: { ...parsed.response, claimsOverrideDetails: { claimsToSuppress: [ROLE_CLAIM] } },
      };
    };
  };

export const createHandler = createPreTokenHandler((runtime) =>
  cognitoMfaLookup(createCognitoClient({ region: runtime.config.awsRegion })),
);
