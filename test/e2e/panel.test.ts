// The devtools panel during a live call (headless Chromium): both connections,
// default charts that fill and grow, the offer/answer in the event log, the
// selected candidate pair in the grid; and a hostile page whose strings carry
// markup, which must come out as text.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { waitFor } from '../support/wait';
import { getSessionTrace, listSessions } from '../support/trace';
import { chartPoints, chartsGrow, chartsOfConnectionFill, openExtensionPage, tabIdOf, type OpenedPage } from '../support/ui';
import { completeStatsSamples } from '../../src/core/session';
import { exportText } from '../../src/core/export';
import { callReaches } from '../support/call-page';

const SCREENSHOTS = resolve(import.meta.dirname, '../../out/screenshots');

let server: PageServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await servePages();
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the devtools panel during a live two-connection call', () => {
  let panel: OpenedPage;
  let url: string;

  beforeAll(async () => {
    const page = await browser.context.newPage();
    url = `${server.origin}/call.html?seconds=90`;
    await page.goto(url);
    await callReaches(page, 'connected');
    const tabId = await tabIdOf(await browser.background(), url);
    panel = await openExtensionPage(browser, `src/ui/panel/panel.html?tabId=${tabId}`);
  }, 60000);

  it('shows both connections', async () => {
    await panel.page.waitForSelector('button[data-connection="PC_1"]', { timeout: 20000 });
    const tabs = await panel.page.$$eval('nav.conn-tabs button[data-connection]', (els) => els.map((e) => (e as HTMLElement).dataset.connection));
    expect(tabs).toEqual(['PC_0', 'PC_1']);
  });

  for (const pc of ['PC_0', 'PC_1']) {
    it(`draws every default chart of ${pc} with at least 10 points, growing while the call runs`, async () => {
      const { page } = panel;
      const first = await chartsOfConnectionFill(page, pc);
      await chartsGrow(page, pc, first);
      if (pc === 'PC_0') {
        await page.screenshot({ path: resolve(SCREENSHOTS, 'panel-live-light.png') });
      }
    }, 90000);
  }

  it('lists the offer and the answer in the event log', async () => {
    const { page } = panel;
    await page.click('button[data-connection="PC_0"]');
    await page.click('[data-tab=events]');
    const rows = await page.$$eval('.log-row', (els) =>
      els.map((e) => ({ method: (e as HTMLElement).dataset.method, summary: e.querySelector('.log-summary')?.textContent ?? '' })),
    );
    expect(rows.find((r) => r.method === 'setLocalDescription')?.summary).toMatch(/^offer · audio sendrecv, video sendrecv/);
    expect(rows.find((r) => r.method === 'setRemoteDescription')?.summary).toMatch(/^answer · audio sendrecv, video sendrecv/);
    // an SDP folds open per m-section
    await page.click('.log-row[data-method="setLocalDescription"] .log-line');
    const sections = await page.$$eval('.log-row[data-method="setLocalDescription"] .sdp-section summary', (els) => els.map((e) => e.textContent));
    expect(sections).toEqual(['session', expect.stringMatching(/^m=audio · mid 0 · sendrecv · opus/), expect.stringMatching(/^m=video · mid 1 · sendrecv · VP8/)]);
  });

  it('shows the selected candidate pair in the grid, the one the stats name', async () => {
    const { page } = panel;
    await page.click('[data-tab=ice]');
    const selected = await page.$$eval('tr[data-selected="true"]', (els) => els.map((e) => (e as HTMLElement).dataset.pair));
    expect(selected).toHaveLength(1);
    const bg = await browser.background();
    const session = (await listSessions(bg)).find((s) => s.url === url)!;
    const { events } = await getSessionTrace(bg, session.id);
    let named: string | undefined;
    for (const { event, sample } of completeStatsSamples(events)) {
      if (event.pc !== 'PC_0') continue;
      const transport = Object.values(sample).find((r) => r.type === 'transport');
      named = transport?.selectedCandidatePairId as string | undefined;
    }
    expect(selected[0]).toBe(named);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'panel-ice-light.png') });
  });

  it('shows the session verdict and each connection\'s scores with the numbers behind them', async () => {
    const { page } = panel;
    await page.click('[data-tab=charts]');
    const verdict = await page.waitForSelector('[data-verdict]', { timeout: 20000 });
    expect(await verdict.getAttribute('data-verdict')).toMatch(/^(good|fair)$/); // a clean loopback call
    const mos = await page.waitForSelector('[data-field=scores] [data-score="Audio MOS"]');
    const value = Number((await mos.innerText()).replace(/^Audio MOS\s*/, '').replace(/\/4\.5$/, ''));
    expect(value).toBeGreaterThanOrEqual(4);
    expect(await mos.getAttribute('title')).toMatch(/rttMs|lossPercent|delay/i);
  });

  it('renders in the dark theme too, and raised no error', async () => {
    const { page } = panel;
    await page.goto(page.url().replace(/&theme=\w+|$/, '&theme=dark'));
    await page.waitForSelector('[data-chart]');
    await waitFor(async () => Object.values(await chartPoints(page)).every((n) => n >= 10) || null, 'charts after reload');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'panel-live-dark.png') });
    await page.setViewportSize({ width: 420, height: 800 });
    await page.screenshot({ path: resolve(SCREENSHOTS, 'panel-narrow-dark.png') });
    expect(panel.errors).toEqual([]);
  });
});

