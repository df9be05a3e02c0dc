import { expect } from 'vitest';

/** What the lifecycle check needs of an engine; every local engine, DynamoDB's and PostgreSQL's, has it. */
interface Startable {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The lifecycle every local engine keeps, whatever it runs: a stop before any start is done (a
 * `finally` may stop what never started), a second start is refused (one engine, one server),
 * and a stop after the last is done again. `engine` is new: this check starts and stops it.
 */
export async function expectOneStartAndAnyStops(engine: Startable): Promise<void> {
  await engine.stop();
  await engine.start();
  try {
    await expect(engine.start()).rejects.toMatchObject({ code: 'ENGINE_ALREADY_STARTED' });
  } finally {
    await engine.stop();
  }
  await engine.stop();
}
