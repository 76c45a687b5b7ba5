// Extension pages in tests: the tab id the extension knows a page by, and the
// devtools panel opened for it (chrome.devtools stands in as `?tabId=`).

import type { Page, Worker } from 'playwright-core';
import { expect } from 'vitest';
import type { ExtensionBrowser } from './chromium';
import { waitFor } from './wait';

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

/** What the chart checks need of a page, in playwright and in puppeteer alike. */
export interface ChartPage {
  click(selector: string): Promise<void>;
  waitForSelector(selector: string): Promise<unknown>;
  evaluate(fn: () => Record<string, number>): Promise<Record<string, number>>;
  $$eval(selector: string, fn: (els: Element[]) => string[]): Promise<string[]>;
}

/**
 * Shows connection `pc` and waits until every chart it draws has at least 10
 * points; checks the groups a person expects (connection first, then sent and
 * received audio and video). Returns the points per chart.
 */
export async function chartsOfConnectionFill(page: ChartPage, pc: string): Promise<Record<string, number>> {
  await page.click(`button[data-connection="${pc}"]`);
  await page.waitForSelector(`section.connection[data-connection="${pc}"] [data-chart]`);
  const first = await waitFor(
    async () => {
      const points = await page.evaluate(readChartPoints);
      return Object.values(points).length > 0 && Object.values(points).every((n) => n >= 10) ? points : null;
    },
    `every chart of ${pc} to have 10 points`,
    { timeoutMs: 40000 },
  );
  const groups = await page.$$eval('[data-group] h3', (els) => els.map((e) => e.textContent ?? ''));
  expect(groups[0]).toContain('Connection');
  for (const title of ['Sending audio', 'Sending video', 'Receiving audio', 'Receiving video']) {
    expect(groups.some((g) => g.startsWith(title)), title).toBe(true);
  }
  expect(Object.keys(first)).toEqual(expect.arrayContaining(['connection/bitrate', 'connection/rtt']));
  return first;
}

/** Waits until every chart of `first` has more points than then (the call runs on), and no chart came or went. */
export async function chartsGrow(page: ChartPage, pc: string, first: Record<string, number>): Promise<void> {
  const grown = await waitFor(
    async () => {
      const points = await page.evaluate(readChartPoints);
      return Object.entries(first).every(([k, n]) => (points[k] ?? 0) > n) ? points : null;
    },
    `every chart of ${pc} to grow`,
    { timeoutMs: 20000 },
  );
  expect(Object.keys(grown).sort()).toEqual(Object.keys(first).sort());
}
