import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BannerInput, banner } from '../../src/local/banner.ts';
import { demoIdentities } from '../support/fixtures.ts';

/** The sample banner of README's "The local stack", between its fences. */
const readmeBanner = () => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('```\nlms-lambdas local stack is running');
  const end = readme.indexOf('```', start + 3);
  return readme.slice(start + 4, end);
};

const TOKEN = 'eyJhbGciOiJFUzI1NiIs...';

const dynamo = (endpoint: string, prefix: string): BannerInput['database'] => ({
  family: 'dynamodb',
  location: endpoint,
  variable: { name: 'DYNAMODB_ENDPOINT', value: endpoint },
  namespace: prefix,
});

/** The stack README's sample banner is printed for. */
const readmeStack: BannerInput = {
  apiUrl: 'http://127.0.0.1:3000',
  host: '127.0.0.1',
  database: dynamo('http://127.0.0.1:8000', ''),
  engine: 'dynalite',
  storage: 'persisted in .data',
  prefix: '',
  timezone: 'Asia/Shanghai',
  jobs: [
    ['calc_all_stats', '5 0 * * *', '2026-11-25T16:05:00.000Z'],
    ['aggregate_students', '15 * * * *', '2026-11-25T00:15:00.000Z'],
    ['aggregate_parents', '45 0 * * *', '2026-11-25T16:45:00.000Z'],
  ].map(([name, schedule, next]) => ({
    function: name as 'calc_all_stats',
    schedule: schedule ?? '',
    enabled: true,
    next_run: next ?? null,
    running: false,
  })),
  tokens: Object.fromEntries(
    [
      ['admin', 'admin'],
      ['teacher', 't-0001'],
      ['parent', 'p-000027'],
      ['student', 's-000023'],
      ['service', 'lms-app'],
    ].map(([role, id]) => [role, { id: id ?? '', token: TOKEN }]),
  ),
  idClaim: 'cognito:username',
  demo: {
    teacherId: 't-0001',
    otherTeacherId: 't-0002',
    classCode: 'c-0001',
    moduleId: 'm-002',
    word: 'cat',
    studentId: 's-000023',
    parentId: 'p-000027',
  },
  now: new Date('2026-11-25T00:10:00.000Z'),
};

describe('the banner', () => {
  it("is what README's sample shows, for the sample's stack", () => {
    const printed = banner(readmeStack);
    // README abbreviates the answers body.
    const abbreviated = printed.replace(/-d '\{"answers":.*?\}\]\}'/, `-d '{"answers":[...]}'`);
    expect(`${abbreviated.trim()}\n`).toBe(readmeBanner());
  });

  it("ends every curl's reply with a newline, and labels the results with the range asked for", () => {
    const printed = banner(readmeStack);
    const curls = printed.split('\n').filter((line) => line.trimStart().startsWith('curl '));
    expect(curls).toHaveLength(6);
    for (const curl of curls) expect(curl).toContain(`curl -w '\\n' `);
    // 2026-11-25T00:10Z is the 25th in Asia/Shanghai: the last 7 days start on the 19th.
    expect(curls[0]).toMatch(/results\?from=2026-11-19" +# the last 7 days \(from 2026-11-19\)$/);
  });

  it('names a table prefix when there is one, so lms finds the tables', () => {
    const printed = banner({
      apiUrl: 'http://127.0.0.1:3000',
      host: '127.0.0.1',
      database: dynamo('http://127.0.0.1:8123', 'demo-'),
      engine: 'dynalite',
      storage: 'in memory',
      prefix: 'demo-',
      timezone: 'Asia/Shanghai',
      jobs: [],
      tokens: {},
      idClaim: 'cognito:username',
      demo: demoIdentities(),
      now: new Date(),
    });
    expect(printed).toContain('\n    export DYNAMODB_ENDPOINT=http://127.0.0.1:8123\n');
    expect(printed).toContain('\n    export LMS_TABLE_PREFIX=demo-\n');
  });

  it('prints the DATABASE_URL line, not the DynamoDB one, for a PostgreSQL engine', () => {
    const url = 'postgres://postgres@127.0.0.1:54320/postgres';
    const printed = banner({
      ...readmeStack,
      engine: 'pglite',
      database: {
        family: 'postgres',
        location: url,
        variable: { name: 'DATABASE_URL', value: url },
        namespace: 'public',
      },
    });
    expect(printed).toContain(
      `\n  PostgreSQL ${url}   (pglite, persisted in .data, schema "public";`,
    );
    expect(printed).toContain(`\n    export DATABASE_URL=${url}\n`);
    expect(printed).not.toMatch(/DYNAMODB|DynamoDB/);
  });

  it("does not print an external DATABASE_URL's password", () => {
    const printed = banner({
      ...readmeStack,
      engine: 'external',
      storage: 'external',
      database: {
        family: 'postgres',
        location: 'postgres://lms:***@db.example:5432/lms',
        variable: { name: 'DATABASE_URL', value: 'postgres://lms:secret@db.example:5432/lms' },
        namespace: 'public',
      },
    });
    expect(printed).not.toContain('secret');
    expect(printed).toContain('postgres://lms:***@db.example:5432/lms');
    expect(printed).toContain('# export DATABASE_URL=...');
  });

  it('says the console and /_jobs are off on a non-loopback --host, and prints no /_jobs line', () => {
    const printed = banner({ ...readmeStack, host: '0.0.0.0' });
    expect(printed).toContain(
      '\n  Console and /_jobs: off, --host 0.0.0.0 is not loopback (the HTTP API alone is served; schedules still run)\n',
    );
    expect(printed).not.toContain('/_jobs/');
    expect(printed).not.toContain('open it in a browser');
    // The API's lines stay.
    expect(printed).toContain('/students/s-000023/progress');
    expect(printed).toContain('/students/s-000023/review');
  });
});
