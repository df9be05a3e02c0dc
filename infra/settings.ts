/**
 * The deployment settings of one stage, read from CDK context (`-c stage=prod`, or the
 * `context` of `cdk.json`) and validated before any construct is built, so a typo fails
 * `cdk synth` with a message naming the key instead of deploying something odd.
 */
import { ConfigError, loadConfig } from '../src/config/config.ts';
import type { TableName } from '../src/tables/definitions.ts';
import { tables } from '../src/tables/definitions.ts';

/** The one stage whose data is real: retained, deletion-protected, kept longer. */
export const PRODUCTION_STAGE = 'prod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type DeployLogLevel = (typeof LOG_LEVELS)[number];

/** Where the stage keeps its tables (`-c database=postgres`). */
export const DeployDatabase = {
  DynamoDb: 'dynamodb',
  Postgres: 'postgres',
} as const;
export type DeployDatabase = (typeof DeployDatabase)[keyof typeof DeployDatabase];

/**
 * Aurora Serverless v2 capacity in ACUs (1 ACU: about 2 GiB of memory and its share of
 * a processor), in steps of 0.5. Not below 0.5: at 0 the cluster pauses, and the first
 * request after a pause waits for it to resume (about 15 s), half an API call's 29 s.
 */
export const ACU = { min: 0.5, max: 256 } as const;

export interface PostgresSettings {
  /** The least capacity the cluster keeps (and pays for) when idle. */
  readonly minCapacity: number;
  /** The most it scales to; the `database-acu-at-max` alarm says when it is reached. */
  readonly maxCapacity: number;
}

export interface StageSettings {
  /** `dev`, `prod`, ...: names the stack, prefixes tables, functions and log groups. */
  readonly stage: string;
  /** `LMS_TABLE_PREFIX` of every function; `${stage}-` unless overridden. */
  readonly tablePrefix: string;
  /** `LMS_TIMEZONE`: the zone of the schedules and of a school "day". */
  readonly timezone: string;
  /** `LOG_LEVEL` of every function. */
  readonly logLevel: DeployLogLevel;
  /** Whether data outlives the stack (retain + deletion protection) and logs are kept longer. */
  readonly production: boolean;
  /**
   * Tables that already exist (created by the LMS app) and are referenced by name instead
   * of created: the functions get the same least-privilege grants on them.
   */
  readonly externalTables: readonly TableName[];
  /** `dynamodb` (the tables of `LmsTables`) or `postgres` (Aurora behind RDS Proxy, in a VPC). */
  readonly database: DeployDatabase;
  /** The cluster's capacity; undefined unless `database` is `postgres`. */
  readonly postgres: PostgresSettings | undefined;
  /** An e-mail address subscribed to the alarm topic; none when undefined. */
  readonly alarmEmail: string | undefined;
  /** An HTTPS endpoint subscribed to the alarm topic (a pager's or chat's); none when undefined. */
  readonly alarmUrl: string | undefined;
  /**
   * The stage's alarms may reach nobody the stack knows of: its operators subscribe to
   * `AlarmTopicArn` outside it (`-c alarmsUnsubscribed=true`; docs/deployment.md, Alarms).
   */
  readonly alarmsUnsubscribed: boolean;
  /**
   * `LMS_ANSWERS_PER_STUDENT_PER_MINUTE` of the functions; undefined: the code's default
   * (`DEFAULT_ANSWERS_PER_STUDENT_PER_MINUTE`), and no variable set.
   */
  readonly answersPerStudentPerMinute: number | undefined;
  /** API Gateway default stage limits: steady requests per second, and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The app client's OAuth (Cognito's hosted sign-in, authorization-code flow only); off
   * (undefined) unless `oauthCallbackUrls` and `oauthDomainPrefix` are set.
   */
  readonly oauth: OAuthSettings | undefined;
}

export interface OAuthSettings {
  /** Where Cognito may send the code: https URLs (http only for localhost). */
  readonly callbackUrls: readonly string[];
  /** Where it may send a signed-out user; the callback URLs unless `oauthLogoutUrls` is set. */
  readonly logoutUrls: readonly string[];
  /** The hosted domain `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Reads one context value as CDK hands it over (`-c` gives strings, cdk.json any JSON). */
export type ContextReader = (key: string) => unknown;

const text = (read: ContextReader, key: string): string | undefined => {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new SettingsError(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return String(value);
};

const positiveInteger = (read: ContextReader, key: string, fallback: number): number => {
  const raw = text(read, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new SettingsError(`context ${key}=${raw} must be a positive integer`);
  }
  return value;
};

const flag = (read: ContextReader, key: string): boolean => {
  const raw = text(read, key);
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new SettingsError(`context ${key}=${raw} must be true or false`);
};

/** The functions' own rule (`src/config/config.ts`), checked at synth rather than at start. */
const answersPerStudentPerMinute = (read: ContextReader): number | undefined => {
  const raw = text(read, 'answersPerStudentPerMinute');
  if (raw === undefined) return undefined;
  try {
    return loadConfig({ LMS_ANSWERS_PER_STUDENT_PER_MINUTE: raw }).answersPerStudentPerMinute;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new SettingsError(`context answersPerStudentPerMinute: ${error.message}`);
  }
};

const canonicalZone = (zone: string): string => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new SettingsError(`context timezone=${zone} is not an IANA time zone (Asia/Shanghai)`);
  }
};

