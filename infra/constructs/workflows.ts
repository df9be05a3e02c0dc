/**
 * The jobs that run as Step Functions workflows: one state machine per catalogued workflow
 * (`src/catalog/workflows.ts`), from the very definition the local stack runs, with the
 * deployed function's ARN and the failed-runs queue's URL substituted in.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import {
  DefinitionBody,
  type DefinitionConfig,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '../../src/catalog/functions.ts';
import { type AslDefinition, workflowDefinition, workflowOf } from '../../src/catalog/workflows.ts';
import type { StageSettings } from '../settings.ts';

/** The placeholders CloudFormation fills in (`DefinitionSubstitutions`). */
export const SUBSTITUTION = {
  FunctionArn: 'FunctionArn',
  FailedRunsQueueUrl: 'FailedRunsQueueUrl',
} as const;
/** `${FunctionArn}`: CloudFormation's placeholder syntax. */
export const placeholder = (key: string): string => `\${${key}}`;

/**
 * The catalogue's ASL as the template's `Definition` (a JSON object, readable in the
 * console and in `cdk diff`), neither re-expressed as CDK states nor stringified.
 */
class AslDefinitionBody extends DefinitionBody {
  constructor(private readonly definition: AslDefinition) {
    super();
  }

  override bind(): DefinitionConfig {
    return { definition: this.definition };
  }
}

export interface LmsWorkflowsProps {
  readonly settings: StageSettings;
  /** The deployed functions; those the catalogue runs as workflows get a state machine. */
  readonly functions: ReadonlyMap<FunctionName, IFunction>;
  readonly failedRuns: IQueue;
}

/**
 * One STANDARD state machine per workflow job, named `${stage}-${name}` like its function.
 * Its role may invoke that function (its unqualified ARN, as the definition names it) and
 * send to the failed-runs queue, nothing else (besides what CloudWatch Logs delivery
 * requires); failures are
 * logged with their data at ERROR level to `/aws/vendedlogs/states/${stage}-${name}`.
 *
 * @example
 * ```ts
 * const workflows = new LmsWorkflows(stack, 'Workflows', { settings, functions, failedRuns });
 * workflows.byName.get('aggregate_students'); // the StateMachine the schedule starts
 * ```
 */
export class LmsWorkflows extends Construct {
  readonly byName = new Map<FunctionName, StateMachine>();

  constructor(scope: Construct, id: string, props: LmsWorkflowsProps) {
    super(scope, id);
    const { settings } = props;
    for (const [name, fn] of props.functions) {
      if (workflowOf(name) === undefined) continue;
      const stateMachineName = `${settings.stage}-${name}`;
      const logGroup = new LogGroup(this, `${name}-logs`, {
        // The vended-logs prefix keeps CloudWatch's resource policy for Step Functions short.
        logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
        retention: settings.production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH,
        removalPolicy: settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      const stateMachine = new StateMachine(this, name, {
        stateMachineName,
        // Standard, not Express: a run lasts longer than Express's five minutes.
        stateMachineType: StateMachineType.STANDARD,
        comment: `${name} as a sharded workflow (lms-lambdas, ${settings.stage})`,
        definitionBody: new AslDefinitionBody(
          workflowDefinition(name, {
            functionArn: placeholder(SUBSTITUTION.FunctionArn),
            failedRunsQueueUrl: placeholder(SUBSTITUTION.FailedRunsQueueUrl),
          }),
        ),
        definitionSubstitutions: {
          [SUBSTITUTION.FunctionArn]: fn.functionArn,
          [SUBSTITUTION.FailedRunsQueueUrl]: props.failedRuns.queueUrl,
        },
        // Failures only, with their input and error: counts and cursors, never the data.
        logs: { destination: logGroup, level: LogLevel.ERROR, includeExecutionData: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      grantRun(stateMachine, fn, props.failedRuns);
      this.byName.set(name, stateMachine);
    }
  }
}

/**
 * Invoke this function and report to the queue: no more. The definition invokes the
 * unqualified ARN and no version or alias is published, so `<ARN>:*` is not granted.
 */
const grantRun = (stateMachine: StateMachine, fn: IFunction, failedRuns: IQueue): void => {
  stateMachine.addToRolePolicy(
    new PolicyStatement({
      sid: 'InvokeOwnFunction',
      effect: Effect.ALLOW,
      actions: ['lambda:InvokeFunction'],
      resources: [fn.functionArn],
    }),
  );
  stateMachine.addToRolePolicy(
    new PolicyStatement({
      sid: 'ReportFailedRun',
      effect: Effect.ALLOW,
      actions: ['sqs:SendMessage'],
      resources: [failedRuns.queueArn],
    }),
  );
};
