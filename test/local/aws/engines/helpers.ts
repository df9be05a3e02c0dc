import { execFileSync } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

/** A client with no retries, so that a dead endpoint fails the test at once. */
export function clientFor(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/**
 * Creates a table and waits (polling, with a deadline) until it is ACTIVE. Even with
 * createTableMs: 0 dynalite answers CreateTable with CREATING and flips the status on a later
 * tick (on disk, after a LevelDB write), just as the real service needs a wait.
 */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitForActive(client, tableName);
}

/** Resolves once the table is ACTIVE; returns how long that took, in milliseconds. */
export async function waitForActive(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 10_000,
): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return Date.now() - startedAt;
    if (Date.now() - startedAt > timeoutMs) {
      throw new Error(`${tableName} is still ${Table?.TableStatus} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function putValue(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
  value: string,
): Promise<void> {
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, value: { S: value } } }),
  );
}

export async function getValue(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
): Promise<string | undefined> {
  const result = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return result.Item?.value?.S;
}

export async function listTables(endpoint: string): Promise<string[]> {
  const client = clientFor(endpoint);
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

/** `ps` lines of DynamoDB Local JVMs as [pid, args]. */
export function dynamoDbLocalProcesses(): Array<[number, string]> {
  const output = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal'))
    .map((line): [number, string] => {
      const match = /^\s*(\d+)\s+(.*)$/.exec(line);
      return [Number(match?.[1]), match?.[2] ?? line];
    });
}
