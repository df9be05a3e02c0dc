import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportFileError } from '../../../src/ops/transfer/errors.ts';
import {
  readLines,
  verifyLinesFile,
  writeLinesFile,
} from '../../../src/ops/transfer/line-files.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lms-lines-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function* pagesOf(...pages: string[][]) {
  for (const page of pages) yield page;
}

const line = (i: number) => JSON.stringify({ Item: { id: { S: `s-${i}` } } });
const isItem = (text: string) => {
  if (!/^\{"Item":/.test(text)) throw new Error('not an item');
};

describe('writeLinesFile', () => {
  it('writes each line once, ended by a newline, and returns the count and checksum of the bytes', async () => {
    const path = join(dir, 'students.jsonl');
    const seen: number[] = [];
    const digest = await writeLinesFile(path, pagesOf([line(1), line(2)], [], [line(3)]), (n) =>
      seen.push(n),
    );
    const bytes = await readFile(path);
    expect(bytes.toString('utf8')).toBe(`${line(1)}\n${line(2)}\n${line(3)}\n`);
    expect(digest).toEqual({
      items: 3,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(seen).toEqual([2, 3]);
    expect(await readdir(dir)).toEqual(['students.jsonl']);
  });

  it('leaves neither the file nor a temporary one when the source fails midway', async () => {
    const path = join(dir, 'students.jsonl');
    await writeFile(path, 'the previous export\n');
    async function* failing() {
      yield [line(1)];
      throw new Error('scan failed');
    }
    await expect(writeLinesFile(path, failing())).rejects.toThrow('scan failed');
    expect(await readdir(dir)).toEqual(['students.jsonl']);
    expect(await readFile(path, 'utf8')).toBe('the previous export\n');
  });

  it('writes an empty table as an empty file', async () => {
    const digest = await writeLinesFile(join(dir, 'jobs.jsonl'), pagesOf());
    expect(digest).toEqual({ items: 0, sha256: createHash('sha256').digest('hex') });
  });
});

describe('verifyLinesFile', () => {
  let path: string;
  let expected: { items: number; sha256: string };
  beforeEach(async () => {
    path = join(dir, 'students.jsonl');
    expected = await writeLinesFile(path, pagesOf([line(1), line(2), line(3)]));
  });

  const verify = () => verifyLinesFile(path, 'students.jsonl', expected, isItem);

  it('accepts the file as written and reports progress', async () => {
    const progress: number[] = [];
    await verifyLinesFile(path, 'students.jsonl', expected, isItem, (n) => progress.push(n));
    expect(progress.at(-1)).toBe(3);
  });

  it('refuses a truncated file, naming it', async () => {
    await writeFile(path, `${line(1)}\n${line(2)}\n`);
    const error = await verify().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFileError);
    expect(error).toMatchObject({ file: 'students.jsonl' });
    expect(String(error)).toMatch(/has 2 lines but the manifest lists 3 items \(truncated\?\)/);
  });

  it('refuses a file cut in the middle of a line', async () => {
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, -10));
    await expect(verify()).rejects.toThrow(/SHA-256 differs/);
  });

  it('refuses a changed line with the same number of lines', async () => {
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('s-2', 's-9'));
    await expect(verify()).rejects.toThrow(/students\.jsonl: its SHA-256 differs/);
  });

  it('refuses a line that is not an item even when the checksum matches', async () => {
    const bad = await writeLinesFile(path, pagesOf([line(1), 'garbage']));
    await expect(verifyLinesFile(path, 'students.jsonl', bad, isItem)).rejects.toThrow(
      /line 2 is not an item of its table \(not an item\)/,
    );
  });

  it('refuses a missing file', async () => {
    await rm(path);
    await expect(verify()).rejects.toThrow(/students\.jsonl: cannot be read/);
  });
});

describe('readLines', () => {
  it('reads the lines back, one at a time', async () => {
    const path = join(dir, 'x.jsonl');
    await writeLinesFile(path, pagesOf([line(1), line(2)]));
    const lines: string[] = [];
    for await (const text of readLines(path)) lines.push(text);
    expect(lines).toEqual([line(1), line(2)]);
  });
});
