/**
 * The web console's files: `console/src` bundled by esbuild once (at start, so a broken
 * build stops `lms start` with the compiler's messages instead of serving a blank page),
 * kept in memory, and served as `/` (the page), `/_console/assets/<file>` and `/favicon.ico`.
 */
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, LmsError } from '../../errors.ts';

/** Where the console's bundled files are served from (`/` is its page). */
export const CONSOLE_ASSETS_PATH = '/_console/assets/';

/**
 * Where a browser looks for an icon without being told (a page it opens directly, such as
 * `/openapi.json`, or a bookmark): the console's own icon, so that request is no 404 either.
 */
export const FAVICON_PATH = '/favicon.ico';

/** A file of the console, as served. */
export interface StaticAsset {
  readonly contentType: string;
  readonly body: string | Uint8Array;
}

/** The console could not be built: the message lists esbuild's errors. */
export class ConsoleBuildError extends LmsError {
  readonly code = 'CONSOLE_BUILD_FAILED';
}

const CONSOLE_DIR = fileURLToPath(new URL('../../../console/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LMS console</title>
<link rel="icon" type="image/svg+xml" href="${CONSOLE_ASSETS_PATH}favicon.svg">
<link rel="stylesheet" href="${CONSOLE_ASSETS_PATH}app.css">
</head>
<body>
<div id="app"><noscript>The LMS console needs JavaScript.</noscript></div>
<script type="module" src="${CONSOLE_ASSETS_PATH}app.js"></script>
</body>
</html>
`;

/**
 * The console's icon, served with its assets: without one the browser asks for
 * `/favicon.ico` on every load and logs the 404 in its console.
 */
const FAVICON: StaticAsset = {
  contentType: 'image/svg+xml',
  body: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><text x="16" y="22" font-family="sans-serif" font-size="16" font-weight="700" text-anchor="middle" fill="#fff">L</text></svg>`,
};

const buildFailure = (error: unknown): ConsoleBuildError => {
  const messages =
    typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)
      ? error.errors.flatMap((e: unknown) => {
          if (typeof e !== 'object' || e === null || !('text' in e)) return [];
          const where =
            'location' in e && typeof e.location === 'object' && e.location !== null
              ? `${'file' in e.location ? String(e.location.file) : '?'}:${'line' in e.location ? String(e.location.line) : '?'}: `
              : '';
          return [`${where}${String(e.text)}`];
        })
      : [errorMessage(error)];
  return new ConsoleBuildError(
    `the web console (console/src) does not build:\n  ${messages.slice(0, 10).join('\n  ')}`,
    { cause: error },
  );
};

/** Bundles the console (`dir`: a folder with `src/main.ts` and `tsconfig.json`) by file name. */
export const buildConsole = async (
  dir: string = CONSOLE_DIR,
): Promise<ReadonlyMap<string, StaticAsset>> => {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new ConsoleBuildError(
      `the web console is bundled with esbuild, which is not installed (run npm ci): ${errorMessage(error)}`,
      { cause: error },
    );
  }
  let result: Awaited<ReturnType<typeof esbuild.build>>;
  try {
    result = await esbuild.build({
      entryPoints: { app: join(dir, 'src/main.ts') },
      tsconfig: join(dir, 'tsconfig.json'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      outdir: join(dir, 'out'),
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (error) {
    throw buildFailure(error);
  }
  const files = new Map<string, StaticAsset>();
  for (const file of result.outputFiles ?? []) {
    const name = basename(file.path);
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
    if (type !== undefined) files.set(name, { contentType: type, body: file.contents });
  }
  if (!files.has('app.js')) throw new ConsoleBuildError('the console build wrote no app.js');
  files.set('favicon.svg', FAVICON);
  return files;
};

/**
 * Builds the console now and answers the local API's `assets` hook from memory.
 *
 * @example
 * ```ts
 * new LocalApi({ ..., assets: await consoleAssets() }); // GET / → the console's page
 * ```
 */
export const consoleAssets = async (): Promise<
  (path: string) => Promise<StaticAsset | undefined>
> => {
  const files = await buildConsole();
  const page: StaticAsset = { contentType: 'text/html; charset=utf-8', body: PAGE };
  return async (path) => {
    if (path === '/') return page;
    // The same SVG under its usual name: its type is said, so the name's .ico misleads no one.
    if (path === FAVICON_PATH) return files.get('favicon.svg');
    if (!path.startsWith(CONSOLE_ASSETS_PATH)) return undefined;
    return files.get(path.slice(CONSOLE_ASSETS_PATH.length));
  };
};
