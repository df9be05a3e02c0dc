/**
 * What pages a person: a 5xx of the HTTP API, its 4xx rate, its 429s; an ERROR line in any function's log (an HTTP
 * function answers an unexpected exception with a 500 reply, so Lambda's `Errors` stays 0
 * for it); an error of any function; a job near its timeout; throttled functions and
 * tables; a workflow execution that failed, timed out or was aborted; and a failed
 * scheduled run waiting in the dead-letter queue. All go to one SNS topic (and an e-mail
 * address when configured). docs/deployment.md's runbook says what each means.
 */
import { ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type FunctionName, functions } from '../../src/catalog/functions.ts';
import { METRICS_NAMESPACE } from '../../src/observability/metrics.ts';
import { physicalName, tableNames, tables } from '../../src/tables/definitions.ts';
import { MIN_RESERVE_MS } from '../../src/workflow/work-shard.ts';
import type { StageSettings } from '../settings.ts';
import type { LmsDatabase } from './database.ts';

export interface LmsAlarmsProps {
  readonly settings: StageSettings;
  readonly functions: ReadonlyMap<FunctionName, IFunction>;
  /** Each function's log group, for the metric filter on its ERROR lines. */
  readonly logGroups: ReadonlyMap<FunctionName, ILogGroup>;
  /** The stage of the HTTP API, whose 5xx replies and 4xx rate alarm. */
  readonly api: IHttpStage;
  /** The stage's JSON access log, whose 429 lines (throttled or capped requests) alarm. */
  readonly apiAccessLogs: ILogGroup;
  /** The state machines of the workflow jobs. */
  readonly workflows: ReadonlyMap<FunctionName, IStateMachine>;
  readonly failedRuns: IQueue;
  /** The PostgreSQL database of the stage (its alarms replace the tables' throttles). */
  readonly database?: LmsDatabase | undefined;
}

/** The database's CPU (Maximum over 5 minutes, percent) that alarms, two periods running. */
export const DATABASE_CPU_PERCENT = 80;
/**
 * Capacity in use, in percent of `databaseMaxAcu`, that alarms two periods running: the
 * cluster cannot grow further, and what needs more waits (raise `databaseMaxAcu`).
 */
export const DATABASE_ACU_PERCENT = 90;
/**
 * The proxy's database connections, in percent of what it may open, that alarm: the pool
 * is nearly exhausted and callers start waiting for a connection (`borrowTimeout`).
 */
export const PROXY_CONNECTIONS_PERCENT = 80;

/**
 * The log lines that count as errors: Powertools' JSON logger writes `"level":"ERROR"` for
 * `logger.error(...)`, which the HTTP frame does for every 500 and the job frames for every
 * failed or thrown run (`src/http/error-reply.ts`, `src/jobs/job-handler.ts`).
 */
export const ERROR_LINE_PATTERN = FilterPattern.stringValue('$.level', '=', 'ERROR');

/** Where the metric filters count ERROR lines: one metric per deployed function name. */
export const ERROR_LINES_NAMESPACE = `${METRICS_NAMESPACE}/error-lines`;

/**
 * The access-log lines of a 429: API Gateway's stage or route throttle (which HTTP APIs
 * report only inside `4xx`: they publish no throttle metric) and `record_answers`' cap per
 * student (`RATE_LIMITED`). The log's `status` is a JSON string (`src/http` never sets it:
 * the access log format of `http-api.ts` quotes it).
 */
export const THROTTLED_LINE_PATTERN = FilterPattern.stringValue('$.status', '=', '429');

/** Where the access log's 429 lines are counted: one metric per API (`lms-<stage>`). */
export const THROTTLED_REQUESTS_NAMESPACE = `${METRICS_NAMESPACE}/throttled-requests`;

/**
 * 429 replies in one 5-minute period that alarm. A client that honours `Retry-After` is
 * refused about once a minute while it waits, 5 a period; a throttled stage or route, or a
 * client that retries at once, far more.
 */
export const THROTTLED_REQUESTS_THRESHOLD = 10;

/**
 * The 4xx rate that alarms, in percent of requests, over two 5-minute periods running, and
 * only over at least {@link CLIENT_ERROR_MIN_REQUESTS} requests a period: a normal day's 4xx
 * (an expired token, a progress not yet aggregated, a child's 403) are a few percent; a
 * broken app release, a misconfigured authorizer or a flood refused by the throttles is
 * most of the traffic. The guard keeps a quiet night's single 401 (100 %) from paging.
 */
export const CLIENT_ERROR_RATE_PERCENT = 10;
/** Requests in a 5-minute period below which the 4xx rate is not judged (0.33 a second). */
export const CLIENT_ERROR_MIN_REQUESTS = 100;

/** A job without a workflow alarms when a run takes more than this share of its timeout. */
export const NEAR_TIMEOUT_SHARE = 0.8;

/**
 * Milliseconds of Lambda `Duration` above which a job's invocation is "near its timeout".
 * A workflow's worker works on until `MIN_RESERVE_MS` before its timeout by design, so it
 * alarms only when it ate half that reserve (a page took longer than its estimate: the
 * next, slower one times out); any other job at {@link NEAR_TIMEOUT_SHARE} of it.
 */
