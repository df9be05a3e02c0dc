import { describe, expect, it } from 'vitest';
import {
  dependsOnDate,
  needsRollover,
  rolloverThreshold,
} from '../../../src/domain/progress/rollover.ts';

describe('roll-over', () => {
  it('is needed when the day differs from the last one rolled over', () => {
    expect(needsRollover(undefined, '2026-11-24')).toBe(true);
    expect(needsRollover('2026-11-23', '2026-11-24')).toBe(true);
    expect(needsRollover('2026-11-24', '2026-11-24')).toBe(false);
    expect(needsRollover('2026-11-25', '2026-11-24')).toBe(true);
  });

  it('concerns students active on or after 29 days before the last roll-over', () => {
    expect(rolloverThreshold('2026-11-23', '2026-11-24')).toBe('2026-10-25');
    // Several days without a run: from the last roll-over, not from today.
    expect(rolloverThreshold('2026-11-20', '2026-11-24')).toBe('2026-10-22');
    // A run told an earlier day: from that day.
    expect(rolloverThreshold('2026-11-25', '2026-11-24')).toBe('2026-10-26');
    expect(rolloverThreshold(undefined, '2026-11-24')).toBeUndefined();
  });

  it('selects by the local day of the last answer', () => {
    const zone = 'Asia/Shanghai';
    expect(dependsOnDate('2026-10-24T16:00:00.000Z', '2026-10-25', zone)).toBe(true); // 10-25 00:00
    expect(dependsOnDate('2026-10-24T15:59:59.999Z', '2026-10-25', zone)).toBe(false); // 10-24
    expect(dependsOnDate(null, undefined, zone)).toBe(false);
    expect(dependsOnDate(undefined, undefined, zone)).toBe(false);
    expect(dependsOnDate('2020-01-01T00:00:00.000Z', undefined, zone)).toBe(true);
  });
});
