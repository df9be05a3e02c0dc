/**
 * A deterministic, realistic organisation: groups, schools, teachers, classes, students
 * with their parents, modules of 15-25 words, and 30 days of answers in which students
 * differ in ability and activity and words in difficulty, and answers are right more often
 * the more a word was practised and less often the longer since, so every figure is
 * interesting and the flags of `module_results` pick out a few words and students.
 * Pure: the same plan gives the same data on every machine (answers are generated per
 * student from a generator forked by the student's id, so they stream).
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
import { firstNames, lastNames, places, regions } from './names.ts';
import type { SeedPlan } from './plan.ts';
import { type Random, seeded } from './random.ts';
import { drawDistinct, wordDifficulty } from './simulated.ts';
import type { SeedSize } from './sizes.ts';
import { type Theme, themes } from './vocabulary.ts';

// The plan lives in `plan.ts`, which `simulated.ts` reads too (no circle through here).
export { LEARNER_KINDS, type LearnerKind, type SeedPlan } from './plan.ts';

export const ANSWER_DAYS = 30;
export const LEVELS = [1, 2, 3, 4, 5, 6] as const;

/** The organisation tables a seed fills, in the order they are written. */
export const ORGANISATION_TABLES = [
  'groups',
  'schools',
  'teachers',
  'classes',
  'modules',
  'parents',
  'students',
] as const;
export type OrganisationTable = (typeof ORGANISATION_TABLES)[number];

export type Organisation = { readonly [N in OrganisationTable]: Entity<N>[] };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const personName = (random: Random) => `${random.pick(firstNames)} ${random.pick(lastNames)}`;

const buildModules = (random: Random, size: SeedSize): Entity<'modules'>[] => {
  const themeNames = Object.keys(themes) as Theme[];
  const modules: Entity<'modules'>[] = [];
  let n = 0;
  for (const level of LEVELS) {
    for (let i = 0; i < size.modulesPerLevel; i++) {
      n += 1;
      const theme = themeNames[(level * 7 + i * 3) % themeNames.length] ?? 'Animals';
      const words = themes[theme];
      const count = random.int(15, Math.min(25, words.length));
      const start = random.int(0, words.length - count);
      modules.push({
        id: `m-${pad(n, 3)}`,
        title: `${theme} ${level}.${i + 1}`,
        level,
        words: words.slice(start, start + count),
      });
    }
  }
  return modules;
};

/** A, B, ... Z, then A2, B2, ...: the letters of a school's classes of one level. */
const formLetter = (index: number): string =>
  `${String.fromCharCode(65 + (index % 26))}${index < 26 ? '' : Math.floor(index / 26) + 1}`;

/**
 * @example
 * ```ts
 * const org = buildOrganisation({ size: SEED_SIZES.small, seed: 1, today: '2026-11-24', timezone: 'Asia/Shanghai' });
 * org.students.length; // about 200, the same on every run
 * ```
 */
export const buildOrganisation = (plan: SeedPlan): Organisation => {
  const random = seeded(plan.seed);
  const { size } = plan;
  const org: Organisation = {
    groups: [],
    schools: [],
    teachers: [],
    classes: [],
    students: [],
    parents: [],
    modules: buildModules(random.fork('modules'), size),
  };
  let schoolN = 0;
  let teacherN = 0;
  let classN = 0;
  let studentN = 0;
  let parentN = 0;
  for (let g = 1; g <= size.groups; g++) {
    const groupCode = `g-${pad(g, 2)}`;
    org.groups.push({
      code: groupCode,
      name: `${regions[(g - 1) % regions.length]} Education Group ${g}`,
    });
    for (let s = 0; s < size.schoolsPerGroup; s++) {
      schoolN += 1;
      const schoolCode = `sc-${pad(schoolN, 3)}`;
      org.schools.push({
        code: schoolCode,
        name: `${places[(schoolN - 1) % places.length]} Primary School ${schoolN}`,
        group_code: groupCode,
      });
      let previous: Entity<'students'> | undefined;
      // The school's classes so far per level: 1A, 1B, ... as a school names its forms.
      const perLevel = new Map<number, number>();
      for (let t = 0; t < size.teachersPerSchool; t++) {
        teacherN += 1;
        const teacherId = `t-${pad(teacherN, 4)}`;
        org.teachers.push({
          id: teacherId,
          name: `${random.chance(0.8) ? 'Ms' : 'Mr'} ${random.pick(lastNames)}`,
          school_code: schoolCode,
        });
        const classes = random.int(...size.classesPerTeacher);
        for (let c = 0; c < classes; c++) {
          classN += 1;
          const classCode = `c-${pad(classN, 4)}`;
          const level = LEVELS[(classN - 1) % LEVELS.length] ?? 1;
          const sameLevel = perLevel.get(level) ?? 0;
          perLevel.set(level, sameLevel + 1);
          org.classes.push({
            code: classCode,
            // A name a teacher and a parent use, unique in its school; the id stays the code.
            name: `Class ${level}${formLetter(sameLevel)}`,
            teacher_id: teacherId,
            school_code: schoolCode,
            level,
          });
          const students = random.int(...size.studentsPerClass);
          for (let k = 0; k < students; k++) {
            studentN += 1;
            const studentId = `s-${pad(studentN, 6)}`;
            // About one child in seven is a younger sibling of the previous one: same parents.
            const sibling = previous !== undefined && random.chance(0.15) ? previous : undefined;
            let parentIds: string[];
            if (sibling !== undefined) {
              parentIds = [...sibling.parent_ids];
            } else {
              parentIds = Array.from({ length: random.chance(0.6) ? 2 : 1 }, () => {
                parentN += 1;
                return `p-${pad(parentN, 6)}`;
              });
              for (const parentId of parentIds) {
                org.parents.push({ id: parentId, name: personName(random), student_ids: [] });
              }
            }
            const surname = sibling?.name.split(' ')[1] ?? random.pick(lastNames);
            const student = {
              id: studentId,
              name: `${random.pick(firstNames)} ${surname}`,
              class_code: classCode,
              parent_ids: parentIds,
            };
            org.students.push(student);
            previous = student;
          }
        }
      }
    }
  }
  const parents = new Map(org.parents.map((parent) => [parent.id, parent]));
  for (const student of org.students) {
    for (const parentId of student.parent_ids) parents.get(parentId)?.student_ids.push(student.id);
  }
  return org;
};

