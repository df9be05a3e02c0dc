/**
 * What `lms check` finds, grouped by kind with bounded memory: every kind keeps its count
 * and at most a fixed number of examples, however many findings there are. Pure.
 */
import type { TableName } from '../../tables/definitions.ts';

/** Every kind of problem, with the sentence that explains it. */
export const FINDING_KINDS = {
  student_class_missing: "a student's class does not exist",
  class_teacher_missing: "a class's teacher does not exist",
  class_school_missing: "a class's school does not exist",
  teacher_school_missing: "a teacher's school does not exist",
  school_group_missing: "a school's group does not exist",
  student_parent_missing: 'a student lists a parent who does not exist',
  parent_student_missing: 'a parent lists a student who does not exist',
  parent_lacks_student: 'a student lists a parent whose student_ids do not list the student',
  student_lacks_parent: 'a parent lists a student whose parent_ids do not list the parent',
  answer_student_missing: 'answers by a student who does not exist',
  answer_module_missing: 'answers to a module that does not exist',
  invalid_item: 'a stored item that does not match its schema (skipped by the check)',
} as const;

export type FindingKind = keyof typeof FINDING_KINDS;

export const findingKinds = Object.keys(FINDING_KINDS) as FindingKind[];

/** A record by table and key (a composite key is shown as `partition/sort`). */
export interface RecordRef {
  readonly table: TableName;
  readonly id: string;
}

export interface Finding {
  readonly kind: FindingKind;
  /** The record whose link is wrong (absent for answers: they are counted per target). */
  readonly record?: RecordRef;
  /** What the link points at: a record that is missing, or one that does not point back. */
  readonly target?: RecordRef;
  /** Answer kinds: how many answers point at `target`. */
  readonly answers?: number;
  readonly message: string;
}

export interface KindReport {
  readonly description: string;
  readonly count: number;
  /** The first findings met (answer kinds: the targets with the most answers). */
  readonly examples: readonly Finding[];
  /** Answer kinds: the answers concerned, over every target. */
  readonly answers?: number;
}

export type FindingsByKind = Partial<Record<FindingKind, KindReport>>;

/**
 * @example
 * ```ts
 * const findings = new FindingCollector(10);
 * findings.add({ kind: 'student_class_missing', record: { table: 'students', id: 's-1' },
 *   target: { table: 'classes', id: 'c-9' }, message: 'student s-1: class c-9 does not exist' });
 * findings.report().student_class_missing?.count; // 1
 * ```
 */
export class FindingCollector {
  readonly #counts = new Map<FindingKind, number>();
  readonly #examples = new Map<FindingKind, Finding[]>();
  readonly #answers = new Map<FindingKind, number>();

  constructor(readonly maxExamples: number) {}

  add(finding: Finding): void {
    this.#counts.set(finding.kind, (this.#counts.get(finding.kind) ?? 0) + 1);
    if (finding.answers !== undefined) {
      this.#answers.set(finding.kind, (this.#answers.get(finding.kind) ?? 0) + finding.answers);
    }
    const examples = this.#examples.get(finding.kind) ?? [];
    if (examples.length < this.maxExamples) examples.push(finding);
    this.#examples.set(finding.kind, examples);
  }

  /** Findings so far. */
  get total(): number {
    let total = 0;
    for (const count of this.#counts.values()) total += count;
    return total;
  }

  /** Kinds with findings, in the order of {@link FINDING_KINDS}. */
  report(): FindingsByKind {
    const out: FindingsByKind = {};
    for (const kind of findingKinds) {
      const count = this.#counts.get(kind);
      if (count === undefined) continue;
      const answers = this.#answers.get(kind);
      out[kind] = {
        description: FINDING_KINDS[kind],
        count,
        examples: this.#examples.get(kind) ?? [],
        ...(answers !== undefined ? { answers } : {}),
      };
    }
    return out;
  }
}

/**
 * Answers per missing id: a map with one number per distinct id, however many answers
 * point there, turned into findings (most answers first) at the end.
 */
export class MissingTargetCounter {
  readonly #counts = new Map<string, number>();

  add(id: string): void {
    this.#counts.set(id, (this.#counts.get(id) ?? 0) + 1);
  }

  /** Adds one finding per missing id to `findings`, the ids with most answers first. */
  drainInto(
    findings: FindingCollector,
    kind: 'answer_student_missing' | 'answer_module_missing',
  ): void {
    const table: TableName = kind === 'answer_student_missing' ? 'students' : 'modules';
    const what = kind === 'answer_student_missing' ? 'student' : 'module';
    const sorted = [...this.#counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [id, answers] of sorted) {
      findings.add({
        kind,
        target: { table, id },
        answers,
        message: `${answers} ${answers === 1 ? 'answer points' : 'answers point'} at ${what} ${id}, which does not exist`,
      });
    }
    this.#counts.clear();
  }
}
