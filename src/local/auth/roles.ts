/** The roles of DESIGN section 5, as the `custom:role` claim carries them. */
export const ROLES = ['admin', 'teacher', 'parent', 'student', 'service'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
