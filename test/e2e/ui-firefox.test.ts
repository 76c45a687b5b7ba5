// The extension's pages in headless Firefox ESR (puppeteer-core over WebDriver
// BiDi): the devtools panel page during a live two-connection call (both
// connections, charts that fill and grow, offer/answer, the selected pair,
// and a note naming the default charts Firefox's stats cannot feed), the
// support bundle (automation API and the popup's button, a real download)
// imported back, fixture dumps opened in the viewer with their charts, and the
// options page saving a change.
// Extension pages are opened through the automation page (test/support/firefox.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'puppeteer-core';
import { EXTENSION_DIR, getSessionTrace, launchFirefoxWithExtension, listSessions, type FirefoxWithExtension, type OpenedExtensionPage } from '../support/firefox';
import { servePages, type PageServer } from '../support/server';
import { chartsGrow, chartsOfConnectionFill, readChartPoints } from '../support/ui';
import { waitFor } from '../support/wait';
import { importDump } from '../../src/core/import';
import { exportDump } from '../../src/core/export';
import { syntheticSession } from '../../src/core/synthetic';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsReport } from '../../src/core/stats-delta';

const SCREENSHOTS = resolve(import.meta.dirname, '../../out/screenshots');
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/dumps');

let server: PageServer;
let firefox: FirefoxWithExtension;
let automation: Page;
let downloads: string;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  downloads = await mkdtemp(join(tmpdir(), 'webrtc-lens-downloads-'));
  server = await servePages();
  firefox = await launchFirefoxWithExtension(server.origin, { downloadDir: downloads });
  automation = await firefox.automation();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const chartPoints = (page: Page) => page.evaluate(readChartPoints);

/** The "not in this connection's stats" note of each chart group, by group key. */
const unavailableNotes = (page: Page): Promise<Record<string, string[]>> =>
  page.$$eval('[data-group]', (groups) =>
    Object.fromEntries(groups.map((g) => [(g as HTMLElement).dataset.group, (g.querySelector('[data-unavailable]') as HTMLElement | null)?.dataset.unavailable?.split('|') ?? []])),
  );

/** Clicks the button whose text is `text` (inside `scope`). */
async function clickButton(page: Page, text: string, scope = 'body'): Promise<void> {
  const button = await page.waitForSelector(`${scope} ::-p-text(${text})`, { timeout: 15000 });
  await button!.click();
}

