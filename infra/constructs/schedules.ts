/**
 * The scheduled jobs: EventBridge Scheduler schedules from the catalogue (the same ones the
 * local stack runs), in `LMS_TIMEZONE`, with retries and one dead-letter queue for every
 * run that failed for good. A job the catalogue runs as a workflow has its state machine
 * started instead of its function invoked.
 */
import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { functions, schedulerExpression } from '../../src/catalog/functions.ts';
import { isWorkflowJob } from '../../src/catalog/workflows.ts';
import type { StageSettings } from '../settings.ts';
import { InvokeFunction } from './invoke-target.ts';
import { LmsWorkflows } from './workflows.ts';

/** How often a failed run is tried again, and for how long, before it is dead-lettered. */
export const RUN_RETRIES = 2;
export const RUN_MAX_AGE = Duration.hours(1);

export interface LmsSchedulesProps {
  readonly settings: StageSettings;
  /** The deployed functions; only scheduled ones get a schedule. */
  readonly functions: ReadonlyMap<FunctionName, IFunction>;
}

/**
 * One schedule per scheduled function, in the schedule group `lms-${stage}`.
 *
 * A run can fail in two places and both end in the `failedRuns` queue:
 * - delivery (the scheduler could not invoke or start: throttled, no permission): the
 *   schedule's own retry policy, then its dead-letter queue;
 * - the run itself: the scheduler invokes Lambda asynchronously, so a handler error is
 *   retried by Lambda's asynchronous invocation settings, then sent to the same queue as
 *   an on-failure destination (with the error in the message); a workflow retries its
 *   tasks itself and reports to the same queue from its `Report failure` state.
 * Runs are idempotent (they recompute and write only what changed), so retries are safe.
 * Disabled catalogue schedules are deployed DISABLED: ready to switch on, never firing.
 *
 * @example
 * ```ts
 * const s = new LmsSchedules(stack, 'Schedules', { settings, functions: fns.byName });
 * s.failedRuns; // the queue an alarm watches
 * s.workflows.byName.get('aggregate_students'); // the state machine its schedule starts
 * ```
 */
export class LmsSchedules extends Construct {
  readonly failedRuns: Queue;
  readonly group: ScheduleGroup;
  /** The state machines of the jobs that run as workflows (they report to `failedRuns`). */
  readonly workflows: LmsWorkflows;
  readonly byName = new Map<FunctionName, Schedule>();

  constructor(scope: Construct, id: string, props: LmsSchedulesProps) {
    super(scope, id);
    const { settings } = props;
    this.failedRuns = new Queue(this, 'FailedRuns', {
      queueName: `lms-${settings.stage}-failed-runs`,
      // The longest SQS keeps a message: time to look at a failed run after a holiday.
      retentionPeriod: Duration.days(14),
      // SSE-SQS, not a KMS key: the scheduler can deliver to it without a key policy.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: `lms-${settings.stage}`,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.workflows = new LmsWorkflows(this, 'Workflows', {
      settings,
      functions: props.functions,
      failedRuns: this.failedRuns,
    });
    const timeZone = TimeZone.of(settings.timezone);
    for (const [name, fn] of props.functions) {
      const definition = functions[name];
      if (definition.trigger.kind !== 'schedule') continue;
      const { schedule } = definition.trigger;
      const delivery = {
        input: ScheduleTargetInput.fromObject(schedule.input),
        retryAttempts: RUN_RETRIES,
        maxEventAge: RUN_MAX_AGE,
        deadLetterQueue: this.failedRuns,
      };
      let target: InvokeFunction | StepFunctionsStartExecution;
      if (isWorkflowJob(name)) {
        const stateMachine = this.workflows.byName.get(name);
        if (stateMachine === undefined) throw new Error(`no state machine for ${name}`);
        target = new StepFunctionsStartExecution(stateMachine, delivery);
      } else {
        fn.configureAsyncInvoke({
          retryAttempts: RUN_RETRIES,
          maxEventAge: RUN_MAX_AGE,
          onFailure: new SqsDestination(this.failedRuns),
        });
        target = new InvokeFunction(fn, delivery);
      }
      this.byName.set(
        name,
        new Schedule(this, name, {
          scheduleName: name,
          scheduleGroup: this.group,
          description: definition.description,
          schedule: ScheduleExpression.expression(schedulerExpression(schedule), timeZone),
          // Jobs read "today" in LMS_TIMEZONE: they must start when the catalogue says.
          timeWindow: TimeWindow.off(),
          enabled: schedule.enabled,
          target,
        }),
      );
    }
  }
}