export const nearTimeoutMs = (name: FunctionName): number => {
  const definition = functions[name];
  const timeoutMs = definition.timeoutSeconds * 1000;
  return 'workflow' in definition
    ? timeoutMs - MIN_RESERVE_MS / 2
    : Math.round(timeoutMs * NEAR_TIMEOUT_SHARE);
};

const PERIOD = Duration.minutes(5);

/** CloudWatch's limit of metrics in one math expression. */
const MAX_EXPRESSION_METRICS = 10;

/**
 * A table's throttled reads and writes, its global secondary indexes' included (on-demand
 * tables throttle too, above their partition or account limits).
 */
const tableThrottles = (tableName: string, indexNames: readonly string[]): MathExpression => {
  const usingMetrics: Record<string, IMetric> = {};
  const targets = [{ TableName: tableName }].concat(
    indexNames.map((index) => ({ TableName: tableName, GlobalSecondaryIndexName: index })),
  );
  targets.forEach((dimensionsMap, i) => {
    for (const [kind, metricName] of [
      ['r', 'ReadThrottleEvents'],
      ['w', 'WriteThrottleEvents'],
    ] as const) {
      usingMetrics[`${kind}${i}`] = new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap,
        statistic: 'Sum',
        period: PERIOD,
      });
    }
  });
  const ids = Object.keys(usingMetrics);
  if (ids.length > MAX_EXPRESSION_METRICS) {
    throw new Error(`${tableName}: ${ids.length} throttle metrics, more than one alarm can sum`);
  }
  return new MathExpression({
    expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    period: PERIOD,
    label: 'read and write throttle events',
  });
};

