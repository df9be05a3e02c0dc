/**
 * The alarms of a stage, in the template: what fires on a 500 the functions answer (an ERROR
 * log line, counted by a metric filter on each function's log group, and the API's 5xx),
 * on throttling, on a job near its timeout; and that every alarm reaches the topic.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ERROR_MIN_REQUESTS,
  CLIENT_ERROR_RATE_PERCENT,
  ERROR_LINE_PATTERN,
  ERROR_LINES_NAMESPACE,
  nearTimeoutMs,
  THROTTLED_LINE_PATTERN,
  THROTTLED_REQUESTS_NAMESPACE,
  THROTTLED_REQUESTS_THRESHOLD,
} from '../../infra/constructs/alarms.ts';
import { functionNames, functions } from '../../src/catalog/functions.ts';
import { workflowNames } from '../../src/catalog/workflows.ts';
import { physicalName, tableNames, tables } from '../../src/tables/definitions.ts';
import { MIN_RESERVE_MS } from '../../src/workflow/work-shard.ts';
import { matchesFilterPattern } from '../support/filter-pattern.ts';
import {
  type CfnResource,
  functionLogicalId,
  resourcesOf,
  type Synthesized,
  synth,
} from './support.ts';

let stack: Synthesized;
beforeAll(() => {
  stack = synth({ context: { stage: 'dev' }, functionNames });
});

const only = (type: string): string => {
  const ids = Object.keys(resourcesOf(stack.template, type));
  if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type}`);
  return ids[0] as string;
};

const alarms = (): CfnResource[] =>
  Object.values(resourcesOf(stack.template, 'AWS::CloudWatch::Alarm'));

/** The alarms whose single metric is `namespace`/`metricName`. */
const alarmsOn = (namespace: string, metricName: string): CfnResource[] =>
  alarms().filter(
    (alarm) =>
      alarm.Properties.Namespace === namespace && alarm.Properties.MetricName === metricName,
  );

const logGroupLogicalId = (name: string): string => {
  const matches = Object.entries(resourcesOf(stack.template, 'AWS::Logs::LogGroup')).filter(
    ([, group]) => group.Properties.LogGroupName === `/aws/lambda/dev-${name}`,
  );
  if (matches.length !== 1) throw new Error(`${matches.length} log groups of ${name}`);
  return (matches[0] as [string, CfnResource])[0];
};

describe('a forced 500 raises an alarm', () => {
  it.each(functionNames)(
    '%s: a metric filter counts the ERROR lines of its log group, and an alarm on them notifies the topic',
    (name) => {
      const filters = Object.values(resourcesOf(stack.template, 'AWS::Logs::MetricFilter')).filter(
        (filter) =>
          JSON.stringify(filter.Properties.LogGroupName) ===
          JSON.stringify({ Ref: logGroupLogicalId(name) }),
      );
      // The pattern `test/http/http-handler.test.ts` proves a real 500's log line matches.
      expect(filters.map((filter) => filter.Properties)).toEqual([
        {
          LogGroupName: { Ref: logGroupLogicalId(name) },
          FilterPattern: ERROR_LINE_PATTERN.logPatternString,
          MetricTransformations: [
            { MetricNamespace: ERROR_LINES_NAMESPACE, MetricName: `dev-${name}`, MetricValue: '1' },
          ],
        },
      ]);
      const topic = { Ref: only('AWS::SNS::Topic') };
      expect(alarmsOn(ERROR_LINES_NAMESPACE, `dev-${name}`).map((a) => a.Properties)).toEqual([
        expect.objectContaining({
          AlarmName: `lms-dev-${name}-error-lines`,
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [topic],
          OKActions: [topic],
        }),
      ]);
    },
  );

  it('the filter pattern is the JSON level Powertools writes', () => {
    expect(ERROR_LINE_PATTERN.logPatternString).toBe('{ $.level = "ERROR" }');
  });

  it('the HTTP API stage answering 5xx alarms', () => {
    expect(alarmsOn('AWS/ApiGateway', '5xx').map((a) => a.Properties)).toEqual([
      expect.objectContaining({
        AlarmName: 'lms-dev-api-5xx',
        Dimensions: expect.arrayContaining([
          { Name: 'ApiId', Value: { Ref: only('AWS::ApiGatewayV2::Api') } },
          { Name: 'Stage', Value: '$default' },
        ]),
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: only('AWS::SNS::Topic') }],
      }),
    ]);
  });
});