const urlList = (read: ContextReader, key: string): string[] | undefined => {
  const raw = text(read, key);
  if (raw === undefined) return undefined;
  const urls = raw.split(',').map((url) => url.trim());
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SettingsError(`context ${key}: ${url} is not a URL`);
    }
    const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1';
    if (parsed.protocol !== 'https:' && !(local && parsed.protocol === 'http:')) {
      throw new SettingsError(`context ${key}: ${url} must be https (http only for localhost)`);
    }
  }
  return urls;
};

const readOAuth = (read: ContextReader): OAuthSettings | undefined => {
  const callbackUrls = urlList(read, 'oauthCallbackUrls');
  const domainPrefix = text(read, 'oauthDomainPrefix');
  if (callbackUrls === undefined && domainPrefix === undefined) return undefined;
  if (callbackUrls === undefined || domainPrefix === undefined) {
    throw new SettingsError(
      'context oauthCallbackUrls and oauthDomainPrefix go together: set both to turn OAuth on, neither to keep it off',
    );
  }
  // Cognito's rule for a hosted domain prefix.
  if (
    !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) ||
    domainPrefix.includes('cognito')
  ) {
    throw new SettingsError(
      `context oauthDomainPrefix=${domainPrefix} must be lower-case letters, digits and hyphens, without "cognito"`,
    );
  }
  return {
    callbackUrls,
    logoutUrls: urlList(read, 'oauthLogoutUrls') ?? callbackUrls,
    domainPrefix,
  };
};

const capacity = (read: ContextReader, key: string, fallback: number): number => {
  const raw = text(read, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < ACU.min || value > ACU.max || (value * 2) % 1 !== 0) {
    throw new SettingsError(
      `context ${key}=${raw} must be ACUs from ${ACU.min} to ${ACU.max} in steps of 0.5`,
    );
  }
  return value;
};

/** The PostgreSQL keys are refused on DynamoDB: a capacity that silently does nothing is a typo. */
const POSTGRES_KEYS = ['databaseMinAcu', 'databaseMaxAcu'] as const;

/**
 * `database` and, on PostgreSQL, its capacity: by default 0.5 to 4 ACUs, which holds the
 * 10k-students day of docs/database-choice.md with room for the nightly jobs.
 */
const readDatabase = (
  read: ContextReader,
  externalTables: readonly TableName[],
): { database: DeployDatabase; postgres: PostgresSettings | undefined } => {
  const database = text(read, 'database') ?? DeployDatabase.DynamoDb;
  if (database === DeployDatabase.DynamoDb) {
    for (const key of POSTGRES_KEYS) {
      if (text(read, key) !== undefined) {
        throw new SettingsError(`context ${key} applies only with database=postgres`);
      }
    }
    return { database, postgres: undefined };
  }
  if (database !== DeployDatabase.Postgres) {
    throw new SettingsError(
      `context database=${database} must be one of ${Object.values(DeployDatabase).join(', ')}`,
    );
  }
  // External tables are DynamoDB tables the LMS app writes: a stage on PostgreSQL has its
  // tables in the database, the app's included (docs/operations.md, Moving to PostgreSQL).
  if (externalTables.length > 0) {
    throw new SettingsError(
      'context externalTables names DynamoDB tables: with database=postgres every table is in the database (docs/operations.md, Moving to PostgreSQL)',
    );
  }
  const minCapacity = capacity(read, 'databaseMinAcu', 0.5);
  const maxCapacity = capacity(read, 'databaseMaxAcu', 4);
  if (maxCapacity < minCapacity || maxCapacity < 1) {
    throw new SettingsError(
      `context databaseMaxAcu=${maxCapacity} must be at least 1 and at least databaseMinAcu=${minCapacity}`,
    );
  }
  return { database, postgres: { minCapacity, maxCapacity } };
};

const tablesOwnedBy = (owner: 'lms-app' | 'lms-lambdas'): TableName[] =>
  (Object.keys(tables) as TableName[]).filter((name) => tables[name].owner === owner);

