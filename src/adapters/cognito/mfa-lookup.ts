/**
 * The {@link UserMfaLookup} port over Cognito: `AdminGetUser`'s `UserMFASettingList` and
 * `PreferredMfaSetting` (the MFA methods enabled for the user, which Cognito then asks for
 * at every sign-in), and `DescribeUserPoolClient`'s `ExplicitAuthFlows` (which sign-ins
 * the client allows).
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserMfaLookup } from '../../services/access/staff-mfa.ts';

export interface CognitoClientSettings {
  /** A stand-in endpoint (tests); undefined means real AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/**
 * @example
 * ```ts
 * const lookup = cognitoMfaLookup(createCognitoClient({ region: 'ap-east-1' }));
 * await lookup.mfaSettings('ap-east-1_Ab12Cd34E', 't-017');
 * // { enabled: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' }
 * ```
 */
export const createCognitoClient = (
  settings: CognitoClientSettings,
): CognitoIdentityProviderClient =>
  new CognitoIdentityProviderClient({
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.endpoint !== undefined
      ? {
          endpoint: settings.endpoint,
          region: settings.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
  });

export const cognitoMfaLookup = (client: CognitoIdentityProviderClient): UserMfaLookup => ({
  mfaSettings: async (userPoolId, username) => {
    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
    return { enabled: user.UserMFASettingList ?? [], preferred: user.PreferredMfaSetting };
  },
  clientAuthFlows: async (userPoolId, clientId) => {
    const described = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
    );
    return described.UserPoolClient?.ExplicitAuthFlows ?? [];
  },
});
