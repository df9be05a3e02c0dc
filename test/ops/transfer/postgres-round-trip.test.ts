/**
 * The migration path of DESIGN: an organisation exported from DynamoDB, imported into
 * PostgreSQL (`lms import` with DATABASE_URL), exported from there (`lms export`) and
 * imported into fresh DynamoDB tables comes back with every item equal, raw: unknown
 * attributes, sets, bytes, numbers beyond a double (a `__proto__` attribute cannot be written
 * to DynamoDB with the SDK, so it is checked on the PostgreSQL leg alone). DynamoDB only
 * (the run's engine is the source and the destination); the PostgreSQL is an in-process
 * PGlite this file starts.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttributeMap, itemFromLine } from '../../../src/adapters/dynamodb/item-json.ts';
import { createTransferStore } from '../../../src/adapters/dynamodb/transfer-store.ts';
import {
  connectPostgres,
  type PostgresConnection,
} from '../../../src/adapters/postgres/connect.ts';
import { createPostgresTransferStore } from '../../../src/adapters/postgres/transfer-store.ts';
import {
  createPostgresEngine,
  type LocalPostgresEngine,
} from '../../../src/local/postgres/index.ts';
import { exportTables } from '../../../src/ops/transfer/export.ts';
import { importTables, loadManifest } from '../../../src/ops/transfer/import.ts';
import type { Db } from '../../../src/repositories/db.ts';
import { writeSeed } from '../../../src/seed/write.ts';
import {
  physicalName,
  type TableName,
  tableNames,
  tables,
} from '../../../src/tables/definitions.ts';
import { runLmsWithEnv } from '../../support/cli.ts';
import { bytes, rawTable as rawTableOf, specialItems } from '../../support/raw-table.ts';
import { createTestDb, type TestDb, uniquePrefix } from '../../support/test-db.ts';

let source: TestDb;
let back: TestDb;
let engine: LocalPostgresEngine;
let postgres: PostgresConnection;
let dir: string;
const pgPrefix = uniquePrefix(import.meta.url);

/** Beyond the usual special items: numbers PostgreSQL spells its own way, empty values, a map like a tag. */
const planted: [TableName, AttributeMap][] = [
  ...specialItems,
  [
    'students',
    {
      id: { S: 'x-numbers' },
      fine: { N: '0.1000000000000000055511' },
      huge: { N: '1E+125' },
      tiny: { N: '-1E-130' },
      scores: { NS: ['1.50', '-0.000001'] },
      list: { L: [{ N: '1.50' }, { M: {} }, { L: [] }, { S: '' }] },
      odd: { M: { $type: { S: 'not a tag' }, $value: { N: '1' } } },
      blank: { S: '' },
    },
  ],
];

const rawTable = (prefix: string, table: TableName) => rawTableOf(source.client, prefix, table);

const dynamoStore = (t: TestDb) =>
  createTransferStore({
    client: t.client,
    admin: t.client,
    ddb: t.ddb,
    prefix: t.prefix,
    location: t.endpoint,
  });

/** `lms` with DATABASE_URL (and no DynamoDB endpoint) in its environment, as an operator runs it. */
const lmsOnPostgres = (...args: string[]) =>
  runLmsWithEnv({ DATABASE_URL: engine.databaseUrl, LMS_TABLE_PREFIX: pgPrefix }, ...args);

beforeAll(async () => {
  engine = createPostgresEngine({ kind: 'pglite' });
  await engine.start();
  postgres = connectPostgres({ databaseUrl: engine.databaseUrl, tablePrefix: pgPrefix });
  [source, back] = await Promise.all([
    createTestDb(import.meta.url),
    createTestDb(import.meta.url),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'lms-pg-round-trip-'));
  // The demo organisation, smaller: every table the seed writes, in seconds.
  await writeSeed(source.db, {
    size: {
      groups: 1,
      schoolsPerGroup: 1,
      teachersPerSchool: 2,
      classesPerTeacher: [1, 1],
      studentsPerClass: [4, 6],
      modulesPerLevel: 1,
    },
    seed: 5,
    today: '2026-11-24',
    timezone: 'Asia/Shanghai',
  });
  for (const [table, item] of planted) {
    await source.client.send(
      new PutItemCommand({ TableName: physicalName(source.prefix, tables[table]), Item: item }),
    );
  }
}, 60_000);

