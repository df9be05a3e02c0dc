import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { count, dataKeyedRecord, holdsDataKeyedRecord, id } from '../../src/entities/common.ts';

describe('holdsDataKeyedRecord', () => {
  it('finds a data-keyed record at any depth, through lists, options and wrappers', () => {
    const nested = z.looseObject({
      id,
      children: z.array(z.object({ modules: dataKeyedRecord(id, count).optional() })).nullable(),
    });
    expect(holdsDataKeyedRecord(nested)).toBe(true);
    expect(holdsDataKeyedRecord(z.union([z.string(), nested]))).toBe(true);
  });

  it('does not take a plain record, or a list of pairs, for one', () => {
    expect(holdsDataKeyedRecord(z.looseObject({ days: z.record(z.string(), count) }))).toBe(false);
    expect(holdsDataKeyedRecord(z.array(z.tuple([id, count])))).toBe(false);
  });
});
