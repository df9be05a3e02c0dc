/**
 * What pages a person: an error in any function, a workflow execution that failed, timed
 * out or was aborted, and a failed scheduled run waiting in the dead-letter queue. All go
 * to one SNS topic (and an e-mail address when configured).
 */
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '../../src/catalog/functions.ts';
import type { StageSettings } from '../settings.ts';

export interface LmsAlarmsProps {
  readonly settings: StageSettings;
  readonly functions: ReadonlyMap<FunctionName, IFunction>;
  /** The state machines of the workflow jobs. */
  readonly workflows: ReadonlyMap<FunctionName, IStateMachine>;
  readonly failedRuns: IQueue;
}

const PERIOD = Duration.minutes(5);

/**
 * One alarm per function on its `Errors` metric (any error in 5 minutes), one per workflow
 * on its executions that ended badly, one on the failed-runs queue holding a message; all
 * notify on alarm and on recovery.
 * Missing data is "not breaching": a job that ran fine yesterday has no datapoints today.
 *
 * @example
 * ```ts
 * const alarms = new LmsAlarms(stack, 'Alarms', { settings, functions, workflows, failedRuns });
 * alarms.topic; // subscribe a pager or chat integration to it
 * ```
 */
export class LmsAlarms extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: LmsAlarmsProps) {
    super(scope, id);
    const { settings } = props;
    this.topic = new Topic(this, 'Topic', {
      topicName: `lms-${settings.stage}-alarms`,
      displayName: `lms-lambdas ${settings.stage} alarms`,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a resource policy, which replaces SNS's default one; without
    // this statement CloudWatch is "not authorized to perform SNS:Publish" and alarms go
    // nowhere. Only this stage's alarms, in this account, may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStageAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `lms-${settings.stage}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (settings.alarmEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    }
    const action = new SnsAction(this.topic);
    const notify = (alarm: Alarm): void => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    };

    for (const [name, fn] of props.functions) {
      notify(
        new Alarm(this, `${name}-errors`, {
          alarmName: `lms-${settings.stage}-${name}-errors`,
          alarmDescription: `${name} failed (see /aws/lambda/${settings.stage}-${name})`,
          metric: fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const [name, stateMachine] of props.workflows) {
      const sum = { period: PERIOD, statistic: 'Sum' };
      notify(
        new Alarm(this, `${name}-workflow`, {
          alarmName: `lms-${settings.stage}-${name}-workflow`,
          alarmDescription: `${name}: a workflow execution failed, timed out or was aborted (state machine ${settings.stage}-${name})`,
          // A timed-out or aborted run never reaches its Report failure state: watched here.
          metric: new MathExpression({
            expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
            usingMetrics: {
              failed: stateMachine.metricFailed(sum),
              timedOut: stateMachine.metricTimedOut(sum),
              aborted: stateMachine.metricAborted(sum),
            },
            period: PERIOD,
            label: 'executions failed, timed out or aborted',
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    notify(
      new Alarm(this, 'failed-runs', {
        alarmName: `lms-${settings.stage}-failed-runs`,
        alarmDescription:
          'a scheduled run failed after its retries (messages in the failed-runs queue)',
        metric: props.failedRuns.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
