/**
 * One Lambda function per catalogue entry with an entry point: bundled locally by esbuild,
 * configured from DESIGN section 1, with its own log group and a role of its own that may
 * write to that log group and do the table actions the catalogue lists for it, no more.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { functions, usesTables } from '../../src/catalog/functions.ts';
import type { MIGRATE_DATABASE } from '../../src/deploy/migrate-database/handler.ts';
import { COGNITO_USERNAME_CLAIM } from '../../src/services/access/principal.ts';
import { grantsOf } from '../access.ts';
import { functionEntry, nodejsBundling, PROJECT_ROOT } from '../bundling.ts';
import type { StageSettings } from '../settings.ts';
import type { LmsDatabase } from './database.ts';
import type { LmsTables } from './tables.ts';

/** Every function the stack deploys: the catalogue's, and the deploy's own migrations. */
export type DeployedName = FunctionName | typeof MIGRATE_DATABASE;

/**
 * Tests only: the code of a function instead of an esbuild bundle, so a template can be
 * asserted without bundling every function.
 */
export type CodeOf = (name: DeployedName) => Code;

export interface LmsFunctionsProps {
  readonly settings: StageSettings;
  /**
   * Where the functions keep their data: the DynamoDB tables (granted per the catalogue),
   * or the PostgreSQL database (reached through its proxy from the VPC).
   */
  readonly store:
    | { readonly tables: LmsTables; readonly database?: undefined }
    | { readonly database: LmsDatabase; readonly tables?: undefined };
  /** Which catalogue functions to deploy (those whose entry point exists). */
  readonly names: readonly FunctionName[];
  /** Tests only (see {@link CodeOf}). Undefined: bundle. */
  readonly code?: CodeOf | undefined;
}

/**
 * The log group and role every deployed function starts from: its own group
 * (`/aws/lambda/${functionName}`) and a role that may write to it and nothing else yet.
 */
export const functionBasics = (
  scope: Construct,
  name: DeployedName,
  settings: StageSettings,
  purpose: string,
): { readonly logGroup: LogGroup; readonly role: Role } => {
  const functionName = `${settings.stage}-${name}`;
  // An explicit log group (not the deprecated `logRetention` custom resource) so the
  // retention is part of the template and the group goes with a disposable stage.
  const logGroup = new LogGroup(scope, `${name}-logs`, {
    logGroupName: `/aws/lambda/${functionName}`,
    retention: settings.production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
    removalPolicy: settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  // A role of our own instead of the one NodejsFunction makes, which carries the managed
  // AWSLambdaBasicExecutionRole: logs:CreateLogGroup and log writes on every group.
  const role = new Role(scope, `${name}-role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `${functionName}: its log group and ${purpose}`,
  });
  // The stack creates the group, so CreateLogGroup is not needed. The group's ARN ends
  // in `:*`, which is how IAM names its log streams (PutLogEvents' resource).
  role.addToPolicy(
    new PolicyStatement({
      sid: 'OwnLogGroup',
      effect: Effect.ALLOW,
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return { logGroup, role };
};

/** The environment every function shares (DESIGN section 1), whatever its database. */
export const baseEnvironment = (
  settings: StageSettings,
  name: DeployedName,
): Record<string, string> => ({
  LMS_TABLE_PREFIX: settings.tablePrefix,
  LMS_TIMEZONE: settings.timezone,
  LOG_LEVEL: settings.logLevel,
  POWERTOOLS_SERVICE_NAME: name,
  // The bundles ship source maps; without this flag Node ignores them in stack traces.
  NODE_OPTIONS: '--enable-source-maps',
});

/** How a function's code is made: the tests' stub, or its entry bundled for the stage. */
export const codeProps = (
  settings: StageSettings,
  name: DeployedName,
  entry: string,
  code: CodeOf | undefined,
) =>
  code !== undefined
    ? { code: code(name), handler: 'index.handle' }
    : {
        entry,
        handler: 'handle',
        bundling: nodejsBundling(settings.database),
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      };

/** `calc_all_stats` -> `CalcAllStats`: an IAM statement id (alphanumeric only). */
const pascal = (name: string): string =>
  name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The functions of a stage, named `${stage}-${name}` (the catalogue names stay the
 * deployment identifiers, DESIGN section 3), each logging to `/aws/lambda/${stage}-${name}`.
 *
 * @example
 * ```ts
 * const fns = new LmsFunctions(stack, 'Functions', { settings, tables, names: ['calc_all_stats'] });
 * fns.byName.get('calc_all_stats'); // the NodejsFunction
 * ```
 */
export class LmsFunctions extends Construct {
  readonly byName = new Map<FunctionName, NodejsFunction>();
  /** Each function's own log group (`/aws/lambda/${stage}-${name}`). */
  readonly logGroups = new Map<FunctionName, LogGroup>();

  constructor(scope: Construct, id: string, props: LmsFunctionsProps) {
    super(scope, id);
    const { settings, store } = props;
    for (const name of props.names) {
      const definition = functions[name];
      const functionName = `${settings.stage}-${name}`;
      // Only a function with tables goes into the VPC: one without (the Cognito trigger)
      // calls AWS APIs that the isolated subnets have no route to.
      const database = usesTables(definition) ? store.database : undefined;
      const { logGroup, role } = functionBasics(
        this,
        name,
        settings,
        database === undefined ? "the catalogue's table actions" : 'the database proxy',
      );
      const access = database?.accessFor(role);
      const fn = new NodejsFunction(this, name, {
        functionName,
        description: `${definition.description} (lms-lambdas, ${settings.stage})`,
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        memorySize: definition.memoryMb,
        timeout: Duration.seconds(definition.timeoutSeconds),
        role,
        logGroup,
        ...(access !== undefined && {
          vpc: access.vpc,
          vpcSubnets: access.vpcSubnets,
          securityGroups: access.securityGroups,
        }),
        environment: {
          ...baseEnvironment(settings, name),
          // The API's tokens come from this stack's user pool, whose `sub` is a UUID Cognito
          // generates: the LMS id is the username an administrator gives (docs/deployment.md).
          LMS_ID_CLAIM: COGNITO_USERNAME_CLAIM,
          // Only when the stage sets it: otherwise the code's default, kept in one place.
          ...(settings.answersPerStudentPerMinute !== undefined && {
            LMS_ANSWERS_PER_STUDENT_PER_MINUTE: String(settings.answersPerStudentPerMinute),
          }),
          ...access?.environment,
        },
        ...codeProps(settings, name, functionEntry(name), props.code),
      });
      // On PostgreSQL IAM grants the connection (`accessFor`), and no table action at all.
      const { tables } = store;
      for (const grant of tables === undefined ? [] : grantsOf(definition)) {
        const arn = tables?.arnOf(grant.table);
        if (arn === undefined) throw new Error(`no table ${grant.table}`);
        role.addToPolicy(
          new PolicyStatement({
            sid: `${pascal(grant.table)}${grant.indexes === undefined ? 'Items' : 'Indexes'}`,
            effect: Effect.ALLOW,
            actions: [...grant.actions],
            resources:
              grant.indexes === undefined
                ? [arn]
                : grant.indexes.map((index) => `${arn}/index/${index}`),
          }),
        );
      }
      this.byName.set(name, fn);
      this.logGroups.set(name, logGroup);
    }
  }
}
