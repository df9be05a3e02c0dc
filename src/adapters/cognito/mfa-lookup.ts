/**
 * The {@link UserMfaLookup} port over Cognito: `AdminGetUser`'s `UserMFASettingList` (the
 * MFA methods enabled for the user, which Cognito then asks for at every sign-in).
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
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
 * await lookup.enabledMfa('ap-east-1_Ab12Cd34E', 't-017'); // ['SOFTWARE_TOKEN_MFA']
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
  enabledMfa: async (userPoolId, username) => {
    const user = await client.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
    );
    return user.UserMFASettingList ?? [];
  },
});
