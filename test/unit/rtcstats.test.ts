import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  exportRtcstats,
  readRtcstats,
  decompressMethod,
  DumpFormatError,
  FULL_SAMPLE_MARK,
  RTCSTATS_MAGIC,
  RTCSTATS_FILE_FORMAT,
} from '../../src/core/rtcstats';
import type { SessionRecord } from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import { orderEvents, type StoredEvent } from '../../src/core/trace';
import { readLikeRtcstats, rtcstatsDecompress, whyNoDelta, type Sample } from './support/rtcstats-reader';
import { ANYTHING, Rng, randomSamples, type GenOptions, type JsonSample } from './support/random-stats';
import { fixture as fixturePath } from './support/fixtures';

const FIXTURE = fixturePath('rtcstats/chrome140-gum-only.jsonl');

// The rtcstats-semantics reader (support/rtcstats-reader.ts, written from
// rtcstats' description, not from src/) ignores our "full" mark and merges
// every getStats line into the previous sample, as rtcstats' tools do.

// ---------------------------------------------------------------------------
// Fixture: a session with page-level getUserMedia, a call in the top frame
// and one in a sub-frame, stored the way the page hook sends them.
// ---------------------------------------------------------------------------
const T = 1758602115000;
const SESSION_ID = '6f1c0a52-9d3e-4b8a-a1f2-3c4d5e6f7a8b';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';

function session(): SessionRecord {
  return {
    id: SESSION_ID,
    tabId: 412,
    url: 'https://meet.example.com/room/standup',
    origin: 'https://meet.example.com',
    title: 'Stand-up',
    startTime: T,
    endTime: T + 20000,
    userAgent: UA,
    extensionVersion: '0.1.0',
    frames: [
      { key: 'top-key', frameId: 0, url: 'https://meet.example.com/room/standup', origin: 'https://meet.example.com', isTop: true, firstSeen: T + 5 },
      { key: 'sub-key', frameId: 7, url: 'https://widget.example.net/call', origin: 'https://widget.example.net', isTop: false, firstSeen: T + 40 },
    ],
    connections: [
      { id: 'PC_0', frame: 0, createdAt: T + 1000, closedAt: T + 9000, configuration: { bundlePolicy: 'max-bundle' } },
      { id: 'f1-PC_0', frame: 1, createdAt: T + 1200, closedAt: null, configuration: {} },
    ],
    tags: { rtcStatsClientId: 'client-42' },
    eventCount: 0,
    statsCount: 0,
    lastEventTime: T + 9000,
    bytes: 0,
    rawBytes: 0,
  };
}

function samplesA(): StatsSample[] {
  const out: StatsSample[] = [];
  for (let i = 0; i < 5; i++) {
    const ts = T + 2000 + i * 1000 + 0.125;
    const s: StatsSample = {
      P: { type: 'peer-connection', timestamp: ts, dataChannelsOpened: 0, dataChannelsClosed: 0 },
      T01: { type: 'transport', timestamp: ts, bytesSent: 50000 * (i + 1), bytesReceived: 41000 * (i + 1), dtlsState: 'connected', selectedCandidatePairId: 'CPa_b' },
      CPa_b: {
        type: 'candidate-pair', timestamp: ts, localCandidateId: 'Ia', remoteCandidateId: 'Ib', state: 'succeeded', nominated: true,
        currentRoundTripTime: 0.01 + i / 1000, availableOutgoingBitrate: 2500000 - i * 1000,
      },
      OT01V12: {
        type: 'outbound-rtp', timestamp: ts, ssrc: 12, kind: 'video', mid: '1', packetsSent: 90 * (i + 1), framesEncoded: 30 * (i + 1),
        frameWidth: i >= 2 ? 480 : 640, frameHeight: i >= 2 ? 360 : 480, qualityLimitationReason: i >= 2 ? 'bandwidth' : 'none',
        qualityLimitationDurations: { none: 1 + i, bandwidth: i >= 2 ? i - 1 : 0, cpu: 0, other: 0 },
      },
      IT01A13: { type: 'inbound-rtp', timestamp: ts, ssrc: 13, kind: 'audio', packetsReceived: 50 * i, audioLevel: 0.01 * i, jitter: 0.001 },
      // the time of the last RTCP report: older than the others, changes only at i = 2
      RIV12: { type: 'remote-inbound-rtp', timestamp: i < 2 ? T + 1800.5 : T + 3700.5, localId: 'OT01V12', roundTripTime: i < 2 ? 0.011 : 0.014 },
    };
    if (i < 2) s.Ir1 = { type: 'remote-candidate', timestamp: ts, address: '203.0.113.7', port: 3478, candidateType: 'srflx' };
    if (i >= 1) s.Ir2 = { type: 'remote-candidate', timestamp: ts, address: '198.51.100.9', port: 61000, candidateType: 'relay' };
    out.push(s);
  }
  return out;
}

function samplesB(): StatsSample[] {
  const out: StatsSample[] = [];
  for (let i = 0; i < 3; i++) {
    const ts = T + 2500 + i * 1000 + 0.5;
    out.push({
      P: { type: 'peer-connection', timestamp: ts, dataChannelsOpened: 1, dataChannelsClosed: 0 },
      IT01V21: { type: 'inbound-rtp', timestamp: ts, ssrc: 21, kind: 'video', packetsReceived: 80 * i, framesDecoded: 25 * i },
      D3: { type: 'data-channel', timestamp: ts, label: 'chat', state: 'open', messagesSent: i, bytesSent: 12 * i },
    });
  }
  return out;
}

interface Fixture {
  /** in storage order (by frame, then sequence), not by time */
  events: StoredEvent[];
  /** complete sample of each getStats event */
  complete: Map<StoredEvent, StatsSample>;
}

