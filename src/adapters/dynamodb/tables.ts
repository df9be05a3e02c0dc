/**
 * Table administration from the shared definitions: create what is missing (tables and
 * indexes), list what exists, delete (tests). Billing is on demand, as deployed.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { LmsError } from '../../errors.ts';
import type { TableChange } from '../../repositories/admin.ts';
import {
  keyAttributes,
  physicalName,
  projectionOf,
  type TableDefinition,
} from '../../tables/definitions.ts';

/**
 * A table exists without a local index its definition has. DynamoDB creates local indexes
 * only with their table, so nothing here can add it: the table must be made again.
 */
export class MissingLocalIndexError extends LmsError {
  readonly code = 'MISSING_LOCAL_INDEX';

  constructor(
    readonly table: string,
    readonly indexes: readonly string[],
  ) {
    super(
      `${table} exists without its local index ${indexes.join(', ')}, which DynamoDB can only create with the table: ` +
        `lms export ${table.replace(/^.*?(\w+)$/, '$1')} --out DIR, delete the table, lms tables create, lms import --from DIR ` +
        '(a local .data folder can simply be deleted), then lms aggregate students --full',
    );
  }
}

/** CreateTable input for a definition (pure). */
export const createTableParams = (
  prefix: string,
  table: TableDefinition,
): CreateTableCommandInput => ({
  TableName: physicalName(prefix, table),
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: keyAttributes(table).map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  })),
  KeySchema: [
    { AttributeName: table.partitionKey, KeyType: 'HASH' },
    ...(table.sortKey !== undefined
      ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }]
      : []),
  ],
  ...(table.indexes.length > 0
    ? {
        GlobalSecondaryIndexes: table.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
            ...(index.sortKey !== undefined
              ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }]
              : []),
          ],
          Projection: { ProjectionType: projectionOf(index) },
        })),
      }
    : {}),
  ...((table.localIndexes ?? []).length > 0
    ? {
        LocalSecondaryIndexes: (table.localIndexes ?? []).map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: table.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        })),
      }
    : {}),
});

export type { TableChange };

const describe = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

export interface WaitOptions {
  /** How long to wait for a table or index to become ACTIVE. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

const isActive = (table: TableDescription | undefined): boolean =>
  table?.TableStatus === 'ACTIVE' &&
  (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');

/**
 * Polls until the table and its indexes are ACTIVE. Local engines take milliseconds
 * (dynalite still answers CREATING first), AWS seconds to minutes: the delay starts small
 * and doubles up to `pollMs`.
 */
export const waitUntilActive = async (
  client: DynamoDBClient,
  tableName: string,
  { timeoutMs = 120_000, pollMs = 500 }: WaitOptions = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(pollMs, delay * 2)) {
    if (isActive(await describe(client, tableName))) return;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
};

/**
 * Creates every missing table and every missing index of the given definitions
 * (idempotent: existing ones are left as they are).
 *
 * @example
 * ```ts
 * await createMissingTables(client, 'dev-', Object.values(tables));
 * ```
 */
export const createMissingTables = async (
  client: DynamoDBClient,
  prefix: string,
  definitions: readonly TableDefinition[],
  wait: WaitOptions = {},
): Promise<TableChange[]> => {
  const changes: TableChange[] = [];
  for (const definition of definitions) {
    const tableName = physicalName(prefix, definition);
    const existing = await describe(client, tableName);
    if (existing === undefined) {
      try {
        await client.send(new CreateTableCommand(createTableParams(prefix, definition)));
        changes.push({ table: tableName, action: 'created' });
      } catch (error) {
        // Another process created it between our describe and create: that is success.
        if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
        changes.push({ table: tableName, action: 'exists' });
      }
      await waitUntilActive(client, tableName, wait);
      continue;
    }
    const local = new Set((existing.LocalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const lacking = (definition.localIndexes ?? []).filter((index) => !local.has(index.name));
    if (lacking.length > 0) {
      throw new MissingLocalIndexError(
        tableName,
        lacking.map((index) => index.name),
      );
    }
    const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = definition.indexes.filter((index) => !present.has(index.name));
    if (missing.length === 0) {
      changes.push({ table: tableName, action: 'exists' });
      continue;
    }
    const params = createTableParams(prefix, definition);
    for (const index of missing) {
      // DynamoDB accepts one index creation per UpdateTable call.
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: params.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [
            {
              Create: params.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.name),
            },
          ],
        }),
      );
      await waitUntilActive(client, tableName, wait);
      changes.push({ table: tableName, action: 'index-created', index: index.name });
    }
  }
  return changes;
};

/** Every table name at the endpoint (all pages), optionally only those with a prefix. */
export const listTables = async (client: DynamoDBClient, prefix = ''): Promise<string[]> => {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names.filter((name) => name.startsWith(prefix)).sort();
};

/** Describes the tables of the given definitions: item counts and indexes (for `lms tables list`). */
export const describeTables = async (
  client: DynamoDBClient,
  prefix: string,
  definitions: readonly TableDefinition[],
): Promise<{ table: string; exists: boolean; items: number | undefined; indexes: string[] }[]> =>
  Promise.all(
    definitions.map(async (definition) => {
      const tableName = physicalName(prefix, definition);
      const table = await describe(client, tableName);
      return {
        table: tableName,
        exists: table !== undefined,
        items: table?.ItemCount,
        indexes: [...(table?.GlobalSecondaryIndexes ?? []), ...(table?.LocalSecondaryIndexes ?? [])]
          .map((i) => i.IndexName ?? '')
          .sort(),
      };
    }),
  );

/** Deletes the tables of the given definitions that exist (test clean-up). */
export const deleteTables = async (
  client: DynamoDBClient,
  prefix: string,
  definitions: readonly TableDefinition[],
): Promise<void> => {
  await Promise.all(
    definitions.map(async (definition) => {
      try {
        await client.send(new DeleteTableCommand({ TableName: physicalName(prefix, definition) }));
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
      }
    }),
  );
};
