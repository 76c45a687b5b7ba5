// Debian's Firefox ESR with the built extension installed, driven by
// puppeteer-core over WebDriver BiDi.
//
// WebDriver BiDi in Firefox reaches web pages, not the extension's event page,
// and refuses to navigate to moz-extension:// URLs. So the automation API is
// read on the extension's automation page (src/ui/automation.html): a page
// of the test server asks for it (OPEN_AUTOMATION_EVENT, honoured only in
// development installs, which installExtension makes) and the extension
// navigates that tab to it; BiDi can evaluate there (see src/core/automation.ts).

import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { OPEN_AUTOMATION_EVENT } from '../../src/core/automation';
import type { SessionRecord, SessionSummary } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';
import { waitFor } from './wait';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/firefox');

/** Fake devices, no permission prompts, and nothing that reaches out to the network (tests talk to 127.0.0.1 only). */
const PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // updates of the browser, add-ons, system add-ons, search engines, remote settings and the blocklist
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.disabledForTesting': true,
  'extensions.update.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.search.update': false,
  'services.settings.server': 'http://127.0.0.1:9/remote-settings',
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  // telemetry and data reporting
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': 'http://127.0.0.1:9/telemetry',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'nimbus.rollouts.enabled': false,
  'messaging-system.rsexperimentloader.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  // safe browsing, captive portal and connectivity checks, DNS over HTTPS, prefetching
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  // first-run pages, new tab content, recommendations
  'browser.startup.page': 0,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.discovery.enabled': false,
  'extensions.htmlaboutaddons.recommendations.enabled': false,
  'browser.aboutwelcome.enabled': false,
  'geo.provider.network.url': '',
};

export interface FirefoxWithExtension {
  browser: Browser;
  /** the add-on id (browser_specific_settings.gecko.id) */
  extensionId: string;
  /** a tab showing the extension's automation page: the automation API is on its global scope */
  automation(): Promise<Page>;
  /** a new tab showing one of the extension's pages (`src/ui/panel/panel.html?tabId=3`), with what it raised */
  extensionPage(path: string, viewport?: { width: number; height: number }): Promise<OpenedExtensionPage>;
  close(): Promise<void>;
}

/** The manifest of an unpacked extension directory or of an .xpi file. */
async function readManifest(extension: string): Promise<{ browser_specific_settings: { gecko: { id: string } } }> {
  if (extension.endsWith('.xpi')) {
    const entry = unzipSync(await readFile(extension), { filter: (f) => f.name === 'manifest.json' })['manifest.json'];
    if (!entry) throw new Error(`${extension} has no manifest.json at its root`);
    return JSON.parse(strFromU8(entry));
  }
  if (!existsSync(join(extension, 'manifest.json'))) {
    throw new Error(`no built extension in ${extension}: run "npm run build" first`);
  }
  return JSON.parse(await readFile(join(extension, 'manifest.json'), 'utf8'));
}

export interface OpenedExtensionPage {
  page: Page;
  /**
   * Uncaught errors and unhandled rejections on the page since it loaded.
   * Firefox's BiDi reports no log entries for moz-extension: documents, and
   * preload scripts do not run there, so listeners are added once it has loaded.
   */
  errors(): Promise<string[]>;
}

/**
 * Launches headless Firefox ESR and installs dist/firefox (or `extensionDir`:
 * another unpacked build, or an .xpi file). `pagesOrigin` is the test server
 * (test/support/server.ts): the automation page is requested from one of its pages.
 * With `downloadDir`, downloads are saved there without asking.
 */
export async function launchFirefoxWithExtension(
  pagesOrigin: string,
  { extensionDir = EXTENSION_DIR, downloadDir }: { extensionDir?: string; downloadDir?: string } = {},
): Promise<FirefoxWithExtension> {
  const manifest = await readManifest(extensionDir);
  const userDataDir = await mkdtemp(join(tmpdir(), 'webrtc-lens-firefox-'));
  const downloads = downloadDir
    ? { 'browser.download.dir': downloadDir, 'browser.download.folderList': 2, 'browser.download.useDownloadDir': true, 'browser.download.always_ask_before_handling_new_types': false }
    : {};
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir,
    extraPrefsFirefox: { ...PREFS, ...downloads },
  });
  let automationPage: Promise<Page> | null = null;
  try {
    const extensionId = await browser.installExtension(extensionDir);
    if (extensionId !== manifest.browser_specific_settings.gecko.id) throw new Error(`installed as ${extensionId}`);
    const automation = () => (automationPage ??= browser.newPage().then((page) => showAutomationPage(page, pagesOrigin)));
    await (await automation()).evaluate(() => (globalThis as unknown as { whenReady(): Promise<void> }).whenReady());
    return {
      browser,
      extensionId,
      automation,
      extensionPage: (path, viewport) => openExtensionPage(browser, pagesOrigin, path, viewport),
      async close() {
        await browser.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}

async function showAutomationPage(page: Page, pagesOrigin: string): Promise<Page> {
  const shown = () =>
    page
      .evaluate(() => location.protocol === 'moz-extension:' && typeof (globalThis as { listSessions?: unknown }).listSessions === 'function')
      .catch(() => false); // the realm went away with the navigation
  // A page loaded before the background registered the content script has none: load it again until it asks.
  return waitFor(async () => {
    await page.goto(`${pagesOrigin}/blank.html`);
    await page.evaluate((event) => window.dispatchEvent(new Event(event)), OPEN_AUTOMATION_EVENT);
    return (await waitFor(shown, 'the automation page', { timeoutMs: 2000 }).catch(() => false)) && page;
  }, 'the automation page', { timeoutMs: 30000 });
}

/**
 * BiDi refuses to navigate to moz-extension: URLs, but an extension page may
 * go to another of its own pages: the tab is shown the automation page first,
 * which then navigates itself.
 */
async function openExtensionPage(browser: Browser, pagesOrigin: string, path: string, viewport = { width: 1280, height: 800 }): Promise<OpenedExtensionPage> {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await showAutomationPage(page, pagesOrigin);
  const target = await page.evaluate((p) => new URL(p, location.origin).href, `/${path}`);
  await page.evaluate((u) => void (location.href = u), target);
  await waitFor(
    () => page.evaluate(() => [location.href, document.readyState]).then(([href, state]) => href === target && state === 'complete', () => false),
    `${path} to load`,
  );
  await page.evaluate(() => {
    const seen: string[] = ((globalThis as unknown as { pageErrors: string[] }).pageErrors = []);
    addEventListener('error', (e) => seen.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => seen.push(String(e.reason)));
  });
  return { page, errors: () => page.evaluate(() => (globalThis as unknown as { pageErrors: string[] }).pageErrors) };
}

type Api = {
  listSessions(): Promise<SessionSummary[]>;
  exportSession(id: string, format?: string): Promise<string>;
  getSessionTrace(id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }>;
};

// Values come back as JSON text: traces are large, and JSON is what they are.
export async function listSessions(automation: Page): Promise<SessionSummary[]> {
  return JSON.parse(await automation.evaluate(async () => JSON.stringify(await (globalThis as unknown as Api).listSessions())));
}

export function exportSession(automation: Page, id: string, format = 'rtcstats'): Promise<string> {
  return automation.evaluate((i, f) => (globalThis as unknown as Api).exportSession(i, f), id, format);
}

export async function getSessionTrace(automation: Page, id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }> {
  return JSON.parse(await automation.evaluate(async (i) => JSON.stringify(await (globalThis as unknown as Api).getSessionTrace(i)), id));
}
