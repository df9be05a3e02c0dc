/**
 * The whole system of one stage in one stack: tables, functions, schedules (and the
 * workflows they start), HTTP API and alarms, each from the shared definitions
 * (`src/tables/definitions.ts`, `src/catalog/functions.ts`, `src/catalog/workflows.ts`).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { FunctionName } from '../src/catalog/functions.ts';
import { deployedFunctions } from './bundling.ts';
import { LmsAlarms } from './constructs/alarms.ts';
import { LmsFunctions } from './constructs/functions.ts';
import { LmsHttpApi } from './constructs/http-api.ts';
import { LmsSchedules } from './constructs/schedules.ts';
import { LmsTables } from './constructs/tables.ts';
import { acknowledgeNagFindings } from './nag-suppressions.ts';
import type { StageSettings } from './settings.ts';

export interface LmsStackProps extends StackProps {
  readonly settings: StageSettings;
  /** Which functions to deploy (tests); default: the whole catalogue, its folders checked. */
  readonly functionNames?: readonly FunctionName[];
  /** Tests only: code instead of an esbuild bundle (see `LmsFunctionsProps.code`). */
  readonly code?: (name: FunctionName) => Code;
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
  readonly tables: LmsTables;
  readonly functions: LmsFunctions;
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
    this.tables = new LmsTables(this, 'Tables', { settings });
    this.functions = new LmsFunctions(this, 'Functions', {
      settings,
      tables: this.tables,
      names: functionNames ?? deployedFunctions(),
      code,
    });
    const deployed = this.functions.byName;
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
    });

    new CfnOutput(this, 'ApiUrl', { value: this.http.stage.url });
    new CfnOutput(this, 'UserPoolId', { value: this.http.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.http.client.userPoolClientId });
    new CfnOutput(this, 'TotpSetupClientId', { value: this.http.setupClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'FailedRunsQueueUrl', { value: this.schedules.failedRuns.queueUrl });
    new CfnOutput(this, 'TablePrefix', { value: settings.tablePrefix });
    if (acknowledge !== false) acknowledgeNagFindings(this);
  }
}
