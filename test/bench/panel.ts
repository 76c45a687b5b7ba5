// Runs test/bench/panel-page.tsx in headless Chromium and returns its figures.

import { join, resolve } from 'node:path';
import { benchFile, runBenchPage } from './page';

export interface PanelFigures {
  events: number;
  charts: number;
  baselineMs: number;
  openEndedMs: number;
  openLiveMs: number;
  updateMedianMs: number;
  updates: number;
}

export function measurePanel(): Promise<PanelFigures> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  return runBenchPage<PanelFigures>({
    entry: benchFile('panel-page.tsx'),
    files: [resolve(import.meta.dirname, '../../src/ui/shared/theme.css')],
    body: '<link rel="stylesheet" href="theme.css"><link rel="stylesheet" href="panel-page.css"><div id="app" style="width:1280px"></div>',
    profileFile: profileDir ? join(profileDir, 'panel.cpuprofile') : undefined,
  });
}
