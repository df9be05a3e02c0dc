/**
 * A newcomer's path through the local stack's jobs: answers posted, `aggregate_students`
 * run at once (as `POST /_jobs/aggregate_students` or the console's run-now does), then
 * again once the settle window has passed. The first run must say, in its one summary
 * line, that the answers wait and from when they count; the second must count them.
 * The functions run as the stack runs them (`LocalJobs`, each job through its workflow),
 * over a clock the test moves instead of sleeping a minute.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { LocalJobs } from '../../src/local/aws/scheduler/jobs.ts';
import { loadFunction } from '../../src/local/invoke/load-function.ts';
import { createRuntime } from '../../src/runtime/runtime.ts';
import { ANSWER_SETTLE_MS } from '../../src/services/aggregates/options.ts';
import type { StudentsSummary } from '../../src/services/aggregates/summary.ts';
import { TIME_ZONE, TODAY } from '../domain/progress/hand-example.ts';
import { handAnswers, noonOf, record, storeHandModules } from '../services/aggregates/support.ts';
import { student } from '../support/fixtures.ts';
import { useFreshTestDbs } from '../support/test-db.ts';

const freshDb = useFreshTestDbs(import.meta.url);

describe("a newcomer's answers and the next aggregate_students run", () => {
  it('says how many wait and from when they count, then counts them after the window', async () => {
    const t = await freshDb();
    await storeHandModules(t.db);
    await t.db.students.put(student('s-1', { parent_ids: ['p-1'] }));

    // The stack's default settle window (LMS_ANSWER_SETTLE_SECONDS unset): 60 s.
    const config = loadConfig({ LMS_TIMEZONE: TIME_ZONE, LOG_LEVEL: 'error' });
    expect(config.answerSettleSeconds * 1000).toBe(ANSWER_SETTLE_MS);
    let clock = noonOf(TODAY);
    const lines: string[] = [];
    const jobs = new LocalJobs({
      timezone: TIME_ZONE,
      load: (name) =>
        loadFunction(name, createRuntime(name, config, { db: t.db, now: () => clock })),
      log: (line) => lines.push(line),
      schedule: false,
      retryDelayMs: 0,
    });

    // Posted, then the job run two seconds later.
    const posted = clock;
    await record(t.db, handAnswers, posted);
    clock = new Date(posted.getTime() + 2_000);
    const first = (await jobs.run('aggregate_students')) as StudentsSummary;
    expect(first).toMatchObject({ deferred: 1, failed: 0, settle_seconds: 60 });
    // A run started at this instant folds everything recorded before the first one started.
    const countsFrom = new Date(clock.getTime() + ANSWER_SETTLE_MS);
    expect(first.settles_at).toBe(countsFrom.toISOString());
    expect(lines.at(-1)).toMatch(
      /^job aggregate_students \(incremental, 2026-11-24\): 1 students recomputed, /,
    );
    expect(lines.at(-1)).toContain(
      `; 1 student deferred: answers younger than 60 s (or still being written) count from ${countsFrom.toISOString().slice(11, 19)} UTC (next run)`,
    );
    // Its progress holds none of them yet (a new student's empty figures at most).
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts ?? 0).toBe(0);

    // The next run, once the window has passed: counted, and the line says nothing waits.
    clock = countsFrom;
    const second = (await jobs.run('aggregate_students')) as StudentsSummary;
    expect(second).toMatchObject({ deferred: 0, updated: 1, marks_cleared: 1, failed: 0 });
    expect(lines.at(-1)).not.toContain('deferred');
    expect((await t.db.student_progress.find({ student_id: 's-1' }))?.attempts).toBe(
      handAnswers.length,
    );
    // The parent's summary follows on aggregate_parents' run: the student run marked them.
    expect(await t.db.parent_marks.find({ parent_id: 'p-1' })).toBeDefined();
  });
});