function fixture(): Fixture {
  const seqs = new Map<number, number>();
  const complete = new Map<StoredEvent, StatsSample>();
  const ev = (frame: number, t: number, method: string, pc: string | null, value: unknown, more: Partial<StoredEvent> = {}): StoredEvent => {
    const seq = (seqs.get(frame) ?? 0) + 1;
    seqs.set(frame, seq);
    return { sessionId: SESSION_ID, frame, seq, t, method, pc, value, ...more };
  };
  const stats = (frame: number, pc: string, samples: StatsSample[], fullAt: number[], dt: number): StoredEvent[] => {
    let previous: StatsSample | undefined;
    return samples.map((sample, i) => {
      const delta = fullAt.includes(i) ? null : statsDelta(previous, sample);
      previous = sample;
      const t = Math.floor(sample.P!.timestamp as number) + dt;
      const e = delta === null ? ev(frame, t, 'getStats', pc, sample, { full: true }) : ev(frame, t, 'getStats', pc, delta);
      complete.set(e, sample);
      return e;
    });
  };
  const frame0 = [
    ev(0, T + 100, 'create', null, { hardwareConcurrency: 8, screen: { width: 1920, height: 1080 } }),
    ev(0, T + 110, 'navigator.mediaDevices.getUserMedia', null, { audio: true, video: true }, { extra: ['gum-0'] }),
    ev(0, T + 900, 'navigator.mediaDevices.getUserMediaOnSuccess', null, [['audio', 't1', 's1'], ['video', 't2', 's1']], { extra: ['gum-0'] }),
    ev(0, T + 1000, 'create', 'PC_0', { bundlePolicy: 'max-bundle' }),
    ev(0, T + 1000, 'constraints', 'PC_0', { optional: [{ rtcStatsClientId: 'client-42' }] }),
    ev(0, T + 1300, 'createOffer', 'PC_0', undefined),
    ev(0, T + 1305, 'createOfferOnSuccess', 'PC_0', { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }),
    ev(0, T + 1500, 'onconnectionstatechange', 'PC_0', 'connected'),
    // a full sample every 30 in the page; here the fourth one
    ...stats(0, 'PC_0', samplesA(), [0, 3], 2),
    ev(0, T + 9000, 'close', 'PC_0', undefined),
  ];
  const frame1 = [
    ev(1, T + 1200, 'create', 'f1-PC_0', {}),
    ev(1, T + 1300, 'createDataChannel', 'f1-PC_0', ['chat', { ordered: true }]), // same time as PC_0's createOffer
    ...stats(1, 'f1-PC_0', samplesB(), [0], 1),
  ];
  return { events: [...frame0, ...frame1], complete };
}

/**
 * Order of a session's trace, written here independently: time, frame, sequence
 * (what orderEvents gives when, as in this fixture, no frame's clock steps back).
 */
function byTime(events: StoredEvent[]): StoredEvent[] {
  return [...events].sort((a, b) => (a.t !== b.t ? a.t - b.t : a.frame !== b.frame ? a.frame - b.frame : a.seq - b.seq));
}

