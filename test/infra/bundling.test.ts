import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleSettings,
  esbuildOptions,
  functionEntry,
  nodejsBundling,
  PROJECT_ROOT,
} from '../../infra/bundling.ts';
import { resourcesOf, type Synthesized, synth } from './support.ts';

describe('bundling', () => {
  it('the stack and the budget bundle with the same settings', () => {
    const cdk = nodejsBundling();
    const esbuild = esbuildOptions(functionEntry('calc_all_stats'));
    expect(cdk).toMatchObject({
      forceDockerBundling: false,
      format: 'esm',
      target: esbuild.target,
      minify: esbuild.minify,
      sourceMap: esbuild.sourcemap,
      sourcesContent: esbuild.sourcesContent,
      mainFields: esbuild.mainFields,
      externalModules: esbuild.external,
      banner: esbuild.banner?.js,
    });
    expect(esbuild).toMatchObject({ format: 'esm', platform: 'node', bundle: true });
    expect(bundleSettings.mainFields).toEqual(['module', 'main']);
  });

  describe('a real esbuild bundle, as `cdk synth` makes it (local, no Docker)', () => {
    // Inside the project, so the bundle's external `@aws-sdk/*` imports resolve from
    // node_modules when it is loaded below, as they resolve from the runtime on Lambda.
    mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
    const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'test-'));
    let synthesized: Synthesized;
    let assetDir: string;
    beforeAll(() => {
      synthesized = synth({ functionNames: ['calc_class_stats'], bundle: true, outdir });
      synthesized.app.synth();
      const [fn] = Object.values(resourcesOf(synthesized.template, 'AWS::Lambda::Function'));
      if (fn === undefined) throw new Error('no function synthesized');
      const key = String((fn.Properties.Code as { S3Key: string }).S3Key);
      assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    });
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('is minified ESM with a source map, handler index.handle', () => {
      const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      expect(code.startsWith(bundleSettings.banner)).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*\bas handle\b[^}]*\}/);
      expect(code).toContain('//# sourceMappingURL=index.mjs.map');
      // Minified: long lines (only template literals keep their line breaks).
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      // The runtime's SDK is used, not a bundled copy.
      expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
      synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handle',
        Runtime: 'nodejs22.x',
      });
    });

    it('loads as an ES module and exports the handle function', async () => {
      const bundle = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
        handle?: unknown;
      };
      expect(typeof bundle.handle).toBe('function');
    });
  });
});
