// Nothing is lost when the background is stopped mid-call: the content
// script resends what was not acknowledged, the background skips what it
// already wrote.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, stopBackground, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { endedPageLoads, getSessionTrace, listSessions } from '../support/trace';
import { waitFor } from '../support/wait';
import { callReaches } from '../support/call-page';

const CALL_SECONDS = 60;
const POLL_MS = 1000;
const STOPS = 4;
const BURST = 20;

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

it(`keeps a gapless trace of a ${CALL_SECONDS} s call while the background is stopped ${STOPS} times`, async () => {
  const page = await browser.context.newPage();
  const url = `${server.origin}/call.html?seconds=${CALL_SECONDS}`;
  await page.goto(url);
  await callReaches(page, 'connected');

  let stops = 0;
  let lastStats = 0;
  while (stops < STOPS) {
    // Stop once the stored trace has moved on by about 10 s of samples since the last stop.
    const session = await waitFor(
      async () => (await listSessions(await browser.background())).find((s) => s.url === url && s.statsCount >= lastStats + 20),
      'more stats samples',
      { timeoutMs: 30000 },
    );
    lastStats = session.statsCount;
    // A burst of entries that are still in the content script (batched, unacknowledged) when the background stops.
    await page.evaluate((n) => {
      const [pc] = (window as unknown as { pcs: RTCPeerConnection[] }).pcs;
      for (let i = 0; i < n; i++) pc!.createDataChannel(`burst-${i}`);
    }, BURST);
    await stopBackground(browser);
    stops++;
  }

  await callReaches(page, 'ended', (CALL_SECONDS + 30) * 1000);
  const { connectedAt, endedAt } = await page.evaluate(() => (window as unknown as { call: { connectedAt: number; endedAt: number } }).call);
  await page.goto('about:blank');
  const bg = await browser.background();
  const ended = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
  const { events } = await getSessionTrace(bg, ended.id);

  expect(stops).toBe(STOPS);
  // ended when the page was left, not earlier (a restart must not take a live session for a stale one)
  expect(ended.endTime).toBeGreaterThanOrEqual(endedAt);
  expect(events.filter((e) => e.method === 'createDataChannel')).toHaveLength(STOPS * BURST);
  expect(events.filter((e) => e.method === 'createDataChannelOnSuccess')).toHaveLength(STOPS * BURST);
  // every entry of the frame, exactly once
  const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  for (const pc of ['PC_0', 'PC_1']) {
    const times = events.filter((e) => e.pc === pc && e.method === 'getStats').map((e) => e.t);
    // samples from the connection's start to the hang-up, never further apart than two poll intervals
    expect(times[0]!).toBeLessThanOrEqual(connectedAt + POLL_MS);
    expect(times.at(-1)!).toBeGreaterThanOrEqual(endedAt - 2 * POLL_MS);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * POLL_MS);
    expect(events.filter((e) => e.pc === pc && e.method === 'close')).toHaveLength(1);
  }
}, 240_000);

it('keeps the page loads of a tab together across a stop of the background (the browser run outlives it)', async () => {
  const page = await browser.context.newPage();
  const url = `${server.origin}/call.html?seconds=1&run=1`;
  await page.goto(url);
  await callReaches(page, 'ended');
  await stopBackground(browser);
  await page.reload();
  await callReaches(page, 'ended');
  await page.goto('about:blank');
  const bg = await browser.background();
  const loads = await endedPageLoads(bg, url, 2);
  expect(loads[0]!.tabId).toBe(loads[1]!.tabId);
  expect(loads[0]!.browserRun).toMatch(/^[0-9a-f-]{36}$/);
  expect(loads[1]!.browserRun).toBe(loads[0]!.browserRun);
  const tab = await bg.evaluate((id) => (globalThis as unknown as { getTabTrace(id: string): Promise<{ session: { connections: { id: string }[] } }> }).getTabTrace(id), loads[0]!.id);
  expect(tab.session.connections).toHaveLength(loads[0]!.connections.length + loads[1]!.connections.length);
  await page.close();
}, 120_000);
