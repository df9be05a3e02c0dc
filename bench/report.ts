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

export interface Report {
  readonly date: string;
  readonly machine: string;
  readonly engine: string;
  readonly size: string;
  readonly sizes: Record<string, number>;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly raw: Record<string, unknown>;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

export const markdown = (report: Report): string => {
  const lines = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench -- --size ${report.size} --engine ${report.engine}\` on ${report.date}.`,
    '',
    `- Machine: ${report.machine}`,
    `- Engine: ${report.engine} (local; its absolute times are not AWS's, the ratios taken in one run are the point)`,
    `- Data: ${Object.entries(report.sizes)
      .map(([table, count]) => `${count.toLocaleString('en-US')} ${table}`)
      .join(', ')}`,
    '- Raw figures: `BENCHMARKS.json`',
    '',
    '| section | figure | value | compared with | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...report.rows.map(
      (row) =>
        `| ${cell(row.section)} | ${cell(row.figure)} | ${cell(row.value)} | ${cell(row.comparison)} | ${cell(row.ratio)} | ${cell(row.target)} | ${row.met === undefined ? '' : row.met ? 'yes' : '**no**'} |`,
    ),
    '',
  ];
  if (report.notes.length > 0)
    lines.push('## Notes', '', ...report.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
};

export const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
export const fmtRatio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}x`);
