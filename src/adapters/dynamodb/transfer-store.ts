/**
 * The {@link TransferStore} of export and import over DynamoDB: raw scans and raw batch
 * writes of AttributeValue maps, converted to and from lines of DynamoDB JSON.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../config/config.ts';
import type { RetryPolicy } from '../../lib/backoff.ts';
import type { TransferStore } from '../../ops/transfer/store.ts';
import { physicalName, type TableName, tables } from '../../tables/definitions.ts';
import type { DynamoConnection } from './connect.ts';
import type { Ddb } from './ddb.ts';
import { type AttributeMap, ItemLineError, itemFromLine, itemToLine } from './item-json.ts';
import { scanParams } from './params.ts';
import { isTableEmpty, scanRawPages } from './raw-scan.ts';
import { putRawBatch } from './raw-write.ts';
import { createMissingTables, describeTables } from './tables.ts';

export interface TransferStoreSettings {
  /** The low-level client (raw items); a test may pass a `Proxy` of one that injects faults. */
  readonly client: DynamoDBClient;
  /** Table administration (a test keeps it free of the faults it injects into `client`). */
  readonly admin: DynamoDBClient;
  /** Counting scans and the retry policy of batches. */
  readonly ddb: Ddb;
  readonly prefix: string;
  /** Endpoint or region, for the checkpoint key (see {@link TransferStore.target}). */
  readonly location: string;
  readonly retry?: RetryPolicy;
}

const keyAttributes = (table: TableName): string[] => {
  const definition = tables[table];
  return [definition.partitionKey, ...('sortKey' in definition ? [definition.sortKey] : [])];
};

const checkKeys = (table: TableName, item: AttributeMap): void => {
  for (const attribute of keyAttributes(table)) {
    if (item[attribute]?.S === undefined) {
      throw new ItemLineError(`Item.${attribute}`, `the key of ${table} must be a string`);
    }
  }
};

/**
 * @example
 * ```ts
 * const { client, ddb, prefix } = connectDynamo(config);
 * const store = createTransferStore({ client, admin: client, ddb, prefix, location: 'http://localhost:8000' });
 * for await (const lines of store.scanLines('students')) console.log(lines.length);
 * ```
 */
export const createTransferStore = (settings: TransferStoreSettings): TransferStore => {
  const { client, ddb, prefix } = settings;
  const retry = settings.retry ?? ddb.retry;
  const name = (table: TableName) => physicalName(prefix, tables[table]);
  return {
    target: `${settings.location} prefix="${prefix}"`,
    prefix,
    tableName: name,
    async *scanLines(table, options = {}) {
      for await (const page of scanRawPages(client, name(table), options)) {
        yield page.map(itemToLine);
      }
    },
    checkLine(table, line) {
      checkKeys(table, itemFromLine(line));
    },
    async putLines(table, lines) {
      const items = lines.map((line) => {
        const item = itemFromLine(line);
        checkKeys(table, item);
        return item;
      });
      await putRawBatch(client, name(table), items, {
        retry,
        keyAttributes: keyAttributes(table),
      });
    },
    async existingTables(names) {
      const rows = await describeTables(
        settings.admin,
        prefix,
        names.map((table) => tables[table]),
      );
      return names.filter((_, i) => rows[i]?.exists === true);
    },
    async createMissingTables(names) {
      await createMissingTables(
        settings.admin,
        prefix,
        names.map((table) => tables[table]),
      );
    },
    isEmpty: (table) => isTableEmpty(client, name(table)),
    count: (table) =>
      ddb.countScan(scanParams(name(table), {}, { countOnly: true, consistent: true })),
  };
};

/**
 * The transfer store of a connection; the checkpoint key names the endpoint, or the AWS
 * region when there is none.
 *
 * @example
 * ```ts
 * const connection = connectDynamo(config);
 * const store = transferStoreFor(connection, config);
 * ```
 */
export const transferStoreFor = (
  connection: Pick<DynamoConnection, 'client' | 'ddb' | 'prefix'>,
  config: Pick<Config, 'dynamodbEndpoint' | 'awsRegion'>,
): TransferStore =>
  createTransferStore({
    client: connection.client,
    admin: connection.client,
    ddb: connection.ddb,
    prefix: connection.prefix,
    location: config.dynamodbEndpoint ?? `aws:${config.awsRegion ?? 'default-region'}`,
  });
