import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../infra/settings.ts';
import { tableNames, tables } from '../../src/tables/definitions.ts';

const from = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('stage settings from CDK context', () => {
  it('defaults: dev, prefix dev-, Asia/Shanghai, info, every table created', () => {
    expect(from({})).toEqual({
      stage: 'dev',
      tablePrefix: 'dev-',
      timezone: 'Asia/Shanghai',
      logLevel: 'info',
      production: false,
      externalTables: [],
      database: 'dynamodb',
      postgres: undefined,
      alarmEmail: undefined,
      alarmUrl: undefined,
      alarmsUnsubscribed: false,
      answersPerStudentPerMinute: undefined,
      throttle: { rateLimit: 100, burstLimit: 200 },
      oauth: undefined,
    });
  });

  it('database=postgres: Aurora from 0.5 to 4 ACUs unless given', () => {
    expect(from({ database: 'postgres' })).toMatchObject({
      database: 'postgres',
      postgres: { minCapacity: 0.5, maxCapacity: 4 },
    });
    expect(
      from({ database: 'postgres', databaseMinAcu: '1', databaseMaxAcu: 16.5 }).postgres,
    ).toEqual({ minCapacity: 1, maxCapacity: 16.5 });
  });

  it('database: refuses what would deploy something else than asked', () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ database: 'mysql' }, /database=mysql must be one of dynamodb, postgres/],
      [{ databaseMaxAcu: '8' }, /databaseMaxAcu applies only with database=postgres/],
      [{ database: 'postgres', databaseMinAcu: '0' }, /databaseMinAcu=0 must be ACUs from 0.5/],
      [{ database: 'postgres', databaseMaxAcu: '2.3' }, /in steps of 0.5/],
      [{ database: 'postgres', databaseMaxAcu: '300' }, /databaseMaxAcu=300/],
      [
        { database: 'postgres', databaseMinAcu: '8', databaseMaxAcu: '4' },
        /databaseMaxAcu=4 must be at least 1 and at least databaseMinAcu=8/,
      ],
      [{ database: 'postgres', externalTables: 'lms-app' }, /externalTables names DynamoDB tables/],
    ];
    for (const [context, message] of refusals) {
      expect(() => from(context), JSON.stringify(context)).toThrow(SettingsError);
      expect(() => from(context)).toThrow(message);
    }
  });

  it('OAuth: off unless callback URLs and a domain prefix are both set', () => {
    expect(
      from({
        oauthCallbackUrls: 'https://app.example.org/signed-in, http://localhost:3000/cb',
        oauthDomainPrefix: 'lms-school-prod',
      }).oauth,
    ).toEqual({
      callbackUrls: ['https://app.example.org/signed-in', 'http://localhost:3000/cb'],
      logoutUrls: ['https://app.example.org/signed-in', 'http://localhost:3000/cb'],
      domainPrefix: 'lms-school-prod',
    });
    expect(() => from({ oauthCallbackUrls: 'https://app.example.org/cb' })).toThrow(
      /oauthCallbackUrls and oauthDomainPrefix go together/,
    );
    expect(() =>
      from({ oauthCallbackUrls: 'http://app.example.org/cb', oauthDomainPrefix: 'lms' }),
    ).toThrow(/must be https/);
    expect(() =>
      from({ oauthCallbackUrls: 'https://app.example.org/cb', oauthDomainPrefix: 'My_Cognito' }),
    ).toThrow(/oauthDomainPrefix=My_Cognito/);
  });

  it('prod is the production stage; the stage is the table prefix', () => {
    expect(from({ stage: 'prod', alarmEmail: 'ops@example.com' })).toMatchObject({
      production: true,
      tablePrefix: 'prod-',
    });
    expect(from({ stage: 'staging2' })).toMatchObject({
      production: false,
      tablePrefix: 'staging2-',
    });
  });

  describe('prod alarms must reach someone', () => {
    it('refuses prod without a subscriber or the opt-out, naming every way out', () => {
      for (const context of [
        { stage: 'prod' },
        { stage: 'prod', alarmsUnsubscribed: 'false' },
        { stage: 'prod', alarmEmail: '' },
      ]) {
        expect(() => from(context)).toThrow(SettingsError);
        expect(() => from(context)).toThrow(
          /stage=prod: its alarms would notify a topic nobody is subscribed to; give -c alarmEmail=.*-c alarmUrl=https:.*-c alarmsUnsubscribed=true/,
        );
      }
    });

    it.each([
      [{ alarmEmail: 'ops@example.com' }],
      [{ alarmUrl: 'https://events.pagerduty.com/integration/0123/enqueue' }],
      [{ alarmsUnsubscribed: 'true' }],
      [{ alarmsUnsubscribed: true }],
    ])('accepts prod with %j', (context) => {
      expect(from({ stage: 'prod', ...context }).production).toBe(true);
    });

    it('other stages may have silent alarms', () => {
      expect(from({ stage: 'staging' })).toMatchObject({
        alarmEmail: undefined,
        alarmUrl: undefined,
        alarmsUnsubscribed: false,
      });
    });
  });

  it('an explicit prefix wins, including the empty one', () => {
    expect(
      from({ stage: 'prod', tablePrefix: '', alarmEmail: 'ops@example.com' }).tablePrefix,
    ).toBe('');
    expect(from({ tablePrefix: 'lms.' }).tablePrefix).toBe('lms.');
  });

  it('canonicalises the zone and the log level; numbers from -c arrive as strings', () => {
    expect(from({ timezone: 'europe/zagreb', logLevel: 'DEBUG' })).toMatchObject({
      timezone: 'Europe/Zagreb',
      logLevel: 'debug',
    });
    expect(from({ throttleRate: '5', throttleBurst: 10 }).throttle).toEqual({
      rateLimit: 5,
      burstLimit: 10,
    });
  });

  it("answersPerStudentPerMinute: the functions' variable, by their own rule", () => {
    expect(from({ answersPerStudentPerMinute: '900' }).answersPerStudentPerMinute).toBe(900);
    expect(from({ answersPerStudentPerMinute: 500 }).answersPerStudentPerMinute).toBe(500);
  });

  it('externalTables: lms-app is the tables the LMS app owns; names are checked', () => {
    const appTables = tableNames.filter((name) => tables[name].owner === 'lms-app');
    expect(from({ externalTables: 'lms-app' }).externalTables).toEqual(appTables);
    expect(from({ externalTables: 'students, classes' }).externalTables).toEqual([
      'students',
      'classes',
    ]);
    expect(() => from({ externalTables: 'pupils' })).toThrow(/unknown table "pupils"/);
  });

  it.each([
    [{ stage: 'Prod' }, /stage=Prod/],
    [{ stage: 'dev-1' }, /stage=dev-1/],
    [{ stage: 'a-very-long-stage-name' }, /stage=/],
    [{ tablePrefix: 'dev/' }, /tablePrefix=dev\//],
    [{ timezone: 'Mars/Olympus' }, /timezone=Mars\/Olympus/],
    [{ logLevel: 'verbose' }, /logLevel=verbose/],
    [{ alarmEmail: 'ops' }, /alarmEmail=ops/],
    [
      { alarmUrl: 'http://hooks.example.com/x' },
      /alarmUrl=http:\/\/hooks.example.com\/x must be https/,
    ],
    [{ alarmUrl: 'pager' }, /alarmUrl=pager is not a URL/],
    [{ alarmsUnsubscribed: 'yes' }, /alarmsUnsubscribed=yes must be true or false/],
    [
      { answersPerStudentPerMinute: '100' },
      /answersPerStudentPerMinute: .*at least 500, one full batch/,
    ],
    [{ answersPerStudentPerMinute: '0' }, /answersPerStudentPerMinute: .*at least 500/],
    [{ throttleRate: '0' }, /throttleRate=0/],
    [{ throttleBurst: 'many' }, /throttleBurst=many/],
    [{ stage: { nested: true } }, /context stage must be a string/],
  ])('rejects %j naming the key', (context, message) => {
    expect(() => from(context)).toThrow(SettingsError);
    expect(() => from(context)).toThrow(message);
  });
});