describe('exportRtcstats', () => {
  it('starts with the RTCStatsDump magic line and a metadata line (file format 3)', () => {
    const text = exportRtcstats(session(), fixture().events);
    const lines = text.split('\n');
    expect(lines[0]).toBe('RTCStatsDump');
    expect(RTCSTATS_MAGIC).toBe('RTCStatsDump');
    const meta = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(meta.fileFormat).toBe(3);
    expect(RTCSTATS_FILE_FORMAT).toBe(3);
    expect(meta.url).toBe('https://meet.example.com/room/standup');
    expect(meta.origin).toBe('https://meet.example.com');
    expect(meta.userAgent).toBe(UA);
    expect(meta.startTime).toBe(T);
    expect(meta.tags).toEqual({ rtcStatsClientId: 'client-42' });
  });

  it('writes one JSON array line per event, and ends with a newline', () => {
    const { events } = fixture();
    const text = exportRtcstats(session(), events);
    expect(text.endsWith('\n')).toBe(true);
    const dataLines = text.split('\n').slice(2, -1);
    expect(dataLines).toHaveLength(events.length);
    expect(events).toHaveLength(19);
    for (const line of dataLines) {
      const parsed: unknown = JSON.parse(line);
      expect(Array.isArray(parsed)).toBe(true);
      expect((parsed as unknown[]).length).toBeGreaterThanOrEqual(4);
      expect(typeof (parsed as unknown[]).at(-1)).toBe('number');
    }
  });

  it('orders lines by time; the last element is ms since the previous line, absolute on the first line', () => {
    const { events } = fixture();
    const { lines, times } = readLikeRtcstats(exportRtcstats(session(), events));
    expect(lines[0]!.at(-1)).toBe(T + 100); // absolute epoch ms
    expect(times).toEqual(byTime(events).map((e) => e.t));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(lines.map((l) => [l[0], l[1]])).toEqual(byTime(events).map((e) => [e.method, e.pc]));
    // same time: frame 0 before frame 1; same frame and time: by sequence
    const at1000 = lines.filter((_, i) => times[i] === T + 1000).map((l) => l[0]);
    expect(at1000).toEqual(['create', 'constraints']);
    const at1300 = lines.filter((_, i) => times[i] === T + 1300).map((l) => l[1]);
    expect(at1300).toEqual(['PC_0', 'f1-PC_0']);
  });

  it('writes [method, pc, value, ...correlation ids, dt]', () => {
    const { lines } = readLikeRtcstats(exportRtcstats(session(), fixture().events));
    expect(lines[0]!.slice(0, -1)).toEqual(['create', null, { hardwareConcurrency: 8, screen: { width: 1920, height: 1080 } }]);
    expect(lines[1]!.slice(0, -1)).toEqual(['navigator.mediaDevices.getUserMedia', null, { audio: true, video: true }, 'gum-0']);
    expect(lines[1]!.at(-1)).toBe(10);
    expect(lines[2]!.slice(0, -1)).toEqual(['navigator.mediaDevices.getUserMediaOnSuccess', null, [['audio', 't1', 's1'], ['video', 't2', 's1']], 'gum-0']);
    expect(lines[2]!.at(-1)).toBe(790);
    const offer = lines.find((l) => l[0] === 'createOffer')!;
    expect(offer.slice(0, -1)).toEqual(['createOffer', 'PC_0', null]); // no value: null
    const state = lines.find((l) => l[0] === 'onconnectionstatechange')!;
    expect(state.slice(0, -1)).toEqual(['onconnectionstatechange', 'PC_0', 'connected']);
  });

  it('the rtcstats reader, merging every getStats line, reads the complete samples (no sample here drops a property)', () => {
    const { samples } = readLikeRtcstats(exportRtcstats(session(), fixture().events));
    expect(samples.get('PC_0')).toEqual(samplesA());
    expect(samples.get('f1-PC_0')).toEqual(samplesB());
  });

  it('writes the first getStats line of each connection complete, marked: [getStats, pc, sample, "full", dt]', () => {
    const { lines } = readLikeRtcstats(exportRtcstats(session(), fixture().events));
    expect(FULL_SAMPLE_MARK).toBe('full');
    const stats = lines.filter((l) => l[0] === 'getStats');
    // by time: PC_0 at T+2002, 3002, ...; f1-PC_0 at T+2501, 3501, 4501
    expect(stats.map((l) => [l[1], l.length === 5 && l[3] === 'full'])).toEqual([
      ['PC_0', true], ['f1-PC_0', true], ['PC_0', false], ['f1-PC_0', false], ['PC_0', false], ['f1-PC_0', false],
      ['PC_0', false], ['PC_0', false],
    ]);
    expect(stats[0]).toEqual(['getStats', 'PC_0', samplesA()[0], 'full', 502]); // after onconnectionstatechange at T+1500
    expect(stats[1]).toEqual(['getStats', 'f1-PC_0', samplesB()[0], 'full', 499]);
    // no other line carries the mark
    expect(lines.filter((l) => l.includes('full'))).toHaveLength(2);
  });

  it('getStats lines after the first of a connection are unmarked deltas, also for samples stored complete', () => {
    const { events } = fixture();
    const text = exportRtcstats(session(), events);
    const stats = readLikeRtcstats(text).lines.filter((l) => l[0] === 'getStats' && l[1] === 'PC_0');
    expect(stats).toHaveLength(5);
    const full = samplesA();
    for (let i = 1; i < 5; i++) {
      expect(stats[i]).toHaveLength(4); // no correlation ids, no mark
      const value = stats[i]![2] as Record<string, unknown>;
      expect(value.t).toBe(full[i]!.P!.timestamp); // common timestamp collapsed
      expect(value).not.toHaveProperty('P'); // unchanged report omitted
      expect(JSON.stringify(value).length * 2).toBeLessThan(JSON.stringify(full[i]).length);
    }
    // the candidate that went away is null, the one that came is there
    expect((stats[2]![2] as Record<string, unknown>).Ir1).toBeNull();
    expect((stats[1]![2] as Record<string, unknown>).Ir2).toEqual({ type: 'remote-candidate', address: '198.51.100.9', port: 61000, candidateType: 'relay' });
    // the fourth sample was stored complete: exported as a delta against the third
    expect(events.find((e) => e.pc === 'PC_0' && e.method === 'getStats' && e.seq === 12)!.full).toBe(true);
    expect(stats[3]![2]).toEqual({
      t: T + 5000.125,
      T01: { bytesSent: 200000, bytesReceived: 164000 },
      CPa_b: { currentRoundTripTime: 0.01 + 3 / 1000, availableOutgoingBitrate: 2497000 },
      OT01V12: { packetsSent: 360, framesEncoded: 120, qualityLimitationDurations: { none: 4, bandwidth: 2 } },
      IT01A13: { packetsReceived: 150, audioLevel: 0.01 * 3 },
      RIV12: { timestamp: T + 3700.5 },
    });
  });

  it('does not modify the events it is given', () => {
    const { events } = fixture();
    const before = JSON.stringify(events);
    exportRtcstats(session(), events);
    expect(JSON.stringify(events)).toBe(before);
  });

  it('a sample that cannot be a delta is written complete and marked; readRtcstats replaces, rtcstats merges', () => {
    const s1: StatsSample = {
      OT1: { type: 'outbound-rtp', timestamp: T + 1000, packetsSent: 1, mediaSourceId: 'SV1' },
      Ir1: { type: 'remote-candidate', timestamp: T + 1000, address: '203.0.113.7' },
    };
    // after replaceTrack(null): mediaSourceId went away, and so did the candidate
    const s2: StatsSample = { OT1: { type: 'outbound-rtp', timestamp: T + 2000, packetsSent: 2 } };
    expect(statsDelta(s1, s2)).toBeNull();
    const events: StoredEvent[] = [
      { sessionId: SESSION_ID, frame: 0, seq: 1, t: T + 1001, method: 'getStats', pc: 'PC_0', value: s1, full: true },
      { sessionId: SESSION_ID, frame: 0, seq: 2, t: T + 2001, method: 'getStats', pc: 'PC_0', value: s2, full: true },
    ];
    const text = exportRtcstats(session(), events);
    const { lines, samples } = readLikeRtcstats(text);
    expect(lines).toEqual([
      ['getStats', 'PC_0', s1, 'full', T + 1001],
      ['getStats', 'PC_0', { ...s2, Ir1: null }, 'full', 1000],
    ]);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual([s1, s2]);
    // rtcstats does not know the mark: a property that went away keeps its old
    // value there (documented); a report that went away is gone (null)
    expect(samples.get('PC_0')).toEqual([
      s1,
      { OT1: { type: 'outbound-rtp', timestamp: T + 2000, packetsSent: 2, mediaSourceId: 'SV1' } },
    ]);
  });

  it('a nested key that went away: a marked complete line, exact in readRtcstats, merged in rtcstats', () => {
    const s1: StatsSample = { A: { type: 'x', timestamp: T + 1000, q: { a: 1, b: 2 } } };
    const s2: StatsSample = { A: { type: 'x', timestamp: T + 2000, q: { a: 1 } } };
    const events: StoredEvent[] = [s1, s2].map((s, i) => ({ sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1001 + 1000 * i, method: 'getStats', pc: 'PC_0', value: s, full: true }));
    const text = exportRtcstats(session(), events);
    expect(readLikeRtcstats(text).lines[1]).toEqual(['getStats', 'PC_0', s2, 'full', 1000]);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual([s1, s2]);
    expect(readLikeRtcstats(text).samples.get('PC_0')![1]).toEqual({ A: { type: 'x', timestamp: T + 2000, q: { a: 1, b: 2 } } });
  });

  it('a property that disappears and comes back: a marked line, then deltas rtcstats reads right again', () => {
    const mk = (i: number, fps?: number): StatsSample => ({
      IT01V21: { type: 'inbound-rtp', timestamp: T + 1000 * i, framesDecoded: 30 * i, ...(fps === undefined ? {} : { framesPerSecond: fps }) },
    });
    // Chrome omits inbound-rtp framesPerSecond while no frames arrive
    const samples = [mk(1, 30), mk(2), mk(3, 29), mk(4, 30), mk(5, 30)];
    let previous: StatsSample | undefined;
    const events: StoredEvent[] = samples.map((s, i) => {
      const d = statsDelta(previous, s);
      previous = s;
      return { sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1000 * (i + 1) + 1, method: 'getStats', pc: 'PC_0', value: d ?? s, ...(d ? {} : { full: true as const }) };
    });
    expect(events.map((e) => e.full === true)).toEqual([true, true, false, false, false]);
    const text = exportRtcstats(session(), events);
    const { lines, samples: read } = readLikeRtcstats(text);
    expect(lines.map((l) => l.slice(2, -1))).toEqual([
      [samples[0], 'full'],
      [samples[1], 'full'],
      [{ t: T + 3000, IT01V21: { framesDecoded: 90, framesPerSecond: 29 } }],
      [{ t: T + 4000, IT01V21: { framesDecoded: 120, framesPerSecond: 30 } }],
      [{ t: T + 5000, IT01V21: { framesDecoded: 150 } }],
    ]);
    // rtcstats: the old value on the marked line (documented), right from the next line on
    expect(read.get('PC_0')).toEqual([samples[0], { IT01V21: { ...samples[1]!.IT01V21, framesPerSecond: 30 } }, samples[2], samples[3], samples[4]]);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual(samples);
  });

  it('after a marked line, rtcstats shows a property that went away with its old value until it comes back (documented limitation)', () => {
    const mk = (i: number, src?: string): StatsSample => ({
      OT1: { type: 'outbound-rtp', timestamp: T + 1000 * i, packetsSent: i, ...(src === undefined ? {} : { mediaSourceId: src }) },
    });
    const samples = [mk(1, 'SV1'), mk(2), mk(3), mk(4, 'SV2')];
    const events: StoredEvent[] = samples.map((s, i) => ({ sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1000 * (i + 1), method: 'getStats', pc: 'PC_0', value: s, full: true }));
    const text = exportRtcstats(session(), events);
    expect(readLikeRtcstats(text).lines.map((l) => l.length === 5)).toEqual([true, true, false, false]);
    expect(readLikeRtcstats(text).samples.get('PC_0')!.map((s) => s.OT1!.mediaSourceId)).toEqual(['SV1', 'SV1', 'SV1', 'SV2']);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual(samples);
  });

  // A report can be said gone (`id: null`): a marked complete line carries null
  // for the reports of the previous sample that are gone, so rtcstats readers,
  // which merge every line, drop them too (readRtcstats drops them when it replaces).
  it('a report that goes away in a sample written complete goes away in rtcstats too', () => {
    const s1: StatsSample = { A: { type: 'x', timestamp: T + 1000, n: 1 }, B: { type: 'y', timestamp: T + 1000 } };
    const s2: StatsSample = { A: { type: 'x', timestamp: T + 2000, n: 2 }, N: { type: 'codec', payloadType: 96 } };
    const s3: StatsSample = { A: { type: 'x', timestamp: T + 3000, n: 3 }, N: { type: 'codec', payloadType: 96, timestamp: T + 3000 } };
    const events: StoredEvent[] = [s1, s2, s3].map((s, i) => ({ sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1000 * (i + 1) + 1, method: 'getStats', pc: 'PC_0', value: s, full: true }));
    const text = exportRtcstats(session(), events);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual([s1, s2, s3]);
    expect(readLikeRtcstats(text).samples.get('PC_0')).toEqual([s1, s2, s3]);
  });

  it('the marked line carries null for the report that went away', () => {
    const s1: StatsSample = { A: { type: 'x', timestamp: T + 1000, n: 1 }, B: { type: 'y', timestamp: T + 1000 } };
    const s2: StatsSample = { A: { type: 'x', timestamp: T + 2000, n: 2 }, N: { type: 'codec', payloadType: 96 } };
    const s3: StatsSample = { A: { type: 'x', timestamp: T + 3000, n: 3 }, N: { type: 'codec', payloadType: 96, timestamp: T + 3000 } };
    const events: StoredEvent[] = [s1, s2, s3].map((s, i) => ({ sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1000 * (i + 1) + 1, method: 'getStats', pc: 'PC_0', value: s, full: true }));
    const text = exportRtcstats(session(), events);
    expect(readRtcstats(text).events.map((e) => e.value)).toEqual([s1, s2, s3]);
    expect(readLikeRtcstats(text).lines.map((l) => l.slice(2, -1))).toEqual([[s1, 'full'], [{ ...s2, B: null }, 'full'], [{ t: T + 3000, A: { n: 3 } }]]);
    const read = readLikeRtcstats(text).samples.get('PC_0')!;
    expect(read[2]).toEqual(s3);
  });

  it('samples stay right when the wall clock steps back between two samples: lines in sequence order, dt negative', () => {
    const s1: StatsSample = { A: { type: 'x', timestamp: T + 1000, n: 1 }, B: { type: 'y', timestamp: T + 1000, m: 1 } };
    const s2: StatsSample = { A: { type: 'x', timestamp: T + 990, n: 2 }, B: { type: 'y', timestamp: T + 990, m: 1 } };
    const s3: StatsSample = { A: { type: 'x', timestamp: T + 1990, n: 3 }, B: { type: 'y', timestamp: T + 1990, m: 2 } };
    const events: StoredEvent[] = [
      { sessionId: SESSION_ID, frame: 0, seq: 3, t: T + 1991, method: 'getStats', pc: 'PC_0', value: statsDelta(s2, s3) },
      { sessionId: SESSION_ID, frame: 0, seq: 1, t: T + 1001, method: 'getStats', pc: 'PC_0', value: s1, full: true },
      { sessionId: SESSION_ID, frame: 0, seq: 2, t: T + 991, method: 'getStats', pc: 'PC_0', value: statsDelta(s1, s2) },
    ];
    const text = exportRtcstats(session(), events);
    const { lines, samples } = readLikeRtcstats(text);
    expect(lines).toEqual([
      ['getStats', 'PC_0', s1, 'full', T + 1001],
      ['getStats', 'PC_0', { t: T + 990, A: { n: 2 } }, -10],
      ['getStats', 'PC_0', { t: T + 1990, A: { n: 3 }, B: { m: 2 } }, 1000],
    ]);
    expect(samples.get('PC_0')).toEqual([s1, s2, s3]);
    const read = readRtcstats(text).events;
    expect(read.map((e) => [e.time, e.value])).toEqual([[T + 1001, s1], [T + 991, s2], [T + 1991, s3]]);
  });

  it('a frame whose clock stepped back is merged with the other frames by the time of its next event', () => {
    const ev = (frame: number, seq: number, t: number, method: string): StoredEvent => ({ sessionId: SESSION_ID, frame, seq, t, method, pc: null, value: { frame, seq } });
    const events = [
      ev(0, 1, T + 100, 'a'), ev(0, 2, T + 300, 'b'), ev(0, 3, T + 150, 'c'), ev(0, 4, T + 400, 'd'),
      ev(1, 1, T + 200, 'x'), ev(1, 2, T + 350, 'y'),
    ];
    const { lines, times } = readLikeRtcstats(exportRtcstats(session(), events));
    expect(lines.map((l) => l[0])).toEqual(['a', 'x', 'b', 'c', 'y', 'd']);
    expect(lines.map((l) => l.at(-1))).toEqual([T + 100, 100, 100, -150, 200, 50]);
    expect(times).toEqual([T + 100, T + 200, T + 300, T + 150, T + 350, T + 400]);
  });
});