describe('the HTTP API refusing requests', () => {
  it('a 4xx rate over 10 % for two periods alarms, judged only over 100 requests a period', () => {
    const alarm = alarms().find((a) => a.Properties.AlarmName === 'lms-dev-api-4xx-rate');
    expect(alarm?.Properties).toMatchObject({
      Threshold: CLIENT_ERROR_RATE_PERCENT,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    const queries = alarm?.Properties.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] } };
    }[];
    const api = { Ref: only('AWS::ApiGatewayV2::Api') };
    const byId = Object.fromEntries(
      queries.flatMap((q) => (q.MetricStat === undefined ? [] : [[q.Id, q.MetricStat.Metric]])),
    );
    for (const [id, metricName] of [
      ['errors', '4xx'],
      ['requests', 'Count'],
    ] as const) {
      expect(byId[id]).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: metricName });
      expect(byId[id]?.Dimensions).toEqual(
        expect.arrayContaining([
          { Name: 'ApiId', Value: api },
          { Name: 'Stage', Value: '$default' },
        ]),
      );
    }
    expect(queries.find((q) => q.Expression !== undefined)?.Expression).toBe(
      'IF(FILL(requests, 0) >= 100, 100 * FILL(errors, 0) / requests, 0)',
    );
    expect(CLIENT_ERROR_MIN_REQUESTS).toBe(100);
  });

  it('429s in the access log (throttles and the answers cap) are counted, and 10 in 5 minutes alarm', () => {
    const accessLogs = Object.entries(resourcesOf(stack.template, 'AWS::Logs::LogGroup')).find(
      ([, group]) => group.Properties.LogGroupName === '/aws/apigateway/lms-dev',
    )?.[0];
    const filters = Object.values(resourcesOf(stack.template, 'AWS::Logs::MetricFilter')).filter(
      (filter) =>
        JSON.stringify(filter.Properties.LogGroupName) === JSON.stringify({ Ref: accessLogs }),
    );
    expect(filters.map((filter) => filter.Properties)).toEqual([
      {
        LogGroupName: { Ref: accessLogs },
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [
          {
            MetricNamespace: THROTTLED_REQUESTS_NAMESPACE,
            MetricName: 'lms-dev',
            MetricValue: '1',
          },
        ],
      },
    ]);
    expect(alarmsOn(THROTTLED_REQUESTS_NAMESPACE, 'lms-dev').map((a) => a.Properties)).toEqual([
      expect.objectContaining({
        AlarmName: 'lms-dev-api-429',
        Statistic: 'Sum',
        Period: 300,
        Threshold: THROTTLED_REQUESTS_THRESHOLD - 1,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: only('AWS::SNS::Topic') }],
      }),
    ]);
    expect(THROTTLED_REQUESTS_THRESHOLD).toBe(10);
  });

  it('the pattern matches the access log line of a 429, as the stage writes it, and no other', () => {
    const stage = Object.values(resourcesOf(stack.template, 'AWS::ApiGatewayV2::Stage'))[0];
    const format = String(
      (stage?.Properties.AccessLogSettings as { Format: string } | undefined)?.Format,
    );
    // API Gateway fills each $context variable in; the quotes around it stay.
    const line = (status: string) =>
      format.replace(/\$context\.[A-Za-z.]+/g, (variable) =>
        variable === '$context.status' ? status : 'x',
      );
    expect(format).toContain('"status":"$context.status"');
    const pattern = THROTTLED_LINE_PATTERN.logPatternString;
    expect(matchesFilterPattern(pattern, line('429'))).toBe(true);
    for (const status of ['200', '401', '403', '500']) {
      expect(matchesFilterPattern(pattern, line(status))).toBe(false);
    }
  });
});

describe('throttling', () => {
  it.each(functionNames)('%s: its throttled invocations alarm', (name) => {
    const fn = { Ref: functionLogicalId(stack.template, `dev-${name}`) };
    expect(
      alarmsOn('AWS/Lambda', 'Throttles')
        .filter(
          (a) =>
            JSON.stringify(a.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: fn }]),
        )
        .map((a) => a.Properties),
    ).toEqual([expect.objectContaining({ AlarmName: `lms-dev-${name}-throttles`, Threshold: 1 })]);
  });

  it.each(tableNames)(
    '%s: read and write throttle events of the table and each index alarm',
    (name) => {
      const tableName = physicalName('dev-', tables[name]);
      const alarm = alarms().find(
        (a) => a.Properties.AlarmName === `lms-dev-table-${name}-throttles`,
      );
      expect(alarm?.Properties).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
      const queries = alarm?.Properties.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: {
          Metric: {
            Namespace: string;
            MetricName: string;
            Dimensions: { Name: string; Value: string }[];
          };
          Stat: string;
        };
      }[];
      const watched = queries
        .flatMap((query) => (query.MetricStat === undefined ? [] : [query.MetricStat]))
        .map(({ Metric, Stat }) => {
          const index = Metric.Dimensions.find((d) => d.Name === 'GlobalSecondaryIndexName')?.Value;
          expect(Metric.Namespace).toBe('AWS/DynamoDB');
          expect(Stat).toBe('Sum');
          expect(Metric.Dimensions).toContainEqual({ Name: 'TableName', Value: tableName });
          return `${index ?? '(table)'} ${Metric.MetricName}`;
        });
      const targets = ['(table)', ...tables[name].indexes.map((index) => index.name)];
      expect(watched.sort()).toEqual(
        targets
          .flatMap((target) => [`${target} ReadThrottleEvents`, `${target} WriteThrottleEvents`])
          .sort(),
      );
      // Every metric of the expression is summed, none left out.
      const expression = queries.find((query) => query.Expression !== undefined)?.Expression ?? '';
      for (const query of queries.filter((q) => q.MetricStat !== undefined)) {
        expect(expression).toContain(`FILL(${query.Id}, 0)`);
      }
    },
  );
});

