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
import { countMethods } from '../support/trace';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import { readRtcstats } from '../../src/core/rtcstats';
import type { StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';

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
const values = (events: StoredEvent[], pc: string, method: string) => of(events, pc, method).map((e) => e.value);

function hasMedia(sample: StatsSample, type: string, kind: string): boolean {
  return Object.values(sample).some((r) => r.type === type && r.kind === kind);
}

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

  it('stores the session with its page, tab, times, browser and extension version', () => {
    expect(session.url).toBe(url);
    expect(session.origin).toBe(server.origin);
    expect(session.title).toBe('Two-party call (WebRTC Lens test page)');
    expect(session.tabId).toEqual(expect.any(Number));
    expect(session.startTime).toBeLessThanOrEqual(events[0]!.t);
    expect(session.endTime).toBeGreaterThanOrEqual(pageCall.endedAt);
    expect(session.userAgent).toMatch(/Gecko\/\d+ Firefox\/\d+/);
    expect(session.extensionVersion).toBe(chromeManifest.version);
    expect(session.frames).toHaveLength(1);
    expect(session.frames[0]!.isTop).toBe(true);
    expect(session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1']);
    expect(session.eventCount).toBe(events.length);
  });

  it('keeps every frame entry in order, without sequence gaps', () => {
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
  });

  it('records getUserMedia with its constraints and resulting tracks', () => {
    const calls = of(events, null, 'navigator.mediaDevices.getUserMedia');
    const results = of(events, null, 'navigator.mediaDevices.getUserMediaOnSuccess');
    expect(calls).toHaveLength(1);
    expect(results).toHaveLength(1);
    expect(calls[0]!.value).toEqual({ audio: true, video: { width: 640, height: 480 } });
    expect(results[0]!.extra).toEqual(calls[0]!.extra);
    const tracks = results[0]!.value as [string, string, string, Record<string, unknown>][];
    expect(tracks.map((t) => t[0]).sort()).toEqual(['audio', 'video']);
    expect(tracks.find((t) => t[0] === 'video')![3]).toMatchObject({ width: 640, height: 480 });
  });

  it('records creation, offer/answer with SDP, and close of both connections', () => {
    for (const pc of ['PC_0', 'PC_1']) {
      expect(of(events, pc, 'create')).toHaveLength(1);
      expect(of(events, pc, 'create')[0]!.value).toEqual({ iceServers: [] });
      expect(of(events, pc, 'addTrack')).toHaveLength(2);
      expect(of(events, pc, 'setLocalDescription')).toHaveLength(1);
      expect(of(events, pc, 'setLocalDescriptionOnSuccess')).toHaveLength(1);
      expect(of(events, pc, 'setRemoteDescription')).toHaveLength(1);
      expect(of(events, pc, 'setRemoteDescriptionOnSuccess')).toHaveLength(1);
      expect(of(events, pc, 'close')).toHaveLength(1);
    }
    const [offer] = values(events, 'PC_0', 'createOfferOnSuccess') as { type: string; sdp: string }[];
    const [answer] = values(events, 'PC_1', 'createAnswerOnSuccess') as { type: string; sdp: string }[];
    expect(of(events, 'PC_0', 'createOffer')).toHaveLength(1);
    expect(of(events, 'PC_1', 'createAnswer')).toHaveLength(1);
    expect(offer!.type).toBe('offer');
    expect(answer!.type).toBe('answer');
    for (const sdp of [offer!.sdp, answer!.sdp]) expect(sdp).toMatch(/m=audio[\s\S]*m=video/);
    expect(values(events, 'PC_1', 'setRemoteDescription')[0]).toEqual(offer);
    expect(values(events, 'PC_0', 'setRemoteDescription')[0]).toEqual(answer);
    // close is the last thing each connection did
    for (const pc of ['PC_0', 'PC_1']) expect(events.filter((e) => e.pc === pc).at(-1)!.method).toBe('close');
  });

  it('records every ICE candidate gathered and added', () => {
    const pairs = [['PC_0', 'PC_1', pageCall.candidates.pc1], ['PC_1', 'PC_0', pageCall.candidates.pc2]] as const;
    for (const [from, to, count] of pairs) {
      const gathered = values(events, from, 'onicecandidate');
      expect(count).toBeGreaterThan(0);
      expect(gathered.filter((c) => c !== null)).toHaveLength(count);
      expect(gathered.at(-1)).toBeNull(); // end of candidates
      expect(of(events, to, 'addIceCandidate')).toHaveLength(count);
      expect(of(events, to, 'addIceCandidateOnSuccess')).toHaveLength(count);
      expect(values(events, to, 'addIceCandidate')).toEqual(gathered.filter((c) => c !== null));
    }
  });

  it('records state changes through connected, and the remote tracks', () => {
    expect(values(events, 'PC_0', 'onsignalingstatechange')).toEqual(['have-local-offer', 'stable']);
    expect(values(events, 'PC_1', 'onsignalingstatechange')).toEqual(['have-remote-offer', 'stable']);
    for (const pc of ['PC_0', 'PC_1']) {
      expect(values(events, pc, 'onconnectionstatechange')).toEqual(['connecting', 'connected']);
      expect(values(events, pc, 'oniceconnectionstatechange').slice(0, 2)).toEqual(['checking', 'connected']);
      expect(values(events, pc, 'onicegatheringstatechange')).toEqual(['gathering', 'complete']);
      const tracks = values(events, pc, 'ontrack') as string[];
      expect(tracks.map((t) => t.split(':')[0]).sort()).toEqual(['audio', 'video']);
    }
  });

  it('polls getStats every second with inbound and outbound audio and video', () => {
    const byPc = new Map<string, { t: number; sample: StatsSample }[]>();
    for (const { event, sample } of completeStatsSamples(events)) {
      byPc.set(event.pc!, [...(byPc.get(event.pc!) ?? []), { t: event.t, sample }]);
    }
    for (const pc of ['PC_0', 'PC_1']) {
      const samples = byPc.get(pc)!;
      const complete = samples.filter(({ sample }) =>
        ['audio', 'video'].every((kind) => hasMedia(sample, 'inbound-rtp', kind) && hasMedia(sample, 'outbound-rtp', kind)),
      );
      expect(complete.length).toBeGreaterThanOrEqual(CALL_SECONDS - 2);
      const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t).sort((a, b) => a - b);
      const median = gaps[Math.floor(gaps.length / 2)]!;
      expect(median).toBeGreaterThan(800);
      expect(median).toBeLessThan(1300);
      const sent = (s: StatsSample) =>
        Object.values(s).find((r) => r.type === 'outbound-rtp' && r.kind === 'video')?.bytesSent as number;
      expect(sent(complete.at(-1)!.sample)).toBeGreaterThan(sent(complete[0]!.sample));
    }
  });

  it('exports an rtcstats file-format-3 dump that reads back to the same trace', async () => {
    const dump = await exportSession(automation, session.id, 'rtcstats');
    const lines = dump.split('\n');
    expect(lines[0]).toBe('RTCStatsDump');
    const metadata = JSON.parse(lines[1]!);
    expect(metadata).toMatchObject({ fileFormat: 3, url, origin: server.origin, userAgent: session.userAgent, startTime: session.startTime });
    const data = lines.slice(2).filter((l) => l.length > 0).map((l) => JSON.parse(l) as unknown[]);
    expect(data).toHaveLength(events.length);
    let time = 0;
    data.forEach((line, i) => {
      expect(Array.isArray(line)).toBe(true);
      const delta = line.at(-1) as number;
      if (i === 0) expect(delta).toBeGreaterThan(1.5e12);
      else expect(delta).toBeGreaterThanOrEqual(0);
      time += delta;
      expect(time).toBe(events[i]!.t);
      expect(line[0]).toBe(events[i]!.method);
      expect(line[1]).toBe(events[i]!.pc);
    });
    const parsed = readRtcstats(dump);
    expect(countMethods(parsed.events)).toEqual(countMethods(events));
    const exportedStats = parsed.events.filter((e) => e.method === 'getStats').map((e) => e.value);
    const storedStats = [...completeStatsSamples(events)].map((s) => s.sample);
    expect(exportedStats).toEqual(storedStats);
  });
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

describe('closing a tab', () => {
  // Firefox tears down the content script's runtime port of a closing tab before the page's pagehide, so the
  // entries it has not sent yet (its batch of at most the last 250 ms) are lost; Chromium still sends them.
  // Everything sent before is kept, and the session ends when the tab closes.
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
});
