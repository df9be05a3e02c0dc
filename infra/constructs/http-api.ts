/**
 * The HTTP API (DESIGN section 5): API Gateway HTTP API, payload format 2.0, every route of
 * the catalogue behind a JWT authorizer on a Cognito user pool whose users carry a
 * `custom:role` claim.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { functions } from '../../src/catalog/functions.ts';
import type { StageSettings } from '../settings.ts';

/** The functions the catalogue serves on an HTTP route. */
export type HttpFunctionName = {
  [N in FunctionName]: (typeof functions)[N]['trigger']['kind'] extends 'http' ? N : never;
}[FunctionName];

/**
 * Each route's share of the stage's throttle (`throttleRate`, `throttleBurst`): caps, not
 * reservations, so they add up to more than 1, but no route alone can take the whole stage,
 * and a flood on one (a looping device on `POST /answers`) leaves the others at least half
 * of it. Shares rather than numbers: a stage given a higher rate scales every route with it.
 * Sized by what a route costs and how often people need it (docs/deployment.md, Throttling).
 * A new HTTP function does not type-check until it is sized here.
 */
export const ROUTE_THROTTLE_SHARES: Readonly<Record<HttpFunctionName, number>> = {
  // The one write, and the one a device can repeat in a loop: half the stage.
  record_answers: 0.5,
  // The heaviest read (a query per student of the class), opened a few times a lesson.
  module_results: 0.2,
  // One or two GetItems; children and parents open it, the most numerous callers.
  student_progress: 0.3,
  // One GetItem and the parent; parents, mostly in the evening.
  parent_summary: 0.2,
  // The student's cards (one query, cards projected); children, once a practice session.
  student_review: 0.2,
  // The class's progress items (batch gets); teachers, a few times a lesson.
  class_review: 0.1,
};

/** A route's throttle: its share of the stage's rate and burst, at least 1 request each. */
export const routeThrottle = (
  name: HttpFunctionName,
  stage: StageSettings['throttle'],
): { readonly rateLimit: number; readonly burstLimit: number } => ({
  rateLimit: Math.max(1, Math.round(stage.rateLimit * ROUTE_THROTTLE_SHARES[name])),
  burstLimit: Math.max(1, Math.round(stage.burstLimit * ROUTE_THROTTLE_SHARES[name])),
});

const isHttpFunction = (name: FunctionName): name is HttpFunctionName =>
  functions[name].trigger.kind === 'http';

export interface LmsHttpApiProps {
  readonly settings: StageSettings;
  /** The deployed functions; only HTTP ones get a route. */
  readonly functions: ReadonlyMap<FunctionName, IFunction>;
}

/**
 * The user pool, its app client, the API and its routes.
 *
 * - Users are created by an administrator (no self sign-up): a role is a grant of access
 *   to children's data. `custom:role` is readable by the app client but NOT writable by
 *   it, so nobody can promote themselves; admins set it with AdminUpdateUserAttributes.
 * - The authorizer checks issuer and audience (the app client). Cognito puts custom
 *   attributes in ID tokens only, and only an ID token carries `aud` (an access token has
 *   `client_id`), so clients send the ID token as `Authorization: Bearer`. The LMS id is
 *   the username (`cognito:username`; Cognito's `sub` is a UUID): the functions get
 *   `LMS_ID_CLAIM=cognito:username`.
 * - MFA: TOTP only (no SMS, no e-mail codes), OPTIONAL on the pool (children and parents
 *   have no second factor), and required of staff (admin, teacher, service) by the
 *   `pre_token_generation` trigger: it refuses any token to a staff account without TOTP,
 *   so every staff session, and so every staff refresh token, comes from a sign-in Cognito
 *   challenged (`services/access/staff-mfa.ts`). No device tracking: a remembered device
 *   would skip the challenge.
 * - A second client, the TOTP set-up client, allows only IAM-signed AdminInitiateAuth: an
 *   administrator opens the session in which a staff member registers an authenticator, so
 *   a stolen password cannot. Its tokens never carry a staff role (the trigger), the API
 *   does not accept them (not an audience of the authorizer), and they last minutes.
 * - Tokens: ID and access tokens for 1 hour (a lesson; the app refreshes silently), the
 *   refresh token for 90 days, about a school term, so a child signs in with a password
 *   about once a term, and a lost or shared tablet is signed out by the term's end at the
 *   latest (sooner with `admin-user-global-sign-out`, docs/deployment.md).
 * - OAuth (hosted sign-in) is off unless the stage configures it, and then it is the
 *   authorization-code flow only, to the configured callback URLs.
 * - The `$default` stage is throttled (steady rate and burst) and writes JSON access logs.
 *
 * @example
 * ```ts
 * const api = new LmsHttpApi(stack, 'Http', { settings, functions: fns.byName });
 * api.api.apiEndpoint; // https://{id}.execute-api.{region}.amazonaws.com
 * ```
 */
