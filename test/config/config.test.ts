import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  LOG_LEVELS,
  loadConfig,
  MIN_SETTLE_SECONDS_ON_AWS,
} from '../../src/config/config.ts';

const configError = (env: Record<string, string | undefined>): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
};

describe('loadConfig', () => {
  it('has the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      dynamodbEndpoint: undefined,
      databaseUrl: undefined,
      databaseAuth: 'password',
      awsRegion: undefined,
      tablePrefix: '',
      timezone: 'Asia/Shanghai',
      logLevel: 'info',
      answerSettleSeconds: 60,
      idClaim: 'sub',
      answersPerStudentPerMinute: 600,
      reviewRetention: 0.9,
    });
  });

  it('LMS_DATABASE_AUTH=iam: a DATABASE_URL with its user and no password', () => {
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://lms_admin@proxy.example:5432/lms?sslmode=verify-full',
        LMS_DATABASE_AUTH: 'iam',
      }).databaseAuth,
    ).toBe('iam');
    for (const url of [undefined, 'postgres://proxy.example/lms', 'postgres://u:secret@h/lms']) {
      expect(configError({ DATABASE_URL: url, LMS_DATABASE_AUTH: 'iam' }).message).toMatch(
        /LMS_DATABASE_AUTH=iam needs DATABASE_URL naming the user and no password/,
      );
    }
    expect(configError({ LMS_DATABASE_AUTH: 'kerberos' }).message).toMatch(
      /LMS_DATABASE_AUTH="kerberos" must be one of password, iam/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(
      loadConfig({
        DYNAMODB_ENDPOINT: '',
        AWS_REGION: '',
        LMS_TABLE_PREFIX: '',
        LMS_TIMEZONE: '',
        LOG_LEVEL: '',
        LMS_ANSWER_SETTLE_SECONDS: '',
        LMS_ID_CLAIM: '',
      }),
    ).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        DYNAMODB_ENDPOINT: 'https://dynamodb.eu-west-1.amazonaws.com',
        AWS_REGION: 'eu-west-1',
        LMS_TABLE_PREFIX: 'dev-',
        LMS_TIMEZONE: 'Europe/Paris',
        LOG_LEVEL: 'debug',
        LMS_ANSWER_SETTLE_SECONDS: '5',
        LMS_ID_CLAIM: 'cognito:username',
        LMS_ANSWERS_PER_STUDENT_PER_MINUTE: '1200',
        LMS_REVIEW_RETENTION: '0.85',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      dynamodbEndpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
      databaseAuth: 'password',
      awsRegion: 'eu-west-1',
      tablePrefix: 'dev-',
      timezone: 'Europe/Paris',
      logLevel: 'debug',
      answerSettleSeconds: 5,
      idClaim: 'cognito:username',
      answersPerStudentPerMinute: 1200,
      reviewRetention: 0.85,
    });
  });

  it('refuses a settle window below the safe minimum against real AWS, naming the reason; a local engine may use 0', () => {
    for (const seconds of ['0', '9']) {
      expect(() => loadConfig({ LMS_ANSWER_SETTLE_SECONDS: seconds })).toThrow(
        new RegExp(
          `LMS_ANSWER_SETTLE_SECONDS=${seconds} is below ${MIN_SETTLE_SECONDS_ON_AWS}, the least that is safe against a remote database`,
        ),
      );
    }
    expect(loadConfig({ LMS_ANSWER_SETTLE_SECONDS: '10' }).answerSettleSeconds).toBe(10);
    expect(
      loadConfig({ LMS_ANSWER_SETTLE_SECONDS: '0', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })
        .answerSettleSeconds,
    ).toBe(0);
    // A PostgreSQL on this machine shares its clock too; one elsewhere does not.
    expect(
      loadConfig({
        LMS_ANSWER_SETTLE_SECONDS: '0',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      }).answerSettleSeconds,
    ).toBe(0);
    expect(() =>
      loadConfig({
        LMS_ANSWER_SETTLE_SECONDS: '0',
        DATABASE_URL: 'postgres://lms@db.example.com:5432/lms',
      }),
    ).toThrow(/is below 10/);
    // `lms start` runs its own engine: no endpoint yet, one clock.
    expect(
      loadConfig({ LMS_ANSWER_SETTLE_SECONDS: '0' }, { sharedClock: true }).answerSettleSeconds,
    ).toBe(0);
  });

  it('reads DATABASE_URL as the PostgreSQL to use, refusing another scheme and refusing it beside DYNAMODB_ENDPOINT', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/lms' }).databaseUrl).toBe(
      'postgresql://u:p@127.0.0.1:5433/lms',
    );
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'mysql://127.0.0.1/lms' })).toThrow(
      /DATABASE_URL="mysql:\/\/127.0.0.1\/lms" must be a postgres:\/\/ URL/,
    );
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://127.0.0.1/lms',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      }),
    ).toThrow(/both DATABASE_URL and DYNAMODB_ENDPOINT are set/);
  });

  it('keeps the canonical spelling of a time zone given in another case', () => {
    expect(loadConfig({ LMS_TIMEZONE: 'america/new_york' }).timezone).toBe('America/New_York');
  });

  it.each(['sub', 'cognito:username', 'custom:lms_id', 'lms-id'])(
    'reads LMS_ID_CLAIM=%s as a claim name',
    (claim) => {
      expect(loadConfig({ LMS_ID_CLAIM: claim }).idClaim).toBe(claim);
    },
  );

  it('leaves the region to the SDK when AWS_REGION is unset, endpoint or not', () => {
    // With an endpoint, createDynamoClient asks the SDK's chain (a profile's region) and
    // falls back to 'local' only then, so lms signs with the region the AWS CLI uses.
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' })).toMatchObject({
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      awsRegion: undefined,
    });
    expect(loadConfig({ AWS_REGION: 'us-east-1' }).awsRegion).toBe('us-east-1');
  });

  it.each([
    ['INFO', 'info'],
    ['Warn', 'warn'],
    ['ERROR', 'error'],
    ['debug', 'debug'],
  ])('reads LOG_LEVEL=%s as %s', (raw, level) => {
    expect(loadConfig({ LOG_LEVEL: raw }).logLevel).toBe(level);
  });

  it('exports the log levels in order', () => {
    expect(LOG_LEVELS).toEqual(['debug', 'info', 'warn', 'error']);
  });

  it.each([
    ['DYNAMODB_ENDPOINT', 'not a url'],
    ['DYNAMODB_ENDPOINT', 'ftp://example.com'],
    ['AWS_REGION', 'EU West'],
    ['LMS_TABLE_PREFIX', 'dev prefix'],
    ['LMS_TABLE_PREFIX', 'dev/'],
    ['LMS_TIMEZONE', 'Mars/Olympus'],
    ['LOG_LEVEL', 'verbose'],
    ['LMS_ID_CLAIM', 'cognito username'],
    ['LMS_ID_CLAIM', 'claims.sub'],
    ['LMS_ID_CLAIM', 'x'.repeat(129)],
  ])('rejects %s=%j with a ConfigError naming the variable', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(variable);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it.each(['0', '-5', '499', '600.5', 'lots'])(
    'refuses LMS_ANSWERS_PER_STUDENT_PER_MINUTE=%s: below one full batch, a sync would be refused forever',
    (value) => {
      const error = configError({ LMS_ANSWERS_PER_STUDENT_PER_MINUTE: value });
      expect(error.message).toContain(
        `LMS_ANSWERS_PER_STUDENT_PER_MINUTE=${JSON.stringify(value)}`,
      );
      if (Number.isInteger(Number(value))) {
        expect(error.message).toContain('must be at least 500, one full batch');
      }
    },
  );

  it.each([
    ['0.5', 'must be at least 0.7: below it a word comes back only once it is mostly forgotten'],
    ['0.99', 'must be at most 0.97: above it reviews come so often'],
    ['1', 'must be at most 0.97'],
    ['ninety', 'must be a probability such as 0.9'],
  ])('refuses LMS_REVIEW_RETENTION=%s with the reason', (value, reason) => {
    expect(() => loadConfig({ LMS_REVIEW_RETENTION: value })).toThrow(reason);
  });

  it('accepts the ends of the review retention range', () => {
    expect(loadConfig({ LMS_REVIEW_RETENTION: '0.7' }).reviewRetention).toBe(0.7);
    expect(loadConfig({ LMS_REVIEW_RETENTION: '0.97' }).reviewRetention).toBe(0.97);
  });

  it('accepts exactly one full batch per minute', () => {
    expect(
      loadConfig({ LMS_ANSWERS_PER_STUDENT_PER_MINUTE: '500' }).answersPerStudentPerMinute,
    ).toBe(500);
  });

  it('names every bad variable in one error', () => {
    const error = configError({
      DYNAMODB_ENDPOINT: 'nope',
      LMS_TABLE_PREFIX: 'a b',
      LMS_TIMEZONE: 'Nowhere/City',
      LOG_LEVEL: 'loud',
      AWS_REGION: 'eu-west-1',
    });
    for (const variable of ['DYNAMODB_ENDPOINT', 'LMS_TABLE_PREFIX', 'LMS_TIMEZONE', 'LOG_LEVEL']) {
      expect(error.message).toContain(variable);
    }
    expect(error.message).not.toContain('AWS_REGION');
  });
});
