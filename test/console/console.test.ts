/**
 * The web console in a real browser against a seeded stack: each role signs in through the
 * sign-in page and sees what the API answers for it, figure for figure. Screenshots of
 * every view go to test-output/screenshots/ (ignored), or to the folder in LMS_SCREENSHOTS:
 * `npm run screenshots` refreshes the committed ones in docs/screenshots/, so a plain
 * `npm test` leaves the tree as it found it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as z from 'zod';
import {
  classReviewSchema,
  type ReviewWord,
  studentReviewSchema,
} from '../../console/src/schemas.ts';
import { connectDynamo } from '../../src/adapters/dynamodb/connect.ts';
import { loadConfig } from '../../src/config/config.ts';
import { localDate } from '../../src/domain/time-zone.ts';
import { parentSummarySchema } from '../../src/entities/parent-summary.ts';
import { studentProgressSchema } from '../../src/entities/student-progress.ts';
import { withLocalIdClaim } from '../../src/local/aws/auth/tokens.ts';
import { type RunningStack, startLocalStack } from '../../src/local/start.ts';
import { moduleResultsSchema } from '../../src/services/results/schemas.ts';
import {
  browserLeft,
  browserSkipReason,
  launchBrowser,
  type TestBrowser,
} from '../support/browser.ts';
import { uniquePrefix } from '../support/test-db.ts';

let prefix = '';

const ROOT = join(import.meta.dirname, '../..');
export const SCREENSHOTS = resolve(
  ROOT,
  process.env.LMS_SCREENSHOTS?.trim() || join('test-output', 'screenshots'),
);

const identitySchema = z.object({
  role: z.string(),
  id: z.string(),
  name: z.string().nullable(),
  label: z.string(),
  home: z.string(),
});
const identitiesSchema = z.object({ identities: z.array(identitySchema) });
type Identity = z.output<typeof identitySchema>;
const sessionSchema = z.object({ token: z.string(), role: z.string(), id: z.string() });
const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const organisationSchema = z.object({ schools: z.array(z.object({ code: z.string() })) });
const runSchema = z.object({
  id: z.string(),
  status: z.string(),
  summary: z.unknown(),
  progress: z
    .object({
      shards: z.number(),
      shards_done: z.number(),
      invocations: z.number(),
      continuations: z.number(),
    })
    .nullable(),
});
const jobsSchema = z.object({
  jobs: z.array(z.object({ function: z.string(), runs: z.array(runSchema) })),
});

const skip = browserSkipReason();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/**
 * How long a view, a click's effect or a job started from the page may take to show: wide,
 * since a busy 2-core machine draws a view in seconds that a quiet one draws in 100 ms. Every
 * wait of playwright's (selectors, states, navigation) gets it.
 */
const VIEW_DEADLINE_MS = 60_000;
/** A test waits for a few views or runs: its limit is never what fails on a slow machine. */
const BROWSER_TEST_TIMEOUT_MS = 300_000;

let stack: RunningStack;
let chromium: TestBrowser;
let page: Page;
let identities: Identity[];

const identity = (label: string): Identity => {
  const found = identities.find((i) => i.label === label);
  if (found === undefined) throw new Error(`the stack lists no identity "${label}"`);
  return found;
};

/** GET as the API's client would, with the token the page holds. */
const apiGet = async (path: string, token: string | undefined) => {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
};

const pageToken = async (): Promise<string> => {
  const text = z
    .string()
    .nullable()
    .parse(await page.evaluate("sessionStorage.getItem('lms-console-session')"));
  return sessionSchema.parse(JSON.parse(text ?? 'null')).token;
};

/** The view is drawn (`main` no longer busy) and shows `selector`. */
const shown = async (selector: string) => {
  await page.waitForSelector(`main[aria-busy="false"] ${selector}`);
};

// The page's code is given as text: the tests' TypeScript has no DOM types.
const atHash = (hash: string) => page.waitForFunction(`location.hash === ${JSON.stringify(hash)}`);

/**
 * Signs in through the sign-in page and waits until the page is at the identity's home. The
 * nav of a page signed in as the same identity already shows it, so only the move to its
 * home (made once the stack's token is kept) says the sign-in is over; a test that went on
 * before would be sent home by it mid-way on a slow machine.
 */
const signIn = async (label: string) => {
  const who = identity(label);
  await page.goto(`${stack.apiUrl}/#/`);
  await shown(`button[data-identity="${label}"]`);
  await page.click(`button[data-identity="${label}"]`);
  await atHash(who.home);
  await page.waitForSelector(`[data-signed-in="${who.role}:${who.id}"]`);
};

const open = async (hash: string, selector: string) => {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await atHash(hash);
  await shown(selector);
};

/** Runs `check` at a phone's size, and gives the page back its desktop size after. */
const onPhone = async (check: () => Promise<void>) => {
  await page.setViewportSize(PHONE);
  try {
    await check();
  } finally {
    await page.setViewportSize(DESKTOP);
  }
};

/** The page's width and the window's: a page wider than its window scrolls sideways. */
const pageWidths = async () =>
  z
    .object({ page: z.number(), window: z.number() })
    .parse(
      await page.evaluate('({ page: document.documentElement.scrollWidth, window: innerWidth })'),
    );