afterAll(async () => {
  await postgres?.close();
  await engine?.stop();
  await Promise.all([source?.destroy(), back?.destroy()]);
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('DynamoDB → PostgreSQL → DynamoDB with the files of lms export', () => {
  const toPg = () => join(dir, 'from-dynamodb');
  const fromPg = () => join(dir, 'from-postgres');

  it('lms import with DATABASE_URL creates the tables and writes every exported item', async () => {
    const exported = await exportTables(dynamoStore(source), {
      out: toPg(),
      tables: tableNames,
      source: { endpoint: source.endpoint, region: null },
    });
    expect(exported.items).toBeGreaterThan(200);
    const { code, out, err } = await lmsOnPostgres('import', '--from', toPg(), '--json');
    expect(err.at(-1)).toMatch(/^import: \d+ tables, [\d,]+ items into .+counts checked/);
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { target: string; written: number };
    expect(summary.written).toBe(exported.items);
    expect(summary.target).toBe(`${engine.databaseUrl} prefix="${pgPrefix}"`);
  });

  it('keeps numbers exact in jsonb and reads sets and bytes back through the repositories', async () => {
    const { rows } = await postgres.pg.query<{ big: unknown; fine: unknown; huge: unknown }>({
      text: `SELECT s.item ->> 'big' AS big, n.item ->> 'fine' AS fine, n.item ->> 'huge' AS huge FROM "${pgPrefix}".students s, "${pgPrefix}".students n WHERE s.id = 'x-special' AND n.id = 'x-numbers'`,
      values: [],
    });
    expect(rows[0]).toEqual({
      big: '12345678901234567890',
      fine: '0.1000000000000000055511',
      huge: `1${'0'.repeat(125)}`,
    });
    // The string set reads as the list the student schema makes of it, as from DynamoDB.
    // (Numbers beyond a double are not compared: DynamoDB's document client gives a
    // BigInt, PostgreSQL's JSON a rounded number; no entity has such a field.)
    const special = await postgres.db.students.find({ id: 'x-special' });
    const original = await source.db.students.find({ id: 'x-special' });
    expect(special?.parent_ids).toEqual(['p-0', 'p-1']);
    expect(special).toMatchObject({
      name: original?.name,
      class_code: 'c-1',
      parent_ids: original?.parent_ids,
      photo: bytes(0, 1, 2, 255),
      blobs: new Set([bytes(1), bytes(2, 3)]),
    });
    // A seeded student, and its class through the index, read the same from either engine.
    const seeded = (await rawTable(source.prefix, 'students')).find(
      (item) => item.id?.S?.startsWith('x-') === false,
    );
    const id = seeded?.id?.S ?? '';
    const someone = await source.db.students.find({ id });
    expect(someone?.class_code).toBeDefined();
    expect(await postgres.db.students.find({ id })).toEqual(someone);
    // An index without a sort key promises no order: compared by id.
    const classmates = async (db: Db) =>
      (await db.students.get({ class_code: someone?.class_code ?? '' })).sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
    expect(await classmates(postgres.db)).toEqual(await classmates(source.db));
    expect(await postgres.db.answers.count({}, { scan: true })).toBe(
      await source.db.answers.count({}, { scan: true }),
    );
  });

  it('lms export with DATABASE_URL writes the same lines, page after page', async () => {
    const { code, out } = await lmsOnPostgres('export', '--out', fromPg(), '--json');
    expect(code).toBe(0);
    const { manifest } = JSON.parse(out) as {
      manifest: { source: { endpoint: string; region: null; prefix: string } };
    };
    expect(manifest.source).toEqual({
      endpoint: engine.databaseUrl,
      region: null,
      prefix: pgPrefix,
    });
    const [first, second] = await Promise.all([loadManifest(toPg()), loadManifest(fromPg())]);
    for (const table of tableNames) {
      expect({ table, items: second.manifest.tables[table]?.items }).toEqual({
        table,
        items: first.manifest.tables[table]?.items,
      });
    }
    // Pages of 7 rows walk the composite key of answers exactly as one page of 500 does.
    const paged = createPostgresTransferStore({
      pg: postgres.pg,
      prefix: pgPrefix,
      location: 'test',
      pageRows: 7,
    });
    const lines: string[] = [];
    for await (const page of paged.scanLines('answers')) lines.push(...page);
    const file = (await readFile(join(fromPg(), 'answers.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual(file);
  });

  it('imported back into DynamoDB, every table holds every item as it was', async () => {
    const summary = await importTables(dynamoStore(back), { from: fromPg() });
    expect(summary.tables.every((t) => t.empty_before && t.count_after === t.items)).toBe(true);
    for (const table of tableNames) {
      expect({ table, items: await rawTable(back.prefix, table) }).toEqual({
        table,
        items: await rawTable(source.prefix, table),
      });
    }
    const [special] = (await rawTable(back.prefix, 'students')).filter(
      (item) => item.id?.S === 'x-special',
    );
    expect(special?.big).toEqual({ N: '12345678901234567890' });
    expect(special?.scores).toEqual({ NS: expect.arrayContaining(['99999999999999999999999']) });
  });

  it('keeps attributes named __proto__ as attributes on the PostgreSQL leg', async () => {
    const store = createPostgresTransferStore({
      pg: postgres.pg,
      prefix: pgPrefix,
      location: 'test',
    });
    const line =
      '{"Item":{"id":{"S":"x-proto"},"__proto__":{"S":"top"},"m":{"M":{"__proto__":{"M":{"__proto__":{"N":"1"}}}}}}}';
    await store.putLines('students', [line]);
    const lines: string[] = [];
    for await (const page of store.scanLines('students')) lines.push(...page);
    const stored = lines.find((l) => l.includes('x-proto')) ?? '';
    expect(itemFromLine(stored)).toEqual(itemFromLine(line));
    expect(Object.keys(itemFromLine(stored)).sort()).toEqual(['__proto__', 'id', 'm']);
  });
});
