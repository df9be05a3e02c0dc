/**
 * How a function is bundled: ONE set of esbuild settings, rendered both as the CDK
 * `NodejsFunction` bundling options (what is deployed) and as esbuild build options (what
 * the bundle budget measures), so the budget measures exactly what ships.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { assertFunctionFolders } from '../src/catalog/function-folders.ts';
import type { FunctionName } from '../src/catalog/functions.ts';
import { functionNames } from '../src/catalog/functions.ts';
import { DeployDatabase } from './settings.ts';

/** The repository root (where `package.json` and `package-lock.json` are). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The largest minified bundle (code only, source map excluded) CI lets through: 400 KiB. */
export const BUNDLE_BUDGET_BYTES = 400 * 1024;

/**
 * The settings shared by the stack and the budget.
 *
 * - `@aws-sdk/*` stays external: the `nodejs22.x` runtime ships SDK v3 (DynamoDB client and
 *   lib-dynamodb included), and bundling it would add ~400 KB per function, the whole budget,
 *   and slow every cold start. The price is that the runtime's SDK version is used, not the
 *   lock file's; the code only uses long-stable DynamoDB document-client calls.
 * - `pg` stays out too on DynamoDB: the PostgreSQL driver, loaded only when `DATABASE_URL`
 *   is set (`adapters/postgres/pg.ts` `createPool`), would still be parsed at every cold
 *   start: 87 KB, +16 % on record_answers' module init (measured, paired runs). A stage
 *   deployed with `-c database=postgres` bundles it, and the IAM token signer with it
 *   ({@link bundleSettingsFor}).
 * - The banner gives ESM bundles a `require`: a CommonJS dependency that requires a Node
 *   built-in would otherwise fail at run time with "Dynamic require of ... is not supported".
 */
export const bundleSettings = {
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  // Stack traces only need mappings; the sources themselves would triple the map's size.
  sourcesContent: false,
  external: ['@aws-sdk/*', 'pg'],
  banner:
    "import { createRequire as __lmsCreateRequire } from 'node:module'; const require = __lmsCreateRequire(import.meta.url);",
} as const;

/**
 * What a PostgreSQL stage leaves to the runtime: the SDK clients and lib-dynamodb (the
 * DynamoDB adapter stays in every bundle with tables, unused) and the credential chain the
 * DynamoDB build already takes from the runtime. Bundled besides `pg`: `@aws-sdk/rds-signer`,
 * which the runtime is not documented to ship, with what it needs beyond those (the
 * signing code of `@smithy` and `@aws-sdk/core`, of the lock file's versions).
 */
export const POSTGRES_EXTERNAL = [
  '@aws-sdk/client-*',
  '@aws-sdk/lib-*',
  '@aws-sdk/credential-providers',
] as const;

/**
 * The settings of a stage's database: {@link bundleSettings} on DynamoDB; on PostgreSQL the
 * same with `pg` and the signer bundled.
 *
 * @example
 * ```ts
 * bundleSettingsFor('postgres').external; // ['@aws-sdk/client-*', '@aws-sdk/lib-*', '@aws-sdk/credential-providers']
 * ```
 */
export const bundleSettingsFor = (database: DeployDatabase) =>
  database === DeployDatabase.Postgres
    ? { ...bundleSettings, external: POSTGRES_EXTERNAL }
    : bundleSettings;

/**
 * The bundling options of every `NodejsFunction`: local esbuild only (never Docker, which a
 * developer or CI machine may not have), minified ESM, module-first, with source maps.
 *
 * @example
 * ```ts
 * new NodejsFunction(scope, 'Fn', { entry, handler: 'handle', bundling: nodejsBundling() });
 * ```
 */
export const nodejsBundling = (
  database: DeployDatabase = DeployDatabase.DynamoDb,
): BundlingOptions => {
  const settings = bundleSettingsFor(database);
  return {
    forceDockerBundling: false,
    target: settings.target,
    format: OutputFormat.ESM,
    mainFields: [...settings.mainFields],
    minify: settings.minify,
    sourceMap: settings.sourcemap,
    sourcesContent: settings.sourcesContent,
    externalModules: [...settings.external],
    banner: settings.banner,
  };
};

/**
 * The same bundle as esbuild build options (the CLI flags CDK passes, as an object), kept
 * in memory: the budget only needs the sizes.
 *
 * @example
 * ```ts
 * const result = await build(esbuildOptions(functionEntry('calc_all_stats')));
 * ```
 */
export const esbuildOptions = (
  entry: string,
  database: DeployDatabase = DeployDatabase.DynamoDb,
): BuildOptions & { write: false } => {
  const settings = bundleSettingsFor(database);
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: settings.target,
    format: settings.format,
    mainFields: [...settings.mainFields],
    minify: settings.minify,
    sourcemap: settings.sourcemap,
    sourcesContent: settings.sourcesContent,
    external: [...settings.external],
    banner: { js: settings.banner },
    // CDK names the output index.mjs for ESM; the name only matters for the map's reference.
    outfile: join(PROJECT_ROOT, 'cdk.out', 'budget', 'index.mjs'),
    write: false,
    logLevel: 'warning',
    absWorkingDir: PROJECT_ROOT,
  };
};

/** The entry point of the deploy's migrations (a PostgreSQL stage's `migrate_database`). */
export const MIGRATIONS_ENTRY = join(PROJECT_ROOT, 'src', 'deploy', 'migrate-database', 'main.ts');

/** The entry point of a function: `src/functions/<name>/main.ts`. */
export const functionEntry = (name: FunctionName, root: string = PROJECT_ROOT): string =>
  join(root, 'src', 'functions', name, 'main.ts');

/**
 * Every function of the catalogue, after checking that each has its folder and every
 * folder its catalogue entry: a missing one fails the synth (and the budget) with a
 * message naming it, instead of silently deploying less.
 *
 * @example
 * ```ts
 * deployedFunctions(); // ['calc_class_stats', ..., 'calc_all_stats', 'record_answers', ...]
 * ```
 */
export const deployedFunctions = (root: string = PROJECT_ROOT): FunctionName[] => {
  assertFunctionFolders(join(root, 'src', 'functions'));
  return [...functionNames];
};
