// The popup, viewer and options pages in Chromium with the built extension:
// a live two-connection call in the popup (with the action badge), "Save for
// support" producing a real download that imports back, the viewer listing the
// session and opening every fixture dump through its file input, the options
// page saving settings; screenshots of each page in light and dark.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { launchWithExtension, stopBackground, type ExtensionBrowser } from '../support/chromium';
import { chartPoints } from '../support/ui';
import { servePages, type PageServer } from '../support/server';
import { endedPageLoads, exportSession, getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { importDump } from '../../src/core/import';
import { exportDump } from '../../src/core/export';
import { syntheticSession } from '../../src/core/synthetic';
import type { Settings } from '../../src/core/settings';
import { completeStatsSamples } from '../../src/core/session';
import { callReaches } from '../support/call-page';

const SCREENSHOTS = resolve(import.meta.dirname, '../../out/screenshots');
const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/dumps');

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

const pageUrl = (path: string, theme: 'light' | 'dark', query = '') =>
  `chrome-extension://${browser.extensionId}/src/ui/${path}?theme=${theme}${query ? `&${query}` : ''}`;

/** Uncaught errors of the extension pages opened here. */
const pageErrors: string[] = [];

async function extensionPage(path: string, theme: 'light' | 'dark', size = { width: 1280, height: 800 }, query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
  await page.setViewportSize(size);
  await page.goto(pageUrl(path, theme, query));
  return page;
}

/** The badge text of a tab, read from an extension page. */
function badgeText(page: Page, tabId: number): Promise<string> {
  return page.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

describe('during a live two-connection call', () => {
  let call: Page;
  let callUrl: string;

  beforeAll(async () => {
    call = await browser.context.newPage();
    callUrl = `${server.origin}/call.html?seconds=120`;
    await call.goto(callUrl);
    await callReaches(call, 'connected');
  });

  it('the popup lists the tab with 2 connections, a bitrate and its state, and the badge counts 2', async () => {
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 600 });
    const item = popup.locator('li.session', { hasText: 'Two-party call' });
    await item.waitFor({ timeout: 15000 });
    await waitFor(async () => /2 connections/.test(await item.locator('.connections').innerText()), 'two connections in the popup');
    // a bitrate needs two stats samples of a connection: it appears within a few seconds of connecting
    const bitrate = await waitFor(async () => {
      const text = await item.locator('.bitrate').innerText();
      return /↑ [\d.]+ (k|M)?bit\/s ↓ [\d.]+ (k|M)?bit\/s/.test(text) ? text : null;
    }, 'a send and receive bitrate');
    expect(bitrate).toMatch(/bit\/s/);
    expect(await item.locator('.state').innerText()).toBe('connected');
    expect(await item.locator('.url').innerText()).toBe(callUrl);

    const tabId = Number(await item.getAttribute('data-tab'));
    expect(await waitFor(async () => ((await badgeText(popup, tabId)) === '2' ? '2' : null), 'the badge to show 2')).toBe('2');

    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-light.png') });
    const dark = await extensionPage('popup/popup.html', 'dark', { width: 420, height: 600 });
    await dark.locator('li.session .bitrate', { hasText: 'bit/s' }).first().waitFor();
    await dark.screenshot({ path: join(SCREENSHOTS, 'popup-dark.png') });
    await dark.close();
    await popup.close();
  });

  it('"Save for support" previews what is masked and downloads a zip that imports back with the same connections', async () => {
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 720 });
    const item = popup.locator('li.session', { hasText: 'Two-party call' });
    await item.getByRole('button', { name: 'Save for support…' }).click();
    // the call's local candidates hold addresses: the preview counts them before anything is saved
    const ipCount = item.locator('[data-kind="ipAddresses"]');
    await waitFor(async () => /^\d+ \(\d+ distinct\)$/.test(await ipCount.innerText()), 'the IP address count in the preview');
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-save-preview-light.png') });

    const [download] = await Promise.all([popup.waitForEvent('download'), item.getByRole('button', { name: 'Save zip' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^webrtc-127\.0\.0\.(1|x)-\d{8}-\d{6}\.zip$/);
    const path = await download.path();
    const files = unzipSync(new Uint8Array(await readFile(path)));
    const name = Object.keys(files).find((n) => n.endsWith('.rtcstats.jsonl.gz'));
    expect(name).toBeDefined();
    const back = await importDump(files[name!]!);
    expect(back.dump.session.connections.map((c) => c.id).sort()).toEqual(['PC_0', 'PC_1']);
    await item.getByRole('status').filter({ hasText: `Saved ${download.suggestedFilename()}` }).waitFor();
    await popup.close();
  });

  it('after a restart of the background the popup still shows the call (its summary rebuilt from the store)', async () => {
    await stopBackground(browser);
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 600 });
    const item = popup.locator('li.session', { hasText: 'Two-party call' });
    await item.waitFor({ timeout: 15000 });
    await waitFor(async () => /^2 connections$/.test(await item.locator('.connections').innerText()), 'two connections after the restart');
    await waitFor(async () => /↑ [\d.]+ (k|M)?bit\/s ↓ [\d.]+ (k|M)?bit\/s/.test(await item.locator('.bitrate').innerText()), 'a bitrate after the restart');
    const tabId = Number(await item.getAttribute('data-tab'));
    await waitFor(async () => (await badgeText(popup, tabId)) === '2', 'the badge to show 2 after the restart');
    await popup.close();
  });

  it('the badge is cleared when the call page is left', async () => {
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 600 });
    const item = popup.locator('li.session', { hasText: 'Two-party call' });
    await item.waitFor();
    const tabId = Number(await item.getAttribute('data-tab'));
    await call.goto('about:blank');
    await waitFor(async () => (await badgeText(popup, tabId)) === '', 'the badge to clear');
    await waitFor(async () => (await popup.locator('li.session', { hasText: 'Two-party call' }).count()) === 0, 'the session to leave the popup');
    await popup.close();
  });
});