const screenshot = (name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

const pct = (correct: number, attempts: number) => `${Math.round((correct / attempts) * 100)}%`;

/** A student as the page names it: the id only where the name does not tell it apart. */
const namer = (students: readonly { id: string; name: string | null }[]) => {
  const names = students.map((s) => s.name);
  return (s: { id: string; name: string | null }) =>
    s.name === null
      ? `no name (${s.id})`
      : names.filter((n) => n === s.name).length > 1
        ? `${s.name} (${s.id})`
        : s.name;
};

/**
 * The stack's own `/_jobs` jobs with aggregate_students caught mid-run: a real run is over
 * before a poll could be sure to see it, so the page is shown what it would see.
 */
const withRunning = <J extends { readonly function: string }>(
  jobs: readonly J[],
  runId: string,
  progress: Readonly<Record<string, number>>,
  execution: unknown = null,
) => ({
  jobs: jobs.map((job) =>
    job.function === 'aggregate_students'
      ? {
          ...job,
          running: true,
          current: {
            id: runId,
            function: 'aggregate_students',
            trigger: 'schedule',
            started_at: new Date().toISOString(),
            finished_at: null,
            status: 'running',
            summary: null,
            error: null,
            progress,
            execution,
          },
        }
      : job,
  ),
});

/** The cell labels the API's reply calls for, computed here from the reply alone. */
const expectedLabels = (results: z.output<typeof moduleResultsSchema>) => {
  const nameOf = namer(results.students);
  const cells = new Map(results.cells.map((c) => [`${c.student_id}|${c.word}`, c]));
  const attempted: string[] = [];
  const empty: string[] = [];
  for (const s of results.students) {
    for (const { word } of results.words) {
      const cell = cells.get(`${s.id}|${word}`);
      const who = `${nameOf(s)} · ${word}`;
      if (cell === undefined || cell.attempts === 0) empty.push(`${who}: no attempts`);
      else
        attempted.push(
          `${who}: ${cell.correct} of ${cell.attempts} correct (${pct(cell.correct, cell.attempts)})`,
        );
    }
  }
  return { attempted, empty };
};

const heatmapLabels = async () => ({
  attempted: await page.$$eval('[data-chart="heatmap"] g.heatmap-cells rect', (rects) =>
    rects.map((r) => r.querySelector('title')?.textContent ?? ''),
  ),
  empty: await page.$$eval('[data-chart="heatmap"] g.heatmap-empty-cells rect', (rects) =>
    rects.map((r) => r.querySelector('title')?.textContent ?? ''),
  ),
});

const resultsPath = (hash: string) => hash.replace(/^#/, '');

describe.skipIf(skip !== undefined)(
  `the web console in Chromium${skip === undefined ? '' : ` (skipped: ${skip})`}`,
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      prefix = uniquePrefix(import.meta.url);
      [stack, chromium] = await Promise.all([
        startLocalStack({
          config: loadConfig(withLocalIdClaim({ LMS_TABLE_PREFIX: prefix, LOG_LEVEL: 'error' })),
          // The run's engine, as test/local/start.test.ts: the console on either one.
          engine: inject('dynamodbEngine') === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite',
          inMemory: true,
          dataDir: '.data-test-unused',
          port: 0,
          dbPort: 0,
          schedule: false,
          seed: { size: 'small', seed: 15 },
          log: () => {},
        }),
        launchBrowser(),
      ]);
      identities = identitiesSchema.parse(
        (await apiGet('/_console/identities', undefined)).body,
      ).identities;
      const context = await chromium.browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(VIEW_DEADLINE_MS);
      context.setDefaultNavigationTimeout(VIEW_DEADLINE_MS);
      page = await context.newPage();
    }, 300_000);

    afterAll(async () => {
      const browser = chromium;
      await browser?.stop();
      await stack?.stop();
      if (browser !== undefined) expect(browserLeft(browser)).toBe(false);
    });

    it('writes its screenshots where git ignores them, unless LMS_SCREENSHOTS asks', () => {
      // `npm test` must leave the tree clean: only `npm run screenshots` writes tracked files.
      const ignored = spawnSync('git', ['check-ignore', '-q', join(SCREENSHOTS, 'sign-in.png')], {
        cwd: ROOT,
      });
      if (process.env.LMS_SCREENSHOTS?.trim())
        expect(SCREENSHOTS).toBe(resolve(ROOT, process.env.LMS_SCREENSHOTS.trim()));
      else expect(ignored.status).toBe(0);
    });

    it('offers every identity the stack lists on the sign-in page', async () => {
      await page.goto(`${stack.apiUrl}/`);
      await shown('button[data-identity="demo teacher"]');
      const offered = await page.$$eval('button[data-identity]', (buttons) =>
        buttons.map((b) => b.getAttribute('data-identity')),
      );
      expect(offered).toEqual(identities.map((i) => i.label));
      await screenshot('sign-in');
    });

    it('signs the demo teacher in and shows its class as a heatmap with the API figures', async () => {
      await signIn('demo teacher');
      const teacher = identity('demo teacher');
      await atHash(teacher.home);
      await shown('[data-chart="heatmap"] svg');
      const reply = await apiGet(resultsPath(teacher.home), await pageToken());
      expect(reply.status).toBe(200);
      const results = moduleResultsSchema.parse(reply.body);
      expect(await page.title()).toContain(results.class_name ?? results.class_code);
      expect(await page.title()).toContain(results.module_title ?? results.module_id);

      const labels = await heatmapLabels();
      const expected = expectedLabels(results);
      expect(labels.attempted.length + labels.empty.length).toBe(
        results.students.length * results.words.length,
      );
      expect(labels.attempted).toEqual(expected.attempted);
      expect(labels.empty).toEqual(expected.empty);
      expect(labels.attempted.length).toBeGreaterThan(0);
      // The attempt count is written on every attempted cell.
      const counts = await page.$$eval('[data-chart="heatmap"] g.heatmap-counts text', (t) =>
        t.map((e) => e.textContent),
      );
      expect(counts.length).toBe(labels.attempted.length);

      const review = await page.$$eval('[data-needs-review] li', (li) =>
        li.map((e) => e.getAttribute('data-word')),
      );
      const help = await page.$$eval('[data-needs-help] li', (li) =>
        li.map((e) => e.getAttribute('data-student')),
      );
      expect(review).toEqual(results.needs_review);
      expect(help).toEqual(results.needs_help);

      // The number view lists the same figures.
      await screenshot('module-results');
      await page.click('details.numbers > summary');
      const rows = await page.$$eval('table[data-table="cells"] tbody tr', (r) => r.length);
      expect(rows).toBe(results.students.length);
      // Every header says whether it heads a column or a row.
      const headers = await page.$$eval('table[data-table] th', (th) =>
        th.map((e) => e.getAttribute('scope')),
      );
      // Cells: Student, the words, Accuracy, Mastered, then a student a row; words: six, then a word a row.
      expect(headers.length).toBe(
        3 + results.words.length + results.students.length + 6 + results.words.length,
      );
      expect(headers.every((scope) => scope === 'col' || scope === 'row')).toBe(true);
      const legend = await page.textContent('[data-chart="heatmap"]');
      expect(legend).toContain('Accuracy');
    });

    it('refetches when the date range changes and shows the API figures for that range', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await open(teacher.home, '[data-chart="heatmap"] svg');
      const today = new Date();
      const from = new Date(today.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
      const to = today.toISOString().slice(0, 10);
      await page.fill('input[name="from"]', from);
      await page.waitForFunction(`location.hash.includes(${JSON.stringify(`from=${from}`)})`);
      await page.fill('input[name="to"]', to);
      await page.waitForFunction(`location.hash.includes(${JSON.stringify(`to=${to}`)})`);
      await shown(`[data-view="results"][data-range="${from}/${to}"] [data-chart="heatmap"] svg`);
      const reply = await apiGet(
        `${resultsPath(teacher.home)}?from=${from}&to=${to}`,
        await pageToken(),
      );
      const ranged = moduleResultsSchema.parse(reply.body);
      const all = moduleResultsSchema.parse(
        (await apiGet(resultsPath(teacher.home), await pageToken())).body,
      );
      expect(ranged.overall.attempts).toBeLessThan(all.overall.attempts);
      const labels = await heatmapLabels();
      expect(labels).toEqual(expectedLabels(ranged));
      expect(await page.textContent('[data-overall]')).toContain(
        `${ranged.overall.attempts} attempts`,
      );
    });

    it('fits a phone: the heatmap scrolls in its box and the page does not overflow', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await onPhone(async () => {
        await open(teacher.home, '[data-chart="heatmap"] svg');
        const box = z
          .number()
          .parse(
            await page.evaluate(`document.querySelector('[data-chart="heatmap"]').clientWidth`),
          );
        const widths = await pageWidths();
        // The heatmap keeps its cells legible and scrolls inside its box instead.
        expect(box).toBeLessThanOrEqual(widths.window);
        expect(widths.page).toBeLessThanOrEqual(widths.window);
        await screenshot('module-results-phone');
        // The table of cells is wider than a phone: it scrolls in its own box too.
        await page.click('details.numbers > summary');
        const table = z.object({ box: z.number(), table: z.number() }).parse(
          await page.evaluate(`(() => {
            const table = document.querySelector('table[data-table="cells"]');
            return { box: table.parentElement.clientWidth, table: table.scrollWidth };
          })()`),
        );
        expect(table.table).toBeGreaterThan(table.box);
        expect(table.box).toBeLessThanOrEqual(widths.window);
        expect((await pageWidths()).page).toBeLessThanOrEqual(widths.window);
      });
    });

    // One test per view: each waits for its own view, under its own limit.
    const phoneViews: readonly { label: string; hash: (who: Identity) => string; view: string }[] =
      [
        { label: 'demo teacher', hash: () => '#/classes', view: 'classes' },
        { label: 'demo parent', hash: (who) => who.home, view: 'summary' },
        { label: 'demo student', hash: (who) => who.home, view: 'progress' },
        {
          label: 'demo student',
          hash: (who) => `#/students/${encodeURIComponent(who.id)}/review`,
          view: 'review',
        },
        {
          label: 'demo teacher',
          hash: (who) => `#/classes/${resultsPath(who.home).split('/')[2] ?? ''}/review`,
          view: 'class-review',
        },
        { label: 'admin', hash: () => '#/organisation', view: 'organisation' },
        { label: 'admin', hash: () => '#/jobs', view: 'jobs' },
      ];
    for (const { label, hash, view } of phoneViews) {
      it(`fits a phone in the ${view} view: the page does not scroll sideways`, async () => {
        await signIn(label);
        await onPhone(async () => {
          await open(hash(identity(label)), `[data-view="${view}"]`);
          const widths = await pageWidths();
          expect(widths.page, `${view} at ${PHONE.width} px`).toBeLessThanOrEqual(widths.window);
        });
      });
    }

    it('shows another teacher the API’s 403 for the demo class, and no heatmap', async () => {
      const teacher = identity('demo teacher');
      await signIn('another teacher');
      await open(teacher.home, '.error[role="alert"]');
      const refused = await apiGet(resultsPath(teacher.home), await pageToken());
      expect(refused.status).toBe(403);
      const { error } = errorSchema.parse(refused.body);
      expect(await page.getAttribute('.error[role="alert"]', 'data-error-status')).toBe('403');
      expect(await page.textContent('.error[role="alert"]')).toContain(error.message);
      expect(await page.$('[data-chart="heatmap"]')).toBeNull();
      await screenshot('forbidden');
    });

    it('lists another teacher’s own classes, not the demo class', async () => {
      await signIn('another teacher');
      await open('#/classes', '[data-view="classes"]');
      const directory = z
        .object({ classes: z.array(z.object({ code: z.string() })) })
        .parse((await apiGet('/_console/directory', await pageToken())).body);
      expect(directory.classes.length).toBeGreaterThan(0);
      for (const { code } of directory.classes) {
        expect(await page.$(`[data-class="${code}"]`), code).not.toBeNull();
      }
      const demoClass = resultsPath(identity('demo teacher').home).split('/')[2];
      expect(await page.$(`[data-class="${demoClass}"]`)).toBeNull();
      await screenshot('classes');
    });

    it('shows a parent one card per child with the summary’s 7-day figures', async () => {
      await signIn('demo parent');
      const parent = identity('demo parent');
      await atHash(parent.home);
      await shown('[data-view="summary"]');
      const reply = await apiGet(`/parents/${parent.id}/summary`, await pageToken());
      const summary = parentSummarySchema.parse(reply.body);
      const cards = await page.$$eval('[data-child]', (c) =>
        c.map((e) => e.getAttribute('data-child')),
      );
      expect(cards).toEqual(summary.children.map((c) => c.student_id));
      for (const child of summary.children) {
        expect(
          await page.textContent(`[data-child="${child.student_id}"] [data-figure="attempts_7d"]`),
        ).toBe(String(child.attempts_7d));
        expect(
          await page.$(`[data-child="${child.student_id}"] [data-chart="last-7-days"] svg`),
        ).not.toBeNull();
      }
      await screenshot('parent-summary');
    });

    it('shows a student its modules’ mastery numbers', async () => {
      await signIn('demo student');
      const student = identity('demo student');
      await atHash(student.home);
      await shown('[data-view="progress"]');
      const progress = studentProgressSchema.parse(
        (await apiGet(`/students/${student.id}/progress`, await pageToken())).body,
      );
      const modules = Object.entries(progress.modules);
      expect(modules.length).toBeGreaterThan(0);
      for (const [id, m] of modules) {
        expect(await page.textContent(`[data-module="${id}"] .mastery-figures`)).toContain(
          `${m.words_mastered} of ${m.words_total ?? '?'} words mastered`,
        );
      }
      expect(await page.textContent('[data-figure="streak"]')).toContain(
        `${progress.streak_days} day`,
      );
      expect(await page.$('[data-chart="daily-attempts"] svg')).not.toBeNull();
      await screenshot('student-progress');
    });

    it('draws a chart as wide as its box, and again when the window narrows', async () => {
      await signIn('demo student');
      await open(identity('demo student').home, '[data-chart="daily-attempts"] svg');
      // The chart's width, and its box's less the padding: the room it is given.
      const measure = `(() => {
        const box = document.querySelector('[data-chart="daily-attempts"]');
        const style = getComputedStyle(box);
        const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { chart: Number(box.querySelector('svg').getAttribute('width')), room };
      })()`;
      const fitted = `(({ chart, room }) => Math.abs(chart - room) <= 1)(${measure})`;
      const widths = async () =>
        z.object({ chart: z.number(), room: z.number() }).parse(await page.evaluate(measure));
      await page.waitForFunction(fitted);
      const desktop = await widths();
      expect(desktop.chart).toBeGreaterThan(640);
      await page.setViewportSize({ width: 700, height: DESKTOP.height });
      try {
        await page.waitForFunction(fitted);
        const narrow = await widths();
        expect(narrow.chart).toBeLessThan(desktop.chart);
      } finally {
        await page.setViewportSize(DESKTOP);
      }
    });

    it('stops watching a chart box once its view is left', async () => {
      // A page of its own, whose ResizeObservers count the boxes they watch.
      const main = page;
      page = await main.context().newPage();
      await page.addInitScript(`
        window.watched = 0;
        window.ResizeObserver = class extends window.ResizeObserver {
          count = 0;
          observe(target, options) {
            super.observe(target, options);
            this.count += 1;
            window.watched += 1;
          }
          disconnect() {
            super.disconnect();
            window.watched -= this.count;
            this.count = 0;
          }
        };
      `);
      try {
        await signIn('demo student');
        await shown('[data-view="progress"] [data-chart="daily-accuracy"] svg');
        expect(await page.evaluate('window.watched')).toBe(2);
        await open('#/jobs', '[data-view="jobs"]');
        expect(await page.evaluate('window.watched')).toBe(0);
      } finally {
        await page.close();
        page = main;
      }
    });

    it('shows the admin every school of the organisation', async () => {
      await signIn('admin');
      await shown('[data-view="organisation"]');
      const organisation = organisationSchema.parse(
        (await apiGet('/_console/organisation', await pageToken())).body,
      );
      expect(organisation.schools.length).toBeGreaterThan(0);
      for (const school of organisation.schools) {
        expect(await page.$(`[data-school="${school.code}"]`)).not.toBeNull();
      }
      await screenshot('organisation');
    });

    /** Clicks Run now and waits for a new succeeded run in the list: the API's record of it. */
    const runFromView = async (job: string) => {
      const before = jobsSchema.parse((await apiGet('/_jobs', undefined)).body);
      const known = before.jobs.filter((j) => j.function === job).flatMap((j) => j.runs);
      await page.click(`button[data-run-now="${job}"]`);
      const fresh = known.map((run) => `:not([data-run-id="${run.id}"])`).join('');
      const item = await page.waitForSelector(
        `[data-runs="${job}"] li[data-status="succeeded"]${fresh}`,
      );
      const runId = z.string().parse(await item.getAttribute('data-run-id'));
      const { run } = z
        .object({ run: runSchema })
        .parse((await apiGet(`/_jobs/${job}/runs/${runId}`, undefined)).body);
      expect(run.status).toBe('succeeded');
      const shownSummary = await page.textContent(`[data-run-id="${runId}"] pre[data-summary]`);
      expect(JSON.parse(shownSummary ?? 'null')).toEqual(run.summary);
      return run;
    };

    it('runs a job from the jobs view; the run finishes and its summary appears', async () => {
      await signIn('admin');
      await open('#/jobs', '[data-view="jobs"]');
      const run = await runFromView('calc_all_stats');
      await page.click(`[data-run-id="${run.id}"] summary`);
      await screenshot('jobs');
    });

    it('runs a workflow job from the jobs view; its run keeps the shards it went through', async () => {
      await signIn('admin');
      await open('#/jobs', '[data-view="jobs"]');
      const workflow = await runFromView('aggregate_parents');
      expect(workflow.progress).not.toBeNull();
      const { progress } = workflow;
      if (progress !== null) {
        expect(await page.textContent(`[data-run-id="${workflow.id}"] [data-run-progress]`)).toBe(
          `${progress.shards_done} of ${progress.shards} shards, ${progress.continuations} continuations, ${progress.invocations} invocations`,
        );
      }
      // Its execution, from the run's own events, drawn: every state it went through succeeded.
      const drawing = '[data-workflow="aggregate_parents"][data-execution="succeeded"]';
      await page.waitForSelector(`${drawing} [data-state="Finish"][data-status="succeeded"]`);
      expect(await page.$$(`${drawing} [data-live], ${drawing} [data-status="failed"]`)).toEqual(
        [],
      );
      const shards = progress?.shards ?? 0;
      expect(await page.getAttribute(`${drawing} [data-state="Shards"]`, 'data-shards-done')).toBe(
        `${shards}/${shards}`,
      );
    });

    it('shows a running workflow live: shards done of total and continuations, as each poll answers', async () => {
      // The stack's own /_jobs reply, with aggregate_students caught mid-run: a real run is
      // over before a poll could be sure to see it, so the page is shown what it would see.
      const real = z
        .object({ jobs: z.array(z.looseObject({ function: z.string() })) })
        .parse((await apiGet('/_jobs', undefined)).body);
      let progress = { shards: 8, shards_done: 3, invocations: 11, continuations: 2 };
      const reply = () => withRunning(real.jobs, 'run-live', progress);
      await signIn('admin');
      await page.route('**/_jobs', (route) => route.fulfill({ json: reply() }));
      try {
        // A fresh page load: a jobs view already open would only see it at its next slow poll.
        await page.evaluate(`location.hash = '#/jobs'`);
        await page.reload();
        await shown('[data-view="jobs"] [data-progress="3/8"]');
        const cell = '[data-job="aggregate_students"] [data-progress]';
        expect(await page.textContent(cell)).toContain('3 of 8 shards, 2 continuations');
        expect(await page.getAttribute(`${cell} progress`, 'value')).toBe('3');
        expect(await page.getAttribute(`${cell} progress`, 'max')).toBe('8');
        // The next poll's figures replace these without a reload.
        progress = { shards: 8, shards_done: 6, invocations: 19, continuations: 5 };
        await page.waitForSelector('[data-job="aggregate_students"] [data-progress="6/8"]');
        expect(await page.textContent(cell)).toContain('6 of 8 shards, 5 continuations');
      } finally {
        await page.unroute('**/_jobs');
      }
    });

    it('cancels the request of a view left before its reply: the next view stays, no error', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await open('#/classes', '[data-view="classes"]');
      // The module results are held: no reply comes until the page gives the request up.
      const held: Route[] = [];
      const results = '**/classes/*/modules/*/results*';
      await page.route(results, (route) => {
        held.push(route);
      });
      try {
        const asked = page.waitForRequest((request) => request.url().includes('/results'));
        await page.evaluate(`location.hash = ${JSON.stringify(teacher.home)}`);
        const request = await asked;
        const cancelled = page.waitForEvent('requestfailed', (failed) => failed === request);
        await open('#/classes', '[data-view="classes"]');
        await cancelled;
        expect(request.failure()?.errorText).toContain('ABORTED');
        expect(await page.title()).toBe('Classes · LMS console');
        expect(await page.$('[data-view="results"]')).toBeNull();
        expect(await page.$('.error')).toBeNull();
        expect(await page.$('main[aria-busy="false"] [data-view="classes"]')).not.toBeNull();
      } finally {
        await page.unroute(results);
        // The page gave it up; playwright may already count it as handled.
        for (const route of held) await route.abort().catch(() => undefined);
      }
    });

    it('shows the API’s 404 for a class that does not exist', async () => {
      await signIn('admin');
      const hash = '#/classes/c-none/modules/m-001/results';
      await open(hash, '.error[role="alert"]');
      const missing = await apiGet(resultsPath(hash), await pageToken());
      expect(missing.status).toBe(404);
      expect(await page.getAttribute('.error[role="alert"]', 'data-error-status')).toBe('404');
      expect(await page.textContent('.error[role="alert"]')).toContain(
        errorSchema.parse(missing.body).error.message,
      );
    });

    it('signing out forgets the token and shows the sign-in page', async () => {
      await signIn('admin');
      const nav = await page.$$eval('nav li a', (links) => links.map((a) => a.textContent));
      expect(nav).toEqual(['Organisation', 'Classes', 'Jobs']);
      await page.click('button.sign-out');
      await shown('button[data-identity="demo teacher"]');
      expect(await page.evaluate("sessionStorage.getItem('lms-console-session')")).toBeNull();
    });

    it('shows a token the stack refuses as a 401 with a way back to sign-in, not a blank page', async () => {
      const teacher = identity('demo teacher');
      const stale = {
        token: 'not.a.token',
        role: teacher.role,
        id: teacher.id,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        timezone: 'Asia/Shanghai',
        label: teacher.label,
        name: teacher.name,
        home: teacher.home,
      };
      await page.evaluate(
        `sessionStorage.setItem('lms-console-session', ${JSON.stringify(JSON.stringify(stale))})`,
      );
      await open(teacher.home, '.error[role="alert"]');
      expect(await page.getAttribute('.error[role="alert"]', 'data-error-status')).toBe('401');
      expect(await page.textContent('.error[role="alert"]')).toContain('Sign in again');
      expect(await page.$('[data-chart="heatmap"]')).toBeNull();
    });

    it('names a stored record it could read only in part, and still shows the rest', async () => {
      const teacher = identity('demo teacher');
      const results = resultsPath(teacher.home).split('/');
      const classCode = results[2] ?? '';
      // A student the LMS app stored without a name, in the demo class.
      const connection = connectDynamo({
        dynamodbEndpoint: stack.dynamodbEndpoint,
        awsRegion: 'local',
        tablePrefix: prefix,
      });
      try {
        await connection.doc.send(
          new PutCommand({
            TableName: `${prefix}students`,
            Item: { id: 's-nameless', class_code: classCode, parent_ids: [] },
          }),
        );
      } finally {
        connection.close();
      }
      await signIn('demo teacher');
      await open(teacher.home, '[data-chart="heatmap"] svg');
      const reply = moduleResultsSchema
        .extend({
          warnings: z.array(z.object({ message: z.string() })),
          warnings_total: z.number(),
        })
        .parse((await apiGet(resultsPath(teacher.home), await pageToken())).body);
      expect(reply.warnings_total).toBeGreaterThan(0);
      expect(await page.getAttribute('[data-warnings]', 'data-warnings')).toBe(
        String(reply.warnings_total),
      );
      const shownText = (await page.textContent('[data-warnings]')) ?? '';
      for (const warning of reply.warnings) expect(shownText).toContain(warning.message);
      // The nameless student still has its row of cells.
      const { attempted, empty } = await heatmapLabels();
      expect(
        [...attempted, ...empty].filter((title) => title.includes('(s-nameless)')),
      ).toHaveLength(reply.words.length);
    });

    /** The zone the page draws days in: the stack's, from its sign-in. */
    const pageTimezone = async (): Promise<string> => {
      const text = z
        .string()
        .nullable()
        .parse(await page.evaluate("sessionStorage.getItem('lms-console-session')"));
      return z.object({ timezone: z.string() }).parse(JSON.parse(text ?? 'null')).timezone;
    };

    const titlesOf = (selector: string) =>
      page.$$eval(selector, (marks) =>
        marks.map((m) => m.querySelector('title')?.textContent ?? ''),
      );

    /** A review word's bar label, from the reply alone. */
    const recallLabel = (w: ReviewWord, timeZone: string) =>
      `${w.word}: recall ${Math.round(w.recall * 100)}%, due ${localDate(w.due_at, timeZone)} (${w.reviews} reviews, ${w.lapses} lapses)`;

    const reviewOf = async (studentId: string) => {
      const reply = await apiGet(
        `/students/${encodeURIComponent(studentId)}/review`,
        await pageToken(),
      );
      expect(reply.status).toBe(200);
      return studentReviewSchema.parse(reply.body);
    };

    it('shows a student its words to review from its progress: recall bars, due days, a word’s forgetting curve', async () => {
      const student = identity('demo student');
      await signIn('demo student');
      await shown('[data-view="progress"] [data-tab="review"]');
      await page.click('[data-tab="review"]');
      await atHash(`#/students/${encodeURIComponent(student.id)}/review`);
      await shown('[data-view="review"]');
      const review = await reviewOf(student.id);
      const timeZone = await pageTimezone();
      const words = [...review.due, ...review.upcoming];
      expect(words.length).toBeGreaterThan(0);
      for (const [key, list] of [
        ['due', review.due],
        ['upcoming', review.upcoming],
      ] as const) {
        expect(await page.textContent(`[data-figure="${key}"] strong`)).toBe(String(list.length));
        if (list.length === 0) {
          expect(await page.$(`[data-empty="${key}"]`)).not.toBeNull();
          continue;
        }
        const chart = `[data-chart="recall-${key}"]`;
        expect(await titlesOf(`${chart} g.recall-bars rect`)).toEqual(
          list.map((w) => recallLabel(w, timeZone)),
        );
        // A tick for every word, so a recall of 0 is a mark at 0, not a missing bar.
        expect(await page.$$eval(`${chart} g.recall-ticks line`, (l) => l.length)).toBe(
          list.length,
        );
        expect(
          await page.$$eval(`${chart} g.recall-labels text`, (t) => t.map((e) => e.textContent)),
        ).toEqual(
          list.map((w) => `${Math.round(w.recall * 100)}% · due ${localDate(w.due_at, timeZone)}`),
        );
      }
      // The first word's curve is shown; choosing another shows its own, due day marked.
      const first = words[0];
      const last = words.at(-1);
      if (first === undefined || last === undefined) throw new Error('no words');
      await shown(`[data-curve="${first.word}"] [data-chart="forgetting-curve"] svg`);
      await page.selectOption('select[name="word"]', last.word);
      await shown(`[data-curve="${last.word}"] [data-chart="forgetting-curve"] svg`);
      await page.waitForFunction(
        `location.hash.endsWith(${JSON.stringify(`word=${encodeURIComponent(last.word)}`)})`,
      );
      const curve = `[data-curve="${last.word}"]`;
      const due = localDate(last.due_at, timeZone);
      expect(await page.textContent(`${curve} g.curve-due-label text`)).toBe(`due ${due}`);
      expect(await titlesOf(`${curve} g.curve-due line`)).toEqual([
        expect.stringContaining(`due ${due}: recall`),
      ]);
      expect(await titlesOf(`${curve} g.curve-now circle`)).toEqual([
        `now: recall ${Math.round(last.recall * 100)}%`,
      ]);
      // The curve falls (or stays) from now on: recall only decays without practice.
      const path = await page.getAttribute(`${curve} g.curve-line path`, 'd');
      expect(path ?? '').not.toBe('');
      await screenshot('student-review');
      // A click on a bar chooses its word, as the list does.
      await page.click(`[data-chart^="recall-"] g.recall-bars rect[data-word="${first.word}"]`);
      await shown(`[data-curve="${first.word}"] [data-chart="forgetting-curve"] svg`);
    });

    it('shows a parent its child’s review, reached from the child’s progress', async () => {
      const parent = identity('demo parent');
      await signIn('demo parent');
      const summary = parentSummarySchema.parse(
        (await apiGet(`/parents/${parent.id}/summary`, await pageToken())).body,
      );
      const child = summary.children[0];
      if (child === undefined) throw new Error('the demo parent has no child');
      await open(
        `#/students/${encodeURIComponent(child.student_id)}/progress`,
        '[data-tab="review"]',
      );
      await page.click('[data-tab="review"]');
      await shown('[data-view="review"]');
      const review = await reviewOf(child.student_id);
      expect(await page.textContent('[data-figure="due"] strong')).toBe(String(review.due.length));
      expect(await page.$('.error')).toBeNull();
    });

    it('shows the class’s words by students due as bars, to its teacher, and refuses another teacher', async () => {
      const teacher = identity('demo teacher');
      const classCode = resultsPath(teacher.home).split('/')[2] ?? '';
      await signIn('demo teacher');
      await open('#/classes', `[data-class-review="${classCode}"]`);
      await page.click(`[data-class-review="${classCode}"]`);
      await shown('[data-view="class-review"] [data-chart="class-review"] svg');
      const reply = await apiGet(
        `/classes/${encodeURIComponent(classCode)}/review`,
        await pageToken(),
      );
      expect(reply.status).toBe(200);
      const review = classReviewSchema.parse(reply.body);
      // The class by its name, as the directory gives it, not its code.
      const named = z
        .object({ classes: z.array(z.object({ code: z.string(), name: z.string() })) })
        .parse((await apiGet('/_console/directory', await pageToken())).body)
        .classes.find((c) => c.code === classCode);
      expect(await page.textContent('[data-view="class-review"] h1')).toBe(
        `Words to review in ${named?.name ?? ''}`,
      );
      const expected = review.words.map(
        (w) =>
          `${w.word}: ${w.students_due} students due of ${w.students_practised} who practised it`,
      );
      expect(await titlesOf('[data-chart="class-review"] g.class-due-bars rect')).toEqual(expected);
      expect(
        await page.$$eval('table[data-table="class-students"] tbody tr', (rows) =>
          rows.map((r) => [r.getAttribute('data-student'), r.querySelector('td')?.textContent]),
        ),
      ).toEqual(review.students.map((s) => [s.id, String(s.words_due)]));
      await screenshot('class-review');
      // A student's row leads to that student's review: a teacher may see it too (one with
      // words due: an earlier test stores a student the API cannot read, whose review is a 404).
      const first = review.students.find((s) => s.words_due > 0);
      expect(first).toBeDefined();
      if (first !== undefined) {
        await page.click(`tr[data-student="${first.id}"] a`);
        await shown('[data-view="review"]');
        expect(await page.$('.error')).toBeNull();
      }
      await signIn('another teacher');
      await open(`#/classes/${encodeURIComponent(classCode)}/review`, '.error[role="alert"]');
      expect(await page.getAttribute('.error[role="alert"]', 'data-error-status')).toBe('403');
    });

    it('toggles the module heatmap between accuracy and recall now, from each student’s review', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await open(teacher.home, '[data-chart="heatmap"] svg');
      const results = moduleResultsSchema.parse(
        (await apiGet(resultsPath(teacher.home), await pageToken())).body,
      );
      const timeZone = await pageTimezone();
      await page.check('input[name="measure"][value="recall"]');
      await shown('[data-measure="recall"][aria-busy="false"] [data-chart="heatmap-recall"] svg');
      expect(await page.$('[data-chart="heatmap"]')).toBeNull();
      // The labels the students' reviews call for, computed here from the replies alone.
      const attempted = new Set(
        results.cells.filter((c) => c.attempts > 0).map((c) => `${c.student_id}|${c.word}`),
      );
      const recalled: string[] = [];
      const none: string[] = [];
      const nameOf = namer(results.students);
      for (const s of results.students) {
        const reply = await apiGet(
          `/students/${encodeURIComponent(s.id)}/review?all=true`,
          await pageToken(),
        );
        if (reply.status !== 200) {
          // Refused for this student alone (an earlier test stores one the API cannot read):
          // its cells say so with the API's message, the other students' are drawn.
          const { error } = errorSchema.parse(reply.body);
          for (const { word } of results.words)
            none.push(
              `${nameOf(s)} · ${word}: review not available: ${reply.status} Not found (${error.code}): ${error.message}`,
            );
          continue;
        }
        const review = studentReviewSchema.parse(reply.body);
        const due = new Set(review.due.map((w) => w.word));
        const cards = new Map(
          [...review.due, ...review.upcoming, ...(review.later ?? [])].map((w) => [w.word, w]),
        );
        for (const { word } of results.words) {
          const who = `${nameOf(s)} · ${word}`;
          const card = cards.get(word);
          if (card !== undefined)
            recalled.push(
              `${who}: recall ${Math.round(card.recall * 100)}%, due ${localDate(card.due_at, timeZone)}${due.has(word) ? ' (due today)' : ''}`,
            );
          else {
            // Every card is in `?all=true`: a word answered in this module always has one.
            expect(attempted.has(`${s.id}|${word}`), who).toBe(false);
            none.push(`${who}: no card (never answered)`);
          }
        }
      }
      const chart = '[data-chart="heatmap-recall"]';
      expect(await titlesOf(`${chart} g.recall-cells rect`)).toEqual(recalled);
      expect(await titlesOf(`${chart} g.recall-empty-cells rect`)).toEqual(none);
      expect(recalled.length).toBeGreaterThan(0);
      expect(await page.textContent(chart)).toContain('Recall now');
      await screenshot('module-results-recall');
      // Back to accuracy: the accuracy heatmap as before, without asking again.
      await page.check('input[name="measure"][value="accuracy"]');
      await shown('[data-measure="accuracy"] [data-chart="heatmap"] svg');
      expect(await heatmapLabels()).toEqual(expectedLabels(results));
    });
    /**
     * A time as the console writes it: to the minute (or the second, where a window of
     * seconds decides) in `timeZone`, the zone named.
     */
    const zoned = (iso: string, timeZone: string, seconds = false) =>
      `${new Intl.DateTimeFormat('en-GB', {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        ...(seconds ? { second: '2-digit' } : {}),
        hourCycle: 'h23',
      }).format(new Date(iso))} ${timeZone}`;

    const fullJobsSchema = z.object({
      jobs: z.array(
        z.looseObject({
          function: z.string(),
          timezone: z.string(),
          enabled: z.boolean(),
          disabled_reason: z.string().nullable(),
          since: z.string(),
          runs: z.array(z.looseObject({ id: z.string(), started_at: z.string() })),
        }),
      ),
    });

    it('offers Jobs to admin alone', async () => {
      const navOf = () => page.$$eval('nav li a', (links) => links.map((a) => a.textContent));
      await page.goto(`${stack.apiUrl}/#/`);
      await shown('button[data-identity="demo teacher"]');
      expect(await navOf()).not.toContain('Jobs');
      for (const label of ['demo teacher', 'demo parent', 'demo student', 'admin']) {
        await signIn(label);
        const nav = await navOf();
        if (identity(label).role === 'admin') expect(nav, label).toContain('Jobs');
        else expect(nav, label).not.toContain('Jobs');
      }
    });

    it('says why each disabled schedule is off, and shows every time with its zone', async () => {
      await signIn('admin');
      await open('#/jobs', '[data-view="jobs"]');
      const { jobs } = fullJobsSchema.parse((await apiGet('/_jobs', undefined)).body);
      const disabled = jobs.filter((job) => !job.enabled);
      expect(disabled.map((job) => job.function).sort()).toEqual([
        'calc_class_stats',
        'calc_group_stats',
        'calc_school_stats',
        'calc_teacher_stats',
      ]);
      for (const job of disabled) {
        expect(job.disabled_reason).toContain('calc_all_stats');
        expect(await page.textContent(`[data-disabled="${job.function}"]`)).toBe(
          ` (disabled: ${job.disabled_reason})`,
        );
      }
      // The demo's first runs, each started at a time written in the stack's zone, named.
      const all = jobs.find((job) => job.function === 'calc_all_stats');
      const run = all?.runs[0];
      if (all === undefined || run === undefined) throw new Error('no run of calc_all_stats');
      expect(await page.textContent(`[data-run-id="${run.id}"] summary`)).toContain(
        zoned(run.started_at, all.timezone),
      );
    });

    it('follows a run started from the jobs view in its status line until it ends', async () => {
      await signIn('admin');
      await open('#/jobs', '[data-view="jobs"]');
      await page.click('button[data-run-now="calc_all_stats"]');
      await page.waitForFunction(
        `/^calc_all_stats succeeded at .* after .* \\(run [^)]+\\)\\.$/.test(document.querySelector('p.status')?.textContent ?? '')`,
      );
      expect(await page.textContent('p.status')).not.toContain('started');
    });

    it('labels the runs kept from before this start as such', async () => {
      const real = fullJobsSchema.parse((await apiGet('/_jobs', undefined)).body);
      // A run an earlier stack kept in its data folder: started before this one began.
      const reply = {
        jobs: real.jobs.map((job) =>
          job.function === 'calc_all_stats'
            ? {
                ...job,
                runs: [
                  ...job.runs,
                  {
                    ...job.runs[0],
                    id: 'run-before',
                    started_at: new Date(Date.parse(job.since) - 86_400_000).toISOString(),
                    finished_at: new Date(Date.parse(job.since) - 86_399_000).toISOString(),
                  },
                ],
              }
            : job,
        ),
      };
      await signIn('admin');
      await page.route('**/_jobs', (route) => route.fulfill({ json: reply }));
      try {
        await page.evaluate(`location.hash = '#/jobs'`);
        await page.reload();
        await shown('[data-view="jobs"] [data-kept="calc_all_stats"] [data-run-id="run-before"]');
        const section = (await page.textContent('[data-runs="calc_all_stats"]')) ?? '';
        expect(section).toContain('Kept from before this start');
        // This start's own runs are not among the kept ones.
        const own = real.jobs.find((job) => job.function === 'calc_all_stats')?.runs[0];
        expect(own).toBeDefined();
        expect(
          await page.$(`[data-kept="calc_all_stats"] [data-run-id="${own?.id ?? ''}"]`),
        ).toBeNull();
      } finally {
        await page.unroute('**/_jobs');
      }
    });

    it('shows the console’s page with its favicon and no failed request', async () => {
      const failed: string[] = [];
      const onResponse = (response: { status: () => number; url: () => string }) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      };
      page.on('response', onResponse);
      try {
        await page.goto(`${stack.apiUrl}/`);
        await shown('button[data-identity="demo teacher"]');
        const icon = await page.getAttribute('link[rel="icon"]', 'href');
        expect(icon).not.toBeNull();
        const served = await fetch(new URL(icon ?? '', stack.apiUrl));
        expect(served.status).toBe(200);
        expect(served.headers.get('content-type')).toBe('image/svg+xml');
        // Asked for without the link (a page the browser opens directly): the same icon.
        const direct = await fetch(new URL('/favicon.ico', stack.apiUrl));
        expect(direct.status).toBe(200);
        expect(direct.headers.get('content-type')).toBe('image/svg+xml');
        expect(await direct.text()).toBe(await served.text());
        await signIn('demo teacher');
        await shown('[data-chart="heatmap"] svg');
      } finally {
        page.off('response', onResponse);
      }
      expect(failed).toEqual([]);
    });

    it('names modules and classes: a student’s mastery by module title, a parent’s card by class name', async () => {
      const directorySchema = z.object({
        students: z.array(z.object({ id: z.string(), class_name: z.string().nullable() })),
        modules: z.array(z.object({ id: z.string(), title: z.string() })),
      });
      await signIn('demo student');
      const student = identity('demo student');
      await shown('[data-view="progress"] .mastery');
      const directory = directorySchema.parse(
        (await apiGet('/_console/directory', await pageToken())).body,
      );
      const titles = new Map(directory.modules.map((m) => [m.id, m.title]));
      const shownModules = await page.$$eval('[data-module]', (items) =>
        items.map((li) => [
          li.getAttribute('data-module'),
          li.querySelector('.module-name')?.textContent,
        ]),
      );
      expect(shownModules.length).toBeGreaterThan(0);
      for (const [id, name] of shownModules) {
        expect(name).toBe(titles.get(id ?? ''));
        expect(name).not.toBe(id);
      }
      // The time the aggregate ran, in the school day's zone, named.
      const progress = studentProgressSchema.parse(
        (await apiGet(`/students/${student.id}/progress`, await pageToken())).body,
      );
      const timeZone = await pageTimezone();
      expect(await page.textContent('[data-view="progress"]')).toContain(
        `Aggregated ${zoned(progress.updated_at ?? '', timeZone)}`,
      );

      await signIn('demo parent');
      await shown('[data-view="summary"] [data-child]');
      const names = directorySchema.parse(
        (await apiGet('/_console/directory', await pageToken())).body,
      );
      for (const child of names.students) {
        expect(child.class_name).not.toBeNull();
        expect(await page.textContent(`[data-child="${child.id}"] [data-class-name]`)).toBe(
          child.class_name,
        );
      }
    });

    it('draws a word at 0 % as a visible mark at zero, with its percentage', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      const real = moduleResultsSchema.parse(
        (await apiGet(resultsPath(teacher.home), await pageToken())).body,
      );
      const first = real.words[0];
      if (first === undefined) throw new Error('the module has no words');
      // The stack's own reply with its first word never answered right.
      const reply = {
        ...z
          .looseObject({})
          .parse((await apiGet(resultsPath(teacher.home), await pageToken())).body),
        words: real.words.map((w, i) =>
          i === 0 ? { ...w, correct: 0, accuracy: 0, first_try_accuracy: 0 } : w,
        ),
      };
      const pattern = '**/classes/*/modules/*/results*';
      await page.route(pattern, (route) => route.fulfill({ json: reply }));
      try {
        await page.reload();
        await shown('[data-chart="word-bars"] svg');
        const ticks = await page.$$eval('[data-chart="word-bars"] g.word-ticks line', (lines) =>
          lines.map((line) => ({
            title: line.querySelector('title')?.textContent ?? '',
            width: line.getBoundingClientRect().width,
          })),
        );
        const zero = ticks.filter((t) => t.title === `${first.word}: accuracy 0%`);
        expect(zero).toHaveLength(1);
        expect(zero[0]?.width ?? 0).toBeGreaterThan(4);
        const values = await page.$$eval('[data-chart="word-bars"] g.word-values text', (t) =>
          t.map((e) => e.textContent),
        );
        expect(values.filter((v) => v === '0%').length).toBeGreaterThanOrEqual(2);
      } finally {
        await page.unroute(pattern);
      }
    });

    it('scrolls a wide table inside its box on a desktop, its first column kept in view', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await open(teacher.home, '[data-chart="heatmap"] svg');
      await page.click('details.numbers > summary');
      const measure = z.object({
        box: z.number(),
        table: z.number(),
        main: z.number(),
        boxLeft: z.number(),
        firstLeft: z.number(),
        otherLeft: z.number(),
      });
      const measured = async () =>
        measure.parse(
          await page.evaluate(`(() => {
            const table = document.querySelector('table[data-table="cells"]');
            const box = table.parentElement;
            const row = table.querySelector('tbody tr');
            return {
              box: box.clientWidth,
              table: table.scrollWidth,
              main: document.querySelector('main').clientWidth,
              boxLeft: box.getBoundingClientRect().left,
              firstLeft: row.children[0].getBoundingClientRect().left,
              otherLeft: row.children[1].getBoundingClientRect().left,
            };
          })()`),
        );
      const before = await measured();
      expect(before.table).toBeGreaterThan(before.box);
      expect(before.box).toBeLessThanOrEqual(before.main);
      expect((await pageWidths()).page).toBeLessThanOrEqual(DESKTOP.width);
      await page.evaluate(
        `document.querySelector('table[data-table="cells"]').parentElement.scrollLeft = 400`,
      );
      const after = await measured();
      // The names stay at the box's left edge; the words slid past under them.
      expect(Math.abs(after.firstLeft - after.boxLeft)).toBeLessThanOrEqual(1);
      expect(after.otherLeft).toBeLessThan(before.otherLeft);
    });

    it('tells apart students who share a name, and only those', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      const body = z
        .looseObject({})
        .parse((await apiGet(resultsPath(teacher.home), await pageToken())).body);
      const real = moduleResultsSchema.parse(body);
      // Named students only: an earlier test stores one without a name in the class.
      const named = real.students.filter((s) => s.name !== null);
      const [first, second, third] = named;
      if (first === undefined || second === undefined || third === undefined)
        throw new Error('the demo class has fewer than three named students');
      // The stack's own reply, a second student given the first one's name.
      const students = real.students.map((s) =>
        s.id === second.id ? { ...s, name: first.name } : s,
      );
      const pattern = '**/classes/*/modules/*/results*';
      await page.route(pattern, (route) => route.fulfill({ json: { ...body, students } }));
      try {
        await page.reload();
        await shown('[data-chart="heatmap"] svg');
        const { attempted, empty } = await heatmapLabels();
        const titles = [...attempted, ...empty];
        expect(titles.some((t) => t.startsWith(`${first.name} (${first.id}) · `))).toBe(true);
        expect(titles.some((t) => t.startsWith(`${first.name} (${second.id}) · `))).toBe(true);
        // A name no one else has stands alone.
        expect(students.filter((s) => s.name === third.name)).toHaveLength(1);
        expect(titles.some((t) => t.startsWith(`${third.name} · `))).toBe(true);
        expect(titles.some((t) => t.includes(`(${third.id})`))).toBe(false);
      } finally {
        await page.unroute(pattern);
      }
    });

    it('draws each workflow as the states and transitions of its ASL definition, the live state and shards done marked', async () => {
      const targets = {
        Next: z.string().optional(),
        End: z.boolean().optional(),
        Default: z.string().optional(),
        Choices: z.array(z.looseObject({ Next: z.string() })).optional(),
        Catch: z.array(z.looseObject({ Next: z.string() })).optional(),
      };
      const innerSchema = z.looseObject({ Type: z.string(), ...targets });
      const stateSchema = innerSchema.extend({
        ItemProcessor: z
          .looseObject({ StartAt: z.string(), States: z.record(z.string(), innerSchema) })
          .optional(),
      });
      const real = z
        .object({
          jobs: z.array(
            z.looseObject({
              function: z.string(),
              workflow: z.boolean(),
              definition: z.looseObject({ States: z.record(z.string(), stateSchema) }).nullable(),
            }),
          ),
        })
        .parse((await apiGet('/_jobs', undefined)).body);
      const workflows = real.jobs.filter((job) => job.workflow);
      expect(workflows.length).toBeGreaterThan(0);
      /**
       * The ASL's transitions, read here from the definition as the Step Functions console
       * draws them: each Next, Choice, Default and Catch, into each Map's first state, and out
       * of it from each state that ends an item (a Succeed, or End).
       */
      const aslTransitions = (states: Readonly<Record<string, z.output<typeof stateSchema>>>) =>
        Object.entries(states).flatMap(([name, state]) => {
          const onward = (from: string, st: z.output<typeof innerSchema>) => [
            ...(st.Next === undefined ? [] : [`${from} → ${st.Next}`]),
            ...(st.Choices ?? []).map((c) => `${from} → ${c.Next}`),
            ...(st.Default === undefined ? [] : [`${from} → ${st.Default}`]),
            ...(st.Catch ?? []).map((c) => `${from} → ${c.Next}`),
          ];
          const inner = state.ItemProcessor;
          return [
            ...onward(name, state),
            ...(inner === undefined
              ? []
              : [
                  `${name} → ${inner.StartAt}`,
                  ...Object.entries(inner.States).flatMap(([innerName, st]) => [
                    ...onward(innerName, st),
                    ...(st.Type === 'Succeed' || st.End === true ? [`${innerName} → ${name}`] : []),
                  ]),
                ]),
          ];
        });
      const progress = { shards: 8, shards_done: 0, invocations: 0, continuations: 0 };
      const done = (names: readonly string[]) =>
        Object.fromEntries(names.map((name) => [name, { status: 'succeeded', active: 0 }]));
      let execution: unknown = {
        status: 'running',
        states: { Plan: { status: 'running', active: 1 } },
        iterations: {},
      };
      const reply = () => withRunning(real.jobs, 'run-drawn', progress, execution);
      await signIn('admin');
      await page.route('**/_jobs', (route) => route.fulfill({ json: reply() }));
      try {
        await page.evaluate(`location.hash = '#/jobs'`);
        await page.reload();
        const drawing = '[data-workflow="aggregate_students"]';
        // The execution in Plan: that state alone is live, nothing else marked yet.
        await shown(`${drawing} [data-state="Plan"][data-live]`);
        expect(await page.$$(`${drawing} [data-status]`)).toHaveLength(1);
        // Every state and every transition of every workflow's definition is drawn, the Map's
        // own ones and the arrows into and out of it too.
        for (const job of workflows) {
          const states = job.definition?.States ?? {};
          const names = Object.entries(states).flatMap(([name, st]) => [
            name,
            ...Object.keys(st.ItemProcessor?.States ?? {}),
          ]);
          const at = `[data-workflow="${job.function}"]`;
          const drawn = await page.$$eval(`${at} [data-state]`, (g) =>
            g.map((e) => e.getAttribute('data-state')),
          );
          expect([...drawn].sort(), job.function).toEqual([...names].sort());
          const arrows = await page.$$eval(`${at} [data-edge]`, (g) =>
            g.map((e) => `${e.getAttribute('data-from')} → ${e.getAttribute('data-to')}`),
          );
          const expected = aslTransitions(states);
          expect(arrows, job.function).toHaveLength(expected.length);
          expect([...arrows].sort(), job.function).toEqual([...expected].sort());
          // Each arrow is drawn: a path with an arrowhead, not an empty group.
          const paths = await page.$$eval(`${at} [data-edge] path[marker-end]`, (p) =>
            p.map((e) => e.getAttribute('d') ?? ''),
          );
          expect(paths.every((d) => /^M[\d.]+,[\d.]+ [HV]/.test(d))).toBe(true);
          expect(paths).toHaveLength(expected.length);
        }
        // The Choice's loop back into the Map's first state, and the Catch's path to the report.
        expect(
          await page.getAttribute(
            `${drawing} [data-from="Shard done?"][data-to="Work"]`,
            'data-kind',
          ),
        ).toBe('choice');
        expect(
          await page.$$(`${drawing} [data-kind="catch"][data-to="Report failure"]`),
        ).toHaveLength(3);

        // Mid-run: the Map over shards and its Work live (in 3 shards), the plan done.
        execution = {
          status: 'running',
          states: {
            ...done(['Plan', 'Busy?', 'Shard done?', 'Shard finished']),
            Shards: { status: 'running', active: 1 },
            Work: { status: 'running', active: 3 },
          },
          iterations: { Shards: { items: 8, started: 6, succeeded: 3, failed: 0 } },
        };
        await page.waitForSelector(`${drawing} [data-state="Shards"][data-live]`);
        expect(
          await page.getAttribute(`${drawing} [data-state="Shards"]`, 'data-shards-done'),
        ).toBe('3/8');
        expect(await page.textContent(`${drawing} [data-state="Shards"]`)).toContain(
          'shards done 3 of 8',
        );
        expect(await page.textContent(`${drawing} [data-state="Work"] title`)).toContain(
          'in progress, in 3 shards',
        );
        const live = await page.$$eval(`${drawing} [data-live]`, (g) =>
          g.map((e) => e.getAttribute('data-state')),
        );
        expect(live.sort()).toEqual(['Shards', 'Work']);
        expect(await page.getAttribute(`${drawing} [data-state="Plan"]`, 'data-status')).toBe(
          'succeeded',
        );
        await screenshot('jobs-workflow');
        // Every shard done, the execution in Finish.
        execution = {
          status: 'running',
          states: {
            ...done(['Plan', 'Busy?', 'Shards', 'Work', 'Shard done?', 'Shard finished']),
            Finish: { status: 'running', active: 1 },
          },
          iterations: { Shards: { items: 8, started: 8, succeeded: 8, failed: 0 } },
        };
        await page.waitForSelector(`${drawing} [data-state="Finish"][data-live]`);
        expect(await page.textContent(`${drawing} [data-state="Shards"]`)).toContain(
          'shards done 8 of 8',
        );
        // A shard failing for good: the Map and Work failed, the failure path taken.
        execution = {
          status: 'failed',
          states: {
            ...done(['Plan', 'Busy?', 'Shard done?', 'Shard finished', 'Report failure']),
            Shards: { status: 'failed', active: 0 },
            Work: { status: 'failed', active: 0 },
            Failed: { status: 'failed', active: 0 },
          },
          iterations: { Shards: { items: 8, started: 8, succeeded: 5, failed: 1 } },
        };
        await page.waitForSelector(`${drawing}[data-execution="failed"]`);
        const failed = await page.$$eval(`${drawing} [data-status="failed"]`, (g) =>
          g.map((e) => e.getAttribute('data-state')),
        );
        expect(failed.sort()).toEqual(['Failed', 'Shards', 'Work']);
        expect(await page.$$(`${drawing} [data-live]`)).toHaveLength(0);
        expect(await page.textContent(`${drawing} [data-state="Shards"]`)).toContain(
          'shards done 5 of 8, 1 failed',
        );
        expect(await page.$(`${drawing} [data-state="Finish"][data-status]`)).toBeNull();
      } finally {
        await page.unroute('**/_jobs');
      }
    });

    it('writes the results’ small print and the classes in names, the ids only on hover', async () => {
      const teacher = identity('demo teacher');
      await signIn('demo teacher');
      await shown('[data-view="results"] [data-as-of]');
      const results = moduleResultsSchema.parse(
        (await apiGet(resultsPath(teacher.home), await pageToken())).body,
      );
      expect(results.class_name).not.toBeNull();
      expect(results.module_title).not.toBeNull();
      const small = (await page.textContent('[data-as-of]')) ?? '';
      expect(small).toContain(`${results.class_name}, ${results.module_title}, as of `);
      expect(small).not.toContain(results.class_code);
      expect(small).not.toContain(results.module_id);
      // The demo's class names are a school's, with no id in them.
      expect(results.class_name).toMatch(/^Class \d[A-Z]\d*$/);
      expect(await page.getAttribute('[data-as-of]', 'title')).toBe(
        `class ${results.class_code}, module ${results.module_id}`,
      );
      // The classes list names each class's teacher, not its id.
      await open('#/classes', '[data-view="classes"] [data-class]');
      const directory = z
        .object({ principal: z.object({ id: z.string(), name: z.string().nullable() }) })
        .parse((await apiGet('/_console/directory', await pageToken())).body);
      expect(directory.principal.name).not.toBeNull();
      const line = await page.textContent(`[data-teacher="${directory.principal.id}"]`);
      expect(line).toContain(directory.principal.name ?? '');
      expect(line).not.toContain(directory.principal.id);
    });

    // Last: it leaves answers the stack has not counted, which every view then mentions.
    it('says, where progress is looked at, how many students’ answers wait and from when they count', async () => {
      const teacher = identity('demo teacher');
      const student = identity('demo student');
      const [, , classCode = '', , moduleId = ''] = resultsPath(teacher.home).split('/');
      const tokenOf = async (who: Identity) => {
        const response = await fetch(`${stack.apiUrl}/_console/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: who.role, id: who.id }),
        });
        return sessionSchema.parse(await response.json()).token;
      };
      const results = moduleResultsSchema.parse(
        (await apiGet(`/classes/${classCode}/modules/${moduleId}/results`, await tokenOf(teacher)))
          .body,
      );
      const word = results.words[0]?.word ?? '';
      expect(results.students.map((s) => s.id)).toContain(student.id);

      // The newcomer's path: answers posted, aggregate_students run at once (as Run now does).
      const now = new Date().toISOString();
      const posted = await fetch(`${stack.apiUrl}/answers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenOf(student)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          answers: [true, false, true].map((correct, i) => ({
            answer_id: `newcomer-${i}`,
            student_id: student.id,
            module_id: moduleId,
            word,
            correct,
            answered_at: now,
          })),
        }),
      });
      expect(posted.status).toBe(200);
      const ran = await fetch(`${stack.apiUrl}/_jobs/aggregate_students`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      expect(ran.status).toBe(200);
      const summary = z
        .looseObject({
          deferred: z.number(),
          settle_seconds: z.number(),
          settles_at: z.string(),
        })
        .parse(await ran.json());
      // Younger than the settle window (a minute): left for a later run, and said so.
      expect(summary.deferred).toBeGreaterThanOrEqual(1);
      const real = fullJobsSchema.parse((await apiGet('/_jobs', undefined)).body);
      const students = real.jobs.find((job) => job.function === 'aggregate_students');
      if (students === undefined) throw new Error('no aggregate_students job');
      const settles = zoned(summary.settles_at, students.timezone, true);
      const expectNotice = async (view: string) => {
        const notice = `[data-view="${view}"] [data-waiting] [data-deferred]`;
        await shown(notice);
        expect(await page.getAttribute(notice, 'data-deferred')).toBe(String(summary.deferred));
        expect(await page.getAttribute(notice, 'data-settles-at')).toBe(summary.settles_at);
        const text = (await page.textContent(notice)) ?? '';
        expect(text).toContain(
          `Not counted yet: the newest answers of ${summary.deferred} student${summary.deferred === 1 ? '' : 's'} (across this stack`,
        );
        expect(text).toContain(`answers younger than ${summary.settle_seconds} s`);
        expect(text).toContain(`count in the first aggregate_students run from ${settles}`);
        expect(text).toContain('Parent summaries follow on the aggregate_parents run after that');
        return text;
      };

      // The student's progress: unchanged, and the page says why and when.
      await signIn('demo student');
      await expectNotice('progress');
      await screenshot('progress-waiting');
      // Its parent's summary, its teacher's results (which count the answers at once), the jobs.
      await signIn('demo parent');
      await expectNotice('summary');
      await signIn('demo teacher');
      await expectNotice('results');
      expect(await page.textContent('[data-view="results"] [data-waiting]')).toContain(
        'count every answer as soon as it is posted',
      );
      await signIn('admin');
      await open('#/jobs', '[data-view="jobs"]');
      await expectNotice('jobs');

      // The next run, from settles_at on, counts them: rather than wait the window out, the
      // page is shown the /_jobs that run leaves (newcomer.test.ts runs it, clock moved).
      const later = (finished: string, fields: Record<string, unknown>) => ({
        ...students.runs[0],
        id: `run-after-${finished}`,
        started_at: summary.settles_at,
        finished_at: finished,
        summary: { ...z.looseObject({}).parse(students.runs[0]?.summary), ...fields },
      });
      const counted = later(summary.settles_at, {
        deferred: 0,
        parents_marked: 1,
        settles_at: new Date(Date.parse(summary.settles_at) + 60_000).toISOString(),
      });
      let reply: unknown = {
        jobs: real.jobs.map((job) =>
          job === students ? { ...job, runs: [counted, ...job.runs] } : job,
        ),
      };
      // A page open on the progress follows the jobs: the run that counts them ends the notice.
      await signIn('demo student');
      await expectNotice('progress');
      await page.route('**/_jobs', (route) => route.fulfill({ json: reply }));
      try {
        await page.waitForSelector('[data-view="progress"] [data-counted]');
        expect(await page.$('[data-waiting]')).toBeNull();
        // Reloaded: the view read again, with nothing waiting.
        await page.click('[data-counted] button');
        await page.waitForSelector('[data-counted]', { state: 'detached' });
        await shown('[data-view="progress"] .figures-row');
        expect(await page.$('[data-waiting]')).toBeNull();
        // The parent's summary still waits for aggregate_parents, and says so.
        await signIn('demo parent');
        await shown('[data-view="summary"] [data-waiting] [data-parents-waiting="1"]');
        expect(await page.textContent('[data-parents-waiting]')).toContain(
          '1 parent summary: it changes on the next aggregate_parents run',
        );
        // Once aggregate_parents has run after it, nothing waits.
        reply = {
          jobs: real.jobs.map((job) =>
            job === students
              ? { ...job, runs: [counted, ...job.runs] }
              : job.function === 'aggregate_parents'
                ? {
                    ...job,
                    runs: [
                      {
                        ...job.runs[0],
                        id: 'parents-after',
                        status: 'succeeded',
                        started_at: new Date(Date.parse(summary.settles_at) + 1000).toISOString(),
                        finished_at: new Date(Date.parse(summary.settles_at) + 2000).toISOString(),
                      },
                      ...job.runs,
                    ],
                  }
                : job,
          ),
        };
        await page.reload();
        await shown('[data-view="summary"] [data-child]');
        expect(await page.$('[data-waiting]')).toBeNull();
      } finally {
        await page.unroute('**/_jobs');
      }
    });
  },
);
