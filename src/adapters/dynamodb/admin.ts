import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableAdmin } from '../../repositories/admin.ts';
import { physicalName, tableNames, tables } from '../../tables/definitions.ts';
import { readServerClock } from './server-clock.ts';
import { createMissingTables, describeTables, listTables } from './tables.ts';

const definitions = tableNames.map((name) => tables[name]);

/**
 * The {@link TableAdmin} of DynamoDB: tables created and described with the low-level
 * client, the clock read from a DescribeTable's `Date` header.
 */
export const dynamoAdmin = (
  client: DynamoDBClient,
  prefix: string,
  location: string,
): TableAdmin => ({
  location,
  createMissing: () => createMissingTables(client, prefix, definitions),
  describe: () => describeTables(client, prefix, definitions),
  listAll: () => listTables(client),
  readClock: (now) => readServerClock(client, physicalName(prefix, tables.jobs), now),
});
