import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertFunctionFolders,
  CatalogueMismatchError,
  FUNCTION_FILES,
  functionFolderProblems,
} from '../../src/catalog/function-folders.ts';
import {
  cronPattern,
  functionNames,
  functions,
  schedulerExpression,
} from '../../src/catalog/functions.ts';
import { tables } from '../../src/tables/definitions.ts';

/** A src/functions/ of the given folders, each with the given files. */
const functionsTree = (folders: readonly string[], files: readonly string[] = FUNCTION_FILES) => {
  const dir = mkdtempSync(join(tmpdir(), 'lms-functions-'));
  for (const folder of folders) {
    mkdirSync(join(dir, folder));
    for (const file of files) writeFileSync(join(dir, folder, file), '');
  }
  return dir;
};

describe('function catalogue', () => {
  it('names exactly the folders of src/functions/, each with main.ts and handler.ts', () => {
    expect(functionFolderProblems()).toEqual([]);
    for (const name of functionNames) expect(functions[name].name).toBe(name);
  });

  it('names each function missing from either side', () => {
    const dir = functionsTree(['calc_all_stats', 'recordAnswers']);
    try {
      expect(functionFolderProblems(dir, ['calc_all_stats', 'record_answers'])).toEqual([
        'record_answers is in the catalogue (src/catalog/functions.ts) but src/functions/record_answers/ is missing',
        'src/functions/recordAnswers/ has no entry in the catalogue (src/catalog/functions.ts)',
      ]);
      expect(() => assertFunctionFolders(dir)).toThrow(CatalogueMismatchError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a function folder without its entry point or its handler', () => {
    const dir = functionsTree(['calc_all_stats'], ['main.ts']);
    try {
      expect(functionFolderProblems(dir, ['calc_all_stats'])).toEqual([
        'calc_all_stats: src/functions/calc_all_stats/handler.ts is missing',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    const writes = ['update', 'put', 'batch-write', 'delete'];
    for (const accesses of Object.values(functions.module_results.tables))
      for (const access of accesses) expect(writes).not.toContain(access);
    for (const name of functionNames.filter((n) => n.startsWith('calc_'))) {
      expect(Object.keys(functions[name].tables)).not.toContain('answers');
    }
  });
});
