/**
 * `pre_token_generation`: the user pool's Pre Token Generation trigger (event version 1,
 * which customises the ID token, the one the API accepts). A staff role (admin, teacher,
 * service) stays in the token only for a user with TOTP MFA enabled; otherwise
 * `custom:role` is suppressed from it (see `services/access/staff-mfa.ts` for why that
 * is enforcement). Anyone else's token passes unchanged.
 */
import * as z from 'zod';
import { cognitoMfaLookup, createCognitoClient } from '../../adapters/cognito/mfa-lookup.ts';
import { parseJobEvent } from '../../jobs/events.ts';
import type { CoreRuntime, HandlerFactory } from '../../runtime/runtime.ts';
import { ROLE_CLAIM } from '../../services/access/principal.ts';
import { decideToken, type UserMfaLookup } from '../../services/access/staff-mfa.ts';

/** What the trigger reads of Cognito's event; everything else is handed back as it came. */
export const preTokenEventSchema = z.looseObject({
  userPoolId: z.string().min(1),
  userName: z.string().min(1),
  triggerSource: z.string(),
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
 * await handle(cognitoEvent); // the event, its response suppressing custom:role or not
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
        attributes: parsed.request.userAttributes,
      });
      if (decision.kind === 'issue') return parsed;
      // WARN, not ERROR: a staff member who has not set up TOTP yet is no failure of ours.
      logger.warn('staff role withheld from the token: TOTP MFA is not enabled', {
        username: parsed.userName,
        role: decision.role,
        triggerSource: parsed.triggerSource,
      });
      return {
        ...parsed,
        response: { ...parsed.response, claimsOverrideDetails: { claimsToSuppress: [ROLE_CLAIM] } },
      };
    };
  };

export const createHandler = createPreTokenHandler((runtime) =>
  cognitoMfaLookup(createCognitoClient({ region: runtime.config.awsRegion })),
);
