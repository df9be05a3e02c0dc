/**
 * Reads what a stats run needs, each table at most once, page by page, projecting only
 * the attributes the requested levels use. Students are streamed and reduced to a count
 * per class code as they arrive, so memory never holds the students.
 */

import type { StatsLevel } from '../../domain/stats/levels.ts';
import type {
  ClassRecord,
  GroupRecord,
  OrganisationSnapshot,
  SchoolRecord,
  TeacherRecord,
} from '../../domain/stats/snapshot.ts';
import { type StatsWarning, warning } from '../../domain/stats/warnings.ts';
import type { Db } from '../../repositories/db.ts';
import type { InvalidStoredItemError } from '../../repositories/errors.ts';
import { readPages } from '../read-pages.ts';
import type { WarningLog } from '../warning-log.ts';
import type { StatsProgressListener } from './progress.ts';

export interface ReadResult {
  readonly snapshot: OrganisationSnapshot;
  readonly itemsRead: Readonly<Record<string, number>>;
}

export interface ReadOptions {
  /** The run's warnings: an invalid stored item is skipped and reported there (capped). */
  readonly warnings: WarningLog<StatsWarning>;
  /** Parallel scan segments for the students table (the big one). */
  readonly segments?: number;
  readonly onProgress?: StatsProgressListener;
}

/** Which tables (and which of their attributes) a set of levels needs. */
export const tablesNeeded = (levels: readonly StatsLevel[]) => {
  const has = (level: StatsLevel) => levels.includes(level);
  const schoolOrGroup = has('school') || has('group');
  return {
    classes: {
      teacherId: has('teacher'),
      schoolCode: schoolOrGroup,
      stats: has('class'),
    },
    teachers:
      has('teacher') || schoolOrGroup
        ? { schoolCode: schoolOrGroup, stats: has('teacher') }
        : undefined,
    schools: schoolOrGroup ? { groupCode: has('group'), stats: has('school') } : undefined,
    groups: has('group') ? { stats: true } : undefined,
  };
};

export const readSnapshot = async (
  db: Db,
  levels: readonly StatsLevel[],
  options: ReadOptions,
): Promise<ReadResult> => {
  const needed = tablesNeeded(levels);
  const { warnings } = options;
  const itemsRead: Record<string, number> = {};
  const onInvalid = (error: InvalidStoredItemError) => {
    warnings.add(warning('invalid_item', `skipped: ${error.message}`));
  };

  // The count each read returns is the summary's `itemsRead`.
  const stream = async <T>(table: string, pages: AsyncIterable<T[]>, each: (item: T) => void) => {
    itemsRead[table] = await readPages(table, pages, each, options.onProgress);
  };

  const studentsPerClass = new Map<string, number>();
  let unassignedStudents = 0;
  const classes = new Map<string, ClassRecord>();
  const teachers = needed.teachers ? new Map<string, TeacherRecord>() : undefined;
  const schools = needed.schools ? new Map<string, SchoolRecord>() : undefined;
  const groups = needed.groups ? new Map<string, GroupRecord>() : undefined;

  const reads: Promise<void>[] = [
    stream(
      'students',
      db.students.pages(
        {},
        { scan: true, project: ['class_code'], segments: options.segments, onInvalid },
      ),
      (student) => {
        if (student.class_code === undefined) unassignedStudents += 1;
        else
          studentsPerClass.set(
            student.class_code,
            (studentsPerClass.get(student.class_code) ?? 0) + 1,
          );
      },
    ),
    stream(
      'classes',
      db.classes.pages(
        {},
        {
          scan: true,
          project: [
            'code',
            ...(needed.classes.teacherId ? (['teacher_id'] as const) : []),
            ...(needed.classes.schoolCode ? (['school_code'] as const) : []),
            ...(needed.classes.stats ? (['stats'] as const) : []),
          ],
          onInvalid,
        },
      ),
      (item) => {
        classes.set(item.code, {
          teacherId: item.teacher_id,
          schoolCode: item.school_code,
          stats: item.stats,
        });
      },
    ),
  ];
  if (needed.teachers && teachers) {
    const { schoolCode, stats } = needed.teachers;
    reads.push(
      stream(
        'teachers',
        db.teachers.pages(
          {},
          {
            scan: true,
            project: [
              'id',
              ...(schoolCode ? (['school_code'] as const) : []),
              ...(stats ? (['stats'] as const) : []),
            ],
            onInvalid,
          },
        ),
        (item) => {
          teachers.set(item.id, { schoolCode: item.school_code, stats: item.stats });
        },
      ),
    );
  }
  if (needed.schools && schools) {
    const { groupCode, stats } = needed.schools;
    reads.push(
      stream(
        'schools',
        db.schools.pages(
          {},
          {
            scan: true,
            project: [
              'code',
              ...(groupCode ? (['group_code'] as const) : []),
              ...(stats ? (['stats'] as const) : []),
            ],
            onInvalid,
          },
        ),
        (item) => {
          schools.set(item.code, { groupCode: item.group_code, stats: item.stats });
        },
      ),
    );
  }
  if (groups) {
    reads.push(
      stream(
        'groups',
        db.groups.pages({}, { scan: true, project: ['code', 'stats'], onInvalid }),
        (item) => {
          groups.set(item.code, { stats: item.stats });
        },
      ),
    );
  }
  await Promise.all(reads);

  return {
    snapshot: { studentsPerClass, unassignedStudents, classes, teachers, schools, groups },
    itemsRead,
  };
};
