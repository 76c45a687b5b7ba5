// Sessions over the life of tabs and the browser, frames, and the settings
// that decide what is captured.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import type { SessionSummary } from '../../src/core/session';
import type { Settings } from '../../src/core/settings';
import { DRAIN_EVENT, PENDING_EVENT } from '../../src/page/channel';
import { callReaches } from '../support/call-page';

let server: PageServer;
let crossOrigin: PageServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await servePages();
  crossOrigin = await servePages(); // another port: another origin
  browser = await launchWithExtension();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await crossOrigin?.close();
});


async function sessionsOf(bg: Worker, url: string): Promise<SessionSummary[]> {
  return (await listSessions(bg)).filter((s) => s.url === url);
}

/** The first session of `url`, once it has ended. */
async function endedSession(bg: Worker, url: string, what = 'the session to end'): Promise<SessionSummary> {
  return waitFor(async () => {
    const [first] = await sessionsOf(bg, url);
    return first?.endTime ? first : null;
  }, what);
}

async function setSettings(change: Partial<Settings>): Promise<Settings> {
  const bg = await browser.background();
  return bg.evaluate((c) => (globalThis as unknown as { setSettings(c: object): Promise<Settings> }).setSettings(c), change);
}

describe('page loads and tabs', () => {
  it('starts a new session on reload and keeps the old one, ended', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=2&reload`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.reload();
    await callReaches(page, 'ended');
    const bg = await browser.background();
    const [first, second] = await waitFor(async () => {
      const s = await sessionsOf(bg, url);
      return s.length === 2 && s[1]!.connections.length === 2 ? s : null;
    }, 'two sessions');
    expect(first!.endTime).not.toBeNull();
    expect(first!.endTime!).toBeLessThanOrEqual(second!.startTime + 1000);
    expect(second!.endTime).toBeNull(); // still open
    expect(first!.tabId).toBe(second!.tabId);
    expect(first!.id).not.toBe(second!.id);
    expect(first!.statsCount).toBeGreaterThan(0);
    await page.close();
    await waitFor(async () => (await sessionsOf(bg, url)).every((s) => s.endTime !== null), 'both sessions ended after closing the tab');
  });

  it('keeps the last entries of a frame that hangs up and is removed in the same task, and ignores forged ones', async () => {
    // Removing a frame unloads it at once: entries the hook posted in that task have not reached the content script yet.
    const page = await browser.context.newPage();
    const url = `${server.origin}/blank.html?hang-up-and-leave`;
    await page.goto(url);
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/call.html?seconds=600';
      document.body.append(frame);
    });
    const frame = await waitFor(async () => page.frames()[1], 'the call frame');
    await callReaches(frame, 'connected');
    await page.evaluate(
      ([drain, pending]) => {
        const frame = document.querySelector('iframe')!;
        const w = frame.contentWindow as unknown as Window & typeof globalThis & { pcs: RTCPeerConnection[] };
        // a page that imitates the hook's answer, when asked and unasked
        const forged = (m: string) => new w.MessageEvent(pending!, { data: JSON.stringify({ v: 1, kind: 'trace', first: 1e6, entries: [{ m, pc: 'PC_0', v: null, t: Date.now() }] }) });
        w.addEventListener(drain!, () => w.dispatchEvent(forged('forgedWhenAsked')), true);
        w.dispatchEvent(forged('forgedUnasked'));
        for (const pc of w.pcs) pc.close();
        frame.remove();
      },
      [DRAIN_EVENT, PENDING_EVENT],
    );
    const bg = await browser.background();
    const session = await endedSession(bg, url);
    const { events } = await getSessionTrace(bg, session.id);
    expect(events.filter((e) => e.method === 'close')).toHaveLength(2);
    expect(events.filter((e) => e.method.startsWith('forged'))).toEqual([]);
    const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // each entry once
    await page.close();
  });

  it.each([
    ['pagehide', 'window'],
    ['visibilitychange', 'document'],
  ] as const)('keeps the close of connections a page closes in its own %s listener (on its %s) as it navigates away', async (type, target) => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=600&close-on-${type}`;
    await page.goto(url);
    await callReaches(page, 'connected');
    // (a listener of the page's, so after the content script's own, which drains the hook as the page is left)
    await page.evaluate(
      ([type, target]) => {
        const w = window as unknown as { pcs: RTCPeerConnection[] };
        (target === 'window' ? window : document).addEventListener(type, () => w.pcs.forEach((pc) => pc.close()));
      },
      [type, target] as const,
    );
    await page.goto(`${server.origin}/blank.html`);
    const bg = await browser.background();
    const session = await endedSession(bg, url);
    const { events } = await getSessionTrace(bg, session.id);
    expect(events.filter((e) => e.method === 'close').map((e) => e.pc).sort()).toEqual(['PC_0', 'PC_1']);
    await page.close();
  });

  it('ends the session when its tab closes, and keeps it', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=600&close`; // still in the call when the tab closes
    await page.goto(url);
    await callReaches(page, 'connected');
    const bg = await browser.background();
    await waitFor(async () => (await sessionsOf(bg, url))[0]?.statsCount, 'a stats sample');
    const closedAt = Date.now();
    await page.close();
    const session = await endedSession(bg, url);
    expect(session.endTime!).toBeGreaterThanOrEqual(closedAt - 1000);
    const { events } = await getSessionTrace(bg, session.id);
    expect(events.filter((e) => e.method === 'create' && e.pc !== null)).toHaveLength(2);
  });
});

describe('frames', () => {
  it('captures calls in a same-origin and a cross-origin iframe into the tab session, labelled by frame', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/frames.html?cross=${encodeURIComponent(crossOrigin.origin)}&seconds=3`;
    await page.goto(url);
    for (const frame of page.frames().slice(1)) await callReaches(frame, 'ended');
    await page.goto('about:blank');
    const bg = await browser.background();
    const [summary] = await waitFor(async () => {
      const s = await sessionsOf(bg, url);
      return s[0]?.endTime && s[0].connections.length === 4 ? s : null;
    }, 'the frames session');
    const { session, events } = await getSessionTrace(bg, summary!.id);
    expect(session.url).toBe(url);
    expect(session.frames.map((f) => f.origin).sort()).toEqual([server.origin, crossOrigin.origin].sort());
    expect(session.frames.every((f) => !f.isTop && f.frameId > 0)).toBe(true);
    expect(new Set(session.frames.map((f) => f.frameId)).size).toBe(2);
    for (const [index, frame] of session.frames.entries()) {
      expect(frame.url).toBe(`${frame.origin}/call.html?seconds=3`);
      const conns = session.connections.filter((c) => c.frame === index);
      expect(conns).toHaveLength(2);
      for (const c of conns) {
        const own = events.filter((e) => e.pc === c.id);
        expect(own.every((e) => e.frame === index)).toBe(true);
        expect(own.filter((e) => e.method === 'onconnectionstatechange').map((e) => e.value)).toContain('connected');
        expect(own.filter((e) => e.method === 'getStats').length).toBeGreaterThanOrEqual(2);
      }
    }
  });
});