export class LmsHttpApi extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The TOTP set-up client (administrator-started sessions only); not an API audience. */
  readonly setupClient: UserPoolClient;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The stage's JSON access log (its 429s are counted for an alarm). */
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: LmsHttpApiProps) {
    super(scope, id);
    const { settings } = props;
    const keep = settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `lms-${settings.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      customAttributes: {
        // Mutable, or an administrator could never change a user's role; the client below
        // cannot write it, which is what keeps users from changing their own.
        role: new StringAttribute({ mutable: true, minLen: 1, maxLen: 16 }),
      },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      // Essentials (Cognito's default): Plus's threat protection is billed per active user.
      featurePlan: FeaturePlan.ESSENTIALS,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: settings.production,
      removalPolicy: keep,
    });
    const { oauth } = settings;
    // What either client may read and write; never write custom:role (the client's
    // default would allow every writable attribute, custom:role included).
    const clientAttributes = {
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true })
        .withCustomAttributes('role'),
      writeAttributes: new ClientAttributes().withStandardAttributes({
        fullname: true,
        email: true,
      }),
    };
    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: `lms-${settings.stage}-app`,
      // SRP for the app's sign-in; admin password auth for the documented administrator
      // commands (`admin-initiate-auth`, IAM-signed: an administrator's or the LMS app
      // backend's credentials). No USER_PASSWORD_AUTH: passwords never travel unsigned.
      authFlows: { userSrp: true, adminUserPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(90),
      enableTokenRevocation: true,
      ...(oauth === undefined
        ? // CDK's default turns the implicit and code flows on, to https://example.com.
          { disableOAuth: true }
        : {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
              callbackUrls: [...oauth.callbackUrls],
              logoutUrls: [...oauth.logoutUrls],
            },
          }),
      ...clientAttributes,
    });
    this.setupClient = this.userPool.addClient('TotpSetupClient', {
      userPoolClientName: `lms-${settings.stage}-totp-setup`,
      // Only IAM-signed sign-ins: nobody opens a set-up session with a password alone.
      authFlows: { adminUserPassword: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // Cognito's shortest: a set-up takes minutes, and its refresh token must not outlive it.
      idTokenValidity: Duration.minutes(5),
      accessTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.minutes(60),
      enableTokenRevocation: true,
      disableOAuth: true,
      ...clientAttributes,
    });
    if (oauth !== undefined) {
      this.userPool.addDomain('HostedDomain', {
        cognitoDomain: { domainPrefix: oauth.domainPrefix },
      });
    }
    const preToken = props.functions.get('pre_token_generation');
    if (preToken !== undefined) this.enforceStaffMfa(preToken);

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', this.userPool, {
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
    this.api = new HttpApi(this, 'Api', {
      apiName: `lms-${settings.stage}`,
      description: `lms-lambdas HTTP API (${settings.stage})`,
      // The default stage is created below, with throttling and access logs.
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/lms-${settings.stage}`,
      retention: settings.production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
      removalPolicy: keep,
    });
    const { accessLogs } = this;
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            sub: '$context.authorizer.claims.sub',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const routeSettings: Record<string, object> = {};
    const stage = this.stage.node.defaultChild;
    if (!(stage instanceof CfnStage)) throw new Error('the HTTP stage has no CfnStage');
    for (const [name, fn] of props.functions) {
      if (!isHttpFunction(name)) continue;
      const { route } = functions[name].trigger;
      const routes = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${name}-integration`, fn),
        authorizer,
      });
      const throttle = routeThrottle(name, settings.throttle);
      // CloudFormation's own names: the property is an untyped map, passed through as is.
      routeSettings[`${route.method} ${route.path}`] = {
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      };
      // API Gateway refuses route settings for a route key that does not exist yet.
      for (const created of routes) stage.node.addDependency(created);
    }
    // Not in the L2 stage's props: per-route settings exist only on the L1 resource.
    stage.routeSettings = routeSettings;
  }

  /**
   * Attaches the trigger and lets it read users' MFA settings (AdminGetUser) and the app
   * clients' sign-in flows (DescribeUserPoolClient) of this pool only. A policy of its
   * own, not the role's default one: the function must not wait for it, or the pool
   * (which names the function) and the policy (which names the pool) would depend on each
   * other.
   */
  private enforceStaffMfa(trigger: IFunction): void {
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, trigger);
    const role = trigger.role;
    if (role === undefined) throw new Error('pre_token_generation has no execution role');
    new Policy(this, 'MfaLookup', {
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'StaffMfaLookup',
          effect: Effect.ALLOW,
          actions: ['cognito-idp:AdminGetUser', 'cognito-idp:DescribeUserPoolClient'],
          resources: [this.userPool.userPoolArn],
        }),
      ],
    });
  }
}
