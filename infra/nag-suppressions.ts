/**
 * Every cdk-nag (AwsSolutions pack) finding this stack accepts, one line each: the rule,
 * the exact resource it is accepted on (a construct of the stack, never the stack or the
 * app), and why. Everything else the pack finds fails `npm test` (`test/infra/nag.test.ts`)
 * and `npm run synth` (`infra/app.ts`).
 *
 * To accept a new finding: fix it if you can; otherwise add one line below naming the
 * rule as the report prints it (a finding of a rule with several, such as
 * `AwsSolutions-IAM5[Resource::*]`, by its full id), the narrowest construct that holds
 * the resource, and a reason a reviewer can check. The test fails on a line that no longer
 * matches a finding, so stale acknowledgements do not pile up.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { LmsDatabase } from './constructs/database.ts';
import type { LmsFunctions } from './constructs/functions.ts';
import type { LmsHttpApi } from './constructs/http-api.ts';
import type { LmsMigrations } from './constructs/migrations.ts';
import type { LmsSchedules } from './constructs/schedules.ts';

export interface NagSuppression {
  /** The rule id as cdk-nag reports it: `AwsSolutions-L1`, `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** The construct it is accepted on; the acknowledgement covers the resources under it. */
  readonly resource: IConstruct;
  readonly reason: string;
}

/**
 * The constructs the findings are accepted on; an `LmsStack` is one. Typed by its
 * constructs rather than the stack, so that the stack imports this file and not the
 * other way round.
 */
export interface NagSubjects {
  readonly functions: LmsFunctions;
  readonly schedules: LmsSchedules;
  readonly http: LmsHttpApi;
  /** A stage on PostgreSQL: its database and the function of its migrations. */
  readonly database: LmsDatabase | undefined;
  readonly migrations: LmsMigrations | undefined;
  /** Whether the stage is production (`StageSettings.production`). */
  readonly production: boolean;
}

const suppress = (rule: string, resource: IConstruct, reason: string): NagSuppression => ({
  rule,
  resource,
  reason,
});

/**
 * The suppressions of one stack's constructs (its functions, workflows and user pool as built).
 *
 * @example
 * ```ts
 * nagSuppressions(stack).map((s) => `${s.rule} ${s.resource.node.path}`);
 * // ['AwsSolutions-L1 lms-dev/Functions/calc_class_stats', ...]
 * ```
 */
export const nagSuppressions = (subjects: NagSubjects): NagSuppression[] => {
  const { userPool } = subjects.http;
  const { failedRuns } = subjects.schedules;
  const functions = [
    ...subjects.functions.byName.values(),
    ...(subjects.migrations === undefined ? [] : [subjects.migrations.function]),
  ];
  const { database } = subjects;
  const workflows = [...subjects.schedules.workflows.byName.values()];
  // biome-ignore format: one suppression per line (rule, resource, reason)
  return [
    ...functions.map((fn) => suppress('AwsSolutions-L1', fn, 'nodejs22.x on purpose: the bundles are built (esbuild target node22) and tested for it and rely on its bundled AWS SDK v3; a runtime major is moved deliberately, with its own test run, before Lambda deprecates 22 (2027-04-30)')),
    suppress('AwsSolutions-SQS3', failedRuns, 'this queue IS the dead-letter queue of the schedules, the async invocations and the workflows; a queue behind it would only hide failed runs from the alarm on this one'),
    ...workflows.flatMap((stateMachine) => [
      suppress('AwsSolutions-SF1', stateMachine, 'ERROR level with execution data on purpose: ALL would log every state input, i.e. per-shard cursors and counts of every run, at a cost and for no reader; failures carry what an operator needs'),
      suppress('AwsSolutions-SF2', stateMachine, 'no X-Ray anywhere in this stack (the functions are not traced either): a nightly job of a few Lambda invocations per shard is followed through its execution history and logs'),
      suppress('AwsSolutions-IAM5[Resource::*]', stateMachine.role, 'the CloudWatch Logs delivery actions CDK adds for the state machine logs (logs:CreateLogDelivery, logs:PutResourcePolicy, ...) support no resource-level permissions: AWS requires Resource *'),
    ]),
    suppress('AwsSolutions-COG1', userPool, 'length over composition (NIST SP 800-63B): 12 characters with upper and lower case and a digit, symbols not required, since children type these passwords; staff accounts also need TOTP'),
    suppress('AwsSolutions-COG2', userPool, 'MFA is OPTIONAL on the pool because children and parents have no second factor; staff (admin, teacher, service) are held to TOTP by the pre_token_generation trigger, which refuses them every token (refresh tokens included) without it'),
    suppress('AwsSolutions-COG8', userPool, 'Essentials tier: Plus (threat protection) is billed per monthly active user, and its adaptive authentication would read a classroom of children signing in from one school network as an attack'),
    ...(database === undefined ? [] : [
      ...database.clients.map((role) => suppress('AwsSolutions-IAM5[Resource::*]', role, 'the VPC network-interface actions Lambda takes with the role of a function in a VPC (those of AWSLambdaVPCAccessExecutionRole, without its logs on every group): ec2:Describe* support no resource-level permissions, and AWS documents Resource * for the others')),
    ]),
    ...(database === undefined || subjects.production ? [] : [
      suppress('AwsSolutions-RDS10', database.cluster, 'deletion protection only on the production stage, as for the DynamoDB tables: other stages are disposable (cdk destroy removes them with their data)'),
    ]),
  ];
};

/**
 * Acknowledges each suppression on its construct (CDK's `Validations.of(...).acknowledge`,
 * which cdk-nag v3 honours).
 */
export const acknowledgeNagFindings = (subjects: NagSubjects): void => {
  for (const { rule, resource, reason } of nagSuppressions(subjects)) {
    Validations.of(resource).acknowledge({ id: rule, reason });
  }
};
