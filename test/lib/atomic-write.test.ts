import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  removeLeftovers,
  temporaryName,
  writeAtomically,
  writeFileAtomic,
} from '../../src/lib/atomic-write.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lms-atomic-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a file whole, leaving no temporary file', async () => {
    const path = join(dir, 'manifest.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['manifest.json']);
  });

  it('removes what a killed writer left behind, and nothing else', async () => {
    const leftover = temporaryName(join(dir, 'students.jsonl'));
    await writeFile(leftover, 'half a file');
    await writeFile(join(dir, 'notes.tmp'), 'mine');
    await writeFile(join(dir, '.hidden.tmp'), 'mine too');
    expect(await removeLeftovers(dir)).toHaveLength(1);
    expect((await readdir(dir)).sort()).toEqual(['.hidden.tmp', 'notes.tmp']);
  });

  it('leaves the old file and no temporary one when the writer fails', async () => {
    const path = join(dir, 'job-runs.json');
    await writeFileAtomic(path, 'old');
    await expect(
      writeAtomically(path, async (handle) => {
        await handle.writeFile('half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['job-runs.json']);
  });
});
