import type { ExportSummary } from './export.ts';
import type { ImportSummary } from './import.ts';

const n = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

/**
 * The one line `lms export` ends with.
 *
 * @example
 * ```ts
 * exportSummaryLine(summary); // 'export: 12 tables, 6,412 items to backup in 1.2 s'
 * ```
 */
export const exportSummaryLine = (summary: ExportSummary): string =>
  `export: ${plural(summary.tables, 'table')}, ${plural(summary.items, 'item')} to ${summary.out}${summary.missing.length > 0 ? ` (${summary.missing.length} missing at the source: ${summary.missing.join(', ')})` : ''} in ${seconds(summary.duration_ms)}`;

/**
 * The one line `lms import` ends with.
 *
 * @example
 * ```ts
 * importSummaryLine(summary);
 * // 'import: 12 tables, 6,412 items into http://localhost:8000 prefix="dev-": 6,412 written, 0 skipped (checkpoint), counts checked in 3.1 s'
 * ```
 */
export const importSummaryLine = (summary: ImportSummary): string =>
  `import: ${plural(summary.tables.length, 'table')}, ${plural(summary.items, 'item')} into ${summary.target}: ${n(summary.written)} written, ${n(summary.skipped)} skipped (checkpoint), counts checked in ${seconds(summary.duration_ms)}`;
