/**
 * How far a local clock may be from a server's, judged from one request: the server's
 * `Date` (whole seconds, rounded down) was written somewhere between the local clock's
 * readings before the request and after the response.
 */
import { LmsError } from '../errors.ts';

/** The local clock's readings around one request, and the server's `Date` (all in ms). */
export interface ClockReading {
  readonly sentAt: number;
  readonly receivedAt: number;
  readonly server: number;
}

/** More skew than this and a laptop's run of the jobs is refused (`MIN_SETTLE_SECONDS_ON_AWS` is twice it). */
export const MAX_CLOCK_SKEW_MS = 5_000;

export class ClockSkewError extends LmsError {
  readonly code = 'CLOCK_SKEW';
}

/**
 * The least the local clock can be ahead of (positive) or behind (negative) the server's,
 * given the reading; 0 when the reading allows them to agree.
 *
 * @example
 * ```ts
 * leastSkewMs({ sentAt: 120_500, receivedAt: 120_700, server: 0 }); // 119_500: two minutes fast
 * ```
 */
export const leastSkewMs = (reading: ClockReading): number => {
  // The server's true time was in [server, server + 1000); the local one in [sentAt, receivedAt].
  const ahead = reading.sentAt - (reading.server + 1_000);
  if (ahead > 0) return ahead;
  const behind = reading.server - reading.receivedAt;
  return behind > 0 ? -behind : 0;
};

/**
 * @throws {ClockSkewError} when the local clock is surely more than {@link MAX_CLOCK_SKEW_MS}
 * from the server's, or the server said nothing of its time.
 */
export const assertClockAgrees = (reading: ClockReading | undefined, what: string): void => {
  if (reading === undefined) {
    throw new ClockSkewError(
      `${what}: the server's response had no Date header, so this machine's clock cannot be checked; refusing to run the job on it`,
    );
  }
  const skew = leastSkewMs(reading);
  if (Math.abs(skew) <= MAX_CLOCK_SKEW_MS) return;
  const seconds = Math.round(Math.abs(skew) / 1000);
  throw new ClockSkewError(
    `${what}: this machine's clock is at least ${seconds} s ${skew > 0 ? 'ahead of' : 'behind'} AWS's (more than ${MAX_CLOCK_SKEW_MS / 1000} s); the job decides by the clock which answers are old enough to fold: set the clock (NTP) and run again`,
  );
};
