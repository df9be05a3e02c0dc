/**
 * `npm run bench [-- --size medium|large|small --engine dynalite|dynamodb-local]`: seeds an
 * organisation on a fresh engine, measures every job against its floor and the naive way,
 * and writes BENCHMARKS.md (table) and BENCHMARKS.json (raw figures). Never a test: times
 * are ratios taken in one run, on a noisy machine.
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { Command, Option } from 'commander';
import { createDocumentClient, createDynamoClient } from '../src/adapters/dynamodb/client.ts';
import { createDynamoDb } from '../src/adapters/dynamodb/db.ts';
import { Ddb } from '../src/adapters/dynamodb/ddb.ts';
import { countRequests } from '../src/adapters/dynamodb/request-metrics.ts';
import { createMissingTables } from '../src/adapters/dynamodb/tables.ts';
import type { SeedPlan } from '../src/seed/generate.ts';
import { SEED_SIZES, type SeedSizeName } from '../src/seed/sizes.ts';
import { writeSeed } from '../src/seed/write.ts';
import { tables } from '../src/tables/definitions.ts';
import type { BenchContext, ScenarioResult } from './context.ts';
import { startBenchEngine } from './engine.ts';
import { markdown, type Report } from './report.ts';
import { scenarios } from './scenarios/index.ts';

const program = new Command('bench')
  .addOption(
    new Option('--size <size>', 'data size').choices(Object.keys(SEED_SIZES)).default('medium'),
  )
  .addOption(
    new Option('--engine <engine>', 'DynamoDB engine')
      .choices(['dynalite', 'dynamodb-local'])
      .default('dynalite'),
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
  engine: string;
  repetitions: number;
  only?: string;
  out: string;
}>();
const log = (line: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// Other processes share the machine: its load says how far absolute times can be trusted.
const loadAtStart = loadavg()[0] ?? 0;
const engine = await startBenchEngine(options.engine);
const client = createDynamoClient({ endpoint: engine.endpoint });
const doc = createDocumentClient(client);
try {
  const counter = countRequests(doc);
  const ddb = new Ddb(doc);
  const prefix = 'bench-';
  await createMissingTables(client, prefix, Object.values(tables));
  const plan: SeedPlan = {
    size: SEED_SIZES[options.size],
    seed: 1,
    today: new Date().toISOString().slice(0, 10),
    timezone: 'Asia/Shanghai',
  };
  const db = createDynamoDb(ddb, prefix);
  log(`seeding ${options.size} on ${options.engine}`);
  const seed = await writeSeed(db, plan, {
    onProgress: (p) => {
      if (p.total !== undefined && (p.written === p.total || p.written % 2000 === 0))
        log(`seed ${p.table}: ${p.written}/${p.total}`);
    },
  });
  log(`seeded in ${(seed.duration_ms / 1000).toFixed(1)} s`);
  const context: BenchContext = {
    db,
    ddb,
    client,
    prefix,
    endpoint: engine.endpoint,
    enginePid: engine.pid,
    counter,
    plan,
    repetitions: options.repetitions,
    log,
  };
  const wanted = options.only?.split(',');
  const results: Record<string, ScenarioResult> = {};
  for (const [name, run] of Object.entries(scenarios)) {
    if (wanted !== undefined && !wanted.includes(name)) continue;
    results[name] = await run(context);
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const report: Report = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}; 1-minute load average ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    engine: options.engine,
    size: options.size,
    sizes: { ...seed.written },
    rows: Object.values(results).flatMap((r) => r.rows),
    notes: Object.values(results).flatMap((r) => r.notes),
    raw: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, r.raw])),
  };
  await writeFile(options.out, markdown(report));
  await writeFile(options.out.replace(/\.md$/, '.json'), `${JSON.stringify(report, null, 2)}\n`);
  const missed = report.rows.filter((row) => row.met === false).length;
  log(
    `bench: ${report.rows.length} figures, ${report.rows.filter((r) => r.met !== undefined).length - missed} targets met, ${missed} missed; written to ${options.out}`,
  );
} finally {
  doc.destroy();
  client.destroy();
  await engine.stop();
}
