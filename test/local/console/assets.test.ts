import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildConsole,
  ConsoleBuildError,
  consoleAssets,
} from '../../../src/local/console/assets.ts';

const text = (body: string | Uint8Array | undefined) =>
  typeof body === 'string' ? body : new TextDecoder().decode(body);

describe('the console assets', () => {
  it('serves the page at / and the bundled app.js and app.css; anything else is not found', async () => {
    const serve = await consoleAssets();
    const page = await serve('/');
    expect(page?.contentType).toBe('text/html; charset=utf-8');
    expect(text(page?.body)).toContain('<script type="module" src="/_console/assets/app.js">');
    expect(text(page?.body)).toContain('href="/_console/assets/app.css"');
    const js = await serve('/_console/assets/app.js');
    expect(js?.contentType).toBe('text/javascript; charset=utf-8');
    // Observable Plot is in the bundle: nothing is loaded from elsewhere.
    expect(text(js?.body)).not.toMatch(/from\s*["']https?:/);
    expect(text(js?.body).length).toBeGreaterThan(10_000);
    expect((await serve('/_console/assets/app.css'))?.contentType).toBe('text/css; charset=utf-8');
    expect(await serve('/_console/assets/missing.js')).toBeUndefined();
    expect(await serve('/elsewhere')).toBeUndefined();
  });

  it('serves the page’s icon at /favicon.ico too: the same SVG, said to be one', async () => {
    const serve = await consoleAssets();
    const linked = await serve('/_console/assets/favicon.svg');
    expect(linked?.contentType).toBe('image/svg+xml');
    expect(text(linked?.body)).toMatch(/^<svg /);
    expect(await serve('/favicon.ico')).toEqual(linked);
  });

  it('fails with CONSOLE_BUILD_FAILED naming the file and line when the console does not build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-build-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'tsconfig.json'), '{}');
      writeFileSync(join(dir, 'src/main.ts'), 'const ok = 1;\nconst broken = ;\n');
      const failure = await buildConsole(dir).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConsoleBuildError);
      expect(failure).toMatchObject({ code: 'CONSOLE_BUILD_FAILED' });
      expect(String(failure)).toMatch(/main\.ts:2: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
