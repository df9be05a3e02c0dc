/**
 * A schedule target that invokes a Lambda function by its unqualified ARN, with a role
 * that may invoke exactly that ARN.
 *
 * Why not `LambdaInvoke` of aws-scheduler-targets: it grants through `grantInvoke`, which
 * adds `<function ARN>:*` (every version and alias) too. The schedules invoke `$LATEST` by
 * the unqualified ARN and the stack publishes no version or alias, so that wildcard would
 * be privilege nobody uses (and cdk-nag's IAM5). Only the role statement differs: the
 * target, retries and dead-letter queue are the library's own `ScheduleTargetBase`.
 */
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleTarget } from 'aws-cdk-lib/aws-scheduler';
import {
  ScheduleTargetBase,
  type ScheduleTargetBaseProps,
} from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * @example
 * ```ts
 * new Schedule(scope, 'Nightly', { schedule, target: new InvokeFunction(fn, { deadLetterQueue }) });
 * ```
 */
export class InvokeFunction extends ScheduleTargetBase implements IScheduleTarget {
  constructor(
    private readonly fn: IFunction,
    props: ScheduleTargetBaseProps = {},
  ) {
    super(props, fn.functionArn);
  }

  protected addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [this.fn.functionArn],
      }),
    );
  }
}
