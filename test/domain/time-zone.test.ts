import { describe, expect, it } from 'vitest';
import {
  addDays,
  isWithin,
  localDate,
  localDayRange,
  startOfLocalDay,
} from '../../src/domain/time-zone.ts';

const iso = (date: Date) => date.toISOString();

describe('localDate', () => {
  it('gives the calendar date in the zone, switching exactly at local midnight', () => {
    expect(localDate('2026-03-01T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(localDate('2026-03-01T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T04:59:59.999Z'), 'America/New_York')).toBe('2026-02-28');
    expect(localDate(Date.parse('2026-03-01T05:00:00.000Z'), 'America/New_York')).toBe(
      '2026-03-01',
    );
  });

  it('rejects what is not an instant', () => {
    expect(() => localDate('yesterday', 'UTC')).toThrow(RangeError);
  });
});

describe('startOfLocalDay', () => {
  it('is local midnight in a zone without daylight saving time', () => {
    expect(iso(startOfLocalDay('2026-03-02', 'Asia/Shanghai'))).toBe('2026-03-01T16:00:00.000Z');
    expect(iso(startOfLocalDay('2026-01-01', 'UTC'))).toBe('2026-01-01T00:00:00.000Z');
    expect(iso(startOfLocalDay('2026-01-01', 'Asia/Kathmandu'))).toBe('2025-12-31T18:15:00.000Z');
  });

  it('follows Europe/Paris across both changes of daylight saving time', () => {
    // Summer time starts 2026-03-29 at 02:00 (+01:00 → +02:00) and ends 2026-10-25 at 03:00.
    expect(iso(startOfLocalDay('2026-03-29', 'Europe/Paris'))).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(startOfLocalDay('2026-03-30', 'Europe/Paris'))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(startOfLocalDay('2026-10-25', 'Europe/Paris'))).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(startOfLocalDay('2026-10-26', 'Europe/Paris'))).toBe('2026-10-25T23:00:00.000Z');
  });

  it('follows America/New_York: a 23-hour and a 25-hour day', () => {
    const march8 = startOfLocalDay('2026-03-08', 'America/New_York');
    const march9 = startOfLocalDay('2026-03-09', 'America/New_York');
    expect(iso(march8)).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(march9)).toBe('2026-03-09T04:00:00.000Z');
    expect(march9.getTime() - march8.getTime()).toBe(23 * 3_600_000);
    const nov1 = startOfLocalDay('2026-11-01', 'America/New_York');
    const nov2 = startOfLocalDay('2026-11-02', 'America/New_York');
    expect(nov2.getTime() - nov1.getTime()).toBe(25 * 3_600_000);
  });

  it('starts a day whose midnight is skipped at the first instant after the gap', () => {
    // Chile moves from -04:00 to -03:00 at local midnight: 00:00-00:59 never happens.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(iso(start)).toBe('2026-09-06T04:00:00.000Z');
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDate(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });

  it('is the first instant of the date: one millisecond before is the day before', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Paris', 'America/New_York', 'Australia/Sydney']) {
      for (const date of ['2026-01-01', '2026-03-29', '2026-04-05', '2026-10-04', '2026-11-01']) {
        const start = startOfLocalDay(date, zone);
        expect(localDate(start, zone)).toBe(date);
        expect(localDate(new Date(start.getTime() - 1), zone)).toBe(addDays(date, -1));
      }
    }
  });

  it('rejects a date the calendar does not have', () => {
    expect(() => startOfLocalDay('2026-02-30', 'UTC')).toThrow(RangeError);
    expect(() => startOfLocalDay('2026-3-1', 'UTC')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('moves across month, year and leap-day boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
  });
});

describe('localDayRange and isWithin', () => {
  it('includes both dates whole, the next local midnight excluded', () => {
    const range = localDayRange('2026-03-01', '2026-03-01', 'Asia/Shanghai');
    expect(range.start && iso(range.start)).toBe('2026-02-28T16:00:00.000Z');
    expect(range.end && iso(range.end)).toBe('2026-03-01T16:00:00.000Z');
    expect(isWithin('2026-02-28T15:59:59.999Z', range)).toBe(false);
    expect(isWithin('2026-02-28T16:00:00.000Z', range)).toBe(true);
    expect(isWithin('2026-03-01T15:59:59.999Z', range)).toBe(true);
    expect(isWithin('2026-03-01T16:00:00.000Z', range)).toBe(false);
  });

  it('leaves an end open when its date is not given', () => {
    const range = localDayRange(undefined, '2026-03-01', 'Asia/Shanghai');
    expect(range.start).toBeUndefined();
    expect(isWithin('1999-01-01T00:00:00.000Z', range)).toBe(true);
    expect(isWithin('2026-03-01T16:00:00.000Z', range)).toBe(false);
    expect(isWithin('2999-01-01T00:00:00.000Z', localDayRange(undefined, undefined, 'UTC'))).toBe(
      true,
    );
  });
});
