/**
 * The {@link TransferStore} of a connection, whichever engine it reaches: `lms export` and
 * `lms import` read and write the same files on both, which is how an organisation moves
 * between DynamoDB and PostgreSQL (DESIGN: the migration path). Kept out of `connect.ts`
 * so that no Lambda bundle carries the transfer code.
 */
import type { Config } from '../config/config.ts';
import type { TransferStore } from '../ops/transfer/store.ts';
import { Engine, type TablesConnection } from './connect.ts';
import { transferStoreFor as dynamoTransferStoreFor } from './dynamodb/transfer-store.ts';
import { createPostgresTransferStore } from './postgres/transfer-store.ts';

/**
 * @example
 * ```ts
 * const connection = connectTables(config);
 * const store = transferStoreFor(connection, config);
 * await exportTables(store, { out: 'backup', tables: tableNames, source });
 * ```
 */
export const transferStoreFor = (
  connection: TablesConnection,
  config: Pick<Config, 'dynamodbEndpoint' | 'awsRegion' | 'tablePrefix'>,
): TransferStore =>
  connection.engine === Engine.Postgres
    ? createPostgresTransferStore({
        pg: connection.postgres.pg,
        prefix: config.tablePrefix,
        // The database URL, its password left out (the admin's location).
        location: connection.admin.location,
      })
    : dynamoTransferStoreFor(connection.dynamo, config);
