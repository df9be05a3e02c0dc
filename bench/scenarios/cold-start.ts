/**
 * Cold start: each function's deployed bundle (the stack's esbuild settings) and its
 * module-initialisation time, against a bare bundle that only creates a document client.
 * Init is timed in a fresh Node process per sample (`import()` of the bundle), alternating
 * function and baseline so both see the same machine noise.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import {
  BUNDLE_BUDGET_BYTES,
  deployedFunctions,
  esbuildOptions,
  functionEntry,
  PROJECT_ROOT,
} from '../../infra/bundling.ts';
import type { BenchContext, ScenarioResult } from '../context.ts';
import { percentile } from '../measure.ts';
import type { Row } from '../report.ts';

const SAMPLES = 9;
// Under the project, so the runtime-provided modules (@aws-sdk/*) resolve from node_modules.
const OUT = join(PROJECT_ROOT, 'cdk.out', 'bench-cold-start');

const bundle = async (name: string, entry: string): Promise<{ file: string; bytes: number }> => {
  const file = join(OUT, name, 'index.mjs');
  await build({ ...esbuildOptions(entry), outfile: file, write: true });
  return { file, bytes: (await stat(file)).size };
};

const initMs = async (file: string): Promise<number> => {
  const script = `const s = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - s));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      env: { ...process.env, AWS_REGION: 'local' },
    },
  );
  return Number(stdout);
};

export const coldStartScenario = async (context: BenchContext): Promise<ScenarioResult> => {
  if (context.dynamo === undefined) {
    // The bundles are the same whatever the engine (`DATABASE_URL` picks it at run time,
    // src/adapters/connect.ts), and module init opens no connection: the rows would repeat
    // the DynamoDB engine's. Connecting is the first query's cost, in each p95 above.
    return {
      rows: [],
      notes: [
        `Cold start is not repeated on ${context.engine}: each function's bundle and its module initialisation are the same on every engine (the engine is chosen at run time from \`DATABASE_URL\`, and no connection is opened at init), so the rows would repeat the DynamoDB section's; the pool's first connection is paid by the first statement of an invocation.`,
      ],
      raw: {},
    };
  }
  context.log('cold start: bundles and module initialisation');
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const bare = await bundle('bare', join(PROJECT_ROOT, 'bench', 'bare-handler.ts'));
  const rows: Row[] = [];
  const raw: Record<string, unknown> = { bare: { bytes: bare.bytes } };
  for (const name of deployedFunctions()) {
    const fn = await bundle(name, functionEntry(name));
    const own: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      own.push(await initMs(fn.file));
      base.push(await initMs(bare.file));
    }
    const median = percentile(own, 50);
    const bareMedian = percentile(base, 50);
    raw[name] = { bytes: fn.bytes, initMs: own, bareInitMs: base };
    rows.push(
      {
        section: `cold start: ${name}`,
        figure: 'bundle (minified)',
        value: `${(fn.bytes / 1024).toFixed(1)} KB`,
        comparison: `bare ${(bare.bytes / 1024).toFixed(1)} KB`,
        ratio: `+${((fn.bytes - bare.bytes) / 1024).toFixed(1)} KB`,
        target: '<= 400 KB',
        met: fn.bytes <= BUNDLE_BUDGET_BYTES,
      },
      {
        section: `cold start: ${name}`,
        figure: 'module init (median of 9)',
        value: `${median.toFixed(1)} ms`,
        comparison: `bare ${bareMedian.toFixed(1)} ms`,
        ratio: `${(median / bareMedian).toFixed(2)}x`,
        target: '<= 1.3x bare',
        met: median / bareMedian <= 1.3,
      },
    );
  }
  await rm(OUT, { recursive: true, force: true });
  return {
    rows,
    notes: [
      "Bundles leave out @aws-sdk/* (the nodejs22.x runtime provides it, see docs/deployment.md), the same for the functions and the bare baseline; init is the time of `import()` of the bundle in a fresh Node process, the runtime's own start excluded.",
    ],
    raw,
  };
};