// ---------------------------------------------------------------------------
// Random sessions: several connections in two frames, samples with every kind
// of change (support/random-stats.ts), stored the way the page's poller sends
// them, clocks that sometimes step back.
// ---------------------------------------------------------------------------
interface RandomSession {
  events: StoredEvent[];
  /** each connection's complete samples, in sequence order */
  truth: Map<string, JsonSample[]>;
}

function randomSession(seed: number, opts: GenOptions): RandomSession {
  const rng = new Rng(seed);
  const connections: [number, string][] = [[0, 'PC_0'], [0, 'PC_1'], [1, 'f1-PC_0']];
  const truth = new Map<string, JsonSample[]>();
  const events: StoredEvent[] = [];
  connections.forEach(([, pc], i) => truth.set(pc, randomSamples(seed * 31 + i, 40, opts)));
  for (const frame of [0, 1]) {
    const queues = connections.filter(([f]) => f === frame).map(([, pc]) => ({ pc, samples: [...truth.get(pc)!], previous: undefined as JsonSample | undefined, count: 0 }));
    let t = T + 1000 + frame * 7;
    let seq = 0;
    while (queues.some((q) => q.samples.length > 0)) {
      const r = rng.next();
      t += r < 0.05 ? -rng.int(3000) : rng.int(400); // the wall clock sometimes steps back
      seq++;
      const q = rng.pick(queues.filter((x) => x.samples.length > 0));
      if (rng.chance(0.3)) {
        events.push({ sessionId: SESSION_ID, frame, seq, t, method: 'onicecandidate', pc: q.pc, value: { frame, seq }, ...(rng.chance(0.3) ? { extra: [`c-${seq}`, seq] } : {}) });
        continue;
      }
      const sample = q.samples.shift()!;
      // the poller: a complete sample every 10, or when no delta can say it
      const delta = q.count % 10 === 0 ? null : statsDelta(q.previous, sample);
      q.previous = sample;
      q.count++;
      events.push({ sessionId: SESSION_ID, frame, seq, t, method: 'getStats', pc: q.pc, value: delta ?? sample, ...(delta === null ? { full: true as const } : {}) });
    }
  }
  // storage order is not the export order
  for (let i = events.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return { events, truth };
}

describe('exportRtcstats / readRtcstats on random sessions', () => {
  const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
  const configs: [number, GenOptions][] = [...SEEDS.map((s): [number, GenOptions] => [s, ANYTHING]), [99, { ...ANYTHING, timestamps: false }], [100, { ...ANYTHING, nullRate: 0.15 }]];

  it('readRtcstats gives back every complete sample, in order, and every event at its time', () => {
    let samples = 0;
    for (const [seed, opts] of configs) {
      const { events, truth } = randomSession(seed, opts);
      const dump = readRtcstats(exportRtcstats(session(), events));
      expect(dump.events).toHaveLength(events.length);
      for (const [pc, expected] of truth) {
        expect(dump.events.filter((e) => e.method === 'getStats' && e.pc === pc).map((e) => e.value)).toEqual(expected);
        samples += expected.length;
      }
      // each frame's events in sequence order (values of other events name them)
      const others = dump.events.filter((e) => e.method !== 'getStats').map((e) => e.value as { frame: number; seq: number });
      for (const frame of [0, 1]) {
        const seqs = others.filter((v) => v.frame === frame).map((v) => v.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      // the times are the events' own, in the order orderEvents gives
      expect(dump.events.map((e) => e.time)).toEqual(orderEvents(events).map((e) => e.t));
      expect(dump.events.map((e) => [e.method, e.pc])).toEqual(orderEvents(events).map((e) => [e.method, e.pc]));
    }
    expect(samples).toBe(configs.length * 3 * 40);
  });

  it('marks exactly the first line of each connection and the samples no delta can say; rtcstats reads every delta line exactly', () => {
    let marked = 0;
    let deltas = 0;
    let storedFullExportedAsDelta = 0;
    for (const [seed, opts] of configs) {
      const { events, truth } = randomSession(seed, opts);
      const { lines } = readLikeRtcstats(exportRtcstats(session(), events));
      const storedFull = new Map<string, boolean[]>();
      for (const e of orderEvents(events)) if (e.method === 'getStats') storedFull.set(e.pc!, [...(storedFull.get(e.pc!) ?? []), e.full === true]);
      const index = new Map<string, number>();
      for (const line of lines) {
        if (line[0] !== 'getStats') {
          expect(line).not.toContain('full');
          continue;
        }
        const pc = line[1] as string;
        const i = index.get(pc) ?? 0;
        index.set(pc, i + 1);
        const sample = truth.get(pc)![i]!;
        const previous = truth.get(pc)![i - 1];
        const mustBeComplete = previous === undefined || whyNoDelta(previous, sample).length > 0;
        if (mustBeComplete) {
          const gone = Object.keys(previous ?? {}).filter((id) => !(id in sample));
          expect(line).toEqual(['getStats', pc, { ...sample, ...Object.fromEntries(gone.map((id) => [id, null])) }, 'full', line[4]]);
          marked++;
        } else {
          expect(line).toHaveLength(4);
          expect(rtcstatsDecompress(previous as Sample, line[2])).toEqual(sample);
          deltas++;
          if (storedFull.get(pc)![i]) storedFullExportedAsDelta++;
        }
      }
    }
    // measured: 450 marked, 750 deltas, 63 stored complete exported as deltas
    expect(marked).toBeGreaterThan(200); // many more than the 30 first lines
    expect(deltas).toBeGreaterThan(400);
    expect(deltas).toBeGreaterThan(marked);
    expect(storedFullExportedAsDelta).toBeGreaterThan(30); // periodic complete samples become deltas
  });

  it('rtcstats, merging every line, reads each connection exactly up to its first marked line after the first', () => {
    let exactLines = 0;
    for (const [seed, opts] of configs) {
      const { events, truth } = randomSession(seed, opts);
      const { lines, samples } = readLikeRtcstats(exportRtcstats(session(), events));
      for (const [pc, expected] of truth) {
        const own = lines.filter((l) => l[0] === 'getStats' && l[1] === pc);
        const firstMarked = own.findIndex((l, i) => i > 0 && l.length === 5);
        const upTo = firstMarked < 0 ? own.length : firstMarked;
        expect(samples.get(pc)!.slice(0, upTo)).toEqual(expected.slice(0, upTo));
        exactLines += upTo;
      }
    }
    expect(exactLines).toBeGreaterThan(60); // measured: 108
  });
});

describe('readRtcstats', () => {
  it('reads back what exportRtcstats wrote: the same events with complete samples', () => {
    const { events, complete } = fixture();
    const text = exportRtcstats(session(), events);
    const dump = readRtcstats(text);
    expect(dump.metadata.fileFormat).toBe(3);
    expect(dump.metadata.url).toBe(session().url);
    expect(dump.metadata.userAgent).toBe(UA);
    expect(dump.metadata.startTime).toBe(T);
    // the first getStats line of each connection is marked complete: the mark is read as a correlation id
    const firsts = new Set(['PC_0', 'f1-PC_0'].map((pc) => byTime(events).find((e) => e.method === 'getStats' && e.pc === pc)));
    expect(firsts.size).toBe(2);
    expect(dump.events).toEqual(
      byTime(events).map((e) => ({
        method: e.method,
        pc: e.pc,
        value: e.method === 'getStats' ? complete.get(e) : (e.value ?? null),
        extra: firsts.has(e) ? ['full'] : (e.extra ?? []),
        time: e.t,
      })),
    );
    // complete samples, independently of the delta chain
    expect(dump.events.filter((e) => e.pc === 'PC_0' && e.method === 'getStats').map((e) => e.value)).toEqual(samplesA());
    expect(dump.events.filter((e) => e.pc === 'f1-PC_0' && e.method === 'getStats').map((e) => e.value)).toEqual(samplesB());
  });

  it('replaces the previous sample on a getStats line marked "full", and merges unmarked lines', () => {
    const t0 = 1758602115670;
    const line = (...parts: unknown[]): string => JSON.stringify(parts);
    const text = [
      'RTCStatsDump',
      JSON.stringify({ fileFormat: 3 }),
      line('getStats', 'PC_0', { A: { type: 'x', timestamp: 1, n: 1, q: { a: 1, b: 2 } }, B: { type: 'y', timestamp: 1 } }, 'full', t0),
      line('getStats', 'PC_0', { A: { type: 'x', timestamp: 2, n: 2, q: { a: 1 } } }, 'full', 1000), // B and q.b went away
      line('getStats', 'PC_0', { t: 3, A: { n: 3 } }, 1000),
      line('getStats', 'PC_1', { A: { type: 'z', timestamp: 4 } }, 1000), // another connection: its own chain
      line('g', 'PC_0', { B: { type: 'y', timestamp: 5 } }, 'full', 1000), // compressed method name
      line('createOffer', 'PC_0', { x: 1 }, 'full', 1000), // on other methods, just a correlation id
      '',
    ].join('\n');
    const dump = readRtcstats(text);
    expect(dump.events.map((e) => e.value)).toEqual([
      { A: { type: 'x', timestamp: 1, n: 1, q: { a: 1, b: 2 } }, B: { type: 'y', timestamp: 1 } },
      { A: { type: 'x', timestamp: 2, n: 2, q: { a: 1 } } },
      { A: { type: 'x', timestamp: 3, n: 3, q: { a: 1 } } },
      { A: { type: 'z', timestamp: 4 } },
      { B: { type: 'y', timestamp: 5 } },
      { x: 1 },
    ]);
    expect(dump.events.map((e) => e.extra)).toEqual([['full'], ['full'], [], [], ['full'], ['full']]);
    expect(dump.events.map((e) => e.time)).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 3000, t0 + 4000, t0 + 5000]);
    // the same second line without the mark is merged into the first
    const unmarked = text.replace(`"q":{"a":1}}},"full",1000]`, `"q":{"a":1}}},1000]`);
    expect(unmarked).not.toBe(text);
    expect(readRtcstats(unmarked).events[1]!.value).toEqual({
      A: { type: 'x', timestamp: 2, n: 2, q: { a: 1, b: 2 } }, B: { type: 'y', timestamp: 1 },
    });
  });

  it('reads a dump written by rtcstats itself: compressed methods and stats deltas', () => {
    const t0 = 1758602115670;
    const text = [
      'RTCStatsDump',
      JSON.stringify({ fileFormat: 3, url: '/call', userAgent: UA, startTime: t0 - 3 }),
      JSON.stringify([39, 'PC_0', { iceServers: [] }, t0]),
      JSON.stringify([2, 'PC_0', { offerToReceiveAudio: true }, 5]),
      JSON.stringify([3, 'PC_0', { type: 'offer', sdp: 'v=0\r\n' }, 7]),
      JSON.stringify(['g', 'PC_0', { '0': { type: 'outbound-rtp', packetsSent: 10, q: { none: 1, cpu: 0 } }, '1': { type: 'codec', payloadType: 111 }, t: t0 + 1000 }, 988]),
      JSON.stringify(['g', 'PC_0', { '0': { packetsSent: 20, q: { cpu: 0.5 } }, t: t0 + 2000 }, 1000]),
      JSON.stringify(['g', 'PC_0', { '1': null, t: t0 + 3000 }, 1000]),
      JSON.stringify([36, 'PC_0', null, 1000]),
      '',
    ].join('\n');
    const dump = readRtcstats(text);
    expect(dump.events.map((e) => e.method)).toEqual(['create', 'createOffer', 'createOfferOnSuccess', 'getStats', 'getStats', 'getStats', 'close']);
    expect(dump.events.map((e) => e.time)).toEqual([t0, t0 + 5, t0 + 12, t0 + 1000, t0 + 2000, t0 + 3000, t0 + 4000]);
    expect(dump.events.map((e) => e.value).slice(3, 6)).toEqual([
      { '0': { type: 'outbound-rtp', packetsSent: 10, q: { none: 1, cpu: 0 }, timestamp: t0 + 1000 }, '1': { type: 'codec', payloadType: 111, timestamp: t0 + 1000 } },
      { '0': { type: 'outbound-rtp', packetsSent: 20, q: { none: 1, cpu: 0.5 }, timestamp: t0 + 2000 }, '1': { type: 'codec', payloadType: 111, timestamp: t0 + 2000 } },
      { '0': { type: 'outbound-rtp', packetsSent: 20, q: { none: 1, cpu: 0.5 }, timestamp: t0 + 3000 } },
    ]);
    expect(dump.events[6]).toEqual({ method: 'close', pc: 'PC_0', value: null, extra: [], time: t0 + 4000 });
  });

  it('reads the Chrome 140 getUserMedia fixture', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const dump = readRtcstats(text);
    expect(dump.metadata.fileFormat).toBe(3);
    expect(dump.metadata.url).toBe('/samples/src/content/getusermedia/gum/');
    expect(dump.metadata.origin).toBe('https://webrtc.github.io');
    expect(dump.metadata.startTime).toBe(1758602115667);
    expect(dump.metadata.userAgent).toContain('Chrome/140.0.0.0');
    expect(dump.events).toHaveLength(4);
    expect(dump.events.map((e) => e.method)).toEqual([
      'create', // 39
      'navigator.mediaDevices.getUserMedia', // 60
      'navigator.mediaDevices.getUserMediaOnSuccess', // 61
      'close',
    ]);
    expect(dump.events.map((e) => e.pc)).toEqual([null, null, null, null]);
    expect(dump.events.map((e) => e.extra)).toEqual([[], ['60-0'], ['60-0'], []]);
    expect(dump.events.map((e) => e.time)).toEqual([1758602115670, 1758602117823, 1758602118863, 1758602121216]);
    expect(new Date(dump.events[0]!.time).toISOString()).toBe('2025-09-23T04:35:15.670Z');
    expect(new Date(dump.events[3]!.time).toISOString()).toBe('2025-09-23T04:35:21.216Z');
    const [create, gum, gumOk, close] = dump.events;
    expect((create!.value as Record<string, unknown>).hardwareConcurrency).toBe(16);
    expect((create!.value as Record<string, unknown>).screen).toEqual({ width: 1920, height: 1080, devicePixelRatio: 1 });
    expect(gum!.value).toEqual({ audio: false, video: true });
    expect(gumOk!.value).toEqual([['video', '4e4f3d4b-687a-4f10-9994-9bb28748d063', '3352be13-e025-45ea-90d3-1e02a1aacd9b']]);
    expect(close!.value).toBe(1001);
  });

  describe('rejects malformed files with the line number', () => {
    const meta = JSON.stringify({ fileFormat: 3 });
    const ok = JSON.stringify(['create', null, {}, 1758602115670]);
    const cases: [string, string, number][] = [
      ['no magic line', [meta, ok].join('\n'), 1],
      ['empty file', '', 1],
      ['a different magic', ['RTCStatsDump2', meta, ok].join('\n'), 1],
      ['metadata that is not JSON', ['RTCStatsDump', '{fileFormat: 3', ok].join('\n'), 2],
      ['metadata that is not an object', ['RTCStatsDump', '[3]', ok].join('\n'), 2],
      ['a line that is not JSON', ['RTCStatsDump', meta, ok, '["createOffer","PC_0",{},', ok].join('\n'), 4],
      ['a line whose last element is not a number', ['RTCStatsDump', meta, ok, ok, JSON.stringify(['createOffer', 'PC_0', {}, '5'])].join('\n'), 5],
      ['a line whose time is null', ['RTCStatsDump', meta, JSON.stringify(['createOffer', 'PC_0', {}, null])].join('\n'), 3],
      ['a line that is too short', ['RTCStatsDump', meta, JSON.stringify(['createOffer', 5])].join('\n'), 3],
    ];
    for (const [name, text, line] of cases) {
      it(name, () => {
        let error: unknown;
        try {
          readRtcstats(text);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(DumpFormatError);
        expect((error as DumpFormatError).line).toBe(line);
        expect((error as DumpFormatError).message).toContain(`line ${line}`);
        expect((error as DumpFormatError).name).toBe('DumpImportError');
      });
    }
  });
});

describe('decompressMethod', () => {
  // rtcstats' methodTable (packages/rtcstats-shared/compression.js), transcribed
  const RTCSTATS_METHODS: Record<string, string | number> = {
    getStats: 'g', createOffer: 2, createOfferOnSuccess: 3, createOfferOnFailure: 12, createAnswer: 4,
    createAnswerOnSuccess: 5, createAnswerOnFailure: 13, setLocalDescription: 6, setLocalDescriptionOnSuccess: 7,
    setLocalDescriptionOnFailure: 14, setRemoteDescription: 8, setRemoteDescriptionOnSuccess: 9,
    setRemoteDescriptionOnFailure: 15, addIceCandidate: 10, addIceCandidateOnSuccess: 11, addIceCandidateOnFailure: 16,
    onicecandidate: 20, onicecandidateerror: 21, ontrack: 22, onsignalingstatechange: 23, oniceconnectionstatechange: 24,
    onconnectionstatechange: 25, onicegatheringstatechange: 26, onnegotiationneeded: 27, ondatachannel: 28,
    addTrack: 30, addTrackOnSuccess: 31, addTransceiver: 32, addTransceiverOnSuccess: 33, removeTrack: 34,
    createDataChannel: 35, close: 36, restartIce: 37, setConfiguration: 38, create: 39, constraints: 40,
    setCodecPreferences: 41, setHeaderExtensionsToNegotiate: 42, setParameters: 50, replaceTrack: 51,
    'navigator.mediaDevices.getUserMedia': 60, 'navigator.mediaDevices.getUserMediaOnSuccess': 61,
    'navigator.mediaDevices.getUserMediaOnFailure': 65, 'navigator.mediaDevices.getDisplayMedia': 63,
    'navigator.mediaDevices.getDisplayMediaOnSuccess': 64, 'navigator.mediaDevices.enumerateDevices': 66,
    'navigator.mediaDevices.ondevicechange': 67, 'MediaStreamTrack.stop': 70, 'MediaStreamTrack.applyConstraints': 71,
    'MediaStreamTrack.onended': 72, 'MediaStreamTrack.onmute': 73, 'MediaStreamTrack.onunmute': 74,
    'HTMLMediaElement.resize': 80,
  };

  it('maps every compressed method id of rtcstats back to its name, as a number or a string', () => {
    for (const [name, id] of Object.entries(RTCSTATS_METHODS)) {
      expect(decompressMethod(id)).toBe(name);
      expect(decompressMethod(String(id))).toBe(name);
    }
  });

  it('knows the decompression-only ids 1 (getStats) and 68 (getDisplayMediaOnFailure)', () => {
    expect(decompressMethod(1)).toBe('getStats');
    expect(decompressMethod(68)).toBe('navigator.mediaDevices.getDisplayMediaOnFailure');
  });

  it('leaves names and unknown ids as they are', () => {
    expect(decompressMethod('createOffer')).toBe('createOffer');
    expect(decompressMethod('identity')).toBe('identity');
    expect(decompressMethod(62)).toBe('62');
    expect(decompressMethod(999)).toBe('999');
  });
});

describe('exportRtcstats: stored deltas', () => {
  it('writes a stored delta exactly as stored (here one that also repeats an unchanged property), and reads back the same samples', () => {
    const s0: StatsSample = { A: { type: 'codec', timestamp: T + 1000, n: 1, m: 'x' } };
    const s1: StatsSample = { A: { type: 'codec', timestamp: T + 2000, n: 2, m: 'x' } };
    // a valid delta in rtcstats' scheme, though not the smallest (m did not change)
    const stored = { A: { n: 2, m: 'x' }, t: T + 2000 };
    const ev = (seq: number, value: unknown, full?: true): StoredEvent => ({
      sessionId: SESSION_ID, frame: 0, seq, t: T + seq * 1000, method: 'getStats', pc: 'PC_0', value, ...(full ? { full } : {}),
    });
    const text = exportRtcstats(session(), [ev(1, s0, true), ev(2, stored)]);
    const lines = readLikeRtcstats(text).lines.filter((l) => l[0] === 'getStats');
    expect(lines[1]![2]).toEqual(stored);
    expect(readRtcstats(text).events.filter((e) => e.method === 'getStats').map((e) => e.value)).toEqual([s0, s1]);
  });
});
