/** Rows of the benchmark table, and the Markdown and JSON written from them. */
export interface Row {
  readonly section: string;
  readonly figure: string;
  readonly value: string;
  readonly comparison: string;
  readonly ratio: string;
  readonly target: string;
  /** undefined: no target for this row. */
  readonly met: boolean | undefined;
}

/** One engine's part of a run: its data, its rows and its notes. */
export interface EngineRun {
  readonly engine: string;
  /** When this engine's part started and ended (ISO). */
  readonly started: string;
  readonly finished: string;
  readonly load: string;
  readonly sizes: Record<string, number>;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly raw: Record<string, unknown>;
}

/** The part of a run that needs no database (`independentScenarios`), run once. */
export interface IndependentRun {
  readonly started: string;
  readonly finished: string;
  readonly load: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly raw: Record<string, unknown>;
}

export interface Report {
  readonly date: string;
  readonly machine: string;
  /** The engines of `--engine`, in the order they ran. */
  readonly engines: readonly string[];
  readonly size: string;
  /** `--only`, when the run was limited to some scenarios. */
  readonly only?: readonly string[];
  /** The whole run, seeding included, in seconds. */
  readonly durationS: number;
  /** The scenarios without a database, when the run had any. */
  readonly independent?: IndependentRun;
  readonly runs: readonly EngineRun[];
}

const cell = (text: string) => text.replaceAll('|', '\\|');

const ENGINE_NOTES: Record<string, string> = {
  dynalite: "local; its absolute times are not AWS's, the ratios taken in one run are the point",
  'dynamodb-local':
    "local; its absolute times are not AWS's, the ratios taken in one run are the point",
  postgres:
    "Debian's PostgreSQL server, a fresh cluster run without fsync (as dynalite keeps its data in memory), reached over loopback through the adapter's `pg` pool of 10 connections",
  pglite: 'PGlite (PostgreSQL in WebAssembly) inside the bench process, over its wire server',
};

/** The heading of the scenarios that need no database. */
const INDEPENDENT = 'without a database';

/**
 * A section for the scenarios without a database, then a section per engine, each with its table and its notes. Rows from another run can be
 * spliced into the Markdown by hand; the header then says which rows came from which run.
 */
export const markdown = (report: Report): string => {
  const lines = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench -- --size ${report.size} --engine ${report.engines.join(',')}${report.only === undefined ? '' : ` --only ${report.only.join(',')}`}\` on ${report.date}, in ${Math.round(report.durationS / 60)} min.`,
    '',
    `- Machine: ${report.machine}`,
    '- Raw figures: `BENCHMARKS.json`',
    '',
  ];
  const table = (rows: readonly Row[]) => [
    '| section | figure | value | compared with | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${cell(row.section)} | ${cell(row.figure)} | ${cell(row.value)} | ${cell(row.comparison)} | ${cell(row.ratio)} | ${cell(row.target)} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`,
    ),
    '',
  ];
  const { independent } = report;
  if (independent !== undefined) {
    lines.push(
      `## ${INDEPENDENT}`,
      '',
      '- Engine: none; run once whatever `--engine` says (its figures would be the same on every engine)',
      `- Run: ${independent.started} to ${independent.finished}; ${independent.load}`,
      '',
      ...table(independent.rows),
    );
    if (independent.notes.length > 0)
      lines.push(
        `### Notes (${INDEPENDENT})`,
        '',
        ...independent.notes.map((note) => `- ${note}`),
        '',
      );
  }
  for (const run of report.runs) {
    lines.push(
      `## ${run.engine}`,
      '',
      `- Engine: ${run.engine} (${ENGINE_NOTES[run.engine] ?? 'local'})`,
      `- Run: ${run.started} to ${run.finished}; ${run.load}`,
      `- Data: ${Object.entries(run.sizes)
        .map(([table, count]) => `${count.toLocaleString('en-US')} ${table}`)
        .join(', ')}`,
      '',
      ...table(run.rows),
    );
    if (run.notes.length > 0)
      lines.push(`### Notes (${run.engine})`, '', ...run.notes.map((note) => `- ${note}`), '');
  }
  return lines.join('\n');
};

export const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
export const fmtRatio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