/**
 * The forgetting model's parameters for the demo's learners ({@link studentAnswers}): those
 * of the simulated learners ({@link FORGETTING}) but for words the teacher has taught in
 * class before they are practised, so that a first answer is right about two times in
 * three (not one in three), and a memory that lasts days, not hours, after a first right
 * answer: a class is then mostly right, and the flags `module_results` raises (accuracy
 * below 0.6, DESIGN section 4) pick out a few weak students and hard words, not most.
 */
export const DEMO_FORGETTING: ForgettingParameters = {
  ...FORGETTING,
  base: 2.5,
  prior: 0,
  abilitySpread: 1.3,
  difficultySpread: 1.4,
};

/**
 * The answers one student gave over the 30 days ending `plan.today`, in time order.
 * Each student has an ability and each word a difficulty (normal draws, as the simulated
 * learners have), and a word is right with the probability of the forgetting model
 * ({@link DEMO_FORGETTING}): more often the more it was practised, less often the longer
 * since. Students differ in activity (how many days they practise); a class moves from one
 * module of its level to the next over the 30 days. A session asks a handful of words of
 * the module: one to three not yet met, in the module's order, the rest met before, drawn
 * at random; a word answered wrong comes back once at the end of the session.
 */
export function* studentAnswers(
  plan: SeedPlan,
  student: Pick<Entity<'students'>, 'id' | 'class_code'>,
  classLevel: number,
  modules: readonly Entity<'modules'>[],
): Generator<Entity<'answers'>> {
  const random = seeded(plan.seed).fork(`student:${student.id}`);
  // The first two draws, as before the forgetting model came, so the days practised and
  // the hours of practice stay what they were (the demo's student and module with them).
  const ability = DEMO_FORGETTING.abilitySpread * standardNormal(random.next);
  // One student in twenty never practised: their rows show zeros and nulls.
  const activity = random.chance(0.05) ? 0 : 0.05 + 0.55 * random.next();
  const ownModules = modules.filter((module) => module.level === classLevel);
  if (ownModules.length === 0 || activity === 0) return;
  const traces = new Map<string, WordTrace>();
  const met = new Map<string, string[]>();
  let n = 0;
  for (let day = ANSWER_DAYS - 1; day >= 0; day--) {
    if (!random.chance(activity)) continue;
    const date = addDays(plan.today, -day);
    const dayStart = startOfLocalDay(date, plan.timezone).getTime();
    // Practice happens between 08:00 and 20:00 school time.
    let at = dayStart + (8 + random.next() * 10) * 3_600_000;
    const module =
      ownModules[
        Math.min(
          ownModules.length - 1,
          Math.floor(((ANSWER_DAYS - day) / ANSWER_DAYS) * ownModules.length),
        )
      ];
    if (module === undefined) continue;
    // The session's words and answers from a generator of the day's own, so that how many
    // a session asks leaves the draws of the days after it alone.
    const session = seeded(plan.seed).fork(`session:${student.id}:${day}`);
    const known = met.get(module.id) ?? [];
    met.set(module.id, known);
    const size = session.int(2, 5);
    const fresh = module.words
      .filter((word) => !known.includes(word))
      .slice(0, Math.max(size - known.length, session.int(1, 3)));
    const words = [...drawDistinct(session, known, size - fresh.length), ...fresh];
    known.push(...fresh);
    const order = drawDistinct(session, words, words.length);
    const firstPass = order.length;
    for (let i = 0; i < order.length; i++) {
      const word = order[i];
      if (word === undefined) break;
      if (plan.notAfter !== undefined && at > plan.notAfter.getTime()) return;
      const difficulty = wordDifficulty(plan, word, DEMO_FORGETTING);
      const key = `${module.id}:${word}`;
      const trace = traces.get(key);
      const correct = session.chance(
        recallProbability(DEMO_FORGETTING, ability, difficulty, trace, at),
      );
      traces.set(key, practised(trace, at, correct));
      // A wrong answer in the first pass comes back once at the end of the session.
      if (!correct && i < firstPass) order.push(word);
      n += 1;
      const answeredAt = at;
      at += session.int(4_000, 40_000);
      yield answerItem(session, {
        studentId: student.id,
        moduleId: module.id,
        word,
        n,
        answeredAt,
        correct,
        hardnessMs: Math.max(0, 2_000 + 1_500 * difficulty),
      });
    }
  }
}
