/**
 * The console: a hash router over one view at a time. Signing in keeps the token in
 * sessionStorage; every view asks the real API with it and shows what the API answers.
 */
import './styles.css';
import { h } from './dom.ts';
import { parseRoute, progressHash, type Route, reviewHash, summaryHash } from './routes.ts';
import type { Session } from './schemas.ts';
import { clearSession, readSession } from './session.ts';
import { errorBox, type ViewContext } from './view.ts';
import { classReviewView } from './views/class-review.ts';
import { classesView } from './views/classes.ts';
import { jobsView } from './views/jobs.ts';
import { organisationView } from './views/organisation.ts';
import { progressView } from './views/progress.ts';
import { resultsView } from './views/results.ts';
import { reviewView } from './views/review.ts';
import { signInView } from './views/sign-in.ts';
import { summaryView } from './views/summary.ts';

type View = (route: Route, context: ViewContext) => Promise<Node>;

const views: Readonly<Record<Route['view'], View>> = {
  'sign-in': (_route, context) => signInView(context),
  classes: (_route, context) => classesView(context),
  results: (route, context) =>
    route.view === 'results' ? resultsView(route, context) : notFound(route),
  review: (route, context) =>
    route.view === 'review' ? reviewView(route, context) : notFound(route),
  'class-review': (route, context) =>
    route.view === 'class-review' ? classReviewView(route.classCode, context) : notFound(route),
  progress: (route, context) =>
    route.view === 'progress' ? progressView(route.studentId, context) : notFound(route),
  summary: (route, context) =>
    route.view === 'summary' ? summaryView(route.parentId, context) : notFound(route),
  organisation: (_route, context) => organisationView(context),
  jobs: (_route, context) => jobsView(context),
  'not-found': (route) => notFound(route),
};

const notFound = async (route: Route): Promise<Node> =>
  h(
    'div',
    { class: 'error', role: 'alert' },
    `There is no page ${route.view === 'not-found' ? route.hash : route.view}. `,
    h('a', { href: '#/' }, 'Back to sign-in'),
  );

interface NavLink {
  readonly href: string;
  readonly text: string;
  readonly view: Route['view'];
}

const navLinks = (session: Session | undefined): NavLink[] => {
  // Jobs run whole-organisation work: offered to admin alone, not to parents and students.
  if (session === undefined) return [];
  const links: NavLink[] = [];
  if (session.role === 'admin')
    links.push({ href: '#/organisation', text: 'Organisation', view: 'organisation' });
  if (session.role === 'admin' || session.role === 'teacher') {
    if (parseRoute(session.home).view === 'results')
      links.push({ href: session.home, text: 'My class results', view: 'results' });
    links.push({ href: '#/classes', text: 'Classes', view: 'classes' });
  }
  if (session.role === 'parent')
    links.push({ href: summaryHash(session.id), text: 'My children', view: 'summary' });
  if (session.role === 'student') {
    links.push({ href: progressHash(session.id), text: 'My progress', view: 'progress' });
    links.push({ href: reviewHash(session.id), text: 'My review', view: 'review' });
  }
  if (session.role === 'admin') links.push({ href: '#/jobs', text: 'Jobs', view: 'jobs' });
  return links;
};

const nav = (route: Route, session: Session | undefined): HTMLElement =>
  h(
    'nav',
    { class: 'nav', 'aria-label': 'Console' },
    h('a', { class: 'brand', href: session?.home ?? '#/' }, 'LMS console'),
    h(
      'ul',
      {},
      navLinks(session).map((link) =>
        h(
          'li',
          {},
          h(
            'a',
            { href: link.href, 'aria-current': link.view === route.view ? 'page' : false },
            link.text,
          ),
        ),
      ),
    ),
    session === undefined
      ? h('a', { class: 'who', href: '#/' }, 'Sign in')
      : h(
          'span',
          { class: 'who', 'data-signed-in': `${session.role}:${session.id}` },
          `${session.label}: ${session.name ?? session.id} (${session.role})`,
          h(
            'button',
            {
              type: 'button',
              class: 'sign-out',
              onclick: () => {
                clearSession();
                location.hash = '#/';
                render();
              },
            },
            'Sign out',
          ),
        ),
  );

const root = document.getElementById('app') ?? document.body;
let controller: AbortController | undefined;

const render = (): void => {
  controller?.abort();
  const current = new AbortController();
  controller = current;
  const route = parseRoute(location.hash);
  const session = readSession();
  const main = h('main', { 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Loading…'));
  root.replaceChildren(nav(route, session), main);
  const context: ViewContext = {
    signal: current.signal,
    title: (text) => {
      document.title = `${text} · LMS console`;
    },
    // Views that draw days need a sign-in, which carries the stack's zone.
    timezone: session?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  if (route.view !== 'sign-in' && route.view !== 'jobs' && session === undefined) {
    main.replaceChildren(
      h(
        'div',
        { class: 'error', role: 'alert' },
        'Sign in first: this page asks the API with a signed-in token. ',
        h('a', { href: '#/' }, 'Choose an identity'),
      ),
    );
    main.setAttribute('aria-busy', 'false');
    return;
  }
  views[route.view](route, context)
    .catch((error: unknown) => errorBox(error))
    .then((node) => {
      if (current.signal.aborted) return;
      main.replaceChildren(node);
      main.setAttribute('aria-busy', 'false');
      // The views' state changes (a sign-in) show in the nav too.
      root.firstElementChild?.replaceWith(nav(route, readSession()));
    });
};

window.addEventListener('hashchange', render);
render();
