import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCredentialChain, fromEnv, fromIni } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientSettings {
  /** A local or test endpoint; undefined means real AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/** What a local engine is signed with when the machine has no credentials of its own. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The region of a local endpoint when neither `AWS_REGION` nor a profile names one. */
export const LOCAL_REGION = 'local';

/**
 * The region the SDK's own chain resolves (`AWS_REGION`, then the profile's `region` in
 * `~/.aws/config`), or undefined when it finds none. The SDK is asked rather than the files
 * read here, so the answer is the one a client without a region would use.
 *
 * @example
 * ```ts
 * await sdkRegion(); // 'eu-west-1' with AWS_REGION=eu-west-1; undefined on a bare machine
 * ```
 */
export const sdkRegion = async (): Promise<string | undefined> => {
  const probe = new DynamoDBClient({});
  try {
    return await probe.config.region();
  } catch {
    // "Region is missing": the chain found nothing.
    return undefined;
  } finally {
    probe.destroy();
  }
};

/**
 * Credentials for a local endpoint: the environment's or the profile's when there are some
 * (DynamoDB Local without `-sharedDb` keeps one database per access key id and region, so
 * `lms` must sign as the AWS CLI beside it does; a VPC or FIPS endpoint needs real ones),
 * and fixed dummy ones only when there are none, because a local engine accepts any and a
 * developer machine may have none. The chain is the default one without its container and
 * instance-metadata links: those would cost every local command a network timeout on a
 * laptop, and no local engine's database is keyed by them.
 */
const localEndpointCredentials = () =>
  createCredentialChain(fromEnv(), fromIni(), async () => LOCAL_CREDENTIALS);

/**
 * The region of a client against an endpoint, asked of the SDK's chain once per client:
 * the SDK calls a region provider on every request (endpoint, signing), and the chain
 * builds a probe client each time, which cost the full rebuild over half of its time.
 */
const endpointRegion = (region: string | undefined): string | (() => Promise<string>) => {
  if (region !== undefined) return region;
  let resolved: Promise<string> | undefined;
  return () => {
    resolved ??= sdkRegion().then((found) => found ?? LOCAL_REGION);
    return resolved;
  };
};

/**
 * The low-level client (table administration). Against real AWS everything comes from the
 * SDK's default chains. Against an endpoint the region is `settings.region`, else the
 * SDK's chain, else {@link LOCAL_REGION}; credentials as {@link localEndpointCredentials}.
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
          region: endpointRegion(settings.region),
          credentials: localEndpointCredentials(),
        }
      : settings.region !== undefined
        ? { region: settings.region }
        : {},
  );

/**
 * The document client every item access goes through (plain JS values in and out).
 * Undefined attributes are dropped instead of failing the request. Map keys named
 * `__proto__` or `constructor` are kept only by the view of it that the tables holding
 * data-keyed maps use (`special-keys.ts`, `db.ts`).
 */
export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
