/**
 * The initial JavaScript budget: build the console with Vite into a temporary directory and add up the
 * gzip size of the JavaScript the entry HTML loads before anything is clicked: the entry module, the
 * modules it imports statically (transitively) and any modulepreload. Lazy chunks (screens, charts,
 * dagre) do not count.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const BUDGET_BYTES = 250 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'mfc-console-budget-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Static imports in a built chunk (`import{x}from"./a.js"`, `import"./b.js"`), not dynamic `import(`. */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!);
  return out;
}

function initialScripts(html: string): string[] {
  const srcs = [...html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  return [...srcs, ...preloads];
}

describe('bundle budget', () => {
  it('finds static imports and skips dynamic ones', () => {
    expect(staticImports('import{a as b}from"./client-1.js";import"./x.js";const c=()=>import("./lazy.js")')).toEqual([
      './client-1.js',
      './x.js',
    ]);
  });

  it(`loads at most ${BUDGET_BYTES / 1024} KB of gzipped JavaScript initially`, async () => {
    // Vitest runs with NODE_ENV=test, which would select React's development build: measure production.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        root,
        mode: 'production',
        configFile: join(root, 'vite.config.ts'),
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
    } finally {
      process.env.NODE_ENV = env;
    }
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const queue = initialScripts(html).map((src) => join(outDir, src.replace(/^\//, '')));
    expect(queue.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    let total = 0;
    const sizes: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(file);
      const gz = gzipSync(code, { level: 9 }).length;
      total += gz;
      sizes.push(`${file.slice(outDir.length + 1)} ${(gz / 1024).toFixed(1)} KB`);
      for (const spec of staticImports(code.toString('utf8')))
        if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
    }
    console.log(`initial JS (gzip): ${(total / 1024).toFixed(1)} KB\n  ${sizes.join('\n  ')}`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  }, 120_000);
});
