import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** A region name no real endpoint has, so a misrouted probe fails instead of hitting AWS. */
const PROBE_REGION = 'local';

export interface EndpointProbe {
  /** Resolves when the endpoint answers a DynamoDB request; rejects otherwise. */
  ping(signal: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * A single-attempt probe of a DynamoDB endpoint (one `ListTables`), for readiness polls:
 * the SDK's own retries would hide how long a caller has waited.
 *
 * @example
 * ```ts
 * const probe = dynamoProbe('http://127.0.0.1:8000');
 * await probe.ping(AbortSignal.timeout(1000));
 * probe.close();
 * ```
 */
export const dynamoProbe = (endpoint: string): EndpointProbe => {
  const client = new DynamoDBClient({
    endpoint,
    region: PROBE_REGION,
    // Emulators accept any; reading the real chain (profiles, IMDS) would be slow.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    ping: async (signal) => {
      await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: signal });
    },
    close: () => client.destroy(),
  };
};
