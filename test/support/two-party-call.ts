// The checks of a captured two-party call (test/pages/call.html), the same in
// every browser: session metadata, the full trace, getStats polling, and the
// rtcstats export reading back to the same trace.

import { expect, it } from 'vitest';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import { readRtcstats } from '../../src/core/rtcstats';
import type { StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { countMethods } from './trace';

export interface CapturedCall {
  session: SessionRecord;
  events: StoredEvent[];
  /** what the page reported (window.call) */
  pageCall: { candidates: { pc1: number; pc2: number }; connectedAt: number; endedAt: number };
  url: string;
  origin: string;
  /** what the browser's user agent looks like */
  userAgent: RegExp;
  extensionVersion: string;
  exportRtcstats(): Promise<string>;
}

const of = (events: StoredEvent[], pc: string | null, method: string) => events.filter((e) => e.pc === pc && e.method === method);
const values = (events: StoredEvent[], pc: string, method: string) => of(events, pc, method).map((e) => e.value);

function hasMedia(sample: StatsSample, type: string, kind: string): boolean {
  return Object.values(sample).some((r) => r.type === type && r.kind === kind);
}

/** Registers the tests; `get` gives the call once the caller's beforeAll has captured it. */
export function twoPartyCallTests(get: () => CapturedCall): void {
  it('stores the session with its page, tab, times, browser and extension version', () => {
    const { session, events, pageCall, url, origin, userAgent, extensionVersion } = get();
    expect(session.url).toBe(url);
    expect(session.origin).toBe(origin);
    expect(session.title).toBe('Two-party call (WebRTC Lens test page)');
    expect(session.tabId).toEqual(expect.any(Number));
    expect(session.startTime).toBeLessThanOrEqual(events[0]!.t);
    expect(session.endTime).toBeGreaterThanOrEqual(pageCall.endedAt);
    expect(session.userAgent).toMatch(userAgent);
    expect(session.extensionVersion).toBe(extensionVersion);
    expect(session.frames).toHaveLength(1);
    expect(session.frames[0]!.isTop).toBe(true);
    expect(session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1']);
    expect(session.eventCount).toBe(events.length);
  });

  it('keeps every frame entry in order, without sequence gaps', () => {
    const { events } = get();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
  });

  it('records getUserMedia with its constraints and resulting tracks', () => {
    const { events } = get();
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
    const { events } = get();
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
    const { events, pageCall } = get();
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
    const { events } = get();
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
    const { events, pageCall } = get();
    const byPc = new Map<string, { t: number; sample: StatsSample }[]>();
    for (const { event, sample } of completeStatsSamples(events)) {
      byPc.set(event.pc!, [...(byPc.get(event.pc!) ?? []), { t: event.t, sample }]);
    }
    for (const pc of ['PC_0', 'PC_1']) {
      const samples = byPc.get(pc)!;
      const complete = samples.filter(({ sample }) =>
        ['audio', 'video'].every((kind) => hasMedia(sample, 'inbound-rtp', kind) && hasMedia(sample, 'outbound-rtp', kind)),
      );
      // media flows within a few seconds of connecting, and from then on every second until the hang-up
      // (counted from the first sample with all four, so that a slow start on a busy machine is not a gap)
      expect(complete[0]!.t - pageCall.connectedAt).toBeLessThan(5000);
      expect(complete.length).toBeGreaterThanOrEqual(Math.floor((pageCall.endedAt - complete[0]!.t) / 1000) - 1);
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
    const { session, events, url, origin, exportRtcstats } = get();
    const dump = await exportRtcstats();
    const lines = dump.split('\n');
    expect(lines[0]).toBe('RTCStatsDump');
    const metadata = JSON.parse(lines[1]!);
    expect(metadata).toMatchObject({ fileFormat: 3, url, origin: origin, userAgent: session.userAgent, startTime: session.startTime });
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
}
