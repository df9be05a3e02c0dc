import { describe, expect, it } from 'vitest';
import { FindingCollector, MissingTargetCounter } from '../../../src/services/check/findings.ts';

const finding = (id: string) => ({
  kind: 'student_class_missing' as const,
  record: { table: 'students' as const, id },
  target: { table: 'classes' as const, id: 'c-gone' },
  message: `student ${id}: class c-gone does not exist`,
});

describe('FindingCollector', () => {
  it('counts every finding, keeps the first examples, and lists kinds in a fixed order', () => {
    const findings = new FindingCollector(2);
    findings.add({ kind: 'invalid_item', record: { table: 'groups', id: 'g' }, message: 'bad' });
    for (const id of ['s-1', 's-2', 's-3']) findings.add(finding(id));
    expect(findings.total).toBe(4);
    const report = findings.report();
    expect(Object.keys(report)).toEqual(['student_class_missing', 'invalid_item']);
    expect(report.student_class_missing?.count).toBe(3);
    expect(report.student_class_missing?.examples.map((f) => f.record?.id)).toEqual(['s-1', 's-2']);
  });

  it('with no room for examples still counts', () => {
    const findings = new FindingCollector(0);
    findings.add(finding('s-1'));
    expect(findings.report().student_class_missing).toMatchObject({ count: 1, examples: [] });
  });
});

describe('MissingTargetCounter', () => {
  it('turns answers per missing id into one finding per id, most answers first', () => {
    const counter = new MissingTargetCounter();
    for (const id of ['m-b', 'm-a', 'm-b', 'm-c', 'm-a']) counter.add(id);
    const findings = new FindingCollector(10);
    counter.drainInto(findings, 'answer_module_missing');
    const report = findings.report().answer_module_missing;
    expect(report).toMatchObject({ count: 3, answers: 5 });
    expect(report?.examples.map((f) => [f.target?.id, f.answers])).toEqual([
      ['m-a', 2],
      ['m-b', 2],
      ['m-c', 1],
    ]);
    expect(report?.examples[2]?.message).toBe(
      '1 answer points at module m-c, which does not exist',
    );
  });
});
