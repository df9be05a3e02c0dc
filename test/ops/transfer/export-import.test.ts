import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMissingTables, deleteTables } from '../../../src/adapters/dynamodb/tables.ts';
import { createTransferStore } from '../../../src/adapters/dynamodb/transfer-store.ts';
import { CHECKPOINT_FILE, parseImportState } from '../../../src/ops/transfer/checkpoint.ts';
import {
  ExportFileError,
  ImportCountMismatchError,
  ManifestError,
  SourceTableMissingError,
} from '../../../src/ops/transfer/errors.ts';
import { exportTables } from '../../../src/ops/transfer/export.ts';
import { importTables, loadManifest } from '../../../src/ops/transfer/import.ts';
import type { TransferStore } from '../../../src/ops/transfer/store.ts';
import {
  physicalName,
  type TableName,
  tableNames,
  tables,
} from '../../../src/tables/definitions.ts';
import { answer, module } from '../../support/fixtures.ts';
import { randomOrganisation, storeOrganisation } from '../../support/organisation.ts';
import { rawTable as rawTableOf, specialItems } from '../../support/raw-table.ts';
import { createTestDb, type TestDb, uniquePrefix } from '../../support/test-db.ts';

let source: TestDb;
let target: TestDb;
let dir: string;
/** Prefixes without tables (the import creates them), deleted after the file. */
const bare: string[] = [];
const allDefinitions = Object.values(tables);

const store = (prefix: string, client: DynamoDBClient = source.client): TransferStore =>
  createTransferStore({
    client,
    admin: source.client,
    ddb: source.ddb,
    prefix,
    location: source.endpoint,
  });

const totalItems = async (prefix: string) => {
  let total = 0;
  for (const table of tableNames) total += (await rawTable(prefix, table)).length;
  return total;
};

const rawTable = (prefix: string, table: TableName) => rawTableOf(source.client, prefix, table);

const expectSameTables = async (from: string, to: string) => {
  for (const table of tableNames) {
    expect({ table, items: await rawTable(to, table) }).toEqual({
      table,
      items: await rawTable(from, table),
    });
  }
};

/** The low-level client, but the BatchWriteItem calls after the first `allowed` throw. */
const crashingAfter = (client: DynamoDBClient, allowed: number) => {
  const original = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let batches = 0;
  let items = 0;
  const send = async (command: unknown) => {
    if (command instanceof BatchWriteItemCommand) {
      batches += 1;
      if (batches > allowed) throw new Error('simulated crash');
      for (const writes of Object.values(command.input.RequestItems ?? {})) items += writes.length;
    }
    return original(command);
  };
  return {
    client: new Proxy(client, {
      get: (t, property, receiver) =>
        property === 'send' ? send : Reflect.get(t, property, receiver),
    }),
    /** Items sent in BatchWriteItem requests that were not made to fail. */
    items: () => items,
  };
};

const newBarePrefix = () => {
  const prefix = uniquePrefix(import.meta.url);
  bare.push(prefix);
  return prefix;
};

beforeAll(async () => {
  source = await createTestDb(import.meta.url);
  target = await createTestDb(import.meta.url);
  dir = await mkdtemp(join(tmpdir(), 'lms-export-'));
  const org = randomOrganisation(7, 1, 0.05);
  await storeOrganisation(source.db, org);
  await source.db.parents.putMany(
    Array.from({ length: 20 }, (_, i) => ({
      id: `p-${i}`,
      name: `Parent ${i}`,
      student_ids: [`s-${i}`],
    })),
  );
  await source.db.modules.putMany([module('m-1'), module('m-2'), module('m-3')]);
  await source.db.answers.putMany(
    Array.from({ length: 200 }, (_, i) => answer(`s-${i % 40}`, `m-${1 + (i % 3)}`, `a-${i}`)),
  );
  for (const [table, item] of specialItems) {
    await source.client.send(
      new PutItemCommand({ TableName: physicalName(source.prefix, tables[table]), Item: item }),
    );
  }
});

afterAll(async () => {
  await Promise.all(bare.map((prefix) => deleteTables(source.client, prefix, allDefinitions)));
  await target.destroy();
  await source.destroy();
  await rm(dir, { recursive: true, force: true });
});

