// Debian's Chromium with the built extension loaded, driven by playwright-core.

import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from './wait';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/chrome');

export interface ExtensionBrowser {
  context: BrowserContext;
  /** the extension's service worker (changes after a restart of the worker) */
  background(): Promise<Worker>;
  extensionId: string;
  userDataDir: string;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/**
 * `extensionDir`: an unpacked extension (default dist/chrome); `executablePath`:
 * the browser to run (default CHROMIUM), e.g. a script that runs it in a network namespace.
 */
export async function launchWithExtension(
  options: { userDataDir?: string; withExtension?: boolean; extensionDir?: string; executablePath?: string; extraArgs?: string[] } = {},
): Promise<ExtensionBrowser> {
  const withExtension = options.withExtension ?? true;
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`no built extension in ${extensionDir}: run "npm run build" first`);
  }
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'webrtc-lens-profile-')));
  const args = [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-gpu',
  ];
  if (withExtension) args.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
  args.push(...(options.extraArgs ?? []));
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath ?? CHROMIUM,
    headless: true,
    args,
    ignoreDefaultArgs: withExtension ? ['--disable-extensions'] : [],
  });
  // The newest running extension worker; after a stop, the next one to start.
  const closed = new WeakSet<Worker>();
  const watch = (w: Worker) => w.on('close', () => closed.add(w));
  context.serviceWorkers().forEach(watch);
  context.on('serviceworker', watch);
  const isOurs = (w: Worker) => w.url().startsWith('chrome-extension://') && !closed.has(w);
  const background = async (): Promise<Worker> => {
    const running = context.serviceWorkers().filter(isOurs).at(-1);
    return running ?? context.waitForEvent('serviceworker', { predicate: isOurs, timeout: 15000 });
  };
  let extensionId = '';
  if (withExtension) {
    const worker = await background();
    extensionId = new URL(worker.url()).host;
    await worker.evaluate(() => (globalThis as unknown as { whenReady(): Promise<void> }).whenReady());
  }
  return {
    context,
    background,
    extensionId,
    userDataDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Stops the extension's service worker through the DevTools protocol, as
 * Chrome does after 30 s idle; resolves once it has stopped.
 */
export async function stopBackground(browser: ExtensionBrowser): Promise<void> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const cdp = await browser.context.newCDPSession(page);
  try {
    type Version = { versionId: string; scriptURL: string; runningStatus: string };
    const versions = new Map<string, Version>();
    const stopped = new Set<string>(); // seen stopped at least once (it may restart at once)
    cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Version[] }) => {
      for (const v of e.versions) {
        versions.set(v.versionId, v);
        if (v.runningStatus === 'stopped') stopped.add(v.versionId);
      }
    });
    const ours = () => [...versions.values()].filter((v) => v.scriptURL.startsWith(`chrome-extension://${browser.extensionId}/`));
    await cdp.send('ServiceWorker.enable');
    const running = await waitFor(async () => ours().find((v) => v.runningStatus === 'running'), 'the running background');
    stopped.delete(running.versionId);
    await cdp.send('ServiceWorker.stopWorker', { versionId: running.versionId });
    await waitFor(async () => stopped.has(running.versionId), 'the background to stop');
  } finally {
    await cdp.detach();
  }
}
