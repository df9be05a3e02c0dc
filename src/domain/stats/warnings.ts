/** A dangling link or an unreadable record found by a stats run; never fatal. */
export interface StatsWarning {
  readonly kind:
    | 'student_class_missing'
    | 'class_teacher_missing'
    | 'class_school_missing'
    | 'teacher_school_missing'
    | 'school_group_missing'
    | 'invalid_item'
    | 'write_failed';
  readonly message: string;
}

export const warning = (kind: StatsWarning['kind'], message: string): StatsWarning => ({
  kind,
  message,
});
