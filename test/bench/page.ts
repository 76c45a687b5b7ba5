// Runs a bench page in headless Chromium: bundles `entry` with esbuild, serves
// it on 127.0.0.1 and returns what the page puts in `window.bench`.

import { build } from 'esbuild';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';

export interface BenchPage {
  /** the page's script, a .ts or .tsx file */
  entry: string;
  /** more scripts built beside it (workers the page starts by file name) */
  workers?: string[];
  /** markup before the script, e.g. stylesheets and the element the page renders into */
  body?: string;
  /** files copied beside the page (stylesheets) */
  files?: string[];
  /** where the page's main thread profile goes (DevTools protocol Profiler), if anywhere */
  profileFile?: string;
}

export async function runBenchPage<T>(page: BenchPage): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-bench-'));
  try {
    await build({
      entryPoints: [page.entry, ...(page.workers ?? [])],
      bundle: true,
      format: 'esm',
      outdir: dir,
      entryNames: '[name]', // flat: the page names its workers by file name
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    for (const file of page.files ?? []) await copyFile(file, join(dir, basename(file)));
    const script = basename(page.entry).replace(/\.tsx?$/, '.js');
    await writeFile(join(dir, 'bench.html'), `<!doctype html><meta charset="utf-8">${page.body ?? ''}<script type="module" src="${script}"></script>`);
    const server = await servePages(dir);
    // --expose-gc: a bench may start each measurement from a collected heap (globalThis.gc)
    const browser = await launchWithExtension({ withExtension: false, extraArgs: ['--js-flags=--expose-gc'] });
    try {
      const tab = await browser.context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await tab.setViewportSize({ width: 1280, height: 800 });
      const cdp = page.profileFile ? await browser.context.newCDPSession(tab) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await tab.goto(`${server.origin}/bench.html`);
      await tab.waitForFunction(() => 'bench' in window || null, null, { timeout: 300_000 }).catch(() => undefined);
      const figures = (await tab.evaluate(() => (window as unknown as { bench?: Promise<unknown> }).bench).catch((e: unknown) => {
        errors.push(e instanceof Error ? e.message : String(e));
        return undefined;
      })) as T | undefined;
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(page.profileFile!, JSON.stringify(profile));
      }
      if (!figures) throw new Error(`the bench page ${basename(page.entry)} failed: ${errors.join('; ') || 'no result'}`);
      return figures;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const benchFile = (name: string): string => resolve(import.meta.dirname, name);