describe('a live two-connection call in Firefox', () => {
  let callUrl: string;
  let sessionId: string;
  let panelPath: string;
  let panel: OpenedExtensionPage;

  beforeAll(async () => {
    const call = await firefox.browser.newPage();
    callUrl = `${server.origin}/call.html?seconds=150`;
    await call.goto(callUrl);
    await call.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state === 'connected', { timeout: 30000 });
    const session = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === callUrl), 'the call session');
    sessionId = session.id;
    panelPath = `src/ui/panel/panel.html?tabId=${session.tabId}`;
    panel = await firefox.extensionPage(panelPath);
  }, 60000);

  it('the panel shows both connections', async () => {
    await panel.page.waitForSelector('button[data-connection="PC_1"]', { timeout: 20000 });
    const tabs = await panel.page.$$eval('nav.conn-tabs button[data-connection]', (els) => els.map((e) => (e as HTMLElement).dataset.connection));
    expect(tabs).toEqual(['PC_0', 'PC_1']);
  });

  for (const pc of ['PC_0', 'PC_1']) {
    it(`draws every default chart of ${pc} that Firefox's stats feed, with at least 10 points, growing`, async () => {
      const { page } = panel;
      const first = await chartsOfConnectionFill(page, pc); // Firefox 128+ reports bitrate and RTT like Chrome
      for (const [group, charts] of [
        ['outbound audio', ['bitrate', 'packets', 'loss', 'rtt', 'jitter']],
        ['outbound video', ['bitrate', 'packets', 'loss', 'rtt', 'jitter', 'fps', 'resolution', 'encode']],
        ['inbound video', ['bitrate', 'packets', 'loss', 'jitter', 'jb', 'fps', 'resolution', 'freeze']],
        ['inbound audio', ['bitrate', 'packets', 'loss', 'jitter', 'jb', 'concealment', 'level']],
      ] as const) {
        const id = await page.$$eval('[data-group]', (els, g) => {
          const [dir, kind] = g.split(' ');
          const title = `${dir === 'outbound' ? 'Sending' : 'Receiving'} ${kind}`;
          return (els.find((e) => e.querySelector('h3')?.textContent?.startsWith(title)) as HTMLElement | undefined)?.dataset.group;
        }, group);
        expect(charts.filter((c) => !(`${id}/${c}` in first)), group).toEqual([]);
      }

      // What the notes say Firefox lacks is what its raw stats lack.
      const { events } = await getSessionTrace(automation, sessionId);
      const reports: StatsReport[] = [];
      for (const { event, sample } of completeStatsSamples(events)) if (event.pc === pc) reports.push(...Object.values(sample));
      const anyHas = (type: string, names: string[], kind?: string) =>
        reports.some((r) => r.type === type && (kind === undefined || r.kind === kind) && names.some((n) => n in r));
      const notes = await unavailableNotes(page);
      expect(notes.connection).toEqual(
        [
          ['Bitrate', anyHas('candidate-pair', ['bytesSent', 'bytesReceived'])],
          ['Round-trip time (STUN)', anyHas('candidate-pair', ['currentRoundTripTime'])],
          ['Packets', anyHas('candidate-pair', ['packetsSent', 'packetsReceived'])],
        ]
          .filter(([, present]) => !present)
          .map(([title]) => title),
      );
      const qlrNote = await page.$$eval('[data-group]', (els) =>
        (els.find((e) => e.querySelector('h3')?.textContent?.startsWith('Sending video')) as HTMLElement | undefined)?.querySelector<HTMLElement>('[data-unavailable]')?.dataset.unavailable ?? '',
      );
      expect(qlrNote.split('|').includes('Quality limitation')).toBe(!anyHas('outbound-rtp', ['qualityLimitationReason'], 'video'));

      await chartsGrow(page, pc, first);
      if (pc === 'PC_0') await page.screenshot({ path: join(SCREENSHOTS, 'panel-firefox.png') });
    }, 90000);
  }

  it('lists the offer and the answer in the event log, and the selected pair the stats name', async () => {
    const { page } = panel;
    await page.click('button[data-connection="PC_0"]');
    await page.click('[data-tab=events]');
    await page.waitForSelector('.log-row[data-method="setRemoteDescription"]');
    const rows = await page.$$eval('.log-row', (els) =>
      els.map((e) => ({ method: (e as HTMLElement).dataset.method, summary: e.querySelector('.log-summary')?.textContent ?? '' })),
    );
    expect(rows.find((r) => r.method === 'setLocalDescription')?.summary).toMatch(/^offer · audio sendrecv, video sendrecv/);
    expect(rows.find((r) => r.method === 'setRemoteDescription')?.summary).toMatch(/^answer · audio sendrecv, video sendrecv/);

    await page.click('[data-tab=ice]');
    await page.waitForSelector('tr[data-pair]');
    const selected = await page.$$eval('tr[data-selected="true"]', (els) => els.map((e) => (e as HTMLElement).dataset.pair));
    expect(selected).toHaveLength(1);
    const { events } = await getSessionTrace(automation, sessionId);
    let named: string | undefined;
    for (const { event, sample } of completeStatsSamples(events)) {
      if (event.pc !== 'PC_0') continue;
      named = Object.values(sample).find((r) => r.type === 'transport')?.selectedCandidatePairId as string | undefined;
    }
    expect(selected[0]).toBe(named);
    await page.screenshot({ path: join(SCREENSHOTS, 'panel-firefox-ice.png') });
    await page.click('[data-tab=charts]');
    expect(await panel.errors()).toEqual([]);
  });

  it('renders in the dark theme, narrow', async () => {
    const dark = await firefox.extensionPage(`${panelPath}&theme=dark`, { width: 420, height: 800 });
    await dark.page.waitForSelector('[data-chart]', { timeout: 20000 });
    await waitFor(async () => Object.values(await chartPoints(dark.page)).every((n) => n >= 10) || null, 'charts in the dark panel');
    await dark.page.screenshot({ path: join(SCREENSHOTS, 'panel-firefox-narrow-dark.png') });
    expect(await dark.errors()).toEqual([]);
    await dark.page.close();
  });

  it('saves a support bundle (automation API) that imports back with both connections', async () => {
    const bundle = await automation.evaluate(
      (id) => (globalThis as unknown as { saveForSupport(id: string): Promise<{ fileName: string; base64: string }> }).saveForSupport(id),
      sessionId,
    );
    expect(bundle.fileName).toMatch(/^webrtc-127\.0\.0\.(1|x)-\d{8}-\d{6}\.zip$/);
    const files = unzipSync(new Uint8Array(Buffer.from(bundle.base64, 'base64')));
    const name = Object.keys(files).find((n) => n.endsWith('.rtcstats.jsonl.gz'));
    const back = await importDump(files[name!]!);
    expect(back.dump.session.connections.map((c) => c.id).sort()).toEqual(['PC_0', 'PC_1']);
  });

  it('"Save for support" in the popup downloads a zip that imports back with both connections', async () => {
    const popup = await firefox.extensionPage('src/ui/popup/popup.html', { width: 420, height: 720 });
    const item = `li.session[data-session="${sessionId}"]`;
    await popup.page.waitForSelector(item, { timeout: 15000 });
    await clickButton(popup.page, 'Save for support…', item);
    await clickButton(popup.page, 'Save zip', item);
    const status = await waitFor(
      () => popup.page.$eval(`${item} [role=status]`, (e) => e.textContent ?? '').then((t) => (/^Saved /.test(t) ? t : null), () => null),
      'the popup to say it saved',
    );
    const fileName = status.slice('Saved '.length);
    const file = await waitFor(async () => ((await readdir(downloads)).includes(fileName) ? join(downloads, fileName) : null), 'the download');
    // a finished download: Firefox writes `name.part` until done
    const bytes = await waitFor(async () => ((await readdir(downloads)).some((f) => f.endsWith('.part')) ? null : readFile(file)), 'the download to finish');
    const files = unzipSync(new Uint8Array(bytes));
    const name = Object.keys(files).find((n) => n.endsWith('.rtcstats.jsonl.gz'));
    expect(name).toBeDefined();
    const back = await importDump(files[name!]!);
    expect(back.dump.session.connections.map((c) => c.id).sort()).toEqual(['PC_0', 'PC_1']);
    await popup.page.screenshot({ path: join(SCREENSHOTS, 'popup-firefox.png') });
    expect(await popup.errors()).toEqual([]);
    await popup.page.close();
  }, 60000);
});