describe('settings', () => {
  it('gives a disabled site no hook at all, and captures it again once re-enabled', async () => {
    await setSettings({ disabledSites: ['127.0.0.1'] });
    const page = await browser.context.newPage();
    // Which of the extension's scripts run in the page, as the DevTools protocol sees them parsed.
    const cdp = await browser.context.newCDPSession(page);
    let injected: string[] = [];
    cdp.on('Debugger.scriptParsed', (e: { url: string }) => {
      if (e.url.startsWith('chrome-extension://')) injected.push(new URL(e.url).pathname);
    });
    await cdp.send('Debugger.enable');
    const url = `${server.origin}/call.html?seconds=2&disabled`;
    await page.goto(url);
    await callReaches(page, 'ended');
    expect(injected).toEqual([]);
    await setSettings({ disabledSites: [] });
    injected = [];
    const url2 = `${server.origin}/call.html?seconds=2&enabled-again`;
    await page.goto(url2);
    await callReaches(page, 'ended');
    expect(injected.sort()).toEqual(['/content.js', '/page-hook.js']);
    const bg = await browser.background();
    await waitFor(async () => (await sessionsOf(bg, url2))[0]?.statsCount, 'the re-enabled page to be captured');
    expect(await sessionsOf(bg, url)).toHaveLength(0);
    await page.close();
  });

  it('captures nothing while paused', async () => {
    await setSettings({ paused: true });
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=2&paused`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await setSettings({ paused: false });
    const url2 = `${server.origin}/call.html?seconds=2&resumed`;
    await page.goto(url2);
    await callReaches(page, 'ended');
    const bg = await browser.background();
    await waitFor(async () => (await sessionsOf(bg, url2))[0]?.statsCount, 'the resumed page to be captured');
    expect(await sessionsOf(bg, url)).toHaveLength(0);
    await page.close();
  });

  it('polls at the configured interval from the next page load', async () => {
    const settings = await setSettings({ pollIntervalMs: 250 });
    expect(settings.pollIntervalMs).toBe(250);
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=3&fast`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.close();
    await setSettings({ pollIntervalMs: 1000 });
    const bg = await browser.background();
    const summary = await endedSession(bg, url);
    const { events } = await getSessionTrace(bg, summary.id);
    const times = events.filter((e) => e.pc === 'PC_0' && e.method === 'getStats').map((e) => e.t);
    const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(450);
    expect(times.length).toBeGreaterThanOrEqual(10);
  });

  it('keeps at most the configured number of sessions, evicting the oldest whole sessions', async () => {
    const bg = await browser.background();
    const before = await listSessions(bg);
    await setSettings({ maxSessions: 2 });
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=1&retention`;
    await page.goto(url);
    await callReaches(page, 'ended');
    await page.close();
    const after = await waitFor(async () => {
      const s = await listSessions(bg);
      return s.length === 2 && s.every((x) => x.endTime !== null) ? s : null;
    }, 'eviction down to two sessions');
    const newestBefore = before.sort((a, b) => b.startTime - a.startTime)[0]!;
    expect(after.map((s) => s.id).sort()).toEqual([newestBefore.id, after.find((s) => s.url === url)!.id].sort());
    await setSettings({ maxSessions: 500 });
  });
});

describe('browser restart', () => {
  it('keeps every session across a restart with the same profile', async () => {
    const profile = browser.userDataDir;
    const bg = await browser.background();
    const page = await browser.context.newPage();
    const url = `${server.origin}/call.html?seconds=1&restart`;
    await page.goto(url);
    await callReaches(page, 'ended');
    // (left, so that nothing more comes: the counts compared below are final)
    await page.close();
    await endedSession(bg, url, 'the last session to be stored and ended');
    const before = await listSessions(bg);
    await browser.close({ keepProfile: true });
    browser = await launchWithExtension({ userDataDir: profile });
    const bg2 = await browser.background();
    const after = await waitFor(async () => {
      const s = await listSessions(bg2);
      return s.every((x) => x.endTime !== null) ? s : null;
    }, 'every session to be ended after the restart');
    expect(after.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    for (const s of after) expect(s.eventCount).toBe(before.find((b) => b.id === s.id)!.eventCount);
    // still capturing after the restart
    const page2 = await browser.context.newPage();
    const url2 = `${server.origin}/call.html?seconds=1&after-restart`;
    await page2.goto(url2);
    await callReaches(page2, 'ended');
    await waitFor(async () => (await sessionsOf(bg2, url2))[0]?.statsCount, 'capture after the restart');
  });
});