/**
 * Every alarm fires on one bad 5-minute period and notifies on alarm and on recovery:
 * - per function: `Errors` (it threw), ERROR lines in its log (metric filter), `Throttles`;
 *   per scheduled job also its `Duration` Maximum near the timeout ({@link nearTimeoutMs});
 * - per table (created or external): its read and write throttle events;
 * - the HTTP API stage's 5xx replies; its 4xx rate (two periods running, over a minimum of
 *   traffic); its 429 replies, counted in its access log (HTTP APIs publish no throttle
 *   metric, and the functions' own 429 is a 4xx like any other to API Gateway);
 * - per workflow: executions that failed, timed out or were aborted;
 * - the failed-runs queue holding a message.
 * Missing data is "not breaching": a job that ran fine yesterday has no datapoints today.
 *
 * @example
 * ```ts
 * const alarms = new LmsAlarms(stack, 'Alarms', { settings, functions, logGroups, api, workflows, failedRuns });
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
    if (settings.alarmUrl !== undefined) {
      this.topic.addSubscription(new UrlSubscription(settings.alarmUrl));
    }
    const action = new SnsAction(this.topic);
    const notify = (alarm: Alarm): void => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    };

    /** An alarm named `lms-<stage>-<id>`: on any occurrence, or on a value above `above`. */
    const alarm = (id: string, description: string, metric: IMetric, above?: number): void =>
      notify(
        new Alarm(this, id, {
          alarmName: `lms-${settings.stage}-${id}`,
          alarmDescription: description,
          metric,
          threshold: above ?? 1,
          evaluationPeriods: 1,
          comparisonOperator:
            above === undefined
              ? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
              : ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    const sum = { period: PERIOD, statistic: 'Sum' };

    for (const [name, fn] of props.functions) {
      const deployed = `${settings.stage}-${name}`;
      const logs = `/aws/lambda/${deployed}`;
      alarm(`${name}-errors`, `${name} failed (see ${logs})`, fn.metricErrors(sum));
      const logGroup = props.logGroups.get(name);
      if (logGroup === undefined) throw new Error(`no log group for ${name}`);
      const errorLines = new MetricFilter(this, `${name}-error-lines-filter`, {
        logGroup,
        filterPattern: ERROR_LINE_PATTERN,
        metricNamespace: ERROR_LINES_NAMESPACE,
        metricName: deployed,
        metricValue: '1',
      });
      alarm(
        `${name}-error-lines`,
        `${name} logged an ERROR line, e.g. a 500 reply or a failed run (see ${logs})`,
        errorLines.metric(sum),
      );
      alarm(
        `${name}-throttles`,
        `${name}: invocations throttled (account or reserved concurrency exhausted)`,
        fn.metricThrottles(sum),
      );
      if (functions[name].trigger.kind === 'schedule') {
        const threshold = nearTimeoutMs(name);
        alarm(
          `${name}-near-timeout`,
          `${name}: an invocation ran longer than ${threshold} ms of its ${functions[name].timeoutSeconds} s timeout (see ${logs})`,
          fn.metricDuration({ period: PERIOD, statistic: 'Maximum' }),
          threshold,
        );
      }
    }
    // DynamoDB's tables, or the database of a stage on PostgreSQL (which has no table).
    const database = props.database;
    for (const name of database === undefined ? tableNames : []) {
      const definition = tables[name];
      const tableName = physicalName(settings.tablePrefix, definition);
      alarm(
        `table-${name}-throttles`,
        `DynamoDB throttled requests on ${tableName} or its indexes`,
        tableThrottles(
          tableName,
          definition.indexes.map((index) => index.name),
        ),
      );
    }
    if (database !== undefined) {
      const twoPeriods = (id: string, description: string, metric: IMetric, above: number) =>
        notify(
          new Alarm(this, id, {
            alarmName: `lms-${settings.stage}-${id}`,
            alarmDescription: description,
            metric,
            threshold: above,
            evaluationPeriods: 2,
            datapointsToAlarm: 2,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        );
      const cluster = `lms-${settings.stage}`;
      const max = { period: PERIOD, statistic: 'Maximum' };
      twoPeriods(
        'database-cpu',
        `the database ${cluster} used more than ${DATABASE_CPU_PERCENT} % CPU for 10 minutes`,
        database.cluster.metricCPUUtilization(max),
        DATABASE_CPU_PERCENT,
      );
      twoPeriods(
        'database-acu-at-max',
        `the database ${cluster} used more than ${DATABASE_ACU_PERCENT} % of its ${database.maxCapacity} ACUs for 10 minutes (raise databaseMaxAcu)`,
        database.cluster.metric('ACUUtilization', max),
        DATABASE_ACU_PERCENT,
      );
      const proxy = (metricName: string, statistic: string) =>
        new Metric({
          namespace: 'AWS/RDS',
          metricName,
          dimensionsMap: { ProxyName: database.proxy.dbProxyName },
          statistic,
          period: PERIOD,
        });
      twoPeriods(
        'database-proxy-connections',
        `RDS Proxy ${cluster} held more than ${PROXY_CONNECTIONS_PERCENT} % of the database connections it may open for 10 minutes: callers wait for one`,
        new MathExpression({
          expression: `100 * FILL(connections, 0) / allowed`,
          usingMetrics: {
            connections: proxy('DatabaseConnections', 'Maximum'),
            allowed: proxy('MaxDatabaseConnectionsAllowed', 'Minimum'),
          },
          period: PERIOD,
          label: 'database connections in % of the allowed',
        }),
        PROXY_CONNECTIONS_PERCENT,
      );
      alarm(
        'database-proxy-auth-failures',
        `RDS Proxy ${cluster} refused connections (an IAM token or TLS it did not accept: a function's rds-db:connect grant, its DATABASE_URL user)`,
        proxy('ClientConnectionsSetupFailedAuth', 'Sum'),
      );
    }
    alarm(
      'api-5xx',
      `the HTTP API lms-${settings.stage} answered 5xx (the functions' ERROR lines say why)`,
      props.api.metricServerError(sum),
    );
    notify(
      new Alarm(this, 'api-4xx-rate', {
        alarmName: `lms-${settings.stage}-api-4xx-rate`,
        alarmDescription: `the HTTP API lms-${settings.stage} answered more than ${CLIENT_ERROR_RATE_PERCENT} % 4xx for 10 minutes (at least ${CLIENT_ERROR_MIN_REQUESTS} requests per 5 minutes)`,
        metric: new MathExpression({
          // Below the minimum traffic the rate is 0: one refused request of a quiet night is
          // no incident, however large its share.
          expression: `IF(FILL(requests, 0) >= ${CLIENT_ERROR_MIN_REQUESTS}, 100 * FILL(errors, 0) / requests, 0)`,
          usingMetrics: {
            errors: props.api.metricClientError(sum),
            requests: props.api.metricCount(sum),
          },
          period: PERIOD,
          label: '4xx in % of requests',
        }),
        threshold: CLIENT_ERROR_RATE_PERCENT,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    const throttled = new MetricFilter(this, 'api-429-filter', {
      logGroup: props.apiAccessLogs,
      filterPattern: THROTTLED_LINE_PATTERN,
      metricNamespace: THROTTLED_REQUESTS_NAMESPACE,
      metricName: `lms-${settings.stage}`,
      metricValue: '1',
    });
    alarm(
      'api-429',
      `the HTTP API lms-${settings.stage} answered 429 at least ${THROTTLED_REQUESTS_THRESHOLD} times in 5 minutes: its throttles (stage or route) or the answers cap per student`,
      throttled.metric(sum),
      THROTTLED_REQUESTS_THRESHOLD - 1,
    );
    for (const [name, stateMachine] of props.workflows) {
      alarm(
        `${name}-workflow`,
        `${name}: a workflow execution failed, timed out or was aborted (state machine ${settings.stage}-${name})`,
        // A timed-out or aborted run never reaches its Report failure state: watched here.
        new MathExpression({
          expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
          usingMetrics: {
            failed: stateMachine.metricFailed(sum),
            timedOut: stateMachine.metricTimedOut(sum),
            aborted: stateMachine.metricAborted(sum),
          },
          period: PERIOD,
          label: 'executions failed, timed out or aborted',
        }),
      );
    }
    alarm(
      'failed-runs',
      'a scheduled run failed after its retries (messages in the failed-runs queue)',
      props.failedRuns.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
    );
  }
}
