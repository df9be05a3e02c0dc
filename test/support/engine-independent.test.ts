import { readFileSync } from 'node:fs';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { ENGINE_INDEPENDENT_TESTS } from './engine-independent.ts';

/**
 * What a test file uses to reach the run's engine: the per-file tables, the engine the
 * global setup provides, or the variables that choose it. A file that starts an engine of its
 * own (the engine lifecycle tests) does not reach the run's.
 */
const ENGINE_USE =
  /createTestDb|test-db\.ts|inject\(|global-setup|process\.env\.DYNAMODB_ENDPOINT|LMS_TEST_ENGINE/;

describe('the tests left out of the DynamoDB Local run', () => {
  it('are test files that never reach the engine', async () => {
    const files = await glob([...ENGINE_INDEPENDENT_TESTS], { cwd: process.cwd() });
    const tests = files.filter((file) => file.endsWith('.test.ts'));
    // Every entry still names something: a renamed file is not silently run twice again.
    for (const pattern of ENGINE_INDEPENDENT_TESTS) {
      const matched = await glob([pattern], { cwd: process.cwd() });
      expect(matched.length, pattern).toBeGreaterThan(0);
    }
    const reaching = tests.filter((file) => ENGINE_USE.test(readFileSync(file, 'utf8')));
    expect(reaching).toEqual([]);
    expect(tests.length).toBeGreaterThan(20);
  });

  it('the check itself sees a file that uses the engine', () => {
    expect(ENGINE_USE.test('const t = await createTestDb(import.meta.url);')).toBe(true);
    expect(ENGINE_USE.test("import { accuracy } from '../../src/domain/accuracy.ts';")).toBe(false);
  });
});
