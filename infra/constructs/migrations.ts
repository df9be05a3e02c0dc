/**
 * The schema migrations of a PostgreSQL stage, run by the deploy itself: a function
 * (`src/deploy/migrate-database/`, the same `createMissing` as `lms tables create`) and a
 * CDK Trigger that invokes it once the database is up and before the functions are
 * created or updated. A migration that fails fails the deploy, and CloudFormation rolls
 * the stack back before any function runs new code on an old schema.
 *
 * The trigger runs when the migration function's version changes: its code (a new
 * migration is new code) or its configuration (a new table prefix is a new schema). A
 * deploy that changes neither skips it; running it again would change nothing anyway
 * (`lms_migrations` records what was applied).
 */
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Trigger } from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { MIGRATE_DATABASE } from '../../src/deploy/migrate-database/handler.ts';
import { MIGRATIONS_ENTRY } from '../bundling.ts';
import type { StageSettings } from '../settings.ts';
import type { LmsDatabase } from './database.ts';
import { baseEnvironment, type CodeOf, codeProps, functionBasics } from './functions.ts';

/**
 * Long enough for a migration that rewrites a large table, and for a paused or cold
 * cluster to come up first; the trigger waits as long.
 */
export const MIGRATIONS_TIMEOUT = Duration.minutes(10);

export interface LmsMigrationsProps {
  readonly settings: StageSettings;
  readonly database: LmsDatabase;
  /** What must wait for the migrations: every function that reads or writes tables. */
  readonly before: readonly Construct[];
  readonly code?: CodeOf | undefined;
}

/**
 * @example
 * ```ts
 * new LmsMigrations(stack, 'Migrations', { settings, database, before: [...functions.byName.values()] });
 * ```
 */
export class LmsMigrations extends Construct {
  readonly function: NodejsFunction;
  readonly trigger: Trigger;

  constructor(scope: Construct, id: string, props: LmsMigrationsProps) {
    super(scope, id);
    const { settings, database } = props;
    const { logGroup, role } = functionBasics(
      this,
      MIGRATE_DATABASE,
      settings,
      'the database proxy (schema migrations)',
    );
    const access = database.accessFor(role);
    this.function = new NodejsFunction(this, MIGRATE_DATABASE, {
      functionName: `${settings.stage}-${MIGRATE_DATABASE}`,
      description: `applies the schema migrations at deploy (lms-lambdas, ${settings.stage})`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: MIGRATIONS_TIMEOUT,
      role,
      logGroup,
      vpc: access.vpc,
      vpcSubnets: access.vpcSubnets,
      securityGroups: access.securityGroups,
      environment: { ...baseEnvironment(settings, MIGRATE_DATABASE), ...access.environment },
      ...codeProps(settings, MIGRATE_DATABASE, MIGRATIONS_ENTRY, props.code),
    });
    this.trigger = new Trigger(this, 'Run', {
      handler: this.function,
      timeout: MIGRATIONS_TIMEOUT,
      // The proxy must be serving (it waits on the cluster's writer) before the first run.
      executeAfter: [database],
      executeBefore: [...props.before],
    });
  }
}
