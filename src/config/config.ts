/**
 * Configuration (DESIGN section 1), read from the environment and validated once. A wrong
 * value fails at start with an error that names the variable, not later in a request.
 */
import * as z from 'zod';
import { MAX_ANSWERS_PER_REQUEST } from '../domain/answers/limits.ts';
import { DEFAULT_REVIEW_RETENTION, REVIEW_RETENTION_RANGE } from '../domain/review/card.ts';
import { LmsError } from '../errors.ts';
import { zodIssues } from '../lib/zod-issues.ts';

export class ConfigError extends LmsError {
  readonly code = 'INVALID_CONFIG';
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How the PostgreSQL connection authenticates (`LMS_DATABASE_AUTH`): the password of
 * `DATABASE_URL`, or an IAM token per connection (RDS Proxy or Aurora with IAM database
 * authentication: the deployed stack's way, so that no password is in a function's
 * environment).
 */
export const DatabaseAuth = {
  Password: 'password',
  Iam: 'iam',
} as const;
export type DatabaseAuth = (typeof DatabaseAuth)[keyof typeof DatabaseAuth];

export interface Config {
  /** Undefined means real AWS. */
  readonly dynamodbEndpoint: string | undefined;
  /**
   * `DATABASE_URL`: a `postgres://` URL, and the repositories use that PostgreSQL database
   * instead of DynamoDB (DESIGN sections 1 and 7). Undefined: DynamoDB.
   */
  readonly databaseUrl: string | undefined;
  /**
   * `LMS_DATABASE_AUTH`: `iam` signs a token with the AWS credentials for each connection
   * (the URL names the user and no password); `password` (the default) uses the URL's.
   */
  readonly databaseAuth: DatabaseAuth;
  /**
   * `AWS_REGION`. Undefined: the SDK's own resolution (Lambda sets AWS_REGION; a profile may
   * set it); against an endpoint, `local` when that finds none (`createDynamoClient`), so
   * that `lms` signs with the region the AWS CLI beside it uses.
   */
  readonly awsRegion: string | undefined;
  readonly tablePrefix: string;
  readonly timezone: string;
  readonly logLevel: LogLevel;
  /**
   * How old an answer must be before `aggregate_students` folds it (`ANSWER_SETTLE_MS`); at
   * least {@link MIN_SETTLE_SECONDS_ON_AWS} against real AWS.
   */
  readonly answerSettleSeconds: number;
  /**
   * The JWT claim holding the caller's LMS id (`LMS_ID_CLAIM`, DESIGN section 5): `sub` by
   * default; the deployed stack and `lms start` set `cognito:username`, because Cognito
   * generates `sub` itself (a UUID) and the username is the LMS id.
   */
  readonly idClaim: string;
  /**
   * `LMS_ANSWERS_PER_STUDENT_PER_MINUTE`: answers `POST /answers` accepts per student in a
   * one-minute window before it answers 429 (`services/answers/rate-limit.ts`).
   */
  readonly answersPerStudentPerMinute: number;
  /** `LMS_REVIEW_RETENTION`: the recall probability reviews are scheduled for (DESIGN section 4). */
  readonly reviewRetention: number;
}

/**
 * A live class produces 15-20 answers per student per minute, an offline device syncing a
 * day posts a full batch (500) at once: 600 admits a batch plus a minute of live answers,
 * and refuses the same batch posted again and again within a minute (a loop).
 */
export const DEFAULT_ANSWERS_PER_STUDENT_PER_MINUTE = 600;

/**
 * The least settle window against real AWS. What keeps an answer in flight from being
 * folded past is data (`answer_batches`, the mark read again), not the window; the window
 * is the margin for clocks: `record_answers` invocations stamping out of order, and a
 * laptop's `lms --aws aggregate`, whose clock may be off by up to `MAX_CLOCK_SKEW_MS`
 * (5 s, checked against AWS's before it runs). Twice that. Only a local engine
 * (`DYNAMODB_ENDPOINT`), where the API and the jobs share one clock, may go lower (0).
 */
export const MIN_SETTLE_SECONDS_ON_AWS = 10;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * A database on this machine (`lms start --engine pglite|postgres`): the API and the jobs
 * read one clock, as with a local DynamoDB endpoint.
 */
const isLoopbackDatabase = (url: string | undefined): boolean => {
  if (url === undefined) return false;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
};

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const variables = {
  DYNAMODB_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8000' })
      .optional(),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a postgres:// URL such as postgres://postgres@127.0.0.1:5432/postgres',
      })
      .optional(),
  ),
  LMS_DATABASE_AUTH: z.preprocess(
    emptyAsUndefined,
    z
      .enum(DatabaseAuth, {
        error: `must be one of ${Object.values(DatabaseAuth).join(', ')}`,
      })
      .default(DatabaseAuth.Password),
  ),
  AWS_REGION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a region name such as eu-west-1 (or local)')
      .optional(),
  ),
  LMS_TABLE_PREFIX: z
    .string()
    .regex(
      /^[A-Za-z0-9_.-]*$/,
      'may hold only letters, digits, "_", "-" and "." (it starts DynamoDB table names)',
    )
    .max(200)
    .default(''),
  LMS_TIMEZONE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai')
      // `asia/shanghai` is accepted by Intl; keep the canonical spelling everywhere after.
      .transform(
        (zone) => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone,
      )
      .default('Asia/Shanghai'),
  ),
  LMS_ANSWER_SETTLE_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of seconds, 0 to 3600' })
      .int('must be a whole number of seconds, 0 to 3600')
      .min(0, 'must be a whole number of seconds, 0 to 3600')
      .max(3600, 'must be a whole number of seconds, 0 to 3600')
      .default(60),
  ),
  LMS_ID_CLAIM: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(
        /^[A-Za-z0-9:_-]+$/,
        'must be a JWT claim name: letters, digits, ":", "_" and "-" (such as cognito:username)',
      )
      .max(128)
      .default('sub'),
  ),
  LMS_ANSWERS_PER_STUDENT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number of answers' })
      .int('must be a whole number of answers')
      // Below one full batch, a device syncing 500 answers at once would be refused in every
      // window, forever (0 or less: every post).
      .min(
        MAX_ANSWERS_PER_REQUEST,
        `must be at least ${MAX_ANSWERS_PER_REQUEST}, one full batch: a device syncing that many at once would be refused forever`,
      )
      .default(DEFAULT_ANSWERS_PER_STUDENT_PER_MINUTE),
  ),
  LMS_REVIEW_RETENTION: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a probability such as 0.9' })
      .min(
        REVIEW_RETENTION_RANGE.min,
        `must be at least ${REVIEW_RETENTION_RANGE.min}: below it a word comes back only once it is mostly forgotten`,
      )
      .max(
        REVIEW_RETENTION_RANGE.max,
        `must be at most ${REVIEW_RETENTION_RANGE.max}: above it reviews come so often that the work grows steeply for little more recall`,
      )
      .default(DEFAULT_REVIEW_RETENTION),
  ),
  LOG_LEVEL: z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
};

