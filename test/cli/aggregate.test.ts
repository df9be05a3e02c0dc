import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../services/aggregates/support.ts';
import { runLms } from '../support/cli.ts';
import { answer, module, student } from '../support/fixtures.ts';
import { createTestDb, type TestDb } from '../support/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb(import.meta.url);
  await t.db.modules.put(module('m-1'));
  await t.db.students.putMany([
    student('s-1', { name: 'Bo', parent_ids: ['p-1'] }),
    student('s-2', { name: 'Al', parent_ids: ['p-1'] }),
  ]);
  await t.db.parents.put({ id: 'p-1', name: 'Parent', student_ids: ['s-1', 's-2'] });
  await record(
    t.db,
    [
      {
        student_id: 's-1',
        answer_id: 'a-1',
        module_id: 'm-1',
        word: 'apple',
        correct: true,
        answered_at: '2026-11-23T02:00:00.000Z',
      },
      // Recorded two minutes ago: old enough to be aggregated (LMS_ANSWER_SETTLE_SECONDS).
    ],
    new Date(Date.now() - 120_000),
  );
});
afterAll(() => t.destroy());

const run = (...args: string[]) => runLms(t, 'aggregate', ...args);

describe('lms aggregate', () => {
  it('reports a dry run without writing, with progress lines and a closing summary', async () => {
    const { code, out, err } = await run(
      'students',
      '--dry-run',
      '--json',
      '--today',
      '2026-11-24',
    );
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      job: 'aggregate_students',
      mode: 'incremental',
      dry_run: true,
      today: '2026-11-24',
      scanned: 1,
      updated: 1,
    });
    // Through the workflow (src/catalog/workflows.ts): a bar over the plan's shards.
    expect(err.some((line) => /^shards done: (\d+)\/\1 \(100%\)$/.test(line))).toBe(true);
    expect(err.at(-1)).toMatch(
      /^aggregate_students \(incremental, dry run, 2026-11-24\): 1 students recomputed, 1 would be updated, 0 unchanged, 0 failed, 0 still marked, 0 warning\(s\) in \d+\.\d s$/,
    );
    expect(await t.db.student_progress.get({}, { scan: true })).toEqual([]);
  });

  it('runs the students, then the parents, incremental and full', async () => {
    const students = await run('students', '--today', '2026-11-24');
    expect(students.code).toBe(0);
    expect(students.err.at(-1)).toMatch(
      /^aggregate_students \(incremental, 2026-11-24\): 1 students recomputed, 1 updated/,
    );
    // Answered on 11-23 (local), run on 11-24: a streak of one day, ending yesterday.
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.streak_days).toBe(1);

    const parents = await run('parents', '--today', '2026-11-24');
    expect(parents.code).toBe(0);
    expect(parents.err.at(-1)).toMatch(
      /^aggregate_parents \(incremental, 2026-11-24\): 1 parents recomputed, 1 updated/,
    );
    const summary = await t.db.parent_summaries.find({ parent_id: 'p-1' });
    expect(summary?.children.map((c) => [c.name, c.attempts_7d])).toEqual([
      ['Al', 0],
      ['Bo', 1],
    ]);

    const full = await run('students', '--full', '--today', '2026-11-24');
    expect(full.err.at(-1)).toMatch(
      /\(full, 2026-11-24\): 2 students recomputed, 1 updated, 1 unchanged/,
    );
  });

  it('leaves out an answer that does not validate, names it, and exits 0, incremental and full', async () => {
    // As an import from the old system wrote it, past every schema, for a new student s-3
    // marked for it.
    const recordedAt = new Date(Date.now() - 120_000).toISOString();
    await t.db.students.put(student('s-3', { name: 'Cy' }));
    await t.plant('answers', {
      ...answer('s-3', 'm-1', 'a-old', { recorded_at: recordedAt }),
      correct: 'yes',
    });
    await t.db.student_marks.put({ student_id: 's-3', token: 'import', marked_at: recordedAt });
    const named = (err: readonly string[]) =>
      err.filter((line) => line.startsWith('warning: ') && line.includes('"m-1#a-old"'));
    for (const mode of [[], ['--full']]) {
      const { code, err } = await run('students', ...mode, '--today', '2026-11-24');
      expect(code).toBe(0);
      expect(named(err)).toEqual([expect.stringContaining('correct')]);
      expect(err.at(-1)).toMatch(/ 0 failed, .* 1 warning\(s\)/);
      expect(await t.db.student_progress.find({ student_id: 's-3' })).toMatchObject({
        attempts: 0,
      });
    }
  });

  it('refuses a wrong target or date before touching anything', async () => {
    expect((await run('teachers')).code).not.toBe(0);
    const bad = await run('students', '--today', '2026-02-30');
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--today 2026-02-30');
    expect((await run('parents', '--concurrency', '0')).code).not.toBe(0);
  });
});
