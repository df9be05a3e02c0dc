import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLmsWithEnv } from '../support/cli.ts';
import { student } from '../support/fixtures.ts';
import { randomOrganisation, storeOrganisation } from '../support/organisation.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let source: TestDb;
let target: TestDb;
let dir: string;
const org = randomOrganisation(11, 1, 0);

beforeAll(async () => {
  source = await createTestDb(import.meta.url);
  target = await createTestDb(import.meta.url);
  dir = await mkdtemp(join(tmpdir(), 'lms-cli-export-'));
  await storeOrganisation(source.db, org);
});
afterAll(async () => {
  await Promise.all([source.destroy(), target.destroy()]);
  await rm(dir, { recursive: true, force: true });
});

/** `lms` with the variables that reach these tables, DynamoDB's or PostgreSQL's. */
const run = (t: TestDb, ...args: string[]) => runLmsWithEnv(t.env, ...args);

describe('lms export and lms import', () => {
  it('export writes the named tables with progress lines and a closing summary', async () => {
    const { code, out, err } = await run(
      source,
      'export',
      'students',
      'classes',
      '--out',
      dir,
      '--json',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { manifest: { tables: Record<string, { items: number }> } };
    expect(Object.keys(summary.manifest.tables)).toEqual(['classes', 'students']);
    expect(summary.manifest.tables.students?.items).toBe(org.students.length);
    expect(err).toContain(`students exported: ${org.students.length}`);
    expect(err.at(-1)).toMatch(
      new RegExp(
        `^export: 2 tables, ${(org.students.length + org.classes.length).toLocaleString('en-US')} items to .+ in \\d+\\.\\d s$`,
      ),
    );
  });

  it('import writes them into the configured prefix and checks the counts', async () => {
    const { code, err } = await run(target, 'import', '--from', dir);
    expect(code).toBe(0);
    expect(err).toContain(
      `students imported: ${org.students.length}/${org.students.length} (100%)`,
    );
    expect(err.at(-1)).toMatch(
      /^import: 2 tables, 320 items into .+: 320 written, 0 skipped \(checkpoint\), counts checked in/,
    );
    expect(await target.db.students.count({}, { scan: true })).toBe(org.students.length);
    expect(await target.db.classes.count({}, { scan: true })).toBe(org.classes.length);
  });

  it('a second import skips what the checkpoint holds, --restart writes it again', async () => {
    const again = await run(target, 'import', '--from', dir);
    expect(again.code).toBe(0);
    expect(again.err).toContain(
      'students: already imported (300 items, per the checkpoint), skipped',
    );
    expect(again.err.at(-1)).toMatch(/0 written, 320 skipped/);
    const restarted = await run(target, 'import', '--from', dir, '--restart');
    expect(restarted.code).toBe(0);
    expect(restarted.err.at(-1)).toMatch(/320 written, 0 skipped/);
    expect(restarted.err.some((line) => line.includes('not empty before the import'))).toBe(true);
  });

  it('a new export into the same directory does not resume from the old checkpoint', async () => {
    await source.db.students.put(student('s-new', { class_code: org.classes[0]?.code }));
    expect((await run(source, 'export', 'students', '--out', dir)).code).toBe(0);
    const { code, err } = await run(target, 'import', '--from', dir);
    expect(code).toBe(0);
    expect(err.some((line) => line.includes('is from another export; starting over'))).toBe(true);
    expect(await target.db.students.find({ id: 's-new' })).toBeDefined();
  });

  it('unknown table names exit 2, listing the valid ones, before touching anything', async () => {
    const exported = await run(source, 'export', 'students', 'pupils', '--out', join(dir, 'never'));
    expect(exported.code).toBe(2);
    expect(exported.err.join('\n')).toMatch(
      /unknown table "pupils"; valid: groups, schools, .*answers/,
    );
    await expect(readFile(join(dir, 'never', 'manifest.json'))).rejects.toThrow(/ENOENT/);
    expect((await run(target, 'import', 'pupils', '--from', dir)).code).toBe(2);
    const notExported = await run(target, 'import', 'answers', '--from', dir);
    expect(notExported.code).toBe(2);
    expect(notExported.err.join('\n')).toMatch(
      /not in the export in .+: answers \(it holds: students\)/,
    );
  });

  it('a tampered file exits 1, naming the file, and writes nothing', async () => {
    const path = join(dir, 'students.jsonl');
    const lines = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${lines.slice(1).join('\n')}`);
    const fresh = await createTestDb(import.meta.url);
    try {
      const { code, err } = await run(fresh, 'import', '--from', dir);
      expect(code).toBe(1);
      expect(err.at(-1)).toMatch(
        /^lms: students\.jsonl: has \d+ lines but the manifest lists \d+ items .*nothing was written \[EXPORT_FILE_INVALID\]$/,
      );
      expect(await fresh.db.students.count({}, { scan: true })).toBe(0);
    } finally {
      await fresh.destroy();
    }
  });

  it('a directory without a manifest exits 1 and says why', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lms-cli-empty-'));
    try {
      const { code, err } = await run(target, 'import', '--from', empty);
      expect(code).toBe(1);
      expect(err.at(-1)).toMatch(
        /no manifest\.json in .+: not an export, or an export that did not finish/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