const schema = z.object(variables);

/**
 * Reads and validates the configuration from an environment (pure: pass any object).
 *
 * @example
 * ```ts
 * loadConfig({ LMS_TABLE_PREFIX: 'dev-', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
 * // { tablePrefix: 'dev-', awsRegion: undefined, timezone: 'Asia/Shanghai', ... }
 * loadConfig({ LMS_TIMEZONE: 'Mars/Olympus' }); // throws ConfigError naming LMS_TIMEZONE
 * ```
 */
export const loadConfig = (
  env: Readonly<Record<string, string | undefined>>,
  options: {
    /**
     * The API and the jobs run in this one process, on one clock (`lms start`, which starts
     * its own engine before `DYNAMODB_ENDPOINT` exists; the tests), so any settle window is
     * safe there.
     */
    readonly sharedClock?: boolean;
  } = {},
): Config => {
  const result = schema.safeParse(
    Object.fromEntries(Object.keys(variables).map((k) => [k, env[k]])),
  );
  if (!result.success) {
    // The schema is flat: a path is the variable's name, or empty for the whole environment.
    const problems = zodIssues(result.error).map((issue) => {
      const variable = issue.path || 'environment';
      return `${variable}=${JSON.stringify(env[variable] ?? '')} ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const values = result.data;
  if (values.DATABASE_URL !== undefined && values.DYNAMODB_ENDPOINT !== undefined) {
    throw new ConfigError(
      `invalid configuration: both DATABASE_URL and DYNAMODB_ENDPOINT are set, so it is not clear which database the tables are in: unset one (\`unset DYNAMODB_ENDPOINT\` to use PostgreSQL)`,
    );
  }
  if (values.LMS_DATABASE_AUTH === DatabaseAuth.Iam) {
    const url = values.DATABASE_URL === undefined ? undefined : new URL(values.DATABASE_URL);
    // A token is signed for one user; a password beside it would be ignored, and is a
    // secret that should not be in the environment in the first place.
    if (url === undefined || url.username === '' || url.password !== '') {
      throw new ConfigError(
        'invalid configuration: LMS_DATABASE_AUTH=iam needs DATABASE_URL naming the user and no password (postgres://lms_admin@proxy-host:5432/lms?sslmode=verify-full): each connection signs an IAM token for that user',
      );
    }
  }
  if (
    options.sharedClock !== true &&
    values.DYNAMODB_ENDPOINT === undefined &&
    !isLoopbackDatabase(values.DATABASE_URL) &&
    values.LMS_ANSWER_SETTLE_SECONDS < MIN_SETTLE_SECONDS_ON_AWS
  ) {
    throw new ConfigError(
      `invalid configuration: LMS_ANSWER_SETTLE_SECONDS=${values.LMS_ANSWER_SETTLE_SECONDS} is below ${MIN_SETTLE_SECONDS_ON_AWS}, the least that is safe against a remote database (neither DYNAMODB_ENDPOINT nor a DATABASE_URL on this machine is set): the window is the margin for clocks that disagree; only a local engine, where the API and the jobs share one clock, may use less`,
    );
  }
  return {
    dynamodbEndpoint: values.DYNAMODB_ENDPOINT,
    databaseUrl: values.DATABASE_URL,
    databaseAuth: values.LMS_DATABASE_AUTH,
    awsRegion: values.AWS_REGION,
    tablePrefix: values.LMS_TABLE_PREFIX,
    timezone: values.LMS_TIMEZONE,
    logLevel: values.LOG_LEVEL,
    answerSettleSeconds: values.LMS_ANSWER_SETTLE_SECONDS,
    idClaim: values.LMS_ID_CLAIM,
    answersPerStudentPerMinute: values.LMS_ANSWERS_PER_STUDENT_PER_MINUTE,
    reviewRetention: values.LMS_REVIEW_RETENTION,
  };
};