describe('a job near its timeout', () => {
  const scheduled = functionNames.filter((name) => functions[name].trigger.kind === 'schedule');

  it.each(scheduled)(
    '%s: its longest invocation of 5 minutes above the threshold alarms',
    (name) => {
      const fn = { Ref: functionLogicalId(stack.template, `dev-${name}`) };
      expect(
        alarmsOn('AWS/Lambda', 'Duration')
          .filter(
            (a) =>
              JSON.stringify(a.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'FunctionName', Value: fn }]),
          )
          .map((a) => a.Properties),
      ).toEqual([
        expect.objectContaining({
          AlarmName: `lms-dev-${name}-near-timeout`,
          Statistic: 'Maximum',
          Threshold: nearTimeoutMs(name),
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ]);
    },
  );

  it('is 80 % of the timeout for a job, the time a worker keeps in hand halved for a workflow', () => {
    expect(nearTimeoutMs('calc_all_stats')).toBe(
      0.8 * functions.calc_all_stats.timeoutSeconds * 1000,
    );
    for (const name of workflowNames) {
      const timeoutMs = functions[name].timeoutSeconds * 1000;
      expect(nearTimeoutMs(name)).toBe(timeoutMs - MIN_RESERVE_MS / 2);
      // Above what a worker reaches by design (it stops MIN_RESERVE_MS before the end).
      expect(nearTimeoutMs(name)).toBeGreaterThan(timeoutMs - MIN_RESERVE_MS);
    }
  });

  it('HTTP functions have none (API Gateway stops them at 29 s; their 5xx alarms)', () => {
    expect(
      alarms().filter((a) => String(a.Properties.AlarmName).endsWith('-near-timeout')),
    ).toHaveLength(
      functionNames.filter((name) => functions[name].trigger.kind === 'schedule').length,
    );
  });
});

describe('every alarm', () => {
  it('is named lms-<stage>-... (the topic policy lets only those publish) and notifies on alarm and recovery', () => {
    const topic = { Ref: only('AWS::SNS::Topic') };
    const all = alarms();
    const scheduled = functionNames.filter((name) => functions[name].trigger.kind === 'schedule');
    expect(all).toHaveLength(
      // errors, error lines, throttles per function; near-timeout per job; per table; API
      // 5xx, 4xx rate and 429; per workflow; the failed-runs queue.
      3 * functionNames.length +
        scheduled.length +
        tableNames.length +
        3 +
        workflowNames.length +
        1,
    );
    for (const alarm of all) {
      expect(String(alarm.Properties.AlarmName)).toMatch(/^lms-dev-/);
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
      expect(alarm.Properties.OKActions).toEqual([topic]);
    }
  });
});

describe('who the alarms reach', () => {
  const subscriptions = (context: Record<string, unknown>) =>
    Object.values(
      resourcesOf(
        synth({ context, functionNames: ['parent_summary'] }).template,
        'AWS::SNS::Subscription',
      ),
    ).map((subscription) => [subscription.Properties.Protocol, subscription.Properties.Endpoint]);

  it('a prod synth without a subscriber or the opt-out is refused', () => {
    expect(() => synth({ context: { stage: 'prod' }, functionNames: ['parent_summary'] })).toThrow(
      /stage=prod: its alarms would notify a topic nobody is subscribed to/,
    );
  });

  it.each([
    [{ alarmEmail: 'ops@example.com' }, [['email', 'ops@example.com']]],
    [
      { alarmUrl: 'https://events.pagerduty.com/integration/0123/enqueue' },
      [['https', 'https://events.pagerduty.com/integration/0123/enqueue']],
    ],
    [
      { alarmEmail: 'ops@example.com', alarmUrl: 'https://hooks.example.com/lms' },
      [
        ['email', 'ops@example.com'],
        ['https', 'https://hooks.example.com/lms'],
      ],
    ],
    [{ alarmsUnsubscribed: 'true' }, []],
  ])('prod with %j synthesizes, the topic subscribed as asked', (context, expected) => {
    expect(subscriptions({ stage: 'prod', ...context })).toEqual(expected);
  });

  it('another stage synthesizes without a subscriber', () => {
    expect(subscriptions({ stage: 'staging' })).toEqual([]);
  });
});
