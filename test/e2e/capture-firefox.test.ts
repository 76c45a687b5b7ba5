// End to end in headless Firefox ESR with fake devices (puppeteer-core over
// WebDriver BiDi): the same two-party call as in capture-chromium.test.ts is
// captured into a stored session, and its rtcstats export reads back to the
// same trace. The automation API is read on the extension's automation page
// (see test/support/firefox.ts).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { EXTENSION_DIR, exportSession, getSessionTrace, launchFirefoxWithExtension, listSessions, type FirefoxWithExtension } from '../support/firefox';
import { servePages, type PageServer } from '../support/server';
import { waitFor } from '../support/wait';
import { twoPartyCallTests } from '../support/two-party-call';
import type { SessionRecord } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';
import { DRAIN_EVENT, PENDING_EVENT } from '../../src/page/channel';

const CALL_SECONDS = 20;
const chromeManifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

let server: PageServer;
let firefox: FirefoxWithExtension;
let automation: Page;

beforeAll(async () => {
  server = await servePages();
  firefox = await launchFirefoxWithExtension(server.origin);
  automation = await firefox.automation();
});

afterAll(async () => {
  await firefox?.close();
  await server?.close();
});

const of = (events: StoredEvent[], pc: string | null, method: string) => events.filter((e) => e.pc === pc && e.method === method);

describe('the Firefox build', () => {
  it('has a manifest derived from manifest.json: an event page, a gecko id, no Chrome-only keys', () => {
    const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.version).toBe(chromeManifest.version);
    expect(manifest.permissions).toEqual(chromeManifest.permissions);
    expect(manifest.host_permissions).toEqual(chromeManifest.host_permissions);
    expect(manifest.background).toEqual({ scripts: [expect.any(String)], type: 'module' });
    expect(manifest).not.toHaveProperty('minimum_chrome_version');
    expect(manifest.browser_specific_settings).toEqual({
      gecko: { id: firefox.extensionId, strict_min_version: '128.0', data_collection_permissions: { required: ['none'] } },
    });
    expect(readFileSync(join(EXTENSION_DIR, 'page-hook.js'), 'utf8')).toMatch(/^"use strict";\n\(\(\) => \{/);
    expect(readFileSync(join(EXTENSION_DIR, 'content.js'), 'utf8')).toMatch(/^"use strict";\n\(\(\) => \{/);
  });

  it('keeps the automation page out of reach of web pages', async () => {
    const automationUrl = await automation.evaluate(() => location.href);
    expect(automationUrl).toMatch(/^moz-extension:\/\/[0-9a-f-]+\/src\/ui\/automation\.html$/);
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/blank.html`);
    const reach = await page.evaluate(async (target) => {
      const fetched = await fetch(target).then(() => 'read', () => 'refused');
      const frame = document.createElement('iframe');
      frame.src = target;
      document.body.append(frame);
      await new Promise((r) => setTimeout(r, 1000));
      let framed: string;
      try {
        framed = String((frame.contentWindow as unknown as { listSessions?: unknown }).listSessions);
      } catch {
        framed = 'cross-origin';
      }
      return { fetched, framed };
    }, automationUrl);
    expect(reach.fetched).toBe('refused');
    expect(reach.framed).not.toMatch(/function/);
    await page.close();
  });
});

describe('a two-party call in Firefox', () => {
  let session: SessionRecord;
  let events: StoredEvent[];
  let pageCall: { candidates: { pc1: number; pc2: number }; connectedAt: number; endedAt: number };
  let url: string;

  beforeAll(async () => {
    const page = await firefox.browser.newPage();
    url = `${server.origin}/call.html?seconds=${CALL_SECONDS}`;
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { call: { state: string } }).call.state === 'ended', {
      timeout: (CALL_SECONDS + 30) * 1000,
    });
    pageCall = await page.evaluate(() => (window as unknown as { call: typeof pageCall }).call);
    // Leaving the page ends the session; wait until both closes are stored and the session has ended.
    await page.goto('about:blank');
    const ended = await waitFor(
      async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null),
      'the session to end',
    );
    ({ session, events } = await getSessionTrace(automation, ended.id));
    await page.close();
  }, (CALL_SECONDS + 60) * 1000);

  twoPartyCallTests(() => ({
    session,
    events,
    pageCall,
    url,
    origin: server.origin,
    userAgent: /Gecko\/\d+ Firefox\/\d+/,
    extensionVersion: chromeManifest.version,
    exportRtcstats: () => exportSession(automation, session.id, 'rtcstats'),
  }));
});

describe('connection configuration', () => {
  it('stores the configuration without TURN credentials, and the legacy constraints', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/blank.html`);
    await page.evaluate(() => {
      const pc = new (RTCPeerConnection as unknown as new (c: RTCConfiguration, l: unknown) => RTCPeerConnection)(
        { iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'alice', credential: 's3cret' }, { urls: ['stun:stun.example.org'] }] },
        { optional: [{ rtcStatsClientId: 'client-7' }, { rtcStatsConferenceId: 'room-42' }] },
      );
      pc.close();
    });
    const url = page.url();
    // Leaving the page ends its session, and what the content script has not sent yet goes out from pagehide.
    // (Chromium's test closes the tab instead; Firefox closes a closing tab's extension ports before its pagehide,
    // see 'closing a tab' below.)
    await page.goto('about:blank');
    const ended = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    await page.close();
    const { session, events } = await getSessionTrace(automation, ended.id);
    const create = of(events, 'PC_0', 'create')[0]!;
    expect(create.value).toEqual({ iceServers: [{ urls: 'turn:turn.example.org:3478' }, { urls: ['stun:stun.example.org'] }] });
    expect(JSON.stringify(events)).not.toContain('s3cret');
    expect(JSON.stringify(events)).not.toContain('alice');
    expect(of(events, 'PC_0', 'constraints')[0]!.value).toEqual({ optional: [{ rtcStatsClientId: 'client-7' }, { rtcStatsConferenceId: 'room-42' }] });
    expect(session.tags).toEqual({ rtcStatsClientId: 'client-7', rtcStatsConferenceId: 'room-42' });
  });
});