describe('the viewer in Firefox', () => {
  for (const [file, shot] of [
    ['jitsi/firefox-standard-stats-sfu.jsonl', 'viewer-firefox-dump-firefox.png'],
    ['internals/chrome147-two-pc-loopback.json', 'viewer-firefox-dump-chrome.png'],
  ] as const) {
    it(`opens ${file} and draws its charts`, async () => {
      const expected = await importDump(new Uint8Array(await readFile(join(FIXTURES, file))));
      const viewer = await firefox.extensionPage('src/ui/viewer/viewer.html');
      const input = await viewer.page.waitForSelector('input[type=file]');
      await input!.uploadFile(join(FIXTURES, file));
      await waitFor(
        () => viewer.page.$eval('.dump-info', (e) => e.textContent ?? '').then((t) => t.includes(file.split('/').at(-1)!), () => false),
        `${file} to open`,
      );
      expect(await viewer.page.$eval('.dump-info', (e) => (e as HTMLElement).dataset.format)).toBe(expected.format);
      const connections = await viewer.page.$$eval('nav.conn-tabs button[data-connection]', (els) => els.map((e) => (e as HTMLElement).dataset.connection));
      expect(connections).toEqual(expected.dump.session.connections.map((c) => c.id));
      await viewer.page.waitForSelector('[data-chart]');
      const points = await waitFor(async () => {
        const p = await viewer.page.evaluate(readChartPoints);
        return Object.keys(p).length > 0 && Object.values(p).every((n) => n > 0) ? p : null;
      }, 'every chart of the first connection to be drawn');
      expect(Object.keys(points)).toContain('connection/bitrate');
      const notes = await unavailableNotes(viewer.page);
      if (file.startsWith('jitsi/firefox')) {
        // Firefox 118 has no STUN RTT on its pairs and no quality limitation reason (see test/unit/view-charts-unavailable.test.ts)
        expect(notes.connection).toContain('Round-trip time (STUN)');
        expect(Object.values(notes).some((n) => n.includes('Quality limitation'))).toBe(true);
      } else {
        expect(Object.values(notes).flat()).toEqual([]);
      }
      await viewer.page.screenshot({ path: join(SCREENSHOTS, shot) });
      expect(await viewer.errors()).toEqual([]);
      await viewer.page.close();
    });
  }
  /** Opens a fixture in the viewer, clicks an Export button and returns the downloaded file's bytes (and what the fixture imports to). */
  async function exportOpened(file: string, button: string, name: RegExp): Promise<{ bytes: Uint8Array; expected: Awaited<ReturnType<typeof importDump>> }> {
    const path = resolve(FIXTURES, file); // (or an absolute path)
    const expected = await importDump(new Uint8Array(await readFile(path)));
    const viewer = await firefox.extensionPage('src/ui/viewer/viewer.html');
    const input = await viewer.page.waitForSelector('input[type=file]');
    await input!.uploadFile(path);
    await viewer.page.waitForSelector('[data-chart]');
    await clickButton(viewer.page, button, '.export-bar');
    const status = await waitFor(
      () => viewer.page.$eval('.export-bar [role=status]', (e) => e.textContent ?? '').then((t) => (/^(Saved|Could not)/.test(t) ? t : null), () => null),
      'the export to finish',
    );
    expect(status).toMatch(name);
    const fileName = status.slice('Saved '.length);
    const saved = await waitFor(async () => ((await readdir(downloads)).includes(fileName) ? join(downloads, fileName) : null), 'the download');
    const bytes = await waitFor(async () => ((await readdir(downloads)).some((f) => f.endsWith('.part')) ? null : readFile(saved)), 'the download to finish');
    expect(await viewer.errors()).toEqual([]);
    await viewer.page.close();
    return { bytes: new Uint8Array(bytes), expected };
  }
  const samples = (r: Awaited<ReturnType<typeof importDump>>) => [...completeStatsSamples(r.dump.events)].map(({ sample }) => sample);

  it('exports an opened dump as rtcstats .gz (compressed in a worker) that imports back the same', async () => {
    const { bytes, expected } = await exportOpened('internals/chrome147-two-pc-loopback.json', 'rtcstats .gz', /^Saved .*\.rtcstats\.jsonl\.gz$/);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const back = await importDump(bytes);
    expect(back.dump.session.connections.map((c) => c.id)).toEqual(expected.dump.session.connections.map((c) => c.id));
    expect(samples(back)).toEqual(samples(expected));
  });

  it('exports an opened 20-minute, 4-connection dump as CSV (a file of many Blob parts), byte for byte', async () => {
    const dump = syntheticSession({ connections: 4, minutes: 20, pollMs: 1000 });
    const dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-csv-'));
    try {
      const file = join(dir, 'twenty-minutes.rtcstats.jsonl');
      await writeFile(file, await exportDump(dump, 'rtcstats'));
      const { bytes } = await exportOpened(file, 'CSV', /^Saved .*\.stats\.csv$/);
      const expected = await exportDump(dump, 'csv');
      expect(expected.length).toBeGreaterThan(100e6);
      expect(bytes.length).toBe(expected.length);
      expect(Buffer.compare(bytes, expected)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('makes a support bundle of an opened dump (its dumps gzipped in a worker) whose two dumps import back the same', async () => {
    const { bytes, expected } = await exportOpened('internals/chrome147-two-pc-loopback.json', 'Support bundle', /^Saved webrtc-.*\.zip$/);
    const files = unzipSync(bytes);
    expect(Object.keys(files).map((n) => n.replace(/^.*\.(rtcstats\.jsonl\.gz|webrtc-internals\.json)$/, '$1')).sort()).toEqual(
      ['README.txt', 'REDACTED.txt', 'rtcstats.jsonl.gz', 'webrtc-internals.json'],
    );
    for (const name of Object.keys(files).filter((n) => n.endsWith('.gz') || n.endsWith('.json'))) {
      const back = await importDump(files[name]!);
      expect(back.dump.session.connections.map((c) => c.id), name).toEqual(expected.dump.session.connections.map((c) => c.id));
      expect(samples(back).length, name).toBe(samples(expected).length);
    }
  });
});


describe('the options page in Firefox', () => {
  it('saves a change, clamped, and shows the stored value after a reload', async () => {
    const options = await firefox.extensionPage('src/ui/options/options.html');
    const poll = await options.page.waitForSelector('#poll', { timeout: 15000 });
    // below the minimum: stored as the minimum
    await poll!.click({ count: 3 });
    await poll!.type('100');
    await poll!.press('Enter');
    const stored = () => automation.evaluate(() => (globalThis as unknown as { getSettings(): Promise<{ pollIntervalMs: number }> }).getSettings());
    await waitFor(async () => (await stored()).pollIntervalMs === 250, 'the clamped interval to be stored');
    await waitFor(() => options.page.$eval('#poll', (e) => (e as HTMLInputElement).value === '250'), 'the page to show the stored value');
    await options.page.$eval('#poll', (e) => {
      (e as HTMLInputElement).value = '';
    });
    await poll!.type('2000');
    await poll!.press('Enter');
    await waitFor(async () => (await stored()).pollIntervalMs === 2000, 'the new interval to be stored');
    expect(await options.errors()).toEqual([]);
    await options.page.close();
    // opened again, the page shows what is stored
    const again = await firefox.extensionPage('src/ui/options/options.html');
    await waitFor(() => again.page.$eval('#poll', (e) => (e as HTMLInputElement).value === '2000').catch(() => false), 'the stored value in a new page');
    await again.page.screenshot({ path: join(SCREENSHOTS, 'options-firefox.png'), fullPage: true });
    expect(await again.errors()).toEqual([]);
    await again.page.close();
    // back to the default for the tests after this one
    await automation.evaluate(() => (globalThis as unknown as { setSettings(c: object): Promise<unknown> }).setSettings({ pollIntervalMs: 1000 }));
  });
});

describe('the devtools page of the Firefox build', () => {
  // WebDriver BiDi cannot open Firefox's developer tools, so the panel itself is not shown here: this checks
  // the registration as Firefox reads it (paths resolved against the devtools page, not the extension root).
  it('registers the "WebRTC" panel with an icon and a page that exist in the build', async () => {
    const manifest = JSON.parse(await readFile(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    const devtools = await firefox.extensionPage(manifest.devtools_page);
    // In a tab, browser.devtools is absent and the page's script stops there; run it again with a stand-in.
    const created = await devtools.page.evaluate(async () => {
      const calls: string[][] = [];
      (globalThis as unknown as { browser: { devtools: unknown } }).browser.devtools = {
        panels: { create: (...args: string[]) => (calls.push(args), Promise.resolve({})) },
      };
      const again = document.createElement('script');
      again.type = 'module';
      again.src = `${document.querySelector('script[type=module]')!.getAttribute('src')!}?again`;
      await new Promise((loaded, failed) => {
        again.onload = loaded;
        again.onerror = failed;
        document.head.append(again);
      });
      return Promise.all(
        calls.map(async ([title, icon, page]) => {
          const [iconUrl, pageUrl] = [icon!, page!].map((u) => new URL(u, location.href).href);
          const found = async (u: string) => (await fetch(u)).ok;
          return { title, iconUrl, pageUrl, iconFound: await found(iconUrl!), pageFound: await found(pageUrl!) };
        }),
      );
    });
    const root = await devtools.page.evaluate(() => location.origin);
    expect(created).toEqual([{ title: 'WebRTC', iconUrl: `${root}/assets/icons/icon-32.png`, pageUrl: `${root}/src/ui/panel/panel.html`, iconFound: true, pageFound: true }]);
    await devtools.page.close();
  });
});
