/**
 * The DynamoDB tables, built from `src/tables/definitions.ts`: the same keys and indexes
 * the code, the local stack and the tests create, so AWS cannot drift from them.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  type GlobalSecondaryIndexPropsV2,
  type LocalSecondaryIndexProps,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableDefinition, TableName } from '../../src/tables/definitions.ts';
import { physicalName, projectionOf, tableNames, tables } from '../../src/tables/definitions.ts';
import type { StageSettings } from '../settings.ts';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

const indexProps = (definition: TableDefinition): GlobalSecondaryIndexPropsV2[] =>
  definition.indexes.map((index) => ({
    indexName: index.name,
    partitionKey: stringKey(index.partitionKey),
    ...(index.sortKey !== undefined ? { sortKey: stringKey(index.sortKey) } : {}),
    projectionType:
      projectionOf(index) === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
  }));

const localIndexProps = (definition: TableDefinition): LocalSecondaryIndexProps[] =>
  (definition.localIndexes ?? []).map((index) => ({
    indexName: index.name,
    sortKey: stringKey(index.sortKey),
    projectionType: ProjectionType.ALL,
  }));

/**
 * Every table of the system for one stage, named `${tablePrefix}${name}`.
 *
 * - On-demand billing: school traffic is spiky (lessons, the nightly jobs) and small.
 * - Point-in-time recovery: 35 days of restorable history of children's work.
 * - Encryption with the AWS-managed key (`aws/dynamodb`) rather than the default AWS-owned
 *   one: the data is about children, and the managed key's use shows in CloudTrail; a
 *   customer-managed key would add a monthly cost and a key policy to run for no need we
 *   have (no cross-account access).
 * - `prod`: RETAIN and deletion protection, so neither `cdk destroy` nor a replacement can
 *   drop real data; other stages are disposable (DESTROY).
 * - Tables listed in `externalTables` already exist (the LMS app's) and are only
 *   referenced: their ARN is known, nothing is created or changed.
 *
 * @example
 * ```ts
 * const t = new LmsTables(stack, 'Tables', { settings });
 * t.arnOf('students'); // the ARN to grant on
 * ```
 */
export class LmsTables extends Construct {
  /** The tables this stack creates (external ones are absent). */
  readonly created: Partial<Record<TableName, TableV2>> = {};
  private readonly arns = new Map<TableName, string>();

  constructor(scope: Construct, id: string, props: { readonly settings: StageSettings }) {
    super(scope, id);
    const { settings } = props;
    for (const name of tableNames) {
      const definition: TableDefinition = tables[name];
      const tableName = physicalName(settings.tablePrefix, definition);
      if (settings.externalTables.includes(name)) {
        this.arns.set(
          name,
          Stack.of(this).formatArn({
            service: 'dynamodb',
            resource: 'table',
            resourceName: tableName,
          }),
        );
        continue;
      }
      const table = new TableV2(this, name, {
        tableName,
        partitionKey: stringKey(definition.partitionKey),
        ...(definition.sortKey !== undefined ? { sortKey: stringKey(definition.sortKey) } : {}),
        globalSecondaryIndexes: indexProps(definition),
        localSecondaryIndexes: localIndexProps(definition),
        ...(definition.expiresAttribute !== undefined
          ? { timeToLiveAttribute: definition.expiresAttribute }
          : {}),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryptionV2.awsManagedKey(),
        deletionProtection: settings.production,
        removalPolicy: settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
      this.created[name] = table;
      this.arns.set(name, table.tableArn);
    }
  }

  /** The ARN of a table, created here or external. */
  arnOf(name: TableName): string {
    const arn = this.arns.get(name);
    if (arn === undefined) throw new Error(`no table ${name}`);
    return arn;
  }
}
