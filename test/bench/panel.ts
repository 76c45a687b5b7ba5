// Runs test/bench/panel-page.tsx in headless Chromium and returns its figures.

import { build } from 'esbuild';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchWithExtension } from '../support/chromium';
import { servePages } from '../support/server';

export interface PanelFigures {
  events: number;
  charts: number;
  baselineMs: number;
  openEndedMs: number;
  openLiveMs: number;
  updateMedianMs: number;
  updates: number;
}

export async function measurePanel(): Promise<PanelFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-bench-'));
  try {
    await build({
      entryPoints: [resolve(import.meta.dirname, 'panel-page.tsx')],
      bundle: true,
      format: 'esm',
      outdir: dir,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    await copyFile(resolve(import.meta.dirname, '../../src/ui/shared/theme.css'), join(dir, 'theme.css'));
    await writeFile(
      join(dir, 'panel.html'),
      '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="theme.css">' +
        '<link rel="stylesheet" href="panel-page.css"><div id="app" style="width:1280px"></div><script type="module" src="panel-page.js"></script>',
    );
    const server = await servePages(dir);
    const browser = await launchWithExtension({ withExtension: false });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.setViewportSize({ width: 1280, height: 800 });
      // BENCH_PROFILE_DIR: the page's main thread sampled by the DevTools protocol Profiler (panel.cpuprofile)
      const profileDir = process.env.BENCH_PROFILE_DIR;
      const cdp = profileDir ? await browser.context.newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.goto(`${server.origin}/panel.html`);
      await page.waitForFunction(() => 'bench' in window || null, null, { timeout: 120000 }).catch(() => undefined);
      const figures = (await page.evaluate(() => (window as unknown as { bench?: Promise<unknown> }).bench)) as PanelFigures | undefined;
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        await writeFile(join(profileDir!, 'panel.cpuprofile'), JSON.stringify(profile));
      }
      if (!figures) throw new Error(`the panel bench page failed: ${errors.join('; ') || 'no result'}`);
      return figures;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

