// Extension pages in tests: the tab id the extension knows a page by, and the
// devtools panel opened for it (chrome.devtools stands in as `?tabId=`).

import type { Page, Worker } from 'playwright-core';
import type { ExtensionBrowser } from './chromium';

export async function tabIdOf(bg: Worker, url: string): Promise<number> {
  return bg.evaluate(async (u) => {
    const [tab] = await chrome.tabs.query({ url: u.replace(/#.*$/, '') });
    if (!tab?.id) throw new Error(`no tab with ${u}`);
    return tab.id;
  }, url);
}

export interface OpenedPage {
  page: Page;
  /** uncaught errors and dialogs seen on the page */
  errors: string[];
  dialogs: string[];
}

export async function openExtensionPage(browser: ExtensionBrowser, path: string, viewport = { width: 1280, height: 800 }): Promise<OpenedPage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // what the extension's CSP refused (Chromium reports it on the console only)
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('Content Security Policy')) errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize(viewport);
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return { page, errors, dialogs };
}

/** The points each chart on the page draws, by `group/chart` (see Chart.tsx: data-points). */
export async function chartPoints(page: Page): Promise<Record<string, number>> {
  return page.evaluate(readChartPoints);
}

/** chartPoints, run in the page (any driver's evaluate). */
export function readChartPoints(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of document.querySelectorAll<HTMLElement>('[data-group]')) {
    for (const c of g.querySelectorAll<HTMLElement>('[data-chart]')) {
      const plot = c.querySelector<HTMLElement>('.chart-plot');
      out[`${g.dataset.group}/${c.dataset.chart}`] = Number(plot?.dataset.points ?? 0);
    }
  }
  return out;
}
