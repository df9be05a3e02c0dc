import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  physicalName,
  projectionOf,
  type TableDefinition,
  type TableName,
  tableNames,
  tables,
} from '../../src/tables/definitions.ts';
import { resourcesOf, type Synthesized, synth } from './support.ts';

const keySchema = (partitionKey: string, sortKey?: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  ...(sortKey !== undefined ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : []),
];

describe('tables', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth({ context: { stage: 'dev' } });
    prod = synth({ context: { stage: 'prod', alarmEmail: 'ops@example.com' } });
  });

  it('creates exactly the tables of the shared definitions, named with the stage prefix', () => {
    const names = Object.values(resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable'))
      .map((table) => table.Properties.TableName)
      .sort();
    expect(names).toEqual(tableNames.map((name) => `dev-${name}`).sort());
  });

  it.each(tableNames)('%s: keys and indexes equal the shared definition', (name: TableName) => {
    const definition: TableDefinition = tables[name];
    const indexes = definition.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keySchema(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: projectionOf(index) },
    }));
    // Arrays are compared exactly: no index more, none less, in the definition's order.
    dev.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: physicalName('dev-', definition),
      KeySchema: keySchema(definition.partitionKey, definition.sortKey),
      GlobalSecondaryIndexes: indexes.length > 0 ? indexes : Match.absent(),
    });
    for (const index of definition.indexes) {
      expect(index.name, 'an index is named after its key attribute').toBe(index.partitionKey);
    }
  });

  it.each(tableNames)(
    '%s: TTL on the attribute its definition names, and on no other table',
    (name: TableName) => {
      const definition: TableDefinition = tables[name];
      dev.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: physicalName('dev-', definition),
        TimeToLiveSpecification:
          definition.expiresAttribute === undefined
            ? Match.absent()
            : { AttributeName: definition.expiresAttribute, Enabled: true },
      });
    },
  );

  it('answer_rates expires its counters by expires_at', () => {
    expect(tables.answer_rates.expiresAttribute).toBe('expires_at');
  });

  it('declares every key attribute as a string, and no other attribute', () => {
    for (const name of tableNames) {
      const definition: TableDefinition = tables[name];
      const keys = new Set([
        definition.partitionKey,
        ...(definition.sortKey !== undefined ? [definition.sortKey] : []),
        ...definition.indexes.flatMap((index) =>
          index.sortKey !== undefined ? [index.partitionKey, index.sortKey] : [index.partitionKey],
        ),
        ...(definition.localIndexes ?? []).map((index) => index.sortKey),
      ]);
      dev.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: `dev-${name}`,
        AttributeDefinitions: Match.arrayEquals(
          [...keys].map((key) => ({ AttributeName: key, AttributeType: 'S' })),
        ),
      });
    }
  });

  it('bills on demand, keeps point-in-time recovery and encrypts with the AWS-managed key', () => {
    for (const table of Object.values(resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable'))) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        // SSEType KMS without a key id: the account's AWS-managed key `aws/dynamodb`.
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [{ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      });
      expect(JSON.stringify(table.Properties)).not.toContain('KMSMasterKeyId');
    }
  });

  it('prod: every table is retained and deletion-protected', () => {
    const all = Object.values(resourcesOf(prod.template, 'AWS::DynamoDB::GlobalTable'));
    expect(all).toHaveLength(tableNames.length);
    for (const table of all) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({ Replicas: [{ DeletionProtectionEnabled: true }] });
      expect(table.Properties.TableName).toMatch(/^prod-/);
    }
  });

  it('dev: tables are disposable (deleted with the stack, no deletion protection)', () => {
    for (const table of Object.values(resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable'))) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties).toMatchObject({ Replicas: [{ DeletionProtectionEnabled: false }] });
    }
  });

  it('externalTables=lms-app references the LMS app tables instead of creating them', () => {
    const { template } = synth({
      context: { stage: 'prod', externalTables: 'lms-app', alarmEmail: 'ops@example.com' },
    });
    const created = Object.values(resourcesOf(template, 'AWS::DynamoDB::GlobalTable'))
      .map((table) => String(table.Properties.TableName))
      .sort();
    const ours = tableNames.filter((name) => tables[name].owner === 'lms-lambdas');
    expect(created).toEqual(ours.map((name) => `prod-${name}`).sort());
  });

  it('tablePrefix overrides the stage prefix', () => {
    const { template } = synth({
      context: { stage: 'prod', tablePrefix: '', alarmEmail: 'ops@example.com' },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: 'students' });
  });
});
