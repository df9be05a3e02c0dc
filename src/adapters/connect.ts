/**
 * The one place that picks the database from the configuration: `DATABASE_URL` set means
 * PostgreSQL, otherwise DynamoDB (DESIGN sections 1 and 7). Every function's `main.ts`,
 * every job and every `lms` command that reaches tables connects through here, so none of
 * them knows which engine it runs on.
 */
import type { Config } from '../config/config.ts';
import type { TableAdmin } from '../repositories/admin.ts';
import type { Db } from '../repositories/db.ts';
import { dynamoAdmin } from './dynamodb/admin.ts';
import { connectDynamo, type DynamoConnection } from './dynamodb/connect.ts';
import { postgresAdmin } from './postgres/admin.ts';
import { connectPostgres, type PostgresConnection } from './postgres/connect.ts';

export const Engine = {
  DynamoDb: 'dynamodb',
  Postgres: 'postgres',
} as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

interface Connected {
  readonly db: Db;
  readonly admin: TableAdmin;
  /** Ends the connections (a command ends promptly; a Lambda never calls it). */
  readonly close: () => Promise<void>;
}

export type TablesConnection =
  | (Connected & { readonly engine: typeof Engine.DynamoDb; readonly dynamo: DynamoConnection })
  | (Connected & {
      readonly engine: typeof Engine.Postgres;
      readonly postgres: PostgresConnection;
    });

/** A database URL fit for a message: its password left out. */
export const redactedUrl = (url: string): string => {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
};

/** The engine a configuration names. */
export const engineOf = (config: Pick<Config, 'databaseUrl'>): Engine =>
  config.databaseUrl === undefined ? Engine.DynamoDb : Engine.Postgres;

/**
 * @example
 * ```ts
 * const { db, close } = connectTables(loadConfig(process.env));
 * const classes = await db.classes.get({ teacher_id: 't-1' });
 * await close();
 * ```
 */
export const connectTables = (
  config: Pick<Config, 'dynamodbEndpoint' | 'awsRegion' | 'tablePrefix' | 'databaseUrl'> &
    Partial<Pick<Config, 'databaseAuth'>>,
): TablesConnection => {
  if (config.databaseUrl !== undefined) {
    const postgres = connectPostgres({ ...config, databaseUrl: config.databaseUrl });
    return {
      engine: Engine.Postgres,
      db: postgres.db,
      admin: postgresAdmin(postgres.pg, postgres.schema, redactedUrl(config.databaseUrl)),
      postgres,
      close: postgres.close,
    };
  }
  const dynamo = connectDynamo(config);
  return {
    engine: Engine.DynamoDb,
    db: dynamo.db,
    admin: dynamoAdmin(
      dynamo.client,
      config.tablePrefix,
      config.dynamodbEndpoint ?? `AWS ${config.awsRegion ?? '(default region)'}`,
    ),
    dynamo,
    close: async () => dynamo.close(),
  };
};
