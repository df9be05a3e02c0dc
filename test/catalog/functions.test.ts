import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cronPattern,
  functionNames,
  functions,
  schedulerExpression,
} from '../../src/catalog/functions.ts';
import { tables } from '../../src/tables/definitions.ts';

const functionsDir = fileURLToPath(new URL('../../src/functions/', import.meta.url));
const folders = readdirSync(functionsDir).filter((entry) =>
  statSync(`${functionsDir}${entry}`).isDirectory(),
);

describe('function catalogue', () => {
  it('has an entry for every function folder, under the folder name', () => {
    for (const folder of folders) expect(functionNames).toContain(folder);
    for (const name of functionNames) expect(functions[name].name).toBe(name);
  });

  it('names only defined tables', () => {
    for (const name of functionNames) {
      for (const table of Object.keys(functions[name].tables)) expect(tables).toHaveProperty(table);
    }
  });

  it('renders one schedule to both the scheduler and croner forms', () => {
    expect(schedulerExpression({ minute: 5, hour: 0, input: {}, enabled: true })).toBe(
      'cron(5 0 * * ? *)',
    );
    expect(cronPattern({ minute: 5, hour: 0, input: {}, enabled: true })).toBe('5 0 * * *');
    expect(schedulerExpression({ minute: 15, input: {}, enabled: true })).toBe(
      'cron(15 * * * ? *)',
    );
    expect(cronPattern({ minute: 15, input: {}, enabled: true })).toBe('15 * * * *');
  });

  it('schedules calc_all_stats daily at 00:05, and never lets a read-only function write', () => {
    expect(functions.calc_all_stats.trigger.schedule).toMatchObject({
      hour: 0,
      minute: 5,
      enabled: true,
    });
    for (const table of Object.values(functions.module_results.tables))
      expect(table).toEqual(['read']);
    for (const name of functionNames.filter((n) => n.startsWith('calc_'))) {
      expect(Object.keys(functions[name].tables)).not.toContain('answers');
    }
  });
});
