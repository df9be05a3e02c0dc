/** How big a generated organisation is. Students ≈ groups × schools × teachers × 1.5 × 27. */
export interface SeedSize {
  readonly groups: number;
  readonly schoolsPerGroup: number;
  readonly teachersPerSchool: number;
  /** Classes each teacher teaches (inclusive range). */
  readonly classesPerTeacher: readonly [number, number];
  readonly studentsPerClass: readonly [number, number];
  /** Modules per level (levels 1-6). */
  readonly modulesPerLevel: number;
}

export const SEED_SIZES = {
  /** About 200 students and 10,000 answers: the demo `npm start` seeds. */
  small: {
    groups: 1,
    schoolsPerGroup: 2,
    teachersPerSchool: 3,
    classesPerTeacher: [1, 2],
    studentsPerClass: [20, 30],
    modulesPerLevel: 2,
  },
  /** About 10,000 students and 460,000 answers: the benchmark size. */
  medium: {
    groups: 4,
    schoolsPerGroup: 6,
    teachersPerSchool: 10,
    classesPerTeacher: [1, 2],
    studentsPerClass: [20, 35],
    modulesPerLevel: 3,
  },
  /** About 100,000 students and 4.6 million answers. */
  large: {
    groups: 10,
    schoolsPerGroup: 15,
    teachersPerSchool: 16,
    classesPerTeacher: [1, 2],
    studentsPerClass: [20, 35],
    modulesPerLevel: 4,
  },
} as const satisfies Record<string, SeedSize>;

export type SeedSizeName = keyof typeof SEED_SIZES;

export const isSeedSizeName = (value: unknown): value is SeedSizeName =>
  typeof value === 'string' && Object.hasOwn(SEED_SIZES, value);
