/**
 * The fold of aggregate_students (issue 12): what one new answer costs as a student's
 * history grows, the day roll-over, and the peak heap of one worker invocation.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localDate } from '../../src/domain/time-zone.ts';
import { answerKey, recordedKey } from '../../src/entities/answer.ts';
import { itemBytes } from '../../src/lib/item-size.ts';
import type { Db, Entity } from '../../src/repositories/db.ts';
import { seeded } from '../../src/seed/random.ts';
import { aggregateStudents } from '../../src/services/aggregates/aggregate-students.ts';
import { STUDENTS_JOB } from '../../src/services/aggregates/job-state.ts';
import { FOLD_PAGE_SIZE } from '../../src/services/aggregates/options.ts';
import { workUntilDone } from '../../src/services/aggregates/sharded/in-process.ts';
import {
  type PlanStudentsOptions,
  planStudents,
  students,
} from '../../src/services/aggregates/sharded/students.ts';
import type { StudentsSummary } from '../../src/services/aggregates/summary.ts';
import type { WorkResult } from '../../src/workflow/protocol.ts';
import type { BenchContext, ScenarioResult } from '../context.ts';
import { type Measurement, measure, medianBy } from '../measure.ts';
import { fmtMs, fmtRatio, type Row } from '../report.ts';
import { LAMBDA_MS } from '../sharded-run.ts';
import { countTableRequests } from '../table-requests.ts';
import { BENCH_SETTLE_MS, settleAggregates } from './aggregates.ts';

/** Histories of the one student of the history-growth rows. */
const HISTORIES = [1_000, 20_000, 100_000] as const;

/** Answers a day in a generated history (a keen child): 100k answers span ~2 years. */
const ANSWERS_PER_DAY = 150;

const DAY_MS = 86_400_000;

const mb = (value: number) => `${value.toFixed(1)} MB`;

type Modules = readonly { readonly id: string; readonly words: readonly string[] }[];

/**
 * `size` answers of one student over many days (the seed's modules and words), recorded
 * as record_answers records them, the last one ten minutes ago; written with putMany.
 */
const writeHistory = async (
  context: BenchContext,
  studentId: string,
  size: number,
  modules: Modules,
) => {
  const random = seeded(context.plan.seed).fork(studentId);
  const days = Math.max(10, Math.ceil(size / ANSWERS_PER_DAY));
  const end = Date.now() - 10 * 60_000;
  const start = end - days * DAY_MS;
  const step = (end - start) / size;
  const batch = 5_000;
  for (let from = 0; from < size; from += batch) {
    const answers: Entity<'answers'>[] = [];
    for (let i = from; i < Math.min(size, from + batch); i++) {
      const module = random.pick(modules);
      const at = start + i * step;
      const answerId = `h-${String(i).padStart(6, '0')}`;
      const key = answerKey(module.id, answerId);
      const recordedAt = new Date(at + 1_000).toISOString();
      answers.push({
        student_id: studentId,
        answer_key: key,
        answer_id: answerId,
        module_id: module.id,
        word: random.pick(module.words),
        correct: random.chance(0.7),
        answered_at: new Date(at).toISOString(),
        recorded_at: recordedAt,
        recorded_key: recordedKey(recordedAt, key),
      });
    }
    await context.db.answers.putMany(answers);
  }
};

/** One answer recorded now, and the student marked, as record_answers does. */
const answerNow = async (db: Db, studentId: string, module: Modules[number], n: number) => {
  const now = new Date().toISOString();
  const answerId = `new-${Date.now()}-${n}`;
  const key = answerKey(module.id, answerId);
  await db.answers.put({
    student_id: studentId,
    answer_key: key,
    answer_id: answerId,
    module_id: module.id,
    word: module.words[n % module.words.length] ?? '',
    correct: n % 2 === 0,
    answered_at: now,
    recorded_at: now,
    recorded_key: recordedKey(now, key),
  });
  await db.student_marks.put({ student_id: studentId, token: randomUUID(), marked_at: now });
};

