/**
 * The whole system of one stage in one stack: tables (DynamoDB, or with
 * `-c database=postgres` a PostgreSQL database, its VPC and the migrations run at deploy),
 * functions, schedules (and the workflows they start), HTTP API and alarms, each from the shared definitions
 * (`src/tables/definitions.ts`, `src/catalog/functions.ts`, `src/catalog/workflows.ts`).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type FunctionName, functions, usesTables } from '../src/catalog/functions.ts';
import { deployedFunctions } from './bundling.ts';
import { LmsAlarms } from './constructs/alarms.ts';
import { LmsDatabase } from './constructs/database.ts';
import { type CodeOf, LmsFunctions, type LmsFunctionsProps } from './constructs/functions.ts';
import { LmsHttpApi } from './constructs/http-api.ts';
import { LmsMigrations } from './constructs/migrations.ts';
import { LmsSchedules } from './constructs/schedules.ts';
import { LmsTables } from './constructs/tables.ts';
import { acknowledgeNagFindings } from './nag-suppressions.ts';
import type { StageSettings } from './settings.ts';

export interface LmsStackProps extends StackProps {
  readonly settings: StageSettings;
  /** Which functions to deploy (tests); default: the whole catalogue, its folders checked. */
  readonly functionNames?: readonly FunctionName[];
  /** Tests only: code instead of an esbuild bundle (see `LmsFunctionsProps.code`). */
  readonly code?: CodeOf;
  /**
   * Tests only: `false` leaves out the accepted cdk-nag findings (`nag-suppressions.ts`),
   * to check that each still matches a finding. Default: acknowledged.
   */
  readonly acknowledgeNagFindings?: boolean;
}

/**
 * One stage of lms-lambdas. Environment-agnostic (no account or region is looked up), so
 * `cdk synth` needs no credentials; `cdk deploy` takes both from the AWS profile.
 *
 * @example
 * ```ts
 * const app = new App();
 * new LmsStack(app, 'lms-dev', { settings: readSettings((k) => app.node.tryGetContext(k)) });
 * ```
 */
export class LmsStack extends Stack {
  /** The DynamoDB tables; undefined on PostgreSQL. */
  readonly tables: LmsTables | undefined;
  /** The PostgreSQL database and its network; undefined on DynamoDB. */
  readonly database: LmsDatabase | undefined;
  /** The deploy's migrations of the database; undefined on DynamoDB. */
  readonly migrations: LmsMigrations | undefined;
  readonly functions: LmsFunctions;
  /** Whether this is the production stage (retained, deletion-protected data). */
  readonly production: boolean;
  readonly schedules: LmsSchedules;
  readonly http: LmsHttpApi;
  readonly alarms: LmsAlarms;

  constructor(scope: Construct, id: string, props: LmsStackProps) {
    const {
      settings,
      functionNames,
      code,
      acknowledgeNagFindings: acknowledge,
      ...stackProps
    } = props;
    super(scope, id, stackProps);
    this.production = settings.production;
    const names = functionNames ?? deployedFunctions();
    let store: LmsFunctionsProps['store'];
    if (settings.postgres === undefined) {
      this.tables = new LmsTables(this, 'Tables', { settings });
      this.database = undefined;
      store = { tables: this.tables };
    } else {
      this.tables = undefined;
      this.database = new LmsDatabase(this, 'Database', { settings, postgres: settings.postgres });
      store = { database: this.database };
    }
    this.functions = new LmsFunctions(this, 'Functions', {
      settings,
      store,
      names,
      code,
    });
    const deployed = this.functions.byName;
    this.migrations =
      this.database === undefined
        ? undefined
        : new LmsMigrations(this, 'Migrations', {
            settings,
            database: this.database,
            // Every function with tables waits for the schema it reads.
            before: [...deployed].flatMap(([name, fn]) =>
              usesTables(functions[name]) ? [fn] : [],
            ),
            code,
          });
    this.schedules = new LmsSchedules(this, 'Schedules', { settings, functions: deployed });
    this.http = new LmsHttpApi(this, 'Http', { settings, functions: deployed });
    this.alarms = new LmsAlarms(this, 'Alarms', {
      settings,
      functions: deployed,
      logGroups: this.functions.logGroups,
      api: this.http.stage,
      apiAccessLogs: this.http.accessLogs,
      workflows: this.schedules.workflows.byName,
      failedRuns: this.schedules.failedRuns,
      database: this.database,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.http.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.http.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.http.client.userPoolClientId });
    new CfnOutput(this, 'TotpSetupClientId', { value: this.http.setupClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'FailedRunsQueueUrl', { value: this.schedules.failedRuns.queueUrl });
    new CfnOutput(this, 'TablePrefix', { value: settings.tablePrefix });
    if (this.database !== undefined) {
      // What `lms` needs from inside the VPC (docs/deployment.md, Deploying on PostgreSQL).
      new CfnOutput(this, 'DatabaseUrl', { value: this.database.url });
      new CfnOutput(this, 'DatabaseSecretArn', {
        value: this.database.secret.secretArn,
      });
      new CfnOutput(this, 'DatabaseClientSecurityGroupId', {
        value: this.database.clientSecurityGroup.securityGroupId,
      });
      new CfnOutput(this, 'VpcId', { value: this.database.vpc.vpcId });
    }
    if (acknowledge !== false) acknowledgeNagFindings(this);
  }
}
