import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineStartError } from '../aws/engines/errors.ts';

/**
 * Where `initdb` and `postgres` are.
 *
 * @example
 * ```ts
 * const { initdb, postgres } = findPostgresBinaries(); // /usr/lib/postgresql/15/bin/...
 * ```
 */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/** Where Debian installs one folder per major version: /usr/lib/postgresql/<version>/bin. */
export const DEBIAN_POSTGRESQL_ROOT = '/usr/lib/postgresql';

/**
 * Finds PostgreSQL's server binaries: in `binDir` when given; else in the newest version of
 * Debian's `/usr/lib/postgresql/<version>/bin`; else on the usual bin folders (`/usr/local/bin`,
 * `/usr/bin`; Debian's `postgresql-common` puts no `initdb` or `postgres` there, but other
 * installs do).
 *
 * @throws {EngineStartError} naming what is missing and how to install it.
 *
 * @example
 * ```ts
 * findPostgresBinaries({ binDir: '/opt/pg16/bin' });
 * ```
 */
export function findPostgresBinaries(
  options: { readonly binDir?: string; readonly root?: string } = {},
): PostgresBinaries {
  const candidates: string[] = [];
  if (options.binDir !== undefined) {
    candidates.push(options.binDir);
  } else {
    const root = options.root ?? DEBIAN_POSTGRESQL_ROOT;
    candidates.push(
      ...debianVersions(root).map((version) => join(root, version, 'bin')),
      '/usr/local/bin',
      '/usr/bin',
    );
  }
  for (const dir of candidates) {
    const initdb = join(dir, 'initdb');
    const postgres = join(dir, 'postgres');
    if (existsSync(initdb) && existsSync(postgres)) return { initdb, postgres };
  }
  throw new EngineStartError(
    `PostgreSQL server binaries (initdb and postgres) not found in ${candidates.join(', ')}: ` +
      "install Debian's postgresql package (apt-get install postgresql)",
  );
}

/** The version folders under `root`, newest first (numerically: 9.6 < 10 < 15 < 17). */
function debianVersions(root: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  const key = (version: string) => version.split('.').map((part) => Number.parseInt(part, 10));
  return entries
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => {
      const [a0 = 0, a1 = 0] = key(a);
      const [b0 = 0, b1 = 0] = key(b);
      return b0 - a0 || b1 - a1;
    });
}