/**
 * How much more a worker may hold with 4x the students or 100x one student's history and
 * still count as independent of them (a page of 500 answers is about 0.3 MB; 100k answers
 * held whole would be tens of MB).
 */
const HEAP_SLACK_MB = 5;

/** How often the heap rows force a GC to sample what a worker holds. */
const LIVE_HEAP_EVERY_MS = 100;

/** What the heap rows read of a shard's counts. */
interface InvocationCounts {
  readonly scanned: number;
  readonly answers_read: number;
}

const countsOf = (counts: Readonly<Record<string, number>>): InvocationCounts => ({
  scanned: counts.scanned ?? 0,
  answers_read: counts.answers_read ?? 0,
});

interface Invocation {
  /** The first worker invocation of shard `segment`, measured. */
  readonly measured: Measurement<InvocationCounts>;
  readonly done: boolean;
  readonly summary: StudentsSummary | undefined;
}

/**
 * Plans a run, measures ONE worker invocation of shard `segment` (a Lambda's 15 minutes on
 * its clock), then, unless a dry run, finishes the shards (the rest unmeasured).
 */
const oneInvocation = async (
  context: BenchContext,
  options: PlanStudentsOptions,
  segment = 0,
): Promise<Invocation> => {
  const { db } = context;
  const plan = await planStudents(db, options);
  if (plan.busy) throw new Error('aggregate_students: another run holds the lease');
  const run = students.runSchema.parse(plan.run);
  const shard = plan.shards[segment];
  if (shard === undefined) throw new RangeError(`no shard ${segment}`);
  let first: WorkResult | undefined;
  const measured = await measure(
    context.counter,
    async () => {
      const started = performance.now();
      first = await students.work(db, run, shard, {
        remainingMs: () => LAMBDA_MS - (performance.now() - started),
        now: () => new Date(),
      });
      return countsOf(first.shard.counts);
    },
    { liveHeapEveryMs: LIVE_HEAP_EVERY_MS },
  );
  const started: WorkResult | undefined = first;
  if (started === undefined) throw new Error('no invocation');
  const done = started.done;
  if (options.dryRun) return { measured, done, summary: undefined };
  const lambda = { now: () => new Date(), invocationMs: LAMBDA_MS };
  const rest = await Promise.all(
    plan.shards.map((other) => {
      if (other.segment !== segment) return workUntilDone(students, db, run, other, lambda);
      return done
        ? Promise.resolve(started)
        : workUntilDone(students, db, run, started.shard, lambda);
    }),
  );
  return {
    measured,
    done,
    summary: await students.finish(db, run, rest, new Date()),
  };
};

const planOptions = (
  context: BenchContext,
  extra: Partial<PlanStudentsOptions>,
): PlanStudentsOptions => ({
  mode: 'incremental',
  dryRun: false,
  timeZone: context.plan.timezone,
  now: () => new Date(),
  settleMs: BENCH_SETTLE_MS,
  ...extra,
});

interface HistoryFigures {
  readonly size: number;
  readonly build: Invocation;
  readonly increment: Measurement<StudentsSummary>;
  readonly increments: Measurement<StudentsSummary>[];
}

const history = async (context: BenchContext, modules: Modules): Promise<HistoryFigures[]> => {
  const { db, counter, log } = context;
  const figures: HistoryFigures[] = [];
  const module = modules[0];
  if (module === undefined) throw new Error('no module with words');
  for (const size of HISTORIES) {
    const studentId = `bench-history-${size}`;
    log(`fold: a student with ${size} answers`);
    await db.students.put({ id: studentId, name: `History ${size}`, parent_ids: [] });
    await writeHistory(context, studentId, size, modules);
    await db.student_marks.put({
      student_id: studentId,
      token: randomUUID(),
      marked_at: new Date().toISOString(),
    });
    // Its state, rebuilt from the whole history by one worker invocation of a 1-shard run.
    const build = await oneInvocation(context, planOptions(context, { shards: 1 }));
    const increments: Measurement<StudentsSummary>[] = [];
    for (let i = 0; i < Math.max(5, context.repetitions); i++) {
      await answerNow(db, studentId, module, i);
      increments.push(
        await measure(counter, () =>
          aggregateStudents(db, { timeZone: context.plan.timezone, settleMs: BENCH_SETTLE_MS }),
        ),
      );
    }
    figures.push({ size, build, increment: medianBy(increments), increments });
  }
  return figures;
};

