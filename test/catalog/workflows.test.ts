import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { functionNames, functions } from '../../src/catalog/functions.ts';
import {
  LAMBDA_INVOKE,
  NotAWorkflowError,
  SQS_SEND_MESSAGE,
  shardedJobDefinition,
  WORKFLOW_STATE,
  workflowDefinition,
  workflowNames,
} from '../../src/catalog/workflows.ts';

/** What the CDK stack substitutes (DefinitionSubstitutions) and what the local runner passes. */
const FUNCTION_ARN = 'arn:aws:lambda:eu-central-1:111122223333:function:dev-aggregate_students';
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/111122223333/lms-dev-failed-runs';
const deployed = { functionArn: FUNCTION_ARN, failedRunsQueueUrl: QUEUE_URL };
const local = { functionArn: 'aggregate_students', failedRunsQueueUrl: 'local:failed-runs' };

const validate = (definition: unknown) =>
  // The validator adds QueryLanguage to every state: give it a copy.
  aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

describe('job workflows (src/catalog/workflows.ts)', () => {
  it('the aggregate jobs run as workflows, and only scheduled functions can', () => {
    expect(workflowNames).toEqual(['aggregate_students', 'aggregate_parents']);
    for (const name of workflowNames) expect(functions[name].trigger.kind).toBe('schedule');
    expect(() => workflowDefinition('calc_all_stats', deployed)).toThrow(NotAWorkflowError);
    expect(functionNames).toEqual(expect.arrayContaining([...workflowNames]));
  });

  it.each(workflowNames)('%s: valid Amazon States Language (asl-validator)', (name) => {
    for (const resources of [deployed, local]) {
      const result = validate(workflowDefinition(name, resources));
      expect(result.errorsText('\n')).toBe('');
      expect(result.isValid).toBe(true);
    }
  });

  it('the validator does catch a broken definition (the test can fail)', () => {
    const definition = workflowDefinition('aggregate_students', deployed);
    const broken = {
      ...definition,
      States: { ...definition.States, Plan: { ...definition.States.Plan, Next: 'Nowhere' } },
    };
    expect(validate(broken).isValid).toBe(false);
  });

  it('plan → busy? → a Map of work loops per shard → finish, each phase a lambda:invoke', () => {
    const { States, StartAt, TimeoutSeconds } = workflowDefinition('aggregate_students', deployed);
    expect(StartAt).toBe(WORKFLOW_STATE.Plan);
    expect(TimeoutSeconds).toBe(6 * 3600);
    expect(States[WORKFLOW_STATE.Plan]).toMatchObject({
      Resource: LAMBDA_INVOKE,
      Parameters: { FunctionName: FUNCTION_ARN, Payload: { phase: 'plan', 'options.$': '$' } },
      OutputPath: '$.Payload',
      TimeoutSeconds: 960,
      Next: WORKFLOW_STATE.Busy,
    });
    expect(States[WORKFLOW_STATE.Busy]).toMatchObject({
      Choices: [{ Variable: '$.busy', BooleanEquals: true, Next: WORKFLOW_STATE.Skipped }],
      Default: WORKFLOW_STATE.Shards,
    });
    const map = States[WORKFLOW_STATE.Shards];
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.shards',
      ItemSelector: { phase: 'work', 'run.$': '$.run', 'shard.$': '$$.Map.Item.Value' },
      MaxConcurrency: 8,
      ResultPath: '$.shards',
      Next: WORKFLOW_STATE.Finish,
    });
    expect(map?.ItemProcessor).toMatchObject({
      StartAt: WORKFLOW_STATE.Work,
      States: {
        [WORKFLOW_STATE.Work]: {
          Resource: LAMBDA_INVOKE,
          Parameters: { Payload: { phase: 'work', 'run.$': '$.run', 'shard.$': '$.shard' } },
          Next: WORKFLOW_STATE.ShardDone,
        },
        [WORKFLOW_STATE.ShardDone]: {
          Choices: [{ Variable: '$.done', BooleanEquals: false, Next: WORKFLOW_STATE.Work }],
        },
      },
    });
    expect(States[WORKFLOW_STATE.Finish]).toMatchObject({
      Parameters: { Payload: { phase: 'finish', 'run.$': '$.run', 'shards.$': '$.shards' } },
      End: true,
    });
  });

  it('Lambda tasks retry with backoff; any failure left is reported to the queue, then fails', () => {
    const { States } = workflowDefinition('aggregate_parents', deployed);
    const processor = States[WORKFLOW_STATE.Shards]?.ItemProcessor as { States: typeof States };
    const work = processor.States[WORKFLOW_STATE.Work];
    for (const task of [States[WORKFLOW_STATE.Plan], work, States[WORKFLOW_STATE.Finish]]) {
      expect(task?.Retry).toEqual([
        expect.objectContaining({
          ErrorEquals: expect.arrayContaining([
            'Lambda.ServiceException',
            'Lambda.TooManyRequestsException',
            'Lambda.SdkClientException',
          ]),
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        }),
        expect.objectContaining({ ErrorEquals: ['States.TaskFailed', 'States.Timeout'] }),
      ]);
    }
    for (const state of [WORKFLOW_STATE.Plan, WORKFLOW_STATE.Shards, WORKFLOW_STATE.Finish]) {
      expect(States[state]?.Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: WORKFLOW_STATE.ReportFailure },
      ]);
    }
    expect(States[WORKFLOW_STATE.ReportFailure]).toMatchObject({
      Resource: SQS_SEND_MESSAGE,
      Parameters: {
        QueueUrl: QUEUE_URL,
        MessageBody: { job: 'aggregate_parents', 'error.$': '$.error' },
      },
      ResultPath: null,
      Next: WORKFLOW_STATE.Failed,
    });
    expect(States[WORKFLOW_STATE.Failed]).toEqual({
      Type: 'Fail',
      ErrorPath: '$.error.Error',
      CausePath: '$.error.Cause',
    });
  });

  it('a pure function: the concurrency and timeouts are its parameters', () => {
    const options = {
      ...deployed,
      job: 'calc_all_stats',
      functionTimeoutSeconds: 300,
      workflow: { maxConcurrency: 3, timeoutSeconds: 3600 },
    };
    const definition = shardedJobDefinition(options);
    expect(shardedJobDefinition(options)).toEqual(definition);
    expect(definition.TimeoutSeconds).toBe(3600);
    expect(definition.States[WORKFLOW_STATE.Shards]?.MaxConcurrency).toBe(3);
    expect(definition.States[WORKFLOW_STATE.Finish]?.TimeoutSeconds).toBe(360);
    expect(validate(definition).isValid).toBe(true);
  });
});
