/**
 * The CDK app (`cdk.json` runs it through tsx): one stack per invocation, for the stage
 * given with `-c stage=<name>` (default `dev`), named `lms-<stage>`.
 *
 * @example
 * ```sh
 * npm run synth                     # lms-dev, offline
 * npm run deploy -- -c stage=prod   # lms-prod: retained, deletion-protected tables
 * npm run synth -- -c database=postgres   # on Aurora PostgreSQL behind RDS Proxy, in a VPC
 * ```
 *
 * cdk-nag's AwsSolutions pack checks the app at every synth: a finding that is neither
 * fixed nor accepted in `nag-suppressions.ts` fails `synth` and `deploy` with its report.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings, SettingsError } from './settings.ts';
import { LmsStack } from './stack.ts';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new LmsStack(app, `lms-${settings.stage}`, {
    settings,
    description: `lms-lambdas (${settings.stage}): tables, functions, schedules, HTTP API, alarms`,
  });
  Tags.of(stack).add('project', 'lms-lambdas');
  Tags.of(stack).add('stage', settings.stage);
  app.synth();
} catch (error) {
  if (error instanceof SettingsError) {
    console.error(`lms-lambdas: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
