/** Shared by the aggregate tests: recording answers the way the API does, reading results. */
import type { Db, Entity } from '../../../src/repositories/db.ts';
import { recordAnswers } from '../../../src/services/answers/record-answers.ts';
import { ANSWERS, MODULE_WORDS } from '../../domain/progress/hand-example.ts';
import { isWrite } from '../../support/fault-proxy.ts';
import { attributeOf, type FaultyRequest } from '../../support/faulty-db.ts';
import { module } from '../../support/fixtures.ts';
import type { RawAnswer } from './oracle.ts';

export const SERVICE = { sub: 'lms-app', role: 'service' } as const;

/**
 * Records answers through `record_answers`' service (answers, then marks), 500 a request.
 */
export const record = async (db: Db, answers: readonly RawAnswer[], now = new Date()) => {
  for (let i = 0; i < answers.length; i += 500) {
    await recordAnswers({ db, now: () => now }, SERVICE, { answers: answers.slice(i, i + 500) });
  }
};

const withoutTimestamp = <
  T extends { readonly updated_at: string; readonly [key: string]: unknown },
>(
  item: T,
) => {
  // `fold_version` is the job's bookkeeping (which fold the figures are of), not a figure.
  const { updated_at: _ignored, fold_version: _bookkeeping, ...rest } = item;
  return rest;
};

/** Every stored progress, by student, without `updated_at`. */
export const storedProgress = async (db: Db) =>
  new Map(
    (await db.student_progress.get({}, { scan: true })).map((p: Entity<'student_progress'>) => [
      p.student_id,
      withoutTimestamp(p),
    ]),
  );

/** Every stored parent summary, by parent, without `updated_at`. */
export const storedSummaries = async (db: Db) =>
  new Map(
    (await db.parent_summaries.get({}, { scan: true })).map((s: Entity<'parent_summaries'>) => [
      s.parent_id,
      withoutTimestamp(s),
    ]),
  );

/** The names of the requests a faulty client recorded that write. */
export const WRITES = ['PutCommand', 'UpdateCommand', 'DeleteCommand', 'BatchWriteCommand'];

/**
 * The writes a faulty client recorded, but those of a run's lease (`jobs`, `<job>#lease`):
 * a run with work takes and gives back its lease even when it changes no data.
 */
export const dataWrites = (
  recorded: readonly { readonly name: string; readonly input: unknown }[],
) =>
  recorded.filter((request) => {
    if (!WRITES.includes(request.name)) return false;
    const input = request.input;
    const key =
      typeof input === 'object' && input !== null && 'Key' in input
        ? input.Key
        : typeof input === 'object' && input !== null && 'Item' in input
          ? input.Item
          : undefined;
    const name = typeof key === 'object' && key !== null && 'name' in key ? key.name : undefined;
    return !(typeof name === 'string' && name.endsWith('#lease'));
  });

/** Noon in Shanghai on a day: well inside it. */
export const noonOf = (day: string) => new Date(`${day}T04:00:00.000Z`);

/** The hand example's answers, as student s-1's. */
export const handAnswers: RawAnswer[] = ANSWERS.map((a) => ({ ...a, student_id: 's-1' }));

/** One answer of s-2, on the day of the hand example's first answer. */
export const s2Answer: RawAnswer = {
  student_id: 's-2',
  answer_id: 'b-1',
  module_id: 'm-1',
  word: 'apple',
  correct: true,
  answered_at: '2026-11-20T02:00:00.000Z',
};

/** The hand example's modules, stored. */
export const storeHandModules = (db: Db) =>
  db.modules.putMany([...MODULE_WORDS].map(([id, words]) => module(id, { words: [...words] })));

/**
 * The writes a faulty Db's proxy saw (`faulty-db.ts`, either engine), but those of a run's
 * lease (`jobs`, `<job>#lease`): what {@link dataWrites} says of a faulty client's records.
 */
export const dataWriteRequests = (requests: readonly FaultyRequest[]) =>
  requests.filter(
    (request) => isWrite(request) && attributeOf(request, 'name')?.endsWith('#lease') !== true,
  );
