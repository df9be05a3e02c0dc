import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keepSpecialKeys } from './special-keys.ts';

export interface ClientSettings {
  /** A local or test endpoint; undefined means real AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/**
 * The low-level client (table administration). Against a local endpoint it uses fixed
 * dummy credentials: local engines accept any, and a developer machine may have none.
 *
 * @example
 * ```ts
 * const client = createDynamoClient({ endpoint: 'http://127.0.0.1:8000' });
 * ```
 */
export const createDynamoClient = (settings: ClientSettings): DynamoDBClient =>
  new DynamoDBClient(
    settings.endpoint !== undefined
      ? {
          endpoint: settings.endpoint,
          region: settings.region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : settings.region !== undefined
        ? { region: settings.region }
        : {},
  );

/**
 * The document client every item access goes through (plain JS values in and out).
 * Undefined attributes are dropped instead of failing the request; map keys named
 * `__proto__` or `constructor` are kept (`special-keys.ts`).
 */
export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  keepSpecialKeys(
    DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    }),
  );
