/**
 * What a deployed bundle holds, from esbuild's metafile over the stack's own settings (as
 * `scripts/bundle-budget.ts` builds them): a function whose catalogue entry grants no table
 * carries neither the DynamoDB adapter nor an import of the SDK's DynamoDB clients, so its
 * cold start does not load them; a function with tables carries both.
 */
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_BUDGET_BYTES,
  esbuildOptions,
  functionEntry,
  MIGRATIONS_ENTRY,
} from '../../infra/bundling.ts';

import type { DeployDatabase } from '../../infra/settings.ts';
import {
  type FunctionName,
  functionNames,
  functions,
  usesTables,
} from '../../src/catalog/functions.ts';

const DYNAMODB_SDK = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

/** The modules a bundle imports at run time (`@aws-sdk/*` is external) and its own sources. */
const contentsOf = async (name: FunctionName | string, database?: DeployDatabase) => {
  const entry = name.endsWith('.ts') ? name : functionEntry(name as FunctionName);
  const { metafile, outputFiles } = await build({
    ...esbuildOptions(entry, database),
    metafile: true,
  });
  const outputs = Object.values<Metafile['outputs'][string]>(metafile.outputs);
  return {
    imports: new Set(outputs.flatMap((output) => output.imports.map((i) => i.path))),
    sources: outputs.flatMap((output) => Object.keys(output.inputs)),
    bytes: outputFiles.find((file) => file.path.endsWith('.mjs'))?.contents.length ?? 0,
  };
};

const dynamoOf = ({ imports, sources }: Awaited<ReturnType<typeof contentsOf>>) => ({
  sdk: DYNAMODB_SDK.filter((module) => imports.has(module)),
  adapter: sources.filter((source) => source.startsWith('src/adapters/dynamodb/')),
});

const tableless = functionNames.filter((name) => !usesTables(functions[name]));

describe('the DynamoDB client in deployed bundles', () => {
  it('has functions without tables to check', () => {
    expect(tableless).toContain('pre_token_generation');
  });

  it.each(tableless)('is not in %s, which uses no table', async (name) => {
    const contents = await contentsOf(name);
    // The bundle is real: it imports the Cognito client it does use.
    expect(contents.imports).toContain('@aws-sdk/client-cognito-identity-provider');
    expect(dynamoOf(contents)).toEqual({ sdk: [], adapter: [] });
  });

  it('is in a function with tables (record_answers)', async () => {
    const { sdk, adapter } = dynamoOf(await contentsOf('record_answers'));
    expect(sdk).toEqual(DYNAMODB_SDK);
    expect(adapter).toContain('src/adapters/dynamodb/connect.ts');
  });
});

describe('aggregate code in deployed bundles', () => {
  const stats = functionNames.filter((name) => name.startsWith('calc_'));

  it.each(stats)(
    'is not in %s: the job frame names the aggregate modes, not their service',
    async (name) => {
      const { sources } = await contentsOf(name);
      expect(sources.filter((source) => source.startsWith('src/services/aggregates/'))).toEqual([]);
    },
  );
});

describe('the PostgreSQL driver and the IAM token signer', () => {
  const POSTGRES_MODULES = ['pg', '@aws-sdk/rds-signer'];
  const inBundle = (sources: readonly string[], module: string) =>
    sources.some((source) => source.includes(`node_modules/${module}/`));

  it('stay out of a DynamoDB bundle (imported, never loaded)', async () => {
    const { imports, sources } = await contentsOf('record_answers');
    for (const module of POSTGRES_MODULES) {
      expect(imports).toContain(module);
      expect(inBundle(sources, module), module).toBe(false);
    }
  });

  it.each([
    ['record_answers', 'record_answers'],
    ['migrate_database', MIGRATIONS_ENTRY],
  ])('are in the PostgreSQL bundle of %s, within the budget', async (_, entry) => {
    const { imports, sources, bytes } = await contentsOf(entry, 'postgres');
    for (const module of POSTGRES_MODULES) {
      expect(imports.has(module), module).toBe(false);
      expect(inBundle(sources, module), module).toBe(true);
    }
    // The runtime's SDK clients stay external as on DynamoDB.
    expect(imports).toContain('@aws-sdk/client-dynamodb');
    expect(bytes).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });
});
