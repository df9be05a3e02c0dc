/**
 * Every path the console asks the stack for, built from its parameters: an id may hold any
 * character (`/`, `?`, `%`), so each segment is escaped here and nowhere else, and the views
 * hold no path of their own.
 */

declare const built: unique symbol;
/** A path made here: `request` takes no other, so a view cannot write one by hand. */
export type Endpoint = string & { readonly [built]: true };
const endpoint = (path: string): Endpoint => path as Endpoint;

/** `/a/b` from segments, each escaped. */
export const pathOf = (...segments: readonly string[]): string =>
  `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;

/** `path?name=value`, leaving out the parameters without a value. */
export const withQuery = (
  path: string,
  parameters: Readonly<Record<string, string | undefined>>,
): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters))
    if (value !== undefined && value !== '') query.set(name, value);
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
};

export interface DateRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** The HTTP API's routes (the same for the deployed stack). */
export const api = {
  moduleResults: (classCode: string, moduleId: string, range: DateRange = {}) =>
    endpoint(
      withQuery(pathOf('classes', classCode, 'modules', moduleId, 'results'), {
        from: range.from,
        to: range.to,
      }),
    ),
  studentProgress: (studentId: string) => endpoint(pathOf('students', studentId, 'progress')),
  parentSummary: (parentId: string) => endpoint(pathOf('parents', parentId, 'summary')),
  /** `all`: every card, the later ones in `later` (the recall heatmap). */
  studentReview: (studentId: string, all = false) =>
    endpoint(withQuery(pathOf('students', studentId, 'review'), { all: all ? 'true' : undefined })),
  classReview: (classCode: string) => endpoint(pathOf('classes', classCode, 'review')),
} as const;

/** The local stack's own requests (docs/console.md, "Local-only requests"). */
export const local = {
  identities: () => endpoint(pathOf('_console', 'identities')),
  signIn: () => endpoint(pathOf('_console', 'sign-in')),
  directory: () => endpoint(pathOf('_console', 'directory')),
  organisation: () => endpoint(pathOf('_console', 'organisation')),
  jobs: () => endpoint(pathOf('_jobs')),
  /** Starts a run and answers at once (`202 { run }`) instead of when it ends. */
  startJob: (job: string) => endpoint(withQuery(pathOf('_jobs', job), { wait: 'false' })),
} as const;
