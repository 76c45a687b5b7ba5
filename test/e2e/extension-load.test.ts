// The built extension loads in Chromium with no errors or warnings on
// chrome://extensions, and stays clean through a call.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { callReaches } from '../support/call-page';

interface ExtensionInfo {
  id: string;
  state: string;
  installWarnings: unknown[];
  manifestErrors: unknown[];
  runtimeErrors: unknown[];
}

let server: PageServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await servePages();
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('shows no errors or warnings on chrome://extensions, before and after a call', async () => {
  const extensions = await browser.context.newPage();
  await extensions.goto('chrome://extensions');
  const info = () =>
    extensions.evaluate(async (id) => {
      const dp = (globalThis as unknown as { chrome: { developerPrivate: { getExtensionsInfo(o: object): Promise<ExtensionInfo[]> } } })
        .chrome.developerPrivate;
      return (await dp.getExtensionsInfo({ includeDisabled: true, includeTerminated: true })).find((e) => e.id === id);
    }, browser.extensionId);
  // Errors are collected in developer mode: turn it on and load the extension again under it.
  const restarted = browser.context.waitForEvent('serviceworker', (w) => w.url().includes(browser.extensionId));
  await extensions.evaluate(async (id) => {
    const dp = (globalThis as unknown as { chrome: { developerPrivate: Record<string, (...a: unknown[]) => Promise<void>> } }).chrome
      .developerPrivate;
    await dp.updateProfileConfiguration!({ inDeveloperMode: true });
    await dp.reload!(id, { failQuietly: false });
  }, browser.extensionId);
  const bg = await restarted;
  await bg.evaluate(() => (globalThis as unknown as { whenReady(): Promise<void> }).whenReady());

  const loaded = await info();
  expect(loaded).toMatchObject({ state: 'ENABLED', installWarnings: [], manifestErrors: [], runtimeErrors: [] });

  const page = await browser.context.newPage();
  const url = `${server.origin}/call.html?seconds=3`;
  await page.goto(url);
  await callReaches(page, 'ended');
  await page.close();
  await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');

  const after = await info();
  expect(after).toMatchObject({ state: 'ENABLED', installWarnings: [], manifestErrors: [], runtimeErrors: [] });
});
