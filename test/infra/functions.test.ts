import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { deployedFunctions } from '../../infra/bundling.ts';
import {
  type FunctionName,
  functionNames,
  functions,
  type ItemAccess,
  type TableAccess,
} from '../../src/catalog/functions.ts';
import { grantsOf, resourcesOf, type Synthesized, statementsOf, synth } from './support.ts';

/**
 * The access contract of the deployed, written out again on purpose (not imported from
 * `infra/access.ts`): the test states what each kind of access must allow.
 */
const allowed: Record<ItemAccess, string> = {
  get: 'dynamodb:GetItem',
  'batch-get': 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
  scan: 'dynamodb:Scan',
  update: 'dynamodb:UpdateItem',
  put: 'dynamodb:PutItem',
  'batch-write': 'dynamodb:BatchWriteItem',
  delete: 'dynamodb:DeleteItem',
};
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const HTTP_FUNCTIONS = functionNames.filter((name) => functions[name].trigger.kind === 'http');

/** What a function's role must reach: exactly this, resource by resource. */
const expectedGrants = (name: FunctionName, prefix: string): Map<string, string[]> => {
  const expected = new Map<string, string[]>();
  for (const [table, accesses] of Object.entries(functions[name].tables)) {
    const items: string[] = [];
    for (const access of accesses as readonly TableAccess[]) {
      const index = /^query-index:(.+)$/.exec(access)?.[1];
      if (index !== undefined) expected.set(`index:${prefix}${table}/${index}`, ['dynamodb:Query']);
      else items.push(allowed[access as ItemAccess]);
    }
    if (items.length > 0) expected.set(`table:${prefix}${table}`, [...new Set(items)].sort());
  }
  return expected;
};

const dynamoGrants = (synthesized: Synthesized, name: FunctionName): Map<string, string[]> =>
  new Map(
    [...grantsOf(synthesized.template, `${synthesized.settings.stage}-${name}`)]
      .map(([resource, actions]): [string, string[]] => [
        resource,
        actions.filter((action) => action.startsWith('dynamodb:')),
      ])
      .filter(([, actions]) => actions.length > 0),
  );