const historyRows = (figures: readonly HistoryFigures[]): Row[] => {
  const section = 'fold: history growth (one student)';
  const base = figures[0];
  if (base === undefined) return [];
  const b = base.increment;
  const rows: Row[] = [];
  for (const { size, increment: m } of figures) {
    const ratios = {
      read: m.value.answers_read / Math.max(1, b.value.answers_read),
      requests: m.requests / b.requests,
      time: m.ms / b.ms,
    };
    const isBase = size === base.size;
    rows.push({
      section,
      figure: `one new answer after ${size.toLocaleString('en-US')} answers, incremental run`,
      value: `${fmtMs(m.ms)}, ${m.value.answers_read} answers read, ${m.requests} requests, ${m.readCapacity.toFixed(1)} RCU, heap +${mb(m.peakHeapMb)}`,
      comparison: isBase
        ? ''
        : `${base.size.toLocaleString('en-US')}: ${fmtMs(b.ms)}, ${b.value.answers_read} read, ${b.requests} requests`,
      ratio: isBase
        ? ''
        : `${ratios.read.toFixed(2)}x read, ${ratios.requests.toFixed(2)}x requests, ${ratios.time.toFixed(2)}x time`,
      target: isBase
        ? ''
        : `<= 2x ${base.size.toLocaleString('en-US')} (items read, requests, time)`,
      met: isBase ? undefined : ratios.read <= 2 && ratios.requests <= 2 && ratios.time <= 2,
    });
  }
  for (const { size, build } of figures) {
    const m = build.measured;
    rows.push({
      section,
      figure: `state built from ${size.toLocaleString('en-US')} answers (rebuild, one worker invocation)`,
      value: `${fmtMs(m.ms)}, ${m.value.answers_read} answers read, ${m.requests} requests, heap +${mb(m.peakHeapMb)}`,
      comparison: 'once per student (first fold, or `--full`)',
      ratio: '',
      target: '',
      met: undefined,
    });
  }
  return rows;
};

/** A run on the next day: the roll-over of every student whose figures move with the date. */
const rollover = async (context: BenchContext) => {
  const { db, counter, log, plan } = context;
  const today = localDate(new Date(), plan.timezone);
  const tomorrow = addDays(today, 1);
  const jobBefore = await db.jobs.find({ name: STUDENTS_JOB }, { consistent: true });
  // On PostgreSQL the counter already tallies statements by table (`SELECT answers`).
  const tables =
    context.dynamo === undefined
      ? undefined
      : countTableRequests(context.dynamo.ddb.client, context.prefix);
  try {
    log(`fold: roll-over to ${tomorrow}`);
    const run = await measure(counter, () =>
      aggregateStudents(db, {
        timeZone: plan.timezone,
        settleMs: BENCH_SETTLE_MS,
        today: tomorrow,
      }),
    );
    return { run, byTable: tables?.snapshot() ?? run.byCommand };
  } finally {
    tables?.remove();
    // Back to today's roll-over, so later rows do not roll the day over again.
    if (jobBefore !== undefined) await db.jobs.put(jobBefore);
  }
};

