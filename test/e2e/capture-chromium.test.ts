// End to end in headless Chromium with fake devices: a two-party call on one
// page is captured into a stored session, and its rtcstats export reads back
// to the same trace.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { launchWithExtension, type ExtensionBrowser } from '../support/chromium';
import { servePages, type PageServer } from '../support/server';
import { waitFor } from '../support/wait';
import { twoPartyCallTests } from '../support/two-party-call';
import { exportSession, getSessionTrace, listSessions } from '../support/trace';
import type { SessionRecord } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';
import { callReaches } from '../support/call-page';

const CALL_SECONDS = 20;
const manifestVersion = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')).version;

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

const of = (events: StoredEvent[], pc: string | null, method: string) => events.filter((e) => e.pc === pc && e.method === method);

describe('a two-party call in Chromium', () => {
  let session: SessionRecord;
  let events: StoredEvent[];
  let pageCall: { candidates: { pc1: number; pc2: number }; connectedAt: number; endedAt: number };
  let url: string;

  beforeAll(async () => {
    const page = await browser.context.newPage();
    url = `${server.origin}/call.html?seconds=${CALL_SECONDS}`;
    await page.goto(url);
    await callReaches(page, 'ended', (CALL_SECONDS + 30) * 1000);
    pageCall = await page.evaluate(() => (window as unknown as { call: typeof pageCall }).call);
    // Leaving the page ends the session; wait until both closes are stored and the session has ended.
    await page.goto('about:blank');
    const bg = await browser.background();
    const ended = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    ({ session, events } = await getSessionTrace(bg, ended.id));
    await page.close();
  }, (CALL_SECONDS + 60) * 1000);

  twoPartyCallTests(() => ({
    session,
    events,
    pageCall,
    url,
    origin: server.origin,
    userAgent: /Chrome\/\d+/,
    extensionVersion: manifestVersion,
    exportRtcstats: async () => exportSession(await browser.background(), session.id, 'rtcstats'),
  }));
});

describe('connection configuration', () => {
  it('stores the configuration without TURN credentials, and the legacy constraints', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/blank.html`);
    await page.evaluate(() => {
      const pc = new (RTCPeerConnection as unknown as new (c: RTCConfiguration, l: unknown) => RTCPeerConnection)(
        { iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'alice', credential: 's3cret' }, { urls: ['stun:stun.example.org'] }] },
        { optional: [{ rtcStatsClientId: 'client-7' }, { rtcStatsConferenceId: 'room-42' }] },
      );
      pc.close();
    });
    const url = page.url();
    await page.close(); // leaving the page ends its session
    const bg = await browser.background();
    const ended = await waitFor(async () => (await listSessions(bg)).find((s) => s.url === url && s.endTime !== null), 'the session to end');
    const { session, events } = await getSessionTrace(bg, ended.id);
    const create = of(events, 'PC_0', 'create')[0]!;
    expect(create.value).toEqual({ iceServers: [{ urls: 'turn:turn.example.org:3478' }, { urls: ['stun:stun.example.org'] }] });
    expect(JSON.stringify(events)).not.toContain('s3cret');
    expect(JSON.stringify(events)).not.toContain('alice');
    expect(of(events, 'PC_0', 'constraints')[0]!.value).toEqual({ optional: [{ rtcStatsClientId: 'client-7' }, { rtcStatsConferenceId: 'room-42' }] });
    expect(session.tags).toEqual({ rtcStatsClientId: 'client-7', rtcStatsConferenceId: 'room-42' });
  });
});
