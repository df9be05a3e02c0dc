/**
 * Simulated learners (`lms seed --learners simulated`): answers drawn from a forgetting
 * model ({@link FORGETTING}, half-life regression, not FSRS) over {@link SIMULATED_DAYS}
 * days with gaps, so that each answer is right with a known probability and forgetting
 * matters. The review benchmark scores memory models against these probabilities' draws.
 *
 * The schedule: each learner practises on a day with a chance of their own (0.25 to 0.85),
 * and takes breaks (a 5 % chance each day of 3 to 14 days away). A session asks 5 to 12
 * distinct words: 2 to 5 not yet met (in the order of the class level's modules), the rest
 * drawn at random from those met, so words come back after 1 to 30 days or more; a word
 * answered wrong is asked once more at the end of the session, as vocabulary apps do.
 * Pure and deterministic: everything is drawn from the seed's generator, forked by the
 * student's id and by the word.
 */

import { addDays, startOfLocalDay } from '../domain/time-zone.ts';
import type { Entity } from '../repositories/db.ts';
import { answerItem } from './answer-item.ts';
import {
  FORGETTING,
  type ForgettingParameters,
  practised,
  recallProbability,
  standardNormal,
  type WordTrace,
} from './forgetting.ts';
import type { SeedPlan } from './plan.ts';
import { type Random, seeded } from './random.ts';

/** The days of answers a simulated seed writes, ending `plan.today`. */
export const SIMULATED_DAYS = 90;

/** A generated answer and the probability it had of being right. */
export interface SimulatedAnswer {
  readonly answer: Entity<'answers'>;
  readonly p: number;
}

/** A normal trait with a standard deviation, drawn from the seed forked by a label. */
const trait = (plan: Pick<SeedPlan, 'seed'>, label: string, spread: number): number =>
  spread * standardNormal(seeded(plan.seed).fork(label).next);

/** A learner's ability, the same in every run of a seed. */
export const learnerAbility = (
  plan: Pick<SeedPlan, 'seed'>,
  studentId: string,
  parameters: ForgettingParameters = FORGETTING,
): number => trait(plan, `ability:${studentId}`, parameters.abilitySpread);

/** A word's difficulty, the same for every learner. */
export const wordDifficulty = (
  plan: Pick<SeedPlan, 'seed'>,
  word: string,
  parameters: ForgettingParameters = FORGETTING,
): number => trait(plan, `difficulty:${word}`, parameters.difficultySpread);

/** `count` distinct items drawn at random (a partial Fisher–Yates shuffle). */
export const drawDistinct = <T>(random: Random, items: readonly T[], count: number): T[] => {
  const pool = [...items];
  const drawn: T[] = [];
  for (let i = 0; i < count && pool.length > 0; i++) {
    const index = random.int(0, pool.length - 1);
    const [item] = pool.splice(index, 1);
    if (item !== undefined) drawn.push(item);
  }
  return drawn;
};

/**
 * One student's answers over the {@link SIMULATED_DAYS} days ending `plan.today`, in time
 * order, each with the probability it had of being right.
 *
 * @example
 * ```ts
 * for (const { answer, p } of simulatedAnswers(plan, student, 3, org.modules)) {
 *   // answer.correct was drawn true with probability p
 * }
 * ```
 */
export function* simulatedAnswers(
  plan: SeedPlan,
  student: Pick<Entity<'students'>, 'id' | 'class_code'>,
  classLevel: number,
  modules: readonly Entity<'modules'>[],
  parameters: ForgettingParameters = FORGETTING,
): Generator<SimulatedAnswer> {
  const random = seeded(plan.seed).fork(`simulated:${student.id}`);
  const ability = learnerAbility(plan, student.id, parameters);
  // One student in twenty never practised, as in the basic seed.
  const activity = random.chance(0.05) ? 0 : 0.25 + 0.6 * random.next();
  // Each word once, in the module it is first met in (the level's modules in order).
  const moduleOf = new Map<string, string>();
  for (const module of modules) {
    if (module.level !== classLevel) continue;
    for (const word of module.words) if (!moduleOf.has(word)) moduleOf.set(word, module.id);
  }
  if (moduleOf.size === 0 || activity === 0) return;
  const unmet = [...moduleOf.keys()];
  const met: string[] = [];
  const traces = new Map<string, WordTrace>();
  const difficulties = new Map<string, number>();
  const difficultyOf = (word: string) => {
    const known = difficulties.get(word);
    if (known !== undefined) return known;
    const drawn = wordDifficulty(plan, word, parameters);
    difficulties.set(word, drawn);
    return drawn;
  };
  let n = 0;
  let awayDays = 0;
  for (let day = SIMULATED_DAYS - 1; day >= 0; day--) {
    if (awayDays > 0) {
      awayDays -= 1;
      continue;
    }
    if (random.chance(0.05)) {
      awayDays = random.int(3, 14) - 1;
      continue;
    }
    if (!random.chance(activity)) continue;
    const dayStart = startOfLocalDay(addDays(plan.today, -day), plan.timezone).getTime();
    // Practice happens between 08:00 and 20:00 school time, as in the basic seed.
    let at = dayStart + (8 + random.next() * 10) * 3_600_000;
    const size = random.int(5, 12);
    const fresh = unmet.splice(0, Math.min(size, random.int(2, 5)));
    const session = drawDistinct(random, met, size - fresh.length);
    met.push(...fresh);
    session.push(...fresh);
    const order = drawDistinct(random, session, session.length);
    const firstPass = order.length;
    for (let i = 0; i < order.length; i++) {
      const word = order[i];
      if (word === undefined) break;
      if (plan.notAfter !== undefined && at > plan.notAfter.getTime()) return;
      const difficulty = difficultyOf(word);
      const trace = traces.get(word);
      const p = recallProbability(parameters, ability, difficulty, trace, at);
      const correct = random.chance(p);
      traces.set(word, practised(trace, at, correct));
      // A wrong answer in the first pass comes back once at the end of the session.
      if (!correct && i < firstPass) order.push(word);
      n += 1;
      const answeredAt = at;
      at += random.int(4_000, 40_000);
      yield {
        answer: answerItem(random, {
          studentId: student.id,
          moduleId: moduleOf.get(word) ?? '',
          word,
          n,
          answeredAt,
          correct,
          hardnessMs: Math.max(0, 2_000 + 1_500 * difficulty),
        }),
        p,
      };
    }
  }
}
