import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholder, SUBSTITUTION } from '../../infra/constructs/workflows.ts';
import { workflowDefinition, workflowNames } from '../../src/catalog/workflows.ts';
import {
  functionLogicalId,
  type IamStatement,
  resourcesOf,
  type Synthesized,
  stateMachineLogicalId,
  synth,
} from './support.ts';

let stack: Synthesized;
beforeAll(() => {
  stack = synth({ context: { stage: 'dev' } });
});

const only = (type: string): string => {
  const ids = Object.keys(resourcesOf(stack.template, type));
  if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type}`);
  return ids[0] as string;
};

const machineOf = (name: string) => {
  const machine = resourcesOf(stack.template, 'AWS::StepFunctions::StateMachine')[
    stateMachineLogicalId(stack.template, `dev-${name}`)
  ];
  if (machine === undefined) throw new Error(`no state machine dev-${name}`);
  return machine;
};

/** Every statement of the policies attached to a state machine's role. */
const roleStatements = (name: string): IamStatement[] => {
  const role = (machineOf(name).Properties.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(resourcesOf(stack.template, 'AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]))
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: IamStatement[] }).Statement,
    );
};

describe('workflows', () => {
  it('one Standard state machine per workflow job, named like its function', () => {
    const names = Object.values(resourcesOf(stack.template, 'AWS::StepFunctions::StateMachine'))
      .map((machine) => machine.Properties.StateMachineName)
      .sort();
    expect(names).toEqual(workflowNames.map((name) => `dev-${name}`).sort());
    // No workflow for a job whose function is not deployed.
    const { template } = synth({ functionNames: ['calc_all_stats', 'parent_summary'] });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  it.each(workflowNames)(
    '%s: the catalogue definition itself, its function and the queue substituted in',
    (name) => {
      const { Properties } = machineOf(name);
      expect(Properties.Definition).toEqual(
        workflowDefinition(name, {
          functionArn: placeholder(SUBSTITUTION.FunctionArn),
          failedRunsQueueUrl: placeholder(SUBSTITUTION.FailedRunsQueueUrl),
        }),
      );
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's placeholder, literally
      expect(JSON.stringify(Properties.Definition)).toContain('"FunctionName":"${FunctionArn}"');
      stack.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `dev-${name}`,
        StateMachineType: 'STANDARD',
        DefinitionSubstitutions: {
          FunctionArn: { 'Fn::GetAtt': [functionLogicalId(stack.template, `dev-${name}`), 'Arn'] },
          FailedRunsQueueUrl: { Ref: only('AWS::SQS::Queue') },
        },
        LoggingConfiguration: {
          Level: 'ERROR',
          IncludeExecutionData: true,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
        },
      });
      stack.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/dev-${name}`,
        RetentionInDays: 30,
      });
    },
  );

  it.each(workflowNames)(
    '%s: the role may invoke its own function (unqualified: no versions, no aliases) and report, nothing else',
    (name) => {
      const fn = { 'Fn::GetAtt': [functionLogicalId(stack.template, `dev-${name}`), 'Arn'] };
      const statements = roleStatements(name);
      // What CloudWatch Logs delivery needs (added by the CDK for `logs`): logs actions only.
      const delivery = statements.filter((s) =>
        [s.Action].flat().every((a) => a.startsWith('logs:')),
      );
      expect(delivery.length).toBeGreaterThan(0);
      expect(statements.filter((s) => !delivery.includes(s))).toEqual([
        {
          Sid: 'InvokeOwnFunction',
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: fn,
        },
        {
          Sid: 'ReportFailedRun',
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Resource: { 'Fn::GetAtt': [only('AWS::SQS::Queue'), 'Arn'] },
        },
      ]);
      // In particular: no other function of the stack.
      const others = workflowNames.filter((other) => other !== name);
      for (const other of others) {
        const id = functionLogicalId(stack.template, `dev-${other}`);
        expect(JSON.stringify(statements)).not.toContain(id);
      }
    },
  );

  it.each(workflowNames)(
    '%s: an alarm on executions failed, timed out or aborted, notifying the topic',
    (name) => {
      const machine = { Ref: stateMachineLogicalId(stack.template, `dev-${name}`) };
      const metric = (metricName: string) =>
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/States',
              MetricName: metricName,
              Dimensions: [{ Name: 'StateMachineArn', Value: machine }],
            },
            Stat: 'Sum',
          }),
        });
      stack.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `lms-dev-${name}-workflow`,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: only('AWS::SNS::Topic') }],
        OKActions: [{ Ref: only('AWS::SNS::Topic') }],
        Metrics: Match.arrayWith([
          metric('ExecutionsFailed'),
          metric('ExecutionsTimedOut'),
          metric('ExecutionsAborted'),
        ]),
      });
    },
  );

  it('prod keeps the execution logs six months', () => {
    const { template } = synth({
      context: { stage: 'prod', alarmEmail: 'ops@example.com' },
      functionNames: ['aggregate_parents'],
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/aws/vendedlogs/states/prod-aggregate_parents',
        RetentionInDays: 180,
      },
      DeletionPolicy: 'Retain',
    });
  });
});