const exportAll = (out: string) =>
  exportTables(store(source.prefix), {
    out,
    tables: tableNames,
    source: { endpoint: source.endpoint, region: null },
  });

describe('export then import into empty tables of another prefix', () => {
  it('writes one file per table and a manifest whose counts match the tables', async () => {
    const notes: string[] = [];
    const summary = await exportTables(store(source.prefix), {
      out: dir,
      tables: tableNames,
      source: { endpoint: source.endpoint, region: null },
      onNote: (note) => notes.push(note),
      segments: 2,
    });
    expect(notes).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(
      ['manifest.json', ...tableNames.map((table) => `${table}.jsonl`)].sort(),
    );
    const { manifest } = await loadManifest(dir);
    expect(manifest.source.prefix).toBe(source.prefix);
    for (const table of tableNames) {
      expect({ table, items: manifest.tables[table]?.items }).toEqual({
        table,
        items: (await rawTable(source.prefix, table)).length,
      });
    }
    expect(summary.items).toBe(await totalItems(source.prefix));
    const students = await readFile(join(dir, 'students.jsonl'), 'utf8');
    expect(students).toContain('{"N":"12345678901234567890"}');
    expect(students).toContain('"photo":{"B":"AAEC/w=="}');
  });

  it('reproduces every item exactly, including those no schema accepts', async () => {
    const notes: string[] = [];
    const summary = await importTables(store(target.prefix), {
      from: dir,
      onNote: (note) => notes.push(note),
    });
    expect(summary).toMatchObject({ skipped: 0, written: await totalItems(source.prefix) });
    expect(summary.tables.every((t) => t.empty_before && t.count_after === t.items)).toBe(true);
    expect(notes).toEqual([]);
    await expectSameTables(source.prefix, target.prefix);
  });

  it('into tables that already hold items, reports both counts instead of failing', async () => {
    await target.db.groups.put({ code: 'g-extra', name: 'Extra' });
    const notes: string[] = [];
    const summary = await importTables(store(target.prefix), {
      from: dir,
      tables: ['groups'],
      restart: true,
      onNote: (note) => notes.push(note),
    });
    const exported = (await loadManifest(dir)).manifest.tables.groups?.items ?? 0;
    expect(summary.tables[0]).toMatchObject({ empty_before: false, count_after: exported + 1 });
    expect(notes).toContain(
      `groups: the table was not empty before the import; ${exported} items in the export, ${exported + 1} in the table now`,
    );
  });

  it('fails when a table that was empty does not end up with the exported count', async () => {
    const prefix = newBarePrefix();
    const real = store(prefix);
    // A store that loses the first item of every batch.
    const lossy: TransferStore = {
      ...real,
      putLines: (table, lines) => real.putLines(table, lines.slice(1)),
    };
    const error = await importTables(lossy, { from: dir, tables: ['teachers'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportCountMismatchError);
    expect(error).toMatchObject({
      mismatches: [{ table: physicalName(prefix, tables.teachers), expected: 12, found: 11 }],
    });
  });
});

describe('an interrupted import', () => {
  it('resumes from the checkpoint and completes without losing or repeating a line', async () => {
    const prefix = newBarePrefix();
    const crashing = crashingAfter(source.client, 7);
    await expect(
      importTables(store(prefix, crashing.client), {
        from: dir,
        batchesPerGroup: 2,
        concurrency: 1,
      }),
    ).rejects.toThrow('simulated crash');

    const checkpoint = parseImportState(await readFile(join(dir, CHECKPOINT_FILE), 'utf8'), 'x');
    const progress = checkpoint.targets[store(prefix).target]?.tables ?? {};
    // groups, schools, teachers and classes took one batch each; of students, a group of
    // two batches was checkpointed, a third batch written, and the fourth crashed.
    expect(progress.groups).toMatchObject({ complete: true });
    expect(progress.classes).toMatchObject({ complete: true });
    expect(progress.students).toEqual({ lines_done: 50, empty_before: true, complete: false });
    const checkpointed = Object.values(progress).reduce((sum, t) => sum + t.lines_done, 0);

    const resumed = crashingAfter(source.client, Number.POSITIVE_INFINITY);
    const notes: string[] = [];
    const summary = await importTables(store(prefix, resumed.client), {
      from: dir,
      batchesPerGroup: 2,
      onNote: (note) => notes.push(note),
    });
    expect(summary.skipped).toBe(checkpointed);
    expect(summary.written + summary.skipped).toBe(await totalItems(source.prefix));
    // Only what the checkpoint did not hold was sent again.
    expect(resumed.items()).toBe(summary.written);
    expect(notes).toContain('groups: already imported (2 items, per the checkpoint), skipped');
    expect(notes.some((n) => n.startsWith('students: resuming after 50 of '))).toBe(true);
    // The students table was empty before the first attempt: its count is still checked.
    expect(summary.tables.find((t) => t.table === 'students')).toMatchObject({
      empty_before: true,
      skipped: 50,
    });
    await expectSameTables(source.prefix, prefix);

    const done = parseImportState(await readFile(join(dir, CHECKPOINT_FILE), 'utf8'), 'x');
    const tablesDone = Object.values(done.targets[store(prefix).target]?.tables ?? {});
    expect(tablesDone.every((t) => t.complete)).toBe(true);
    // Another run has nothing left to write.
    const again = await importTables(store(prefix), { from: dir });
    expect(again.written).toBe(0);
  });
});

describe('a damaged export', () => {
  let damaged: string;
  beforeAll(async () => {
    damaged = await mkdtemp(join(tmpdir(), 'lms-damaged-'));
  });
  afterAll(() => rm(damaged, { recursive: true, force: true }));

  const expectNothingWritten = async (prefix: string) => {
    expect(await store(prefix).existingTables(tableNames)).toEqual([]);
    await expect(readFile(join(damaged, CHECKPOINT_FILE))).rejects.toThrow(/ENOENT/);
  };

  it('with a changed line is refused before anything is written', async () => {
    await exportAll(damaged);
    const path = join(damaged, 'students.jsonl');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"Student 1"', '"Student X"'));
    const prefix = newBarePrefix();
    const error = await importTables(store(prefix), { from: damaged }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFileError);
    expect(String(error)).toMatch(/students\.jsonl: its SHA-256 differs/);
    await expectNothingWritten(prefix);
  });

  it('with a truncated file is refused before anything is written', async () => {
    await exportAll(damaged);
    const path = join(damaged, 'answers.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${lines.slice(0, -3).join('\n')}\n`);
    const prefix = newBarePrefix();
    await expect(importTables(store(prefix), { from: damaged })).rejects.toThrow(
      /answers\.jsonl: has \d+ lines but the manifest lists \d+ items \(truncated\?\)/,
    );
    await expectNothingWritten(prefix);
  });

  it('from an export that crashed has no manifest, and is refused', async () => {
    await exportAll(damaged);
    const real = store(source.prefix);
    const failing: TransferStore = {
      ...real,
      async *scanLines(table, options) {
        for await (const page of real.scanLines(table, options)) {
          yield page;
          if (table === 'answers') throw new Error('connection lost');
        }
      },
    };
    await expect(
      exportTables(failing, {
        out: damaged,
        tables: tableNames,
        source: { endpoint: null, region: null },
      }),
    ).rejects.toThrow('connection lost');
    expect(await readdir(damaged)).not.toContain('manifest.json');
    expect((await readdir(damaged)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await expect(importTables(store(newBarePrefix()), { from: damaged })).rejects.toThrow(
      ManifestError,
    );
  });
});

describe('exporting tables that do not exist', () => {
  it('leaves out a missing table with a note, or fails when it was named', async () => {
    const prefix = newBarePrefix();
    await createMissingTables(source.client, prefix, [tables.students]);
    const out = await mkdtemp(join(tmpdir(), 'lms-partial-'));
    try {
      const notes: string[] = [];
      const summary = await exportTables(store(prefix), {
        out,
        tables: tableNames,
        source: { endpoint: null, region: null },
        onNote: (note) => notes.push(note),
      });
      expect(Object.keys(summary.manifest.tables)).toEqual(['students']);
      expect(summary.missing).toEqual(tableNames.filter((t) => t !== 'students'));
      expect(notes).toContain(`groups: no table ${prefix}groups at the source, not exported`);
      await expect(
        exportTables(store(prefix), {
          out,
          tables: ['students', 'answers'],
          explicit: true,
          source: { endpoint: null, region: null },
        }),
      ).rejects.toThrow(SourceTableMissingError);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
