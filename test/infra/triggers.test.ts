import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../infra/bundling.ts';
import { ROUTE_THROTTLE_SHARES, routeThrottle } from '../../infra/constructs/http-api.ts';
import {
  type FunctionName,
  functionNames,
  functions,
  type Schedule,
  schedulerExpression,
} from '../../src/catalog/functions.ts';
import { isWorkflowJob, workflowNames } from '../../src/catalog/workflows.ts';
import {
  functionLogicalId,
  resourcesOf,
  type Synthesized,
  stateMachineLogicalId,
  synth,
} from './support.ts';

const scheduleOf = (name: FunctionName): Schedule | undefined => {
  const { trigger } = functions[name];
  return trigger.kind === 'schedule' ? trigger.schedule : undefined;
};
const scheduled = (names: readonly FunctionName[]) =>
  names.filter((name) => scheduleOf(name) !== undefined);
const routed = (names: readonly FunctionName[]) =>
  names.filter((name) => functions[name].trigger.kind === 'http');

const logicalIdOfType = (synthesized: Synthesized, type: string): string => {
  const ids = Object.keys(resourcesOf(synthesized.template, type));
  if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type}`);
  return ids[0] as string;
};

/** The stack as deployed today (catalogue entries with a folder) and the whole catalogue. */
let deployed: Synthesized;
let catalogue: Synthesized;
beforeAll(() => {
  deployed = synth({ context: { stage: 'dev' } });
  catalogue = synth({ context: { stage: 'dev', alarmEmail: 'ops@example.com' }, functionNames });
});

describe('schedules', () => {
  it('one schedule per deployed scheduled function, in the stage group', () => {
    const names = Object.values(resourcesOf(deployed.template, 'AWS::Scheduler::Schedule'))
      .map((schedule) => schedule.Properties.Name)
      .sort();
    expect(names).toEqual([...scheduled(deployedFunctions())].sort());
    deployed.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'lms-dev' });
  });

  /** What a schedule starts: the job's state machine if it runs as a workflow, else its function. */
  const targetOf = (name: FunctionName) =>
    isWorkflowJob(name)
      ? { Ref: stateMachineLogicalId(catalogue.template, `dev-${name}`) }
      : { 'Fn::GetAtt': [functionLogicalId(catalogue.template, `dev-${name}`), 'Arn'] };

  it.each(scheduled(functionNames))(
    '%s: catalogue expression, LMS_TIMEZONE, state, input, retries and dead-letter queue',
    (name) => {
      const schedule = scheduleOf(name) as Schedule;
      const queue = logicalIdOfType(catalogue, 'AWS::SQS::Queue');
      catalogue.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: name,
        GroupName: 'lms-dev',
        ScheduleExpression: schedulerExpression(schedule),
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: schedule.enabled ? 'ENABLED' : 'DISABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: targetOf(name),
          Input: JSON.stringify(schedule.input),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        },
      });
      // A workflow retries its tasks and reports failed runs itself (test/infra/workflows.test.ts).
      if (isWorkflowJob(name)) return;
      // The scheduler invokes asynchronously: a failed run is retried by Lambda, then
      // dead-lettered to the same queue.
      catalogue.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionLogicalId(catalogue.template, `dev-${name}`) },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
    },
  );

  it("the issue's schedules: stats 00:05 daily, students hourly (incremental), parents after", () => {
    const expression = (name: string) =>
      Object.values(resourcesOf(catalogue.template, 'AWS::Scheduler::Schedule')).find(
        (schedule) => schedule.Properties.Name === name,
      )?.Properties;
    expect(expression('calc_all_stats')).toMatchObject({
      ScheduleExpression: 'cron(5 0 * * ? *)',
      State: 'ENABLED',
    });
    expect(expression('aggregate_students')).toMatchObject({
      ScheduleExpression: 'cron(15 * * * ? *)',
      State: 'ENABLED',
      Target: { Input: JSON.stringify({ mode: 'incremental' }) },
    });
    expect(expression('aggregate_parents')).toMatchObject({
      ScheduleExpression: 'cron(45 0 * * ? *)',
      State: 'ENABLED',
      Target: { Input: JSON.stringify({ mode: 'full' }) },
    });
    // The per-level jobs are deployed but off: calc_all_stats does all four in one pass.
    for (const level of ['class', 'teacher', 'school', 'group']) {
      expect(expression(`calc_${level}_stats`)).toMatchObject({ State: 'DISABLED' });
    }
  });

  it('the time zone comes from context, for schedules and functions alike', () => {
    const { template } = synth({
      context: { timezone: 'Europe/Zagreb' },
      functionNames: ['calc_all_stats'],
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpressionTimezone: 'Europe/Zagreb',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LMS_TIMEZONE: 'Europe/Zagreb' }) },
    });
  });

  it.each(scheduled(functionNames))(
    '%s: the scheduler role may invoke this function (or start its workflow) and dead-letter, nothing else',
    (name) => {
      const fn = functionLogicalId(catalogue.template, `dev-${name}`);
      const schedule = Object.values(
        resourcesOf(catalogue.template, 'AWS::Scheduler::Schedule'),
      ).find((candidate) => candidate.Properties.Name === name);
      const target = schedule?.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string] } };
      const role = target.RoleArn['Fn::GetAtt'][0];
      const statements = Object.values(resourcesOf(catalogue.template, 'AWS::IAM::Policy'))
        .filter(
          (policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: role }]),
        )
        .flatMap(
          (policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement,
        );
      expect(statements).toEqual([
        isWorkflowJob(name)
          ? { Action: 'states:StartExecution', Effect: 'Allow', Resource: targetOf(name) }
          : {
              Action: 'lambda:InvokeFunction',
              Effect: 'Allow',
              // The unqualified ARN the schedule invokes: no `:*` (versions, aliases).
              Resource: { 'Fn::GetAtt': [fn, 'Arn'] },
            },
        {
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOfType(catalogue, 'AWS::SQS::Queue'), 'Arn'] },
        },
      ]);
    },
  );

  it('HTTP functions and workflow jobs have no asynchronous retry', () => {
    const configured = Object.values(
      resourcesOf(catalogue.template, 'AWS::Lambda::EventInvokeConfig'),
    ).map((config) => JSON.stringify(config.Properties.FunctionName));
    for (const name of [...routed(functionNames), ...workflowNames]) {
      const id = functionLogicalId(catalogue.template, `dev-${name}`);
      expect(configured).not.toContain(JSON.stringify({ Ref: id }));
    }
    expect(configured).toHaveLength(scheduled(functionNames).length - workflowNames.length);
  });

  it('the dead-letter queue keeps failed runs 14 days, encrypted, TLS only', () => {
    catalogue.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'lms-dev-failed-runs',
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });
});

describe('alarms', () => {
  it.each(functionNames)('%s: an Errors alarm notifying the SNS topic', (name) => {
    const topic = { Ref: logicalIdOfType(catalogue, 'AWS::SNS::Topic') };
    catalogue.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        {
          Name: 'FunctionName',
          Value: { Ref: functionLogicalId(catalogue.template, `dev-${name}`) },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
  });

  it('an alarm on the dead-letter queue holding a message, one per function and per workflow', () => {
    const queue = logicalIdOfType(catalogue, 'AWS::SQS::Queue');
    catalogue.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [{ Ref: logicalIdOfType(catalogue, 'AWS::SNS::Topic') }],
    });
    // One Errors alarm per function; test/infra/alarms.test.ts counts all the others.
    expect(
      Object.values(resourcesOf(catalogue.template, 'AWS::CloudWatch::Alarm')).filter(
        (alarm) =>
          alarm.Properties.Namespace === 'AWS/Lambda' && alarm.Properties.MetricName === 'Errors',
      ),
    ).toHaveLength(functionNames.length);
  });

  it('CloudWatch may publish to the topic (its policy replaces the default), and e-mail subscribes', () => {
    catalogue.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    catalogue.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe('HTTP API', () => {
  it.each(routed(functionNames))('%s: its DESIGN route, behind the JWT authorizer', (name) => {
    const { trigger } = functions[name];
    if (trigger.kind !== 'http') throw new Error('not an HTTP function');
    const authorizer = logicalIdOfType(catalogue, 'AWS::ApiGatewayV2::Authorizer');
    catalogue.template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: `${trigger.route.method} ${trigger.route.path}`,
      AuthorizationType: 'JWT',
      AuthorizerId: { Ref: authorizer },
    });
    catalogue.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: {
        'Fn::GetAtt': [functionLogicalId(catalogue.template, `dev-${name}`), 'Arn'],
      },
    });
  });

  it('DESIGN section 3 routes, exactly, and none open', () => {
    const routes = Object.values(resourcesOf(catalogue.template, 'AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      [
        'GET /classes/{class_code}/modules/{module_id}/results',
        'GET /parents/{id}/summary',
        'GET /students/{id}/progress',
        'GET /students/{id}/review',
        'GET /classes/{class_code}/review',
        'POST /answers',
      ].sort(),
    );
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('JWT');
    const deployedRoutes = Object.values(
      resourcesOf(deployed.template, 'AWS::ApiGatewayV2::Route'),
    );
    expect(deployedRoutes).toHaveLength(routed(deployedFunctions()).length);
  });

  /** The app client (the other one is the TOTP set-up client, docs/deployment.md). */
  const appClientId = (): string => {
    const clients = resourcesOf(catalogue.template, 'AWS::Cognito::UserPoolClient');
    const ids = Object.keys(clients).filter(
      (id) => !String(clients[id]?.Properties?.ClientName ?? '').endsWith('-totp-setup'),
    );
    if (ids.length !== 1) throw new Error(`${ids.length} app clients`);
    return ids[0] as string;
  };

  it('the authorizer checks the Cognito pool as issuer and its app client as audience', () => {
    const pool = logicalIdOfType(catalogue, 'AWS::Cognito::UserPool');
    const client = appClientId();
    catalogue.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: client }],
        Issuer: {
          'Fn::Join': [
            '',
            ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: pool }],
          ],
        },
      },
    });
  });

  it('users carry custom:role, which only administrators can set', () => {
    catalogue.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'role', AttributeDataType: 'String', Mutable: true }),
      ]),
    });
    const client = resourcesOf(catalogue.template, 'AWS::Cognito::UserPoolClient')[appClientId()]
      ?.Properties;
    expect(client?.ReadAttributes).toContain('custom:role');
    expect(client?.WriteAttributes).toBeDefined();
    expect(client?.WriteAttributes).not.toContain('custom:role');
  });

  it("the app client allows SRP and the administrators' password flow, nothing else", () => {
    const client = Object.values(resourcesOf(catalogue.template, 'AWS::Cognito::UserPoolClient'))[0]
      ?.Properties;
    expect([...((client?.ExplicitAuthFlows ?? []) as string[])].sort()).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });

  it('the $default stage is throttled and auto-deployed', () => {
    catalogue.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    const { template } = synth({
      context: { throttleRate: '20', throttleBurst: '40' },
      functionNames: ['parent_summary'],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('every route has its own throttle, its share of the stage, and the stage waits for the routes', () => {
    const [stageId, stage] = Object.entries(
      resourcesOf(catalogue.template, 'AWS::ApiGatewayV2::Stage'),
    )[0] ?? ['', undefined];
    const keys = routed(functionNames).map((name) => {
      const { trigger } = functions[name];
      return trigger.kind === 'http' ? `${trigger.route.method} ${trigger.route.path}` : name;
    });
    expect(stage?.Properties.RouteSettings).toEqual({
      'POST /answers': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      'GET /classes/{class_code}/modules/{module_id}/results': {
        ThrottlingRateLimit: 20,
        ThrottlingBurstLimit: 40,
      },
      'GET /students/{id}/progress': { ThrottlingRateLimit: 30, ThrottlingBurstLimit: 60 },
      'GET /parents/{id}/summary': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'GET /students/{id}/review': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'GET /classes/{class_code}/review': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
    expect(Object.keys(stage?.Properties.RouteSettings ?? {}).sort()).toEqual(keys.sort());
    // API Gateway refuses settings for a route key it does not know yet.
    const routes = Object.entries(resourcesOf(catalogue.template, 'AWS::ApiGatewayV2::Route'));
    const dependsOn = catalogue.template.toJSON().Resources[stageId].DependsOn as string[];
    for (const [routeId, route] of routes) {
      expect(keys).toContain(route.Properties.RouteKey);
      expect(dependsOn).toContain(routeId);
    }
    // No route alone can take the whole stage.
    for (const name of routed(functionNames)) {
      if (name in ROUTE_THROTTLE_SHARES) {
        expect(ROUTE_THROTTLE_SHARES[name as keyof typeof ROUTE_THROTTLE_SHARES]).toBeLessThan(1);
      }
    }
  });

  it('route throttles scale with the stage, at least 1 each', () => {
    expect(routeThrottle('record_answers', { rateLimit: 1000, burstLimit: 2000 })).toEqual({
      rateLimit: 500,
      burstLimit: 1000,
    });
    expect(routeThrottle('module_results', { rateLimit: 1, burstLimit: 2 })).toEqual({
      rateLimit: 1,
      burstLimit: 1,
    });
  });

  it('prod keeps its users: the pool is retained and deletion-protected', () => {
    const { template } = synth({
      context: { stage: 'prod', alarmEmail: 'ops@example.com' },
      functionNames: ['parent_summary'],
    });
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE', UserPoolName: 'lms-prod' }),
    });
  });
});