const rolloverRows = (r: Awaited<ReturnType<typeof rollover>>): Row[] => {
  const { run, byTable } = r;
  const onAnswers = Object.entries(byTable)
    .filter(([key]) => / answers(\/|$)/.test(key))
    .reduce((sum, [, n]) => sum + n, 0);
  // DynamoDB's Query, PostgreSQL's SELECT of a table's partition.
  const queries = Object.entries(byTable)
    .filter(([key]) => key.startsWith('Query ') || key.startsWith('SELECT '))
    .map(([key, n]) => `${n} ${key}`);
  return [
    {
      section: 'fold: day roll-over',
      figure: `next day's run, ${run.value.scanned} students rolled over`,
      value: `${run.value.answers_read} answers read, ${onAnswers} requests to answers; ${fmtMs(run.ms)}, ${run.requests} requests (${Object.entries(
        run.byCommand,
      )
        .map(([c, n]) => `${n} ${c.replace('Command', '')}`)
        .join(', ')})`,
      comparison: queries.length === 0 ? 'no Query (SELECT) at all' : queries.join(', '),
      ratio: '',
      target: '0 answers read, no request to answers',
      met: run.value.answers_read === 0 && onAnswers === 0,
    },
  ];
};

/** One worker invocation of a full (dry) run over shard 0 of `shards`. */
const workerHeap = async (context: BenchContext, shards: number) =>
  (await oneInvocation(context, planOptions(context, { mode: 'full', dryRun: true, shards })))
    .measured;

/** The attributes of a state that hold the cards (word parts) and their index (the root). */
const CARD_ATTRIBUTES = new Set(['reviews', 'card', 'module_ids', 'review', 'review_retention']);

/**
 * The state's bytes per student (DynamoDB's item sizes), with the cards and as it would be
 * without them: what the review model adds to what a fold reads and writes.
 */
const stateBytes = async (db: Db) => {
  const students = new Map<string, { withCards: number; without: number }>();
  for await (const page of db.student_state.pages({}, { scan: true })) {
    for (const item of page) {
      const sizes = students.get(item.student_id) ?? { withCards: 0, without: 0 };
      sizes.withCards += itemBytes(item);
      sizes.without += itemBytes(
        Object.fromEntries(Object.entries(item).filter(([name]) => !CARD_ATTRIBUTES.has(name))),
      );
      students.set(item.student_id, sizes);
    }
  }
  const seeded = [...students].filter(([id]) => !id.startsWith('bench-history-'));
  const mean = (pick: (sizes: { withCards: number; without: number }) => number) =>
    seeded.reduce((sum, [, sizes]) => sum + pick(sizes), 0) / Math.max(1, seeded.length);
  const largest = [...students.values()].reduce((max, sizes) => Math.max(max, sizes.withCards), 0);
  return {
    students: seeded.length,
    withCards: mean((s) => s.withCards),
    without: mean((s) => s.without),
    largest,
  };
};

const stateBytesRow = (bytes: Awaited<ReturnType<typeof stateBytes>>): Row => ({
  section: 'fold: state size',
  figure: `student_state bytes per student (${bytes.students} seeded students)`,
  value: `${(bytes.withCards / 1024).toFixed(1)} KB with the cards`,
  comparison: `${(bytes.without / 1024).toFixed(1)} KB without them; largest student ${(bytes.largest / 1024).toFixed(0)} KB`,
  ratio: fmtRatio(bytes.withCards, bytes.without),
  target: '',
  met: undefined,
});

