import { describe, expect, it } from 'vitest';
import {
  emptyState,
  isStale,
  parseImportState,
  recordProgress,
  resumePoint,
  stateText,
  withoutTables,
  withoutTarget,
} from '../../../src/ops/transfer/checkpoint.ts';
import { ImportStateError } from '../../../src/ops/transfer/errors.ts';

const shaA = 'a'.repeat(64);
const shaB = 'b'.repeat(64);
const local = 'http://localhost:8000 prefix="dev-"';
const other = 'http://localhost:8000 prefix="qa-"';
const at = new Date('2026-11-24T16:05:00.000Z');

const state = recordProgress(
  recordProgress(
    emptyState(),
    local,
    shaA,
    'students',
    { lines_done: 1000, empty_before: true, complete: false },
    at,
  ),
  local,
  shaA,
  'groups',
  { lines_done: 2, empty_before: false, complete: true },
  at,
);

describe('the import checkpoint', () => {
  it('starts an unknown table at line 0, emptiness still to be checked', () => {
    expect(resumePoint(emptyState(), local, shaA, 'students', 3000)).toEqual({
      linesDone: 0,
      emptyBefore: undefined,
      complete: false,
    });
    expect(resumePoint(state, other, shaA, 'students', 3000).linesDone).toBe(0);
  });

  it('resumes a table where its last group ended, remembering emptiness', () => {
    expect(resumePoint(state, local, shaA, 'students', 3000)).toEqual({
      linesDone: 1000,
      emptyBefore: true,
      complete: false,
    });
    expect(resumePoint(state, local, shaA, 'groups', 2).complete).toBe(true);
  });

  it('does not resume from the progress of another export', () => {
    expect(isStale(state, local, shaB)).toBe(true);
    expect(isStale(state, local, shaA)).toBe(false);
    expect(isStale(state, other, shaB)).toBe(false);
    expect(resumePoint(state, local, shaB, 'students', 3000).linesDone).toBe(0);
    // Recording progress for the new export drops the old export's tables.
    const next = recordProgress(
      state,
      local,
      shaB,
      'parents',
      { lines_done: 5, empty_before: true, complete: false },
      at,
    );
    expect(Object.keys(next.targets[local]?.tables ?? {})).toEqual(['parents']);
  });

  it('keeps targets apart and forgets one on --restart', () => {
    const both = recordProgress(
      state,
      other,
      shaA,
      'students',
      { lines_done: 25, empty_before: true, complete: false },
      at,
    );
    expect(resumePoint(both, other, shaA, 'students', 3000).linesDone).toBe(25);
    expect(resumePoint(both, local, shaA, 'students', 3000).linesDone).toBe(1000);
    const restarted = withoutTarget(both, local);
    expect(resumePoint(restarted, local, shaA, 'students', 3000).linesDone).toBe(0);
    expect(resumePoint(restarted, other, shaA, 'students', 3000).linesDone).toBe(25);
  });

  it('on --restart forgets only the tables imported again', () => {
    const restarted = withoutTables(state, local, ['students']);
    expect(resumePoint(restarted, local, shaA, 'students', 3000).linesDone).toBe(0);
    expect(resumePoint(restarted, local, shaA, 'groups', 2).complete).toBe(true);
    expect(withoutTables(state, other, ['students'])).toEqual(state);
  });

  it('does not change the state it is given', () => {
    const before = stateText(state);
    recordProgress(
      state,
      local,
      shaA,
      'students',
      { lines_done: 2000, empty_before: true, complete: false },
      at,
    );
    withoutTarget(state, local);
    withoutTables(state, local, ['students', 'groups']);
    expect(stateText(state)).toBe(before);
  });

  it('refuses progress beyond the end of the file', () => {
    expect(() => resumePoint(state, local, shaA, 'students', 999)).toThrow(ImportStateError);
  });

  it('reads back what it writes and refuses anything else, pointing at --restart', () => {
    expect(parseImportState(stateText(state), 's.json')).toEqual(state);
    expect(() => parseImportState('{', 's.json')).toThrow(/s\.json is not JSON.*--restart/);
    expect(() => parseImportState('{"version":2,"targets":{}}', 's.json')).toThrow(
      /s\.json is not an import checkpoint \(version: .+\); run the import with --restart/,
    );
  });
});