describe('functions', () => {
  /** The stack as deployed: one function per catalogue entry. */
  let deployed: Synthesized;
  beforeAll(() => {
    deployed = synth({ context: { stage: 'dev' } });
  });

  it('deploys every catalogue entry, each from its src/functions/<name>/main.ts', () => {
    expect(deployedFunctions()).toEqual(functionNames);
    const deployedNames = Object.values(resourcesOf(deployed.template, 'AWS::Lambda::Function'))
      .map((fn) => fn.Properties.FunctionName)
      .sort();
    expect(deployedNames).toEqual(functionNames.map((name) => `dev-${name}`).sort());
  });

  it('refuses to synthesise when a catalogued function has no folder, naming it', () => {
    const root = mkdtempSync(join(tmpdir(), 'lms-synth-'));
    try {
      for (const name of functionNames.filter((n) => n !== 'record_answers')) {
        mkdirSync(join(root, 'src', 'functions', name), { recursive: true });
        for (const file of ['main.ts', 'handler.ts'])
          writeFileSync(join(root, 'src', 'functions', name, file), '');
      }
      expect(() => deployedFunctions(root)).toThrow(
        /record_answers is in the catalogue .* but src\/functions\/record_answers\/ is missing/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.each(deployedFunctions())(
    '%s: nodejs22.x on arm64, the catalogue limits, DESIGN section 1 environment',
    (name) => {
      const definition = functions[name];
      deployed.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `dev-${name}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handle',
        MemorySize: definition.memoryMb,
        Timeout: definition.timeoutSeconds,
        Environment: {
          Variables: {
            LMS_TABLE_PREFIX: 'dev-',
            LMS_TIMEZONE: 'Asia/Shanghai',
            LOG_LEVEL: 'info',
            LMS_ID_CLAIM: 'cognito:username',
            POWERTOOLS_SERVICE_NAME: name,
            NODE_OPTIONS: '--enable-source-maps',
            // Real AWS: the functions must not be pointed at a local endpoint.
            DYNAMODB_ENDPOINT: Match.absent(),
          },
        },
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
      deployed.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/dev-${name}`,
        RetentionInDays: 30,
      });
    },
  );

  it('every function reads the LMS id from cognito:username, as Cognito ID tokens carry it', () => {
    const all = Object.values(resourcesOf(deployed.template, 'AWS::Lambda::Function'));
    expect(all.length).toBeGreaterThan(0);
    for (const fn of all) {
      expect(fn.Properties).toMatchObject({
        Environment: { Variables: { LMS_ID_CLAIM: 'cognito:username' } },
      });
    }
  });

  it('answersPerStudentPerMinute sets the cap of the functions; unset, none has the variable', () => {
    const { template } = synth({
      context: { answersPerStudentPerMinute: '900' },
      functionNames: ['record_answers'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'dev-record_answers',
      Environment: {
        Variables: Match.objectLike({ LMS_ANSWERS_PER_STUDENT_PER_MINUTE: '900' }),
      },
    });
    for (const fn of Object.values(resourcesOf(deployed.template, 'AWS::Lambda::Function'))) {
      expect(JSON.stringify(fn.Properties)).not.toContain('LMS_ANSWERS_PER_STUDENT_PER_MINUTE');
    }
  });

  it('prod keeps function logs for six months; context sets zone, level and prefix', () => {
    const { template } = synth({
      context: {
        stage: 'prod',
        timezone: 'europe/zagreb',
        logLevel: 'WARN',
        alarmEmail: 'ops@example.com',
      },
      functionNames: ['calc_all_stats'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'prod-calc_all_stats',
      Environment: {
        Variables: Match.objectLike({
          LMS_TABLE_PREFIX: 'prod-',
          LMS_TIMEZONE: 'Europe/Zagreb',
          LOG_LEVEL: 'warn',
        }),
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/lambda/prod-calc_all_stats', RetentionInDays: 180 },
      DeletionPolicy: 'Retain',
    });
  });

  describe('least privilege', () => {
    it.each(functionNames)('%s: exactly the table actions the catalogue lists', (name) => {
      expect(dynamoGrants(deployed, name)).toEqual(expectedGrants(name, 'dev-'));
    });

    it.each(functionNames)(
      '%s: no wildcard, no Deny tricks, nothing beyond tables, its log group and the DLQ',
      (name) => {
        const scheduled = functions[name].trigger.kind === 'schedule';
        for (const statement of statementsOf(deployed.template, `dev-${name}`)) {
          expect(statement.Effect).toBe('Allow');
          const actions = ([] as string[]).concat(statement.Action);
          for (const action of actions) {
            expect(action).not.toContain('*');
            if (action.startsWith('dynamodb:') || action.startsWith('logs:')) continue;
            // The trigger reads users' MFA settings and the clients' sign-in flows; nothing
            // else may touch Cognito.
            if (
              name === 'pre_token_generation' &&
              ['cognito-idp:AdminGetUser', 'cognito-idp:DescribeUserPoolClient'].includes(action)
            ) {
              continue;
            }
            // The on-failure destination of scheduled runs (sqs:SendMessage and the lookups
            // Lambda makes before sending); HTTP functions have no queue at all.
            expect(scheduled, `${name} must not be granted ${action}`).toBe(true);
            expect(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']).toContain(
              action,
            );
          }
        }
        for (const resource of grantsOf(deployed.template, `dev-${name}`).keys()) {
          expect(resource).toMatch(
            new RegExp(
              `^(table|index):dev-|^queue:|^logs:/aws/lambda/dev-${name}$|^userpool:lms-dev$`,
            ),
          );
          expect(resource, 'no index/* grant').not.toMatch(/\/\*$/);
        }
      },
    );

    it.each(functionNames)(
      '%s: writes its own log group only (stream and events), nothing on logs:*',
      (name) => {
        const logs = [...grantsOf(deployed.template, `dev-${name}`)].filter(([, actions]) =>
          actions.some((action) => action.startsWith('logs:')),
        );
        expect(logs).toEqual([
          [`logs:/aws/lambda/dev-${name}`, ['logs:CreateLogStream', 'logs:PutLogEvents']],
        ]);
      },
    );

    it('no execution role carries a managed policy (AWSLambdaBasicExecutionRole is logs on *)', () => {
      const lambdaRoles = Object.values(resourcesOf(deployed.template, 'AWS::IAM::Role')).filter(
        (role) =>
          JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
      );
      expect(lambdaRoles).toHaveLength(functionNames.length);
      for (const role of lambdaRoles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('module_results cannot write anything, nor Scan answers or any other table', () => {
      for (const [resource, actions] of grantsOf(deployed.template, 'dev-module_results')) {
        for (const write of WRITE_ACTIONS) {
          expect(actions, `${write} on ${resource}`).not.toContain(write);
        }
        expect(actions, `Scan on ${resource}`).not.toContain('dynamodb:Scan');
      }
      const reached = grantsOf(deployed.template, 'dev-module_results');
      expect(reached.get('table:dev-answers')).toEqual(['dynamodb:Query']);
      // Students by class through their one index, never the table's keys or other indexes.
      expect(reached.get('index:dev-students/class_code')).toEqual(['dynamodb:Query']);
      expect(reached.get('table:dev-students')).toBeUndefined();
    });

    it('record_answers cannot Scan or Query: duplicates are found by key', () => {
      const reached = grantsOf(deployed.template, 'dev-record_answers');
      expect(reached.get('table:dev-answers')).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
      ]);
      for (const [resource, actions] of reached) {
        expect(actions, resource).not.toContain('dynamodb:Scan');
        expect(actions, resource).not.toContain('dynamodb:Query');
      }
    });

    it.each(HTTP_FUNCTIONS)('%s (HTTP) cannot Scan any table', (name) => {
      for (const [resource, actions] of grantsOf(deployed.template, `dev-${name}`)) {
        expect(actions, resource).not.toContain('dynamodb:Scan');
      }
    });

    it('an index is granted only to the functions that query it, and only Query', () => {
      const indexGrants = functionNames.flatMap((name) =>
        [...grantsOf(deployed.template, `dev-${name}`)]
          .filter(([resource]) => resource.startsWith('index:'))
          .map(([resource, actions]) => `${name} ${resource} ${actions.join(',')}`),
      );
      expect(indexGrants.sort()).toEqual([
        'aggregate_students index:dev-answers/recorded_key dynamodb:Query',
        'aggregate_students index:dev-student_state/module_id dynamodb:Query',
        'class_review index:dev-students/class_code dynamodb:Query',
        'module_results index:dev-students/class_code dynamodb:Query',
      ]);
    });

    it.each(functionNames.filter((name) => name.startsWith('calc_')))(
      '%s (stats job) cannot touch answers, nor any table it does not count',
      (name) => {
        const reached = [...grantsOf(deployed.template, `dev-${name}`).keys()];
        expect(reached.filter((resource) => resource.endsWith(':dev-answers'))).toEqual([]);
        for (const forbidden of ['answers', 'student_progress', 'parent_summaries', 'parents']) {
          expect(reached.some((resource) => resource.includes(`:dev-${forbidden}`))).toBe(false);
        }
        // Stats jobs write `stats` with UpdateItem only: never a put or a delete.
        for (const actions of grantsOf(deployed.template, `dev-${name}`).values()) {
          expect(actions).not.toContain('dynamodb:PutItem');
          expect(actions).not.toContain('dynamodb:DeleteItem');
          expect(actions).not.toContain('dynamodb:BatchWriteItem');
          // Whole-table scans only: no item reads, no index.
          expect(actions).not.toContain('dynamodb:GetItem');
          expect(actions).not.toContain('dynamodb:Query');
        }
      },
    );

    it('parent_summary reaches nothing but parent_summaries and parents, by key', () => {
      const reached = dynamoGrants(deployed, 'parent_summary');
      expect([...reached].sort()).toEqual([
        ['table:dev-parent_summaries', ['dynamodb:GetItem']],
        ['table:dev-parents', ['dynamodb:GetItem']],
      ]);
    });

    it('the LMS app tables are only ever updated (stats), never put or deleted', () => {
      for (const name of functionNames) {
        for (const [resource, actions] of grantsOf(deployed.template, `dev-${name}`)) {
          const table = resource.split(':dev-')[1]?.split('/')[0];
          if (
            ![
              'groups',
              'schools',
              'teachers',
              'classes',
              'students',
              'parents',
              'modules',
            ].includes(table ?? '')
          ) {
            continue;
          }
          expect(actions).not.toContain('dynamodb:PutItem');
          expect(actions).not.toContain('dynamodb:DeleteItem');
          expect(actions).not.toContain('dynamodb:BatchWriteItem');
        }
      }
    });

    it('external tables get the same grants, on their ARN by name', () => {
      const stats = synth({
        context: { stage: 'prod', externalTables: 'lms-app', alarmEmail: 'ops@example.com' },
        functionNames: ['calc_all_stats'],
      });
      expect(dynamoGrants(stats, 'calc_all_stats')).toEqual(
        expectedGrants('calc_all_stats', 'prod-'),
      );
      const { template: external } = synth({
        context: { stage: 'prod', externalTables: 'lms-app', alarmEmail: 'ops@example.com' },
        functionNames: ['module_results'],
      });
      // An external table's index is addressed by name too: `.../table/prod-students/index/class_code`.
      expect(
        grantsOf(external, 'prod-module_results').get('index:prod-students/class_code'),
      ).toEqual(['dynamodb:Query']);
    });
  });
});
