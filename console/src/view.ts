/** What a view is given, and how a view's failure shows in the page. */
import { ApiError } from './api.ts';
import { h } from './dom.ts';

export interface ViewContext {
  /** Aborted when the page moves to another route: timers and late replies stop. */
  readonly signal: AbortSignal;
  /** Sets the document's title. */
  readonly title: (text: string) => void;
  /** The stack's `LMS_TIMEZONE` (from the sign-in): the zone of the API's days. */
  readonly timezone: string;
}

/** The error of a view, in the page: never a blank page. */
export const errorBox = (error: unknown): HTMLElement =>
  h(
    'div',
    {
      class: 'error',
      role: 'alert',
      'data-error-status': error instanceof ApiError ? error.status : 'client',
    },
    h('strong', {}, error instanceof ApiError ? error.message : `Error: ${String(error)}`),
    error instanceof ApiError && error.status === 401
      ? h('p', {}, h('a', { href: '#/' }, 'Sign in again'))
      : null,
  );
