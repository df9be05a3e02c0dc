import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_TRIGGERS } from '../../../src/local/aws/scheduler/job-runs.ts';
import { LocalJobs } from '../../../src/local/aws/scheduler/jobs.ts';
import { runHistoryFile } from '../../../src/local/console/run-history.ts';

const dir = mkdtempSync(join(tmpdir(), 'lms-run-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jobsAt = (file: string, lines: string[] = []) => {
  let n = 0;
  return new LocalJobs({
    timezone: 'Asia/Shanghai',
    load: async () => async () => ({ n: ++n }),
    log: (line) => lines.push(line),
    schedule: false,
    history: runHistoryFile(file, (line) => lines.push(line)),
  });
};

const runsOf = (jobs: LocalJobs) =>
  jobs.list().find((job) => job.function === 'calc_all_stats')?.runs ?? [];

describe('the job runs a stack keeps in its data folder', () => {
  it('a restarted stack lists the runs of the one before, newest first, and adds its own', async () => {
    const file = join(dir, 'job-runs.json');
    const first = jobsAt(file);
    await first.restore();
    await first.run('calc_all_stats', {}, RUN_TRIGGERS.schedule);
    await first.run('calc_all_stats');
    await first.stop();
    const before = runsOf(first);

    const second = jobsAt(file);
    await second.restore();
    expect(runsOf(second)).toEqual(before);
    await second.run('calc_all_stats');
    await second.stop();
    const after = runsOf(second);
    expect(after).toHaveLength(3);
    expect(after.slice(1)).toEqual(before);
    expect(after.map((r) => r.trigger)).toEqual(['request', 'request', 'schedule']);
  });

  it('a file that is not a run list is set aside, and the list starts empty', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"version":1,"runs":[{"id":"x"}]}');
    const lines: string[] = [];
    const jobs = jobsAt(file, lines);
    await jobs.restore();
    expect(runsOf(jobs)).toEqual([]);
    expect(lines.join('\n')).toMatch(/set aside as .*broken\.json\.unreadable-/);
    expect(readdirSync(dir).some((name) => name.startsWith('broken.json.unreadable-'))).toBe(true);
    await jobs.run('calc_all_stats');
    await jobs.stop();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, runs: [{}] });
  });

  it('a missing file is an empty list, and no file is written before a run finishes', async () => {
    const file = join(dir, 'none.json');
    const jobs = jobsAt(file);
    await jobs.restore();
    await jobs.stop();
    expect(readdirSync(dir)).not.toContain('none.json');
  });
});
