/**
 * The bundle budget (`npm run bundle:budget`): bundles every function of the catalogue with the
 * stack's own esbuild settings, prints each minified bundle's size, and exits 1 when one
 * is over 400 KiB (the source map is not counted: it is only read when an error is
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
} from '../infra/bundling.ts';

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
  const width = Math.max(...names.map((name) => name.length));
  let over = 0;
  for (const name of names) {
    const result = await build({ ...esbuildOptions(functionEntry(name)), metafile: true });
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
      `\nbundle budget: ${over} of ${names.length} functions over ${kib(BUNDLE_BUDGET_BYTES)}`,
    );
    return 1;
  }
  console.log(`\nbundle budget: all ${names.length} functions within ${kib(BUNDLE_BUDGET_BYTES)}`);
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
