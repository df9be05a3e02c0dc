/**
 * The bundle budget (`npm run bundle:budget`): bundles every function of the catalogue with the
 * stack's own esbuild settings, for DynamoDB and, for a function with tables, for a stage on
 * PostgreSQL too (`pg` and the IAM token signer bundled; with the deploy's migrations),
 * prints each minified bundle's size, and exits 1 when one is over 400 KiB (the source map is not counted: it is only read when an error is
 * printed). For a bundle over budget it also prints what weighs most in it.
 *
 * Exit codes: 0 within budget, 1 over budget, 2 nothing to measure or a build error.
 */
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE_BUDGET_BYTES,
  deployedFunctions,
  esbuildOptions,
  functionEntry,
  MIGRATIONS_ENTRY,
} from '../infra/bundling.ts';
import { DeployDatabase } from '../infra/settings.ts';
import { functions, usesTables } from '../src/catalog/functions.ts';
import { MIGRATE_DATABASE } from '../src/deploy/migrate-database/handler.ts';

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bytes in the output per package (or per source folder for the project's own code). */
const heaviest = (metafile: Metafile, count: number): [string, number][] => {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      const key = pkg ?? input.split('/').slice(0, 2).join('/');
      sizes.set(key, (sizes.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).slice(0, count);
};

const main = async (): Promise<number> => {
  const names = deployedFunctions();
  if (names.length === 0) {
    console.error('bundle budget: no function folder with a main.ts under src/functions');
    return 2;
  }
  console.log(`bundle budget: ${kib(BUNDLE_BUDGET_BYTES)} minified per function\n`);
  const onPostgres = (name: string) => `${name} (${DeployDatabase.Postgres})`;
  const bundles: { name: string; entry: string; database: DeployDatabase }[] = [
    ...names.map((name) => ({
      name,
      entry: functionEntry(name),
      database: DeployDatabase.DynamoDb,
    })),
    ...names
      .filter((name) => usesTables(functions[name]))
      .map((name) => ({
        name: onPostgres(name),
        entry: functionEntry(name),
        database: DeployDatabase.Postgres,
      })),
    {
      name: onPostgres(MIGRATE_DATABASE),
      entry: MIGRATIONS_ENTRY,
      database: DeployDatabase.Postgres,
    },
  ];
  const width = Math.max(...bundles.map(({ name }) => name.length));
  let over = 0;
  for (const { name, entry, database } of bundles) {
    const result = await build({ ...esbuildOptions(entry, database), metafile: true });
    const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
    if (code === undefined) throw new Error(`esbuild wrote no .mjs for ${name}`);
    const size = code.contents.byteLength;
    const percent = Math.round((size / BUNDLE_BUDGET_BYTES) * 100);
    const verdict = size > BUNDLE_BUDGET_BYTES ? 'OVER BUDGET' : 'ok';
    console.log(
      `${name.padEnd(width)}  ${kib(size).padStart(10)}  ${`${percent}%`.padStart(4)}  ${verdict}`,
    );
    if (size > BUNDLE_BUDGET_BYTES) {
      over += 1;
      for (const [what, bytes] of heaviest(result.metafile, 5)) {
        console.log(`${''.padEnd(width)}    ${kib(bytes).padStart(10)}  ${what}`);
      }
    }
  }
  if (over > 0) {
    console.error(
      `\nbundle budget: ${over} of ${bundles.length} bundles over ${kib(BUNDLE_BUDGET_BYTES)}`,
    );
    return 1;
  }
  console.log(`\nbundle budget: all ${bundles.length} bundles within ${kib(BUNDLE_BUDGET_BYTES)}`);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('bundle budget: build failed:', error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
