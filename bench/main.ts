/**
 * `npm run bench [-- --size medium|large|small --engine dynalite,postgres]`: for each
 * engine of the list, one after the other, seeds an organisation on a fresh engine (the
 * same seed plan), measures every job against its floor and the naive way (and, on
 * PostgreSQL, against hand-written and set-based SQL), and writes BENCHMARKS.md (a table
 * per engine) and BENCHMARKS.json (raw figures). Scenarios that need no database (the
 * review scenario's recall predictions) run once before the engines; `--only review` runs
 * them alone, starting no engine. Never a test: times are ratios taken in one run, on a
 * noisy machine.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { Command, Option } from 'commander';
import type { SeedPlan } from '../src/seed/generate.ts';
import { SEED_SIZES, type SeedSizeName } from '../src/seed/sizes.ts';
import { writeSeed } from '../src/seed/write.ts';
import type { ScenarioResult } from './context.ts';
import { type EngineRun, type IndependentRun, markdown, type Report } from './report.ts';
import { independentScenarios, scenarios } from './scenarios/index.ts';
import { BENCH_ENGINES, openSession } from './session.ts';

const engineList = (value: string): string[] => {
  const list = value.split(',').map((engine) => engine.trim());
  for (const engine of list) {
    if (!(BENCH_ENGINES as readonly string[]).includes(engine))
      throw new Error(`--engine ${engine}: expected a list of ${BENCH_ENGINES.join(', ')}`);
  }
  return list;
};

const program = new Command('bench')
  .addOption(
    new Option('--size <size>', 'data size').choices(Object.keys(SEED_SIZES)).default('medium'),
  )
  .option(
    '--engine <engines>',
    `comma-separated engines, each run in turn (${BENCH_ENGINES.join(', ')})`,
    engineList,
    ['dynalite'],
  )
  .option(
    '--repetitions <n>',
    'repetitions of each timed comparison',
    (v) => Number.parseInt(v, 10),
    3,
  )
  .option('--only <names>', 'comma-separated scenarios to run (default: all)')
  .option('--out <file>', 'Markdown report', 'BENCHMARKS.md')
  .parse();

const options = program.opts<{
  size: SeedSizeName;
  engine: string[];
  repetitions: number;
  only?: string;
  out: string;
}>();
const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// Other processes share the machine: its load says how far absolute times can be trusted.
const loadAtStart = loadavg()[0] ?? 0;
const started = performance.now();
// One plan for every engine, so each seeds the same organisation.
const plan: SeedPlan = {
  size: SEED_SIZES[options.size],
  seed: 1,
  today: new Date().toISOString().slice(0, 10),
  timezone: 'Asia/Shanghai',
};
const wanted = options.only?.split(',');
const runs: EngineRun[] = [];
let independent: IndependentRun | undefined;
/**
 * Writes the report of the engines done so far: after each engine, so a run stopped
 * during a later engine keeps the figures of the earlier ones.
 */
const writeReport = async (): Promise<Report> => {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report: Report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    engines: options.engine,
    size: options.size,
    ...(wanted === undefined ? {} : { only: wanted }),
    ...(independent === undefined ? {} : { independent }),
    durationS: Math.round((performance.now() - started) / 1000),
    runs,
  };
  await writeFile(options.out, markdown(report));
  await writeFile(options.out.replace(/\.md$/, '.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
};
const isWanted = (name: string) => wanted === undefined || wanted.includes(name);
// Scenarios without a database first, once: no engine is started for them.
const independentWanted = Object.entries(independentScenarios).filter(([name]) => isWanted(name));
if (independentWanted.length > 0) {
  const independentStarted = new Date().toISOString();
  const independentLoad = loadavg()[0] ?? 0;
  const results: Record<string, ScenarioResult> = {};
  for (const [name, run] of independentWanted) results[name] = await run(log);
  independent = {
    started: independentStarted,
    finished: new Date().toISOString(),
    load: `1-minute load average ${independentLoad.toFixed(1)} at its start, ${(loadavg()[0] ?? 0).toFixed(1)} at its end`,
    rows: Object.values(results).flatMap((r) => r.rows),
    notes: Object.values(results).flatMap((r) => r.notes),
    raw: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.raw])),
  };
  await writeReport();
}
// An engine is started and seeded only when one of its scenarios is wanted.
const engines = Object.keys(scenarios).some(isWanted) ? options.engine : [];
for (const engine of engines) {
  const runStarted = new Date().toISOString();
  const runLoad = loadavg()[0] ?? 0;
  const session = await openSession(engine, {
    plan,
    repetitions: options.repetitions,
    log: (line) => log(`${engine}: ${line}`),
  });
  try {
    const { context } = session;
    context.log(`seeding ${options.size}`);
    const seed = await writeSeed(context.db, plan, {
      onProgress: (p) => {
        if (p.total !== undefined && (p.written === p.total || p.written % 2000 === 0))
          context.log(`seed ${p.table}: ${p.written}/${p.total}`);
      },
    });
    context.log(`seeded in ${(seed.duration_ms / 1000).toFixed(1)} s`);
    const results: Record<string, ScenarioResult> = {};
    for (const [name, run] of Object.entries(scenarios)) {
      if (!isWanted(name)) continue;
      results[name] = await run(context);
    }
    runs.push({
      engine,
      started: runStarted,
      finished: new Date().toISOString(),
      load: `1-minute load average ${runLoad.toFixed(1)} at its start, ${(loadavg()[0] ?? 0).toFixed(1)} at its end`,
      sizes: { ...seed.written },
      rows: Object.values(results).flatMap((r) => r.rows),
      notes: Object.values(results).flatMap((r) => r.notes),
      raw: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.raw])),
    });
  } finally {
    await session.close();
  }
  await writeReport();
}
const report = await writeReport();
const rows = [...(independent?.rows ?? []), ...runs.flatMap((run) => run.rows)];
const missed = rows.filter((row) => row.met === false).length;
log(
  `bench: ${rows.length} figures, ${rows.filter((r) => r.met !== undefined).length - missed} targets met, ${missed} missed, in ${report.durationS} s; written to ${options.out}`,
);
