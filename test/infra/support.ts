/**
 * Helpers of the infrastructure tests: synthesize the stack as `cdk synth` would (same
 * feature flags, read from `cdk.json`), without esbuild unless a test asks for it, and
 * read a template's IAM grants back as "table -> actions".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { PROJECT_ROOT } from '../../infra/bundling.ts';
import { readSettings, type StageSettings } from '../../infra/settings.ts';
import { LmsStack } from '../../infra/stack.ts';
import type { FunctionName } from '../../src/catalog/functions.ts';

/** CloudFormation as JSON: the assertions library hands it out untyped. */
// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation template is arbitrary JSON
type Json = any;

/** The context of `cdk.json` (feature flags included), as the CLI passes it to the app. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    }
  ).context;

/** Settings from context values, over the `cdk.json` defaults, as the app reads them. */
export const settingsFor = (context: Record<string, unknown> = {}): StageSettings => {
  const merged = { ...cdkJsonContext(), ...context };
  return readSettings((key) => merged[key]);
};

export interface Synthesized {
  readonly stack: LmsStack;
  readonly template: Template;
  readonly settings: StageSettings;
  readonly app: App;
}

/**
 * Synthesizes one stage. By default the functions get a stub instead of an esbuild bundle
 * (bundling is proven once, in `bundling.test.ts`); `bundle: true` bundles for real.
 */
export const synth = (
  options: {
    readonly context?: Record<string, unknown>;
    readonly functionNames?: readonly FunctionName[];
    readonly bundle?: boolean;
    readonly outdir?: string;
    /** `false`: without the accepted cdk-nag findings (see `LmsStackProps`). */
    readonly acknowledgeNagFindings?: boolean;
  } = {},
): Synthesized => {
  const settings = settingsFor(options.context);
  const app = new App({
    context: cdkJsonContext(),
    ...(options.outdir !== undefined ? { outdir: options.outdir } : {}),
  });
  const stack = new LmsStack(app, `lms-${settings.stage}`, {
    settings,
    ...(options.functionNames !== undefined ? { functionNames: options.functionNames } : {}),
    ...(options.acknowledgeNagFindings !== undefined
      ? { acknowledgeNagFindings: options.acknowledgeNagFindings }
      : {}),
    ...(options.bundle === true
      ? {}
      : { code: () => Code.fromInline('export const handle = async () => ({});') }),
  });
  return { stack, template: Template.fromStack(stack), settings, app };
};

/** Resources of a type, by logical id (internal: any-typed, as the assertions library gives them). */
const rawResourcesOf = (template: Template, type: string): Record<string, Json> =>
  template.findResources(type);

/** A resource of a template, with the properties left for `Match`-based assertions. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** Resources of a type, by logical id. */
export const resourcesOf = (template: Template, type: string): Record<string, CfnResource> =>
  rawResourcesOf(template, type);

/** The logical id of the Lambda function deployed as `${stage}-${name}`. */
export const functionLogicalId = (template: Template, physicalName: string): string => {
  const matches = Object.entries(rawResourcesOf(template, 'AWS::Lambda::Function')).filter(
    ([, resource]) => resource.Properties.FunctionName === physicalName,
  );
  if (matches.length !== 1) throw new Error(`${matches.length} functions named ${physicalName}`);
  return (matches[0] as [string, Json])[0];
};

/** The logical id of the state machine deployed as `${stage}-${name}`. */
export const stateMachineLogicalId = (template: Template, physicalName: string): string => {
  const matches = Object.entries(
    rawResourcesOf(template, 'AWS::StepFunctions::StateMachine'),
  ).filter(([, resource]) => resource.Properties.StateMachineName === physicalName);
  if (matches.length !== 1) {
    throw new Error(`${matches.length} state machines named ${physicalName}`);
  }
  return (matches[0] as [string, Json])[0];
};

export interface IamStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
}

/** Every IAM statement attached (inline) to the execution role of a function. */
export const statementsOf = (template: Template, physicalName: string): IamStatement[] => {
  const fn = rawResourcesOf(template, 'AWS::Lambda::Function')[
    functionLogicalId(template, physicalName)
  ];
  const roleId: string = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(rawResourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
};

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * Names what an IAM resource points at: `table:<physical name>` for a table,
 * `index:<physical name>/<index>` for one of its indexes (`index:<physical name>/*` for a
 * wildcard), `logs:<group name>` for a log group, `userpool:<pool name>` for a user pool,
 * `queue:<logical id>` for a queue, or the
 * raw JSON for anything else (which a test then reports).
 */
export const describeResource = (template: Template, resource: unknown): string => {
  const ref: Json = resource;
  const tables = rawResourcesOf(template, 'AWS::DynamoDB::GlobalTable');
  const named = (logicalId: string): string | undefined => tables[logicalId]?.Properties.TableName;
  if (ref?.['Fn::GetAtt']?.[1] === 'Arn') {
    const [logicalId] = ref['Fn::GetAtt'];
    const table = named(logicalId);
    if (table !== undefined) return `table:${table}`;
    const target = template.toJSON().Resources[logicalId];
    if (target?.Type === 'AWS::SQS::Queue') return `queue:${logicalId}`;
    if (target?.Type === 'AWS::Logs::LogGroup') return `logs:${target.Properties.LogGroupName}`;
    if (target?.Type === 'AWS::Cognito::UserPool')
      return `userpool:${target.Properties.UserPoolName}`;
  }
  const parts = ref?.['Fn::Join']?.[1];
  if (Array.isArray(parts)) {
    // Created tables: [GetAtt, '/index/<name>']; external ones: 'arn:', partition, ..., ':table/<name>'.
    const text = parts.map((part: Json) => (typeof part === 'string' ? part : '')).join('');
    const head = parts[0]?.['Fn::GetAtt'];
    const suffix = /^\/index\/(.+)$/.exec(typeof parts[1] === 'string' ? parts[1] : '');
    if (head !== undefined && parts.length === 2 && suffix?.[1] !== undefined) {
      const table = named(head[0]);
      if (table !== undefined) return `index:${table}/${suffix[1]}`;
    }
    const match = /:table\/([^/]+)(?:\/index\/(.+))?$/.exec(text);
    if (match?.[1] !== undefined) {
      return match[2] === undefined ? `table:${match[1]}` : `index:${match[1]}/${match[2]}`;
    }
  }
  return typeof resource === 'string' ? resource : JSON.stringify(resource);
};

/** For each resource a function's role reaches: the actions allowed on it (sorted). */
export const grantsOf = (template: Template, physicalName: string): Map<string, string[]> => {
  const grants = new Map<string, Set<string>>();
  for (const statement of statementsOf(template, physicalName)) {
    if (statement.Effect !== 'Allow') continue;
    for (const resource of asArray<unknown>(statement.Resource)) {
      const key = describeResource(template, resource);
      const actions = grants.get(key) ?? new Set<string>();
      for (const action of asArray<string>(statement.Action)) actions.add(action);
      grants.set(key, actions);
    }
  }
  return new Map([...grants].map(([key, actions]) => [key, [...actions].sort()]));
};