describe('observations in the viewer', () => {
  it('lists the disruption of a real dump and jumps to its moment on the charts', async () => {
    const viewer = await openExtensionPage(browser, 'src/ui/viewer/viewer.html');
    const file = resolve(import.meta.dirname, '../../../shared/fixtures/dumps/jitsi/chrome-standard-pc-reconnect.jsonl');
    await viewer.page.locator('input[type=file]').setInputFiles(file);
    const item = await viewer.page.waitForSelector('[data-observation="ice-disconnected"] button', { state: 'attached', timeout: 30000 });
    await viewer.page.$eval('details.analysis', (d) => ((d as HTMLDetailsElement).open = true));
    await item.click();
    // the observation's time as its row shows it (local clock), and the range the charts show now
    const obsTime = await viewer.page.$eval('[data-observation="ice-disconnected"] .obs-time', (e) => e.textContent ?? '');
    const [xMin, xMax] = await viewer.page.$eval('[data-chart] .chart-plot', (el) => [Number((el as HTMLElement).dataset.xMin), Number((el as HTMLElement).dataset.xMax)] as const);
    const shown = new Date(((xMin + xMax) / 2) * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(`${pad(shown.getHours())}:${pad(shown.getMinutes())}:${pad(shown.getSeconds())}`).toBe(obsTime.slice(0, 8));
    expect(xMax - xMin).toBeLessThanOrEqual(61); // a window around it, not the whole call
    expect(viewer.errors).toEqual([]);
  }, 60000);
});

/** No element made from page strings: no image at all, only the extension's own module scripts; no dialog, no error. */
async function expectNoMarkup(opened: OpenedPage): Promise<void> {
  const elements = await opened.page.evaluate(() => ({
    images: document.querySelectorAll('img').length,
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
  }));
  expect(elements.images).toBe(0);
  expect(elements.scripts.every((src) => src !== null && src.startsWith('/assets/'))).toBe(true);
  expect(opened.dialogs).toEqual([]);
  expect(opened.errors).toEqual([]);
}

describe('a hostile page', () => {
  it('has its markup shown as text in the panel, popup and viewer, never as elements, and no dialog', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/hostile.html#<img src=x onerror=alert(3)>`;
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state !== 'idle');
    expect(await page.evaluate(() => (window as unknown as { call: { state: string } }).call.state)).toBe('started');
    const tabId = await tabIdOf(await browser.background(), `${server.origin}/hostile.html`);
    const panel = await openExtensionPage(browser, `src/ui/panel/panel.html?tabId=${tabId}`);
    const p = panel.page;
    await p.waitForSelector('button[data-connection="PC_0"]', { timeout: 20000 });
    // every view, every row opened, every SDP section unfolded
    await p.click('[data-tab=events]');
    await waitFor(async () => (await p.$$('.log-row[data-method="createDataChannel"]')).length > 0 || null, 'the data channel in the log');
    for (const row of await p.$$('.log-line')) await row.click();
    for (const s of await p.$$('.sdp-section')) await s.evaluate((d) => ((d as HTMLDetailsElement).open = true));
    const text = await p.evaluate(() => document.body.textContent ?? '');
    expect(text).toContain('<img src=x onerror=alert(1)><script>alert(2)</script>'); // the data channel label and the SDP line, as text
    expect(text).toContain('a=x-note:<img src=x onerror=alert(1)>');
    const header = await p.textContent('.session-url');
    expect(header).toContain('hostile.html#');
    for (const tab of ['ice', 'stats', 'charts']) await p.click(`[data-tab=${tab}]`);
    await p.click('nav.conn-tabs button:has-text("Media")');
    await expectNoMarkup(panel);

    // the popup and the viewer's list show the page's title and address
    const popup = await openExtensionPage(browser, 'src/ui/popup/popup.html', { width: 420, height: 600 });
    await popup.page.waitForSelector('li.session');
    expect(await popup.page.textContent('body')).toContain('<img src=x onerror=alert(1)> hostile page');
    await expectNoMarkup(popup);
    const viewer = await openExtensionPage(browser, 'src/ui/viewer/viewer.html');
    await waitFor(async () => ((await viewer.page.textContent('body')) ?? '').includes('<img src=x onerror=alert(1)> hostile page') || null, 'the session in the viewer list, its title as text');
    await expectNoMarkup(viewer);

    // the same session with a device label carrying markup (fake devices have fixed labels), opened as a dump
    const bg = await browser.background();
    const session = (await listSessions(bg)).find((s) => s.url.includes('hostile.html'))!;
    const dump = await getSessionTrace(bg, session.id);
    dump.events.push({
      sessionId: session.id, frame: 0, seq: 1e6, t: dump.events.at(-1)!.t, method: 'navigator.mediaDevices.getUserMediaOnSuccess', pc: null,
      value: [['audio', 'a1', '<img src=x onerror=alert(4)><script>alert(5)</script>', {}]], extra: ['gum-9'],
    });
    const file = resolve(SCREENSHOTS, 'hostile.rtcstats.jsonl');
    await writeFile(file, exportText(dump, 'rtcstats'));
    await viewer.page.locator('input[type=file]').setInputFiles(file);
    await viewer.page.waitForSelector('button[data-connection="PC_0"]', { timeout: 20000 });
    await viewer.page.click('nav.conn-tabs button:has-text("Media")');
    for (const d of await viewer.page.$$('details')) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
    const mediaText = (await viewer.page.textContent('body')) ?? '';
    expect(mediaText).toContain('<img src=x onerror=alert(4)><script>alert(5)</script>');
    await viewer.page.click('button[data-connection="PC_0"]');
    await viewer.page.click('[data-tab=events]');
    for (const row of await viewer.page.$$('.log-line')) await row.click();
    await expectNoMarkup(viewer);
  }, 90000);
});