describe('the viewer', () => {
  it('lists the stored session with its size, searches and opens it', async () => {
    const bg = await browser.background();
    const stored = await waitFor(async () => (await listSessions(bg)).find((s) => s.url.includes('/call.html') && s.endTime !== null), 'the ended call session');
    for (const theme of ['light', 'dark'] as const) {
      const viewer = await extensionPage('viewer/viewer.html', theme);
      const row = viewer.locator(`tr[data-session="${stored.id}"]`);
      await row.waitFor();
      expect(await row.locator('td').nth(1).innerText()).toBe('127.0.0.1');
      expect(await row.locator('td').nth(4).innerText()).toBe('2');
      expect(await row.locator('td').nth(5).innerText()).toMatch(/\d( KB| MB)/);
      await viewer.screenshot({ path: join(SCREENSHOTS, `viewer-list-${theme}.png`) });
      if (theme === 'light') {
        await viewer.getByLabel('Search sessions').fill('no-such-site-anywhere');
        await viewer.getByText('No session matches').waitFor();
        await viewer.getByLabel('Search sessions').fill('two-party');
        await row.waitFor();
        await row.getByRole('button', { name: 'Open' }).click();
        expect(new URL(viewer.url()).searchParams.get('session')).toBe(stored.id);
        await viewer.locator('.session-view').waitFor();
        await viewer.locator('.export-bar').waitFor();
        await waitFor(async () => Object.values(await chartPoints(viewer)).some((n) => n > 0), 'the charts of the stored session');
        await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer-session-light.png') });
        // back to the list with the browser's back button
        await viewer.goBack();
        await row.waitFor();
      } else {
        // a narrow window: the list still fits, the session opens by keyboard
        await viewer.setViewportSize({ width: 480, height: 800 });
        await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer-list-narrow-dark.png') });
        await row.getByRole('button', { name: 'Open' }).focus();
        await viewer.keyboard.press('Enter');
        await waitFor(async () => Object.values(await chartPoints(viewer)).some((n) => n > 0), 'the charts of the stored session');
        await viewer.setViewportSize({ width: 1280, height: 800 });
        await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer-session-dark.png') });
      }
      await viewer.close();
    }
  });

  it('exports a stored session as rtcstats that imports back, and as each plain format, the stored trace\'s export byte for byte', async () => {
    const bg = await browser.background();
    const stored = (await listSessions(bg)).find((s) => s.url.includes('/call.html') && s.endTime !== null)!;
    const viewer = await extensionPage('viewer/viewer.html', 'light', undefined, `session=${encodeURIComponent(stored.id)}`);
    const saved = async (button: string) => {
      const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('button', { name: button, exact: true }).click()]);
      return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile(await download.path())) };
    };
    const gz = await saved('rtcstats .gz');
    expect(gz.name).toMatch(/\.rtcstats\.jsonl\.gz$/);
    const back = await importDump(gz.bytes);
    expect(back.format).toBe('rtcstats');
    expect(back.dump.session.connections).toHaveLength(stored.connections.length);
    const trace = await getSessionTrace(bg, stored.id);
    for (const [button, format, ending] of [['rtcstats', 'rtcstats', '.rtcstats.jsonl'], ['webrtc-internals', 'internals', '.webrtc-internals.json'], ['CSV', 'csv', '.stats.csv']] as const) {
      const plain = await saved(button);
      expect(plain.name.endsWith(ending), plain.name).toBe(true);
      expect(Buffer.from(plain.bytes).equals(Buffer.from(await exportDump(trace, format))), format).toBe(true);
    }
    await viewer.close();
  });

  it('opens every fixture dump through its file input', async () => {
    const fixtures: string[] = [];
    for (const dir of await readdir(FIXTURES, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const f of await readdir(join(FIXTURES, dir.name))) fixtures.push(join(FIXTURES, dir.name, f));
    }
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    const viewer = await extensionPage('viewer/viewer.html', 'light');
    for (const file of fixtures) {
      const expected = await importDump(new Uint8Array(await readFile(file)));
      await viewer.locator('input[type=file]').setInputFiles(file);
      const info = viewer.locator('.dump-info');
      await waitFor(async () => (await info.count()) > 0 && (await info.innerText()).includes(file.split('/').at(-1)!), `the dump ${file} to open`);
      expect(await viewer.locator('.import-error').count()).toBe(0);
      expect(await info.getAttribute('data-format')).toBe(expected.format);
      expect(await info.innerText()).toContain(`${expected.dump.session.connections.length} connections`);
      await viewer.locator('.session-view').waitFor();
      // every connection with a few stats samples draws its charts, each in its tab (a rate needs two samples;
      // the failed connections of the Jitsi reconnect dump have only two, without media: nothing to chart there)
      const samples = new Map<string, number>();
      for (const e of expected.dump.events) if (e.method === 'getStats' && e.pc) samples.set(e.pc, (samples.get(e.pc) ?? 0) + 1);
      for (const [pc, n] of samples) {
        if (n < 3) continue;
        await viewer.locator(`.conn-tabs [data-connection="${pc}"]`).click();
        await waitFor(async () => Object.values(await chartPoints(viewer)).some((k) => k > 0), `the charts of ${pc} in ${file}`);
      }
      if (file.endsWith('chrome147-two-pc-loopback.json')) await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer-dump-light.png') });
    }
    expect(pageErrors).toEqual([]);
    await viewer.close();
  });

  it('exports all page loads of a reloaded tab as one rtcstats dump (viewer) and one support bundle (popup), with the connections and samples of both', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=1&reloaded=1`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.reload(); // the same tab: a second page load, a second call
    await callReaches(page, 'ended');

    // the popup's "Save for support" of the live page load takes the earlier one too (checked by default)
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 760 });
    const item = popup.locator('li.session', { has: popup.locator('.url', { hasText: url }) });
    await item.getByRole('button', { name: 'Save for support…' }).click();
    const include = item.getByLabel(/Include the earlier page load of this tab/);
    expect(await include.isChecked()).toBe(true);
    await waitFor(async () => /^\d+ \(\d+ distinct\)$/.test(await item.locator('[data-kind="ipAddresses"]').innerText()), 'the preview');
    await popup.screenshot({ path: join(SCREENSHOTS, 'popup-save-tab-light.png') });
    const [zip] = await Promise.all([popup.waitForEvent('download'), item.getByRole('button', { name: 'Save zip' }).click()]);
    const files = unzipSync(new Uint8Array(await readFile(await zip.path())));
    const bundled = (await importDump(files[Object.keys(files).find((n) => n.endsWith('.rtcstats.jsonl.gz'))!]!)).dump;
    await popup.close();

    await page.goto('about:blank');
    const bg = await browser.background();
    const loads = await endedPageLoads(bg, url, 2);
    expect(loads[0]!.tabId).toBe(loads[1]!.tabId);
    expect(loads[0]!.browserRun).toMatch(/^[0-9a-f-]{36}$/);
    expect(loads[1]!.browserRun).toBe(loads[0]!.browserRun);
    const traces = await Promise.all(loads.map((s) => getSessionTrace(bg, s.id)));
    const viewer = await extensionPage('viewer/viewer.html', 'light', undefined, `session=${encodeURIComponent(loads[1]!.id)}`);
    await viewer.getByLabel('all 2 page loads of this tab').check();
    await viewer.locator('.export-bar').screenshot({ path: join(SCREENSHOTS, 'viewer-export-tab-light.png') });
    const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('button', { name: 'rtcstats', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/_2-page-loads\.rtcstats\.jsonl$/);
    const downloaded = await readFile(await download.path());
    // the automation API gives the same dump
    expect(await exportSession(bg, loads[1]!.id, 'rtcstats', true)).toBe(downloaded.toString('utf8'));
    const back = (await importDump(new Uint8Array(downloaded))).dump;
    const secondFrame = traces[0]!.session.frames.length;
    const expectedIds = [...traces[0]!.session.connections.map((c) => c.id), ...traces[1]!.session.connections.map((c) => `f${secondFrame}-${c.id}`)];
    expect(back.session.connections.map((c) => c.id).sort()).toEqual([...expectedIds].sort());
    expect(bundled.session.connections.map((c) => c.id).sort()).toEqual([...expectedIds].sort());
    const samples = (events: typeof back.events, pc: string) => [...completeStatsSamples(events)].filter((s) => s.event.pc === pc).map((s) => s.sample);
    for (const c of traces[0]!.session.connections) expect(samples(back.events, c.id), c.id).toEqual(samples(traces[0]!.events, c.id));
    for (const c of traces[1]!.session.connections) expect(samples(back.events, `f${secondFrame}-${c.id}`), c.id).toEqual(samples(traces[1]!.events, c.id));
    expect(samples(back.events, expectedIds.at(-1)!).length).toBeGreaterThan(0);
    // unchecked: the one page load, as before
    await viewer.getByLabel('all 2 page loads of this tab').uncheck();
    const [single] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('button', { name: 'rtcstats', exact: true }).click()]);
    expect((await importDump(new Uint8Array(await readFile(await single.path())))).dump.session.connections.map((c) => c.id)).toEqual(traces[1]!.session.connections.map((c) => c.id));
    await viewer.close();
    await page.close();
  });

  it('opens and exports a stored session larger than a message may be (4 connections for 2 hours, a 83 MiB trace)', async () => {
    // Recording two hours is not possible here: the session is written into the extension's IndexedDB as the background stores one.
    const dump = syntheticSession({ connections: 4, minutes: 120, pollMs: 1000, seed: 5 });
    const id = 'two-hour-session';
    const events = dump.events.map((e) => ({ ...e, sessionId: id }));
    expect(JSON.stringify(events).length).toBeGreaterThan(64 * 1024 * 1024);
    const lastSeq = Math.max(...events.map((e) => e.seq));
    const session = { ...dump.session, id, frames: dump.session.frames.map((f) => ({ ...f, lastSeq, gaps: 0 })) };
    const writer = await extensionPage('options/options.html', 'light');
    // (as JSON text: the DevTools protocol carries one long string much faster than the objects)
    const put = (store: string, values: unknown[]) =>
      writer.evaluate(
        ([name, json]) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('webrtc-lens');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const tx = open.result.transaction(name, 'readwrite');
              for (const value of JSON.parse(json) as unknown[]) tx.objectStore(name).put(value);
              tx.oncomplete = () => resolve();
              tx.onerror = () => reject(tx.error);
            };
          }),
        [store, JSON.stringify(values)] as const,
      );
    await put('sessions', [session]);
    for (let i = 0; i < events.length; i += 4000) await put('events', events.slice(i, i + 4000));
    await writer.close();

    const viewer = await extensionPage('viewer/viewer.html', 'light', undefined, `session=${id}`);
    await viewer.locator('.session-view').waitFor({ timeout: 60_000 });
    await viewer.getByRole('button', { name: 'Whole call' }).click();
    // every part of the trace arrived: the header says 2 hours, and the charts run to the last sample
    await waitFor(async () => /2 h 00 min/.test(await viewer.locator('.session-header').innerText()), 'the session header of the whole trace');
    await waitFor(async () => Object.values(await chartPoints(viewer)).some((n) => n >= 7000), 'charts of the whole two hours');
    const [download] = await Promise.all([viewer.waitForEvent('download', { timeout: 60_000 }), viewer.getByRole('button', { name: 'rtcstats', exact: true }).click()]);
    const back = (await importDump(new Uint8Array(await readFile(await download.path())))).dump;
    expect(back.events.length).toBe(events.length);
    expect([...completeStatsSamples(back.events)].length).toBe([...completeStatsSamples(events)].length);
    expect(pageErrors).toEqual([]);
    await viewer.close();
    const bg = await browser.background();
    await bg.evaluate((i) => (globalThis as unknown as { deleteSession(id: string): Promise<void> }).deleteSession(i), id);
  });

  it('saves a CSV larger than Chromium keeps in memory (4 connections for 2 hours, 645 MB) whole', async () => {
    // Chromium broke such a Blob in about half the runs here: the download was cancelled, and the viewer said "Saved".
    const dump = syntheticSession({ connections: 4, minutes: 120, pollMs: 1000 });
    const dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-large-'));
    try {
      const file = join(dir, 'long-call.rtcstats.jsonl');
      await writeFile(file, await exportDump(dump, 'rtcstats'));
      const viewer = await extensionPage('viewer/viewer.html', 'light');
      await viewer.locator('input[type=file]').setInputFiles(file);
      await viewer.locator('.export-bar').waitFor();
      const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('button', { name: 'CSV', exact: true }).click()]);
      expect(await download.failure()).toBeNull();
      const expected = await exportDump(dump, 'csv');
      expect(expected.length).toBeGreaterThan(600e6);
      const saved = await readFile(await download.path());
      expect(saved.length).toBe(expected.length);
      expect(Buffer.compare(saved, expected)).toBe(0);
      await viewer.getByRole('status').filter({ hasText: `Saved ${download.suggestedFilename()}` }).waitFor();
      await viewer.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the problem of a file that is not a dump', async () => {
    const viewer = await extensionPage('viewer/viewer.html', 'dark');
    await viewer.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, this is not a dump\n') });
    const error = viewer.locator('.import-error');
    await error.waitFor();
    const text = await error.innerText();
    expect(text).toContain('notes.txt');
    expect(text).toMatch(/expected an rtcstats dump/);
    await viewer.screenshot({ path: join(SCREENSHOTS, 'viewer-import-error-dark.png') });
    await viewer.close();
  });
});

describe('deleting sessions', () => {
  it('deletes one session after confirmation, then all', async () => {
    // a second, short call: two ended sessions to delete
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=1&second=1`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.goto('about:blank');
    const bg = await browser.background();
    const short = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the short call to end');
    const before = (await listSessions(bg)).length;
    expect(before).toBeGreaterThanOrEqual(2);

    const viewer = await extensionPage('viewer/viewer.html', 'light');
    const row = viewer.locator(`tr[data-session="${short.id}"]`);
    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    expect((await listSessions(bg)).length).toBe(before);
    await row.getByRole('button', { name: 'Delete…' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await listSessions(bg)).map((s) => s.id)).not.toContain(short.id);

    await viewer.getByRole('button', { name: 'Delete all…' }).click();
    await viewer.getByRole('button', { name: 'Delete all', exact: true }).click();
    await viewer.getByText('No session is stored yet').waitFor();
    expect(await listSessions(bg)).toEqual([]);
    await viewer.close();
  });
});