const parseExternalTables = (raw: string | undefined): TableName[] => {
  if (raw === undefined || raw === 'none') return [];
  // `lms-app` is the common case: the LMS app's tables exist, ours are new.
  if (raw === 'lms-app') return tablesOwnedBy('lms-app');
  const names = raw.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!Object.hasOwn(tables, name)) {
      throw new SettingsError(
        `context externalTables names an unknown table "${name}" (known: ${Object.keys(tables).join(', ')}, or lms-app)`,
      );
    }
  }
  return names as TableName[];
};

/**
 * Validated settings of a stage from CDK context. Unset keys take the defaults:
 * stage `dev`, prefix `${stage}-`, time zone `Asia/Shanghai`, log level `info`, DynamoDB
 * (`database=postgres`: Aurora from 0.5 to 4 ACUs), every table created, throttling 100 requests/s with bursts of 200, OAuth off. `prod` needs an
 * alarm subscriber (`alarmEmail`, `alarmUrl`) or `alarmsUnsubscribed=true`.
 *
 * @example
 * ```ts
 * const settings = readSettings((key) => app.node.tryGetContext(key));
 * readSettings(() => undefined).tablePrefix; // 'dev-'
 * readSettings((key) => ({ stage: 'prod', alarmEmail: 'ops@example.com' })[key]).production; // true
 * readSettings((key) => ({ stage: 'prod' })[key]); // throws SettingsError: alarms would notify nobody
 * ```
 */
export const readSettings = (read: ContextReader): StageSettings => {
  const stage = text(read, 'stage') ?? 'dev';
  // Stage names end up in table, function, log group and stack names: keep them plain.
  if (!/^[a-z][a-z0-9]{0,15}$/.test(stage)) {
    throw new SettingsError(
      `context stage=${stage} must be 1-16 lower-case letters or digits, starting with a letter`,
    );
  }
  // An empty prefix is meaningful (tables named plainly, DESIGN's default): only unset
  // falls back to the stage.
  const prefixValue = read('tablePrefix');
  const tablePrefix = typeof prefixValue === 'string' ? prefixValue : `${stage}-`;
  if (!/^[A-Za-z0-9_.-]*$/.test(tablePrefix)) {
    throw new SettingsError(`context tablePrefix=${tablePrefix} may hold only A-Z a-z 0-9 _ . -`);
  }
  const logLevel = (text(read, 'logLevel') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new SettingsError(`context logLevel=${logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const alarmEmail = text(read, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    throw new SettingsError(`context alarmEmail=${alarmEmail} is not an e-mail address`);
  }
  const alarmUrl = text(read, 'alarmUrl');
  if (alarmUrl !== undefined && !URL.canParse(alarmUrl)) {
    throw new SettingsError(`context alarmUrl=${alarmUrl} is not a URL`);
  }
  if (alarmUrl !== undefined && new URL(alarmUrl).protocol !== 'https:') {
    throw new SettingsError(
      `context alarmUrl=${alarmUrl} must be https (SNS sends alarms in clear otherwise)`,
    );
  }
  const alarmsUnsubscribed = flag(read, 'alarmsUnsubscribed');
  // Production alarms without a subscriber page nobody: a synth that would deploy that is
  // refused, unless the operators say they subscribe outside the stack. Other stages are
  // for trying things out; their alarms may stay silent.
  if (
    stage === PRODUCTION_STAGE &&
    alarmEmail === undefined &&
    alarmUrl === undefined &&
    !alarmsUnsubscribed
  ) {
    throw new SettingsError(
      `context stage=${stage}: its alarms would notify a topic nobody is subscribed to; ` +
        'give -c alarmEmail=ops@example.com, or -c alarmUrl=https://... (a pager or chat endpoint), ' +
        'or -c alarmsUnsubscribed=true if a subscription to AlarmTopicArn is kept outside the stack ' +
        '(docs/deployment.md, Alarms)',
    );
  }
  const rateLimit = positiveInteger(read, 'throttleRate', 100);
  const burstLimit = positiveInteger(read, 'throttleBurst', 200);
  const externalTables = parseExternalTables(text(read, 'externalTables'));
  return {
    stage,
    tablePrefix,
    timezone: canonicalZone(text(read, 'timezone') ?? 'Asia/Shanghai'),
    logLevel: logLevel as DeployLogLevel,
    production: stage === PRODUCTION_STAGE,
    externalTables,
    ...readDatabase(read, externalTables),
    alarmEmail,
    alarmUrl,
    alarmsUnsubscribed,
    answersPerStudentPerMinute: answersPerStudentPerMinute(read),
    throttle: { rateLimit, burstLimit },
    oauth: readOAuth(read),
  };
};
