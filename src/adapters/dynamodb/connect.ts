import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../config/config.ts';
import type { Db } from '../../repositories/db.ts';
import { createDocumentClient, createDynamoClient } from './client.ts';
import { createDynamoDb } from './db.ts';
import { Ddb, type DdbOptions } from './ddb.ts';

export interface DynamoConnection {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly ddb: Ddb;
  readonly db: Db;
  readonly prefix: string;
  /** Closes the HTTP connections (a CLI run ends promptly; a Lambda never calls it). */
  readonly close: () => void;
}

/**
 * Everything that talks to DynamoDB, built from the configuration: the entry point of
 * handlers and commands into the adapter.
 *
 * @example
 * ```ts
 * const { db, close } = connectDynamo(loadConfig(process.env));
 * const classes = await db.classes.get({ teacher_id: 't-1' });
 * close();
 * ```
 */
export const connectDynamo = (
  config: Pick<Config, 'dynamodbEndpoint' | 'awsRegion' | 'tablePrefix'>,
  options: DdbOptions = {},
): DynamoConnection => {
  const client = createDynamoClient({
    endpoint: config.dynamodbEndpoint,
    region: config.awsRegion,
  });
  const doc = createDocumentClient(client);
  const ddb = new Ddb(doc, options);
  return {
    client,
    doc,
    ddb,
    db: createDynamoDb(ddb, config.tablePrefix),
    prefix: config.tablePrefix,
    close: () => {
      doc.destroy();
      client.destroy();
    },
  };
};