describe('the options page', () => {
  it('saves each change, clamped, and shows the stored value', async () => {
    const options = await extensionPage('options/options.html', 'light');
    await options.getByLabel('Stats interval').fill('100');
    await options.getByLabel('Stats interval').press('Enter');
    await waitFor(async () => (await options.getByLabel('Stats interval').inputValue()) === '250', 'the clamped interval');
    await options.getByLabel('Stats interval').fill('2000');
    await options.getByLabel('Stats interval').press('Tab');
    await options.getByLabel('Stop capturing').fill('https://Meet.Example.com/room');
    await options.getByRole('button', { name: 'Add' }).click();
    await options.getByText('meet.example.com', { exact: true }).waitFor();
    await options.getByLabel('Device labels').uncheck();
    await options.getByLabel('Keep at most').fill('42');
    await options.getByLabel('Keep at most').press('Enter');
    await options.getByRole('status').filter({ hasText: 'next page load' }).waitFor();

    const bg = await browser.background();
    const get = () => bg.evaluate(() => (globalThis as unknown as { getSettings(): Promise<Settings> }).getSettings());
    const settings = await waitFor(async () => {
      const s = await get();
      return s.maxSessions === 42 ? s : null;
    }, 'the settings to be stored');
    expect(settings.pollIntervalMs).toBe(2000);
    expect(settings.disabledSites).toEqual(['meet.example.com']);
    expect(settings.redaction.deviceLabels).toBe(false);
    expect(settings.redaction.ipAddresses).toBe(true);

    // reloaded, the page shows what is stored
    await options.reload();
    expect(await options.getByLabel('Stats interval').inputValue()).toBe('2000');
    expect(await options.getByLabel('Device labels').isChecked()).toBe(false);
    await options.screenshot({ path: join(SCREENSHOTS, 'options-light.png'), fullPage: true });
    const dark = await extensionPage('options/options.html', 'dark');
    await dark.getByLabel('Stats interval').waitFor();
    await dark.screenshot({ path: join(SCREENSHOTS, 'options-dark.png'), fullPage: true });
    await dark.close();

    await options.getByRole('button', { name: 'Capture meet.example.com again' }).click();
    await waitFor(async () => (await get()).disabledSites.length === 0, 'the site to be captured again');

    // pausing is stored, and the popup says so
    await options.getByLabel('Pause capture everywhere').check();
    await waitFor(async () => (await get()).paused, 'capture to be paused');
    const popup = await extensionPage('popup/popup.html', 'light', { width: 420, height: 600 });
    await popup.getByText('Capture is paused').waitFor();
    await options.getByLabel('Pause capture everywhere').uncheck();
    await waitFor(async () => !(await get()).paused, 'capture to be resumed');
    await popup.close();
    await options.close();
  });
});

