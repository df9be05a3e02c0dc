import type { CheckReport } from './run-check.ts';

const n = (value: number) => value.toLocaleString('en-US');

/**
 * The one line a check ends with.
 *
 * @example
 * ```ts
 * summaryLine(report); // 'check: 3 problem kinds, 17 findings in 12,345 records'
 * summaryLine(clean);  // 'check: no problems in 12,345 records'
 * ```
 */
export const summaryLine = (report: CheckReport): string => {
  const scope = `${n(report.records)} records${report.answers_checked ? '' : ' (answers not checked)'}`;
  if (report.ok) return `check: no problems in ${scope}`;
  return `check: ${n(report.kinds)} problem kind${report.kinds === 1 ? '' : 's'}, ${n(report.findings)} finding${report.findings === 1 ? '' : 's'} in ${scope}`;
};

/**
 * The report for people: each kind with its count, its examples and how many more there
 * are, one line each.
 *
 * @example
 * ```ts
 * for (const line of reportLines(report)) console.log(line);
 * // student_class_missing: 2 (a student's class does not exist)
 * //   student s-1: class c-9 does not exist
 * ```
 */
export const reportLines = (report: CheckReport): string[] => {
  const lines: string[] = [];
  for (const [kind, entry] of Object.entries(report.by_kind)) {
    if (entry === undefined) continue;
    const answers = entry.answers !== undefined ? `, ${n(entry.answers)} answers` : '';
    lines.push(`${kind}: ${n(entry.count)}${answers} (${entry.description})`);
    for (const example of entry.examples) lines.push(`  ${example.message}`);
    const more = entry.count - entry.examples.length;
    if (more > 0) lines.push(`  … and ${n(more)} more`);
  }
  return lines;
};
