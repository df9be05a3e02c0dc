/**
 * School days in an IANA time zone (`LMS_TIMEZONE`), computed with `Intl` and never with
 * a fixed offset: offsets change with daylight saving time and with law, and `Intl` carries
 * the tz database that knows when.
 *
 * A calendar date is an ISO string `YYYY-MM-DD`. The day `D` is the half-open span of
 * instants `[startOfLocalDay(D), startOfLocalDay(D + 1))`.
 */

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than formatting with it. */
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: midnight is hour 0, never the 24 that `hour12: false` gives in some engines.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

const wallClock = (instantMs: number, timeZone: string): WallClock => {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const field = (name: string): number => {
    const value = fields[name];
    if (value === undefined || Number.isNaN(value)) {
      throw new RangeError(`Intl gave no ${name} for ${new Date(instantMs).toISOString()}`);
    }
    return value;
  };
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
};

/** The instant that a wall clock would be if it were UTC (years below 100 kept as such). */
const asUtcMs = (clock: WallClock): number => {
  const date = new Date(0);
  date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
  date.setUTCHours(clock.hour, clock.minute, clock.second, 0);
  return date.getTime();
};

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
const offsetMs = (instantMs: number, timeZone: string): number => {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return asUtcMs(wallClock(wholeSecond, timeZone)) - wholeSecond;
};

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

const parseDate = (date: string): WallClock => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = match && {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: 0,
    minute: 0,
    second: 0,
  };
  // A round trip rejects dates the calendar does not have (2026-02-30).
  if (!clock || new Date(asUtcMs(clock)).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  }
  return clock;
};

/**
 * The calendar date of an instant in a time zone.
 *
 * @example
 * ```ts
 * localDate('2026-03-01T15:59:59.999Z', 'Asia/Shanghai'); // '2026-03-01'
 * localDate('2026-03-01T16:00:00.000Z', 'Asia/Shanghai'); // '2026-03-02'
 * ```
 */
export const localDate = (instant: Date | string | number, timeZone: string): string => {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${JSON.stringify(instant)}`);
  const clock = wallClock(ms, timeZone);
  return `${pad(clock.year, 4)}-${pad(clock.month, 2)}-${pad(clock.day, 2)}`;
};

/**
 * The first instant of a calendar date in a time zone: local midnight, or, where the zone
 * skips midnight (a daylight-saving jump at 00:00, as in America/Santiago), the first
 * instant after the gap. Where midnight happens twice (a fall-back at 01:00 to 00:00) it is
 * the earlier one. The same rule as `Temporal.ZonedDateTime.prototype.startOfDay`.
 *
 * @example
 * ```ts
 * startOfLocalDay('2026-03-02', 'Asia/Shanghai').toISOString(); // '2026-03-01T16:00:00.000Z'
 * startOfLocalDay('2026-03-29', 'Europe/Paris').toISOString(); // '2026-03-28T23:00:00.000Z'
 * startOfLocalDay('2026-03-30', 'Europe/Paris').toISOString(); // '2026-03-29T22:00:00.000Z'
 * ```
 */
export const startOfLocalDay = (date: string, timeZone: string): Date => {
  const midnightAsUtc = asUtcMs(parseDate(date));
  // No zone has two transitions within a day of each other: the offsets a day before and a
  // day after are the only two that local midnight can have.
  const before = offsetMs(midnightAsUtc - DAY_MS, timeZone);
  const after = offsetMs(midnightAsUtc + DAY_MS, timeZone);
  const candidates = [...new Set([midnightAsUtc - before, midnightAsUtc - after])]
    .filter((instant) => offsetMs(instant, timeZone) === midnightAsUtc - instant)
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return new Date(earliest);
  if (before === after) return new Date(midnightAsUtc - before);
  // Midnight falls in a gap: the day starts at the transition, which lies between the two
  // readings of midnight (offset `before` at `low`, `after` at `high`); bisect to the second.
  let low = midnightAsUtc - after;
  let high = midnightAsUtc - before;
  while (high - low > SECOND_MS) {
    const middle = low + Math.floor((high - low) / 2 / SECOND_MS) * SECOND_MS;
    if (offsetMs(middle, timeZone) === after) high = middle;
    else low = middle;
  }
  return new Date(high);
};

/**
 * A calendar date plus (or minus) whole days.
 *
 * @example
 * ```ts
 * addDays('2026-02-28', 1); // '2026-03-01'
 * addDays('2026-01-01', -1); // '2025-12-31'
 * ```
 */
export const addDays = (date: string, days: number): string => {
  const clock = parseDate(date);
  const shifted = new Date(asUtcMs(clock) + days * DAY_MS);
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)}`;
};

/** A half-open span of instants, `start` included and `end` excluded; an undefined end is open. */
export interface InstantRange {
  readonly start: Date | undefined;
  readonly end: Date | undefined;
}

/**
 * The instants of the calendar dates `from` to `to`, both included, in a time zone.
 * Either end may be left open.
 *
 * @example
 * ```ts
 * const { start, end } = localDayRange('2026-03-01', '2026-03-01', 'Asia/Shanghai');
 * // start 2026-02-28T16:00:00.000Z, end (excluded) 2026-03-01T16:00:00.000Z
 * ```
 */
export const localDayRange = (
  from: string | undefined,
  to: string | undefined,
  timeZone: string,
): InstantRange => ({
  start: from === undefined ? undefined : startOfLocalDay(from, timeZone),
  end: to === undefined ? undefined : startOfLocalDay(addDays(to, 1), timeZone),
});

/**
 * Whether an instant lies in a range whose ends may be open.
 *
 * @example
 * ```ts
 * isWithin('2026-03-01T00:00:00.000Z', { start: undefined, end: new Date('2026-03-02') }); // true
 * ```
 */
export const isWithin = (instant: string | Date, range: InstantRange): boolean => {
  if (range.start === undefined && range.end === undefined) return true;
  const ms = new Date(instant).getTime();
  return (
    (range.start === undefined || ms >= range.start.getTime()) &&
    (range.end === undefined || ms < range.end.getTime())
  );
};