describe('the real popup', () => {
  it('"Save for support" also downloads from the real popup (chrome.action.openPopup), not only from the page opened as a tab', async () => {
    // A browser of its own: the download folder set over the DevTools protocol is browser-wide.
    const own = await launchWithExtension();
    const page = await own.context.newPage();
    await page.goto(`${server.origin}/call.html?seconds=120`);
    await callReaches(page, 'connected');
    const cdp = await own.context.newCDPSession(page);
    const dir = await mkdtemp(join(tmpdir(), 'webrtc-lens-popup-download-'));
    try {
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
      await (await own.background()).evaluate(() => chrome.action.openPopup());
      type Target = { targetId: string; url: string; type: string };
      const popup = await waitFor(async () => {
        const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Target[] };
        return targetInfos.find((t) => t.type === 'page' && t.url.endsWith('/src/ui/popup/popup.html'));
      }, 'the popup to open');
      // Playwright does not list popups as pages: talk to it through the DevTools protocol
      const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: popup.targetId, flatten: false })) as { sessionId: string };
      const replies = new Map<number, (value: unknown) => void>();
      cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
        const m = JSON.parse(e.message) as { id?: number; result?: { result?: { value?: unknown } } };
        if (m.id !== undefined) replies.get(m.id)?.(m.result?.result?.value);
      });
      let nextId = 1;
      const evaluate = (expression: string) =>
        new Promise<unknown>((resolve) => {
          const id = nextId++;
          replies.set(id, resolve);
          void cdp.send('Target.sendMessageToTarget', {
            sessionId,
            message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, awaitPromise: true, returnByValue: true } }),
          });
        });
      // in the popup: wait for a condition, then click
      const clickWhen = (ready: string, button: string) =>
        evaluate(`new Promise((resolve) => {
          const t = setInterval(() => {
            const b = [...document.querySelectorAll('button')].find((x) => x.textContent.includes(${JSON.stringify(button)}));
            if (b && !b.disabled && (${ready})) { clearInterval(t); b.click(); resolve(true); }
          }, 50);
        })`);
      await clickWhen('true', 'Save for support');
      await clickWhen(`/\\d+ \\(\\d+ distinct\\)/.test(document.querySelector('[data-kind="ipAddresses"]')?.textContent ?? '')`, 'Save zip');
      const file = await waitFor(async () => (await readdir(dir)).find((f) => f.endsWith('.zip')), 'the zip in the download folder');
      const zip = unzipSync(new Uint8Array(await readFile(join(dir, file))));
      const back = await importDump(zip[Object.keys(zip).find((n) => n.endsWith('.rtcstats.jsonl.gz'))!]!);
      expect(back.dump.session.connections).toHaveLength(2);
    } finally {
      await own.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
