/**
 * The cold-start baseline: a handler that only creates a DynamoDB document client at
 * module initialisation, bundled with the functions' own esbuild settings.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local' }));

export const handle = async (): Promise<{ ok: boolean }> => ({ ok: doc !== undefined });
