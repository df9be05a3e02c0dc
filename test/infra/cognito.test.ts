/**
 * The user pool as deployed: administrator-created users only, TOTP as the only second
 * factor and the trigger that requires it of staff attached, no remembered devices, OAuth
 * off unless the stage configures it (then the code flow only), tokens sized for a lesson
 * and a school term; and the TOTP set-up client that only administrators can sign in to,
 * whose tokens the API does not accept.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  functionLogicalId,
  resourcesOf,
  type Synthesized,
  statementsOf,
  synth,
} from './support.ts';

let dev: Synthesized;
beforeAll(() => {
  dev = synth({ context: { stage: 'dev' } });
});

const onlyOf = (synthesized: Synthesized, type: string) => {
  const all = Object.values(resourcesOf(synthesized.template, type));
  expect(all).toHaveLength(1);
  return all[0];
};

/** The app client of that name, and its logical id. */
const clientNamed = (synthesized: Synthesized, name: string) => {
  const all = Object.entries(resourcesOf(synthesized.template, 'AWS::Cognito::UserPoolClient'));
  const found = all.filter(([, client]) => client.Properties?.ClientName === name);
  expect(found, name).toHaveLength(1);
  const [logicalId, client] = found[0] ?? [];
  return { logicalId, properties: client?.Properties };
};

describe('Cognito', () => {
  it('users are created by administrators only; TOTP is the one second factor, optional on the pool', () => {
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'ESSENTIALS',
    });
    // Device tracking off: a remembered device signs in without the TOTP challenge.
    const pool = onlyOf(dev, 'AWS::Cognito::UserPool');
    expect(pool?.Properties).not.toHaveProperty('DeviceConfiguration');
  });

  it('the pre_token_generation function is the pool trigger, and may read this pool’s users only', () => {
    const trigger = functionLogicalId(dev.template, 'dev-pre_token_generation');
    dev.template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGeneration: { 'Fn::GetAtt': [trigger, 'Arn'] } },
    });
    const pool = Object.keys(resourcesOf(dev.template, 'AWS::Cognito::UserPool'))[0];
    const cognito = statementsOf(dev.template, 'dev-pre_token_generation').filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('cognito-idp:')),
    );
    expect(cognito).toEqual([
      {
        Sid: 'StaffMfaLookup',
        Effect: 'Allow',
        Action: ['cognito-idp:AdminGetUser', 'cognito-idp:DescribeUserPoolClient'],
        Resource: { 'Fn::GetAtt': [pool, 'Arn'] },
      },
    ]);
    // Cognito may invoke it, from this pool only.
    dev.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [trigger, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [pool, 'Arn'] },
    });
  });

  it('the app client: no OAuth flow, no callback URL; 1 h ID and access tokens, a 90-day refresh token', () => {
    const client = { Properties: clientNamed(dev, 'lms-dev-app').properties };
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: false,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 90 * 24 * 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      ExplicitAuthFlows: [
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
    });
    for (const absent of [
      'AllowedOAuthFlows',
      'CallbackURLs',
      'LogoutURLs',
      'AllowedOAuthScopes',
    ]) {
      expect(client.Properties).not.toHaveProperty(absent);
    }
    expect(resourcesOf(dev.template, 'AWS::Cognito::UserPoolDomain')).toEqual({});
  });

  it('the TOTP set-up client: IAM-signed sign-ins only, minutes-long tokens, cannot write custom:role', () => {
    const setup = clientNamed(dev, 'lms-dev-totp-setup');
    expect(setup.properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      IdTokenValidity: 5,
      AccessTokenValidity: 5,
      RefreshTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      WriteAttributes: ['email', 'name'],
    });
    expect(setup.properties).not.toHaveProperty('GenerateSecret', true);
    expect(setup.properties).not.toHaveProperty('CallbackURLs');
    // Neither client may write the role (Cognito's default would let them).
    for (const name of ['lms-dev-app', 'lms-dev-totp-setup']) {
      const { properties } = clientNamed(dev, name);
      expect(properties?.WriteAttributes, name).not.toContain('custom:role');
    }
    dev.template.hasOutput('TotpSetupClientId', {
      Value: { Ref: setup.logicalId },
    });
  });

  it('the API accepts tokens of the app client only, never of the set-up client', () => {
    const app = clientNamed(dev, 'lms-dev-app');
    const authorizer = onlyOf(dev, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: app.logicalId }] },
    });
  });

  it('OAuth configured for a stage: the code flow only, to its callbacks, on its hosted domain', () => {
    const configured = synth({
      context: {
        stage: 'prod',
        alarmsUnsubscribed: 'true',
        oauthCallbackUrls: 'https://app.example.org/signed-in',
        oauthLogoutUrls: 'https://app.example.org/',
        oauthDomainPrefix: 'lms-school-prod',
      },
      functionNames: ['pre_token_generation'],
    });
    configured.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayEquals(['openid', 'email', 'profile']),
      CallbackURLs: ['https://app.example.org/signed-in'],
      LogoutURLs: ['https://app.example.org/'],
    });
    configured.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'lms-school-prod',
    });
  });
});
