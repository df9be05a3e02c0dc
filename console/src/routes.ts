/** The console's hash routes (the console contract) to and from their parts. */
import { type DateRange, pathOf, withQuery } from './endpoints.ts';

export type Route =
  | { readonly view: 'sign-in' }
  | { readonly view: 'classes' }
  | {
      readonly view: 'results';
      readonly classCode: string;
      readonly moduleId: string;
      readonly from: string | undefined;
      readonly to: string | undefined;
    }
  | { readonly view: 'progress'; readonly studentId: string }
  | { readonly view: 'review'; readonly studentId: string; readonly word: string | undefined }
  | { readonly view: 'class-review'; readonly classCode: string }
  | { readonly view: 'summary'; readonly parentId: string }
  | { readonly view: 'organisation' }
  | { readonly view: 'jobs' }
  | { readonly view: 'not-found'; readonly hash: string };

const segment = (text: string | undefined): string | undefined => {
  if (text === undefined || text === '') return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateParameter = (query: URLSearchParams, name: string) => {
  const value = query.get(name) ?? '';
  return DATE.test(value) ? value : undefined;
};

export const parseRoute = (hash: string): Route => {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((part) => part !== '');
  const [first, second, third, fourth, fifth] = parts;
  if (parts.length === 0) return { view: 'sign-in' };
  if (first === 'classes' && parts.length === 1) return { view: 'classes' };
  if (first === 'organisation' && parts.length === 1) return { view: 'organisation' };
  if (first === 'jobs' && parts.length === 1) return { view: 'jobs' };
  const a = segment(second);
  if (parts.length === 3 && a !== undefined) {
    if (first === 'students' && third === 'progress') return { view: 'progress', studentId: a };
    if (first === 'students' && third === 'review') {
      const word = new URLSearchParams(search).get('word');
      return {
        view: 'review',
        studentId: a,
        word: word === null || word === '' ? undefined : word,
      };
    }
    if (first === 'classes' && third === 'review') return { view: 'class-review', classCode: a };
    if (first === 'parents' && third === 'summary') return { view: 'summary', parentId: a };
  }
  const b = segment(fourth);
  if (
    parts.length === 5 &&
    first === 'classes' &&
    third === 'modules' &&
    fifth === 'results' &&
    a !== undefined &&
    b !== undefined
  ) {
    const query = new URLSearchParams(search);
    return {
      view: 'results',
      classCode: a,
      moduleId: b,
      from: dateParameter(query, 'from'),
      to: dateParameter(query, 'to'),
    };
  }
  return { view: 'not-found', hash };
};

const join = (...segments: readonly string[]) => `#${pathOf(...segments)}`;

export const resultsHash = (classCode: string, moduleId: string, range: DateRange = {}): string =>
  withQuery(join('classes', classCode, 'modules', moduleId, 'results'), {
    from: range.from,
    to: range.to,
  });
export const progressHash = (studentId: string) => join('students', studentId, 'progress');
/** A student's review, with the word whose forgetting curve is shown (kept in the address). */
export const reviewHash = (studentId: string, word?: string) =>
  withQuery(join('students', studentId, 'review'), { word });
export const classReviewHash = (classCode: string) => join('classes', classCode, 'review');
export const summaryHash = (parentId: string) => join('parents', parentId, 'summary');