export const foldScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  const { db, log } = context;
  log('fold: bringing the aggregates up to date (not measured)');
  await settleAggregates(context);
  const modules = (await db.modules.get({}, { scan: true, project: ['id', 'words'] })).filter(
    (m) => m.words.length > 0,
  );
  const histories = await history(context, modules);
  const roll = await rollover(context);
  const bytes = await stateBytes(db);

  log('fold: peak heap of one worker invocation');
  const few = await workerHeap(context, 16);
  const many = await workerHeap(context, 4);
  const small = histories[0]?.build.measured;
  const large = histories.at(-1)?.build.measured;
  const heapSection = 'aggregate_students worker: peak heap of one invocation';
  const live = (m: Measurement<InvocationCounts>) => m.peakLiveHeapMb ?? m.peakHeapMb;
  const heapRow = (
    figure: string,
    m: Measurement<InvocationCounts>,
    against: Measurement<InvocationCounts> | undefined,
    label: string,
  ): Row => ({
    section: heapSection,
    figure,
    value: `live ${mb(live(m))}, with garbage ${mb(m.peakHeapMb)} (${m.value.scanned} students, ${m.value.answers_read} answers, ${fmtMs(m.ms)})`,
    comparison: against === undefined ? '' : `${label}: live ${mb(live(against))}`,
    ratio: against === undefined ? '' : fmtRatio(live(m), live(against)),
    target: against === undefined ? '' : `live within ${HEAP_SLACK_MB} MB of ${label}`,
    met: against === undefined ? undefined : live(m) <= live(against) + HEAP_SLACK_MB,
  });
  const rows: Row[] = [
    ...historyRows(histories),
    ...rolloverRows(roll),
    stateBytesRow(bytes),
    heapRow('full rebuild, shard 1 of 16 (dry run)', few, undefined, ''),
    heapRow('full rebuild, shard 1 of 4 (dry run)', many, few, 'shard 1 of 16'),
  ];
  if (small !== undefined && large !== undefined) {
    rows.push(
      heapRow(
        `rebuild of one student with ${HISTORIES[0].toLocaleString('en-US')} answers`,
        small,
        undefined,
        '',
      ),
      heapRow(
        `rebuild of one student with ${HISTORIES.at(-1)?.toLocaleString('en-US')} answers`,
        large,
        small,
        `${HISTORIES[0].toLocaleString('en-US')} answers`,
      ),
    );
  }
  return {
    rows,
    notes: [
      `Every aggregate run of the bench passes \`settleMs: 0\`: its answers are recorded "now", and with the default settle window (60 s) a run would leave them to a run a minute later (and a state rebuilt in the last minute has its watermark past them). The settle window changes what a run folds, not what folding costs.`,
      `History growth: one student, its ${HISTORIES.map((n) => n.toLocaleString('en-US')).join(' / ')} answers written directly (${ANSWERS_PER_DAY} a day over the seed's modules and words, with their \`recorded_key\`), its state rebuilt once by a 1-shard worker, then one new answer and an incremental run, ${Math.max(5, context.repetitions)} times (median by time). The incremental run reads the answers recorded since the watermark through the \`recorded_key\` index: the items read, the requests and the time do not depend on the history; the rebuild does, and happens once per student.`,
      `State size: every \`student_state\` item scanned after the runs above, sized by DynamoDB's rules (\`src/lib/item-size.ts\`), summed per student; "without them" leaves out the cards' attributes (a word part's \`reviews\`, \`card\`, \`module_ids\`; the root's \`review\` index and \`review_retention\`). A word part grows by about 17 bytes a day it is reviewed (\`test/services/review/state-size.test.ts\`).`,
      `Roll-over: a run told it is the next day (\`today\` = tomorrow) recomputes every student whose figures move with the date from the stored state; requests counted by table show none to \`answers\`. The bench then puts back today's roll-over day.`,
      `Peak heap of one worker invocation (one \`students.work\` call with a 15-minute clock): "live" is the peak of the heap sampled right after a forced full GC every ${LIVE_HEAP_EVERY_MS} ms, above the heap before the call, what the worker holds; "with garbage" is the peak sampled every 5 ms without forcing a GC, which also counts garbage V8 had not collected yet and grows with the length of the run. The targets are on the live heap, as an absolute slack: its figures are a few MB, where ratios mean little. A worker holds one page of students (100) and, per student, one page of answers (${FOLD_PAGE_SIZE}) and the student's state, whatever the shard's or the history's size.`,
    ],
    raw: {
      histories,
      rollover: roll,
      stateBytes: bytes,
      heap: { shard1of16: few, shard1of4: many },
    },
  };
};