describe('a page that closes its connections in its own pagehide or visibilitychange listener', () => {
  // (the page's listener runs after the content script's, which drains the hook as the page is left)
  it.each([
    ['pagehide', 'window'],
    ['visibilitychange', 'document'],
  ] as const)('keeps their close (a %s listener on its %s) as it navigates away', async (type, target) => {
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/call.html?seconds=600&close-on-${type}`);
    const url = page.url();
    await page.waitForFunction(() => (window as unknown as { call?: { state: string } }).call?.state === 'connected', { timeout: 30000 });
    await page.evaluate(
      (type, target) => {
        const w = window as unknown as { pcs: RTCPeerConnection[] };
        (target === 'window' ? window : document).addEventListener(type, () => w.pcs.forEach((pc) => pc.close()));
      },
      type,
      target,
    );
    await page.goto(`${server.origin}/blank.html`);
    const ended = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    await page.close();
    const { events } = await getSessionTrace(automation, ended.id);
    expect(events.filter((e) => e.method === 'close').map((e) => e.pc).sort()).toEqual(['PC_0', 'PC_1']);
  });
});

describe('a frame removed in the task that hung up its call', () => {
  // Removing a frame unloads it at once: entries the hook posted in that task have not reached the content script yet.
  it('keeps its last entries, and ignores forged ones', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/blank.html?hang-up-and-leave`);
    const url = page.url();
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/call.html?seconds=600';
      document.body.append(frame);
    });
    await page.waitForFunction(
      () => (document.querySelector('iframe')?.contentWindow as unknown as { call?: { state: string } } | null)?.call?.state === 'connected',
      { timeout: 30000 },
    );
    await page.evaluate(
      (drain, pending) => {
        const frame = document.querySelector('iframe')!;
        const w = frame.contentWindow as unknown as Window & typeof globalThis & { pcs: RTCPeerConnection[] };
        const forged = (m: string) => new w.MessageEvent(pending, { data: JSON.stringify({ v: 1, kind: 'trace', first: 1e6, entries: [{ m, pc: 'PC_0', v: null, t: Date.now() }] }) });
        w.addEventListener(drain, () => w.dispatchEvent(forged('forgedWhenAsked')), true);
        w.dispatchEvent(forged('forgedUnasked'));
        for (const pc of w.pcs) pc.close();
        frame.remove();
      },
      DRAIN_EVENT,
      PENDING_EVENT,
    );
    const ended = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    await page.close();
    const { events } = await getSessionTrace(automation, ended.id);
    expect(events.filter((e) => e.method === 'close')).toHaveLength(2);
    expect(events.filter((e) => e.method.startsWith('forged'))).toEqual([]);
    const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});

describe('closing a tab', () => {
  // Firefox tears down the content script's runtime port of a closing tab before the page's pagehide, so the
  // entries it has not sent yet are lost (getStats samples of the last 250 ms at most; other entries go out in
  // the next task); Chromium still sends them. Everything sent before is kept, and the session ends when the tab closes.
  it('ends the session of the page it showed', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/blank.html?closing`);
    await page.evaluate(() => new RTCPeerConnection().close());
    const url = page.url();
    const stored = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.eventCount === 3), 'the entries to be stored');
    expect(stored.endTime).toBeNull();
    const closedAt = Date.now();
    await page.close();
    const ended = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    expect(ended.endTime).toBeGreaterThanOrEqual(closedAt);
    const { events } = await getSessionTrace(automation, ended.id);
    expect(events.map((e) => `${e.pc ?? '-'} ${e.method}`)).toEqual(['- create', 'PC_0 create', 'PC_0 close']);
  });

  it('keeps the calls and events of the page from before the tab closed, even those of its last 250 ms', async () => {
    // Only getStats samples wait for the content script's 250 ms batch: the rest go out in the next task,
    // so a hang-up followed by closing the tab keeps its close (the tab closes ~100 ms after it, well within a batch).
    const page = await firefox.browser.newPage();
    await page.goto(`${server.origin}/blank.html?closing-soon`);
    const url = page.url();
    await page.evaluate(() => new Promise((resolve) => (new RTCPeerConnection().close(), setTimeout(resolve, 100))));
    await page.close();
    const ended = await waitFor(async () => (await listSessions(automation)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    const { events } = await getSessionTrace(automation, ended.id);
    expect(events.map((e) => `${e.pc ?? '-'} ${e.method}`)).toEqual(['- create', 'PC_0 create', 'PC_0 close']);
  });
});
