// The session model behind the panel (src/core/view/session-model.ts):
// columns aligned to sample times, derived metrics, delta events, duplicate
// frames, chart markers.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { completeStatsSamples } from '../../src/core/session';
import { fixture } from './support/fixtures';
import type { SessionRecord } from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import type { StoredEvent } from '../../src/core/trace';
import { SessionModel } from '../../src/core/view/session-model';

const T = 1758602115000;

function session(): SessionRecord {
  return {
    id: 's1', tabId: 7, url: 'https://meet.example.com/', origin: 'https://meet.example.com', title: 'call', startTime: T, endTime: null,
    userAgent: 'test', extensionVersion: '0.1.0', frames: [], connections: [], tags: {}, eventCount: 0, statsCount: 0,
    lastEventTime: T, bytes: 0, rawBytes: 0,
  };
}

/** Events numbered in order on frame 0 (or the frame given). */
function eventsOf(list: [t: number, method: string, pc: string | null, value: unknown, full?: boolean][], frame = 0, firstSeq = 1): StoredEvent[] {
  return list.map(([t, method, pc, value, full], i) => {
    const e: StoredEvent = { sessionId: 's1', frame, seq: firstSeq + i, t, method, pc, value };
    if (full) e.full = true;
    return e;
  });
}

const outbound = (timestamp: number, bytesSent: number, extra: Record<string, unknown> = {}) => ({
  type: 'outbound-rtp', kind: 'video', timestamp, bytesSent, packetsSent: bytesSent / 1000, ...extra,
});

/** Samples stored as the capture stores them: the first complete, then deltas, complete where a property went away. */
function syntheticLike(samples: StatsSample[]): StoredEvent[] {
  return eventsOf(
    samples.map((s, i) => {
      const delta = i === 0 ? null : statsDelta(samples[i - 1]!, s);
      return [T + 1000 * (i + 1), 'getStats', 'pc1', delta ?? s, delta === null];
    }),
  );
}

describe('columns', () => {
  // O1 from the start and gone at the third sample, O2 from the second sample on
  const samples: StatsSample[] = [
    { O1: outbound(T + 1000, 10_000, { qualityLimitationDurations: { none: 1, cpu: 0 }, qualityLimitationReason: 'none', active: true }) },
    {
      O1: outbound(T + 2000, 60_000, { qualityLimitationDurations: { none: 1.5, cpu: 0.5 }, qualityLimitationReason: 'cpu', active: false }),
      O2: outbound(T + 2000, 4_000),
    },
    { O2: outbound(T + 3500, 34_000) },
  ];
  const model = new SessionModel(session());
  model.add(eventsOf(samples.map((s, i) => [T + 1000 * (i + 1), 'getStats', 'pc1', s, true])));
  const c = model.connection('pc1');

  it('one time per sample; a stats object appearing or disappearing mid-call leaves nulls, not shifted values', () => {
    expect(c.times).toEqual([T + 1000, T + 2000, T + 3000]);
    expect(c.series('O1', 'bytesSent')).toEqual([10_000, 60_000, null]);
    expect(c.series('O2', 'bytesSent')).toEqual([null, 4_000, 34_000]);
    expect(c.series('nope', 'bytesSent')).toEqual([null, null, null]);
    expect(c.series('O2', 'nope')).toEqual([null, null, null]);
    // latest: only while the object is still reported
    expect(c.latest('O1', 'bytesSent')).toBeNull();
    expect(c.latest('O2', 'bytesSent')).toBe(34_000);
  });

  it('a property that went away shows no value from then on, not its last one (and again when it comes back)', () => {
    const pair = (timestamp: number, extra: Record<string, unknown>) => ({ type: 'candidate-pair', timestamp, bytesSent: timestamp - T, ...extra });
    const full: StatsSample[] = [
      { P: pair(T + 1000, { availableOutgoingBitrate: 2e6, rtt: { a: 1, b: 2 } }) },
      { P: pair(T + 2000, { availableOutgoingBitrate: 2e6, rtt: { a: 1 } }) }, // no longer selected: no available bitrate
      { P: pair(T + 3000, { rtt: { a: 1, b: 3 } }) },
      { P: pair(T + 4000, { availableOutgoingBitrate: 3e6, rtt: { a: 1, b: 3 } }) },
    ];
    delete (full[1]!.P as Record<string, unknown>).availableOutgoingBitrate;
    const m = new SessionModel(session());
    m.add(eventsOf(full.map((s, i) => [T + 1000 * (i + 1), 'getStats', 'pc1', s, true])));
    const pc = m.connection('pc1');
    expect(pc.series('P', 'availableOutgoingBitrate')).toEqual([2e6, null, null, 3e6]);
    expect(pc.series('P', 'rtt.b')).toEqual([2, null, 3, 3]);
    expect(pc.series('P', 'rtt.a')).toEqual([1, 1, 1, 1]);
    expect(pc.series('P', 'bytesSent')).toEqual([1000, 2000, 3000, 4000]);

    // as stored (the first sample complete, then deltas, complete where a property went): a property gone with the
    // property itself (a complete sample), and one gone with its report, which comes back without it (a delta)
    const d = new SessionModel(session());
    d.add(syntheticLike([full[0]!, full[1]!, full[3]!, {}, full[2]!]));
    const dc = d.connection('pc1');
    expect(dc.series('P', 'availableOutgoingBitrate')).toEqual([2e6, null, 3e6, null, null]);
    expect(dc.series('P', 'rtt.b')).toEqual([2, null, 3, null, 3]);
    expect(dc.series('P', 'bytesSent')).toEqual([1000, 2000, 4000, null, 3000]);
    expect(dc.latest('P', 'availableOutgoingBitrate')).toBeNull();
  });

  it('text properties as text, booleans as 1/0, nested objects flattened as name.key', () => {
    expect(c.textSeries('O1', 'qualityLimitationReason')).toEqual(['none', 'cpu', null]);
    expect(c.series('O1', 'active')).toEqual([1, 0, null]);
    expect(c.series('O1', 'qualityLimitationDurations.cpu')).toEqual([0, 0.5, null]);
    expect(c.series('O1', 'qualityLimitationDurations.none')).toEqual([1, 1.5, null]);
    expect(c.reports.get('O1')!.type).toBe('outbound-rtp');
  });

  it('derived metrics stored as columns: bit rate = Δbytes · 8 / Δt from the report timestamps', () => {
    // whole bits per second, as webrtc-internals shows them
    const rate = (a: number, b: number, ta: number, tb: number) => Math.round(((b - a) * 8) / ((tb - ta) / 1000));
    expect(c.series('O1', '[bytesSent_in_bits/s]')).toEqual([null, rate(10_000, 60_000, T + 1000, T + 2000), null]);
    // O2's second interval is 1.5 s long (report timestamps, not event times)
    expect(c.series('O2', '[bytesSent_in_bits/s]')).toEqual([null, null, rate(4_000, 34_000, T + 2000, T + 3500)]);
    expect(c.series('O2', '[packetsSent/s]')[2]).toBeCloseTo(30 / 1.5, 9);
  });
});

describe('events', () => {
  it('delta events are applied on the previous complete sample', () => {
    const full: StatsSample[] = [];
    for (let i = 0; i < 6; i++) {
      const s: StatsSample = { O1: outbound(T + 1000 * i, 1000 * i * i, { frameWidth: i < 3 ? 640 : 1280 }) };
      if (i >= 2) s.I1 = { type: 'inbound-rtp', kind: 'audio', timestamp: T + 1000 * i, packetsReceived: 50 * i, jitter: 0.001 * i };
      full.push(s);
    }
    const list: [number, string, string, unknown, boolean?][] = full.map((s, i) =>
      i === 0 || i === 4 ? [T + 1000 * i, 'getStats', 'pc1', s, true] : [T + 1000 * i, 'getStats', 'pc1', statsDelta(full[i - 1], s)],
    );
    const model = new SessionModel(session());
    model.add(eventsOf(list));
    const c = model.connection('pc1');
    expect(c.times).toHaveLength(6);
    expect(c.series('O1', 'bytesSent')).toEqual(full.map((s) => s.O1!.bytesSent));
    expect(c.series('O1', 'frameWidth')).toEqual(full.map((s) => s.O1!.frameWidth));
    expect(c.series('I1', 'jitter')).toEqual(full.map((s) => s.I1?.jitter ?? null));
    expect(c.lastSample).toEqual(full[5]);
  });

  it('the synthetic session (deltas with a complete sample every 30): each connection has every sample, counters as the page sent them', () => {
    const dump = syntheticSession({ connections: 2, minutes: 2 });
    const model = new SessionModel(dump.session);
    expect(model.add(dump.events)).toBe(dump.events.length);
    for (const pc of ['PC_0', 'PC_1']) {
      const stats = dump.events.filter((e) => e.pc === pc && e.method === 'getStats');
      const c = model.connection(pc);
      expect(c.times).toEqual(stats.map((e) => e.t));
      const outboundId = [...c.reports.values()].find((r) => r.type === 'outbound-rtp')!.id;
      const bytes = c.series(outboundId, 'bytesSent');
      expect(bytes.every((b) => typeof b === 'number')).toBe(true);
      // counters never go down, and the complete samples agree with the rebuilt ones
      for (let i = 1; i < bytes.length; i++) expect(bytes[i]!).toBeGreaterThanOrEqual(bytes[i - 1]!);
      stats.forEach((e, i) => {
        if (e.full) expect(bytes[i]).toBe((e.value as StatsSample)[outboundId]!.bytesSent);
      });
    }
    // the log lists the traced events, not the getStats ones
    expect(model.log.rows.length).toBe(dump.events.filter((e) => e.method !== 'getStats').length);
  });

  it('a frame seq seen before is dropped (live snapshot and live events overlap); other frames keep their own numbering', () => {
    const list: [number, string, string | null, unknown, boolean?][] = [
      [T + 1, 'create', 'pc1', {}],
      [T + 2, 'createOffer', 'pc1', null],
      [T + 1000, 'getStats', 'pc1', { O1: outbound(T + 1000, 1000) }, true],
      [T + 2000, 'getStats', 'pc1', { O1: outbound(T + 2000, 5000) }, true],
      [T + 2100, 'onconnectionstatechange', 'pc1', 'connected'],
    ];
    const all = eventsOf(list);
    const model = new SessionModel(session());
    expect(model.add(all.slice(0, 4))).toBe(4);
    const version = model.version;
    // the snapshot again, then the rest
    expect(model.add(all.slice(2))).toBe(1);
    expect(model.add(all)).toBe(0);
    expect(model.version).toBe(version + 1);
    const c = model.connection('pc1');
    expect(c.times).toEqual([T + 1000, T + 2000]);
    expect(model.log.rows.map((r) => r.method)).toEqual(['create', 'createOffer', 'onconnectionstatechange']);
    // seq 1 of another frame is new
    expect(model.add(eventsOf([[T + 3000, 'create', 'pc2', {}]], 1, 1))).toBe(1);
    expect(model.connections.has('pc2')).toBe(true);
  });

  it('states, created/closed times and configuration as the events told them', () => {
    const model = new SessionModel(session());
    model.add(eventsOf([
      [T + 1, 'create', 'pc1', { iceServers: [] }],
      [T + 2, 'onsignalingstatechange', 'pc1', 'have-local-offer'],
      [T + 3, 'oniceconnectionstatechange', 'pc1', 'checking'],
      [T + 4, 'onconnectionstatechange', 'pc1', 'connecting'],
      [T + 9, 'close', 'pc1', null],
    ]));
    const c = model.connection('pc1');
    expect([c.createdAt, c.closedAt, c.signalingState, c.iceConnectionState, c.connectionState]).toEqual([T + 1, T + 9, 'have-local-offer', 'checking', 'connecting']);
    expect(c.configuration).toEqual({ iceServers: [] });
  });
});

describe('markers', () => {
  const pair = (id: string, t: number, bytes: number): StatsSample => ({
    T01: { type: 'transport', timestamp: t, selectedCandidatePairId: id },
    [id]: { type: 'candidate-pair', timestamp: t, state: 'succeeded', bytesSent: bytes, bytesReceived: bytes },
  });
  const model = new SessionModel(session());
  model.add(eventsOf([
    [T + 10, 'createOffer', 'pc1', null],
    [T + 20, 'setLocalDescription', 'pc1', { type: 'offer', sdp: 'v=0\r\n' }],
    [T + 30, 'oniceconnectionstatechange', 'pc1', 'connected'],
    [T + 40, 'onconnectionstatechange', 'pc1', 'connected'],
    [T + 1000, 'getStats', 'pc1', pair('CP1', T + 1000, 100), true],
    [T + 2000, 'getStats', 'pc1', pair('CP1', T + 2000, 200), true],
    [T + 2500, 'MediaStreamTrack.onmute', null, 'video:cam-1'],
    [T + 2600, 'MediaStreamTrack.onunmute', null, 'video:cam-1'],
    [T + 3000, 'createOffer', 'pc1', { iceRestart: true }],
    [T + 3010, 'setLocalDescription', 'pc1', null], // implicit: still a renegotiation
    [T + 3500, 'restartIce', 'pc1', null],
    [T + 4000, 'getStats', 'pc1', pair('CP2', T + 4000, 50), true],
    [T + 5000, 'getStats', 'pc1', pair('CP2', T + 5000, 90), true],
    [T + 6000, 'onconnectionstatechange', 'pc1', 'failed'],
    [T + 6100, 'setRemoteDescriptionOnFailure', 'pc1', 'OperationError: bad'],
  ]));
  const c = model.connection('pc1');

  it('state changes, ICE restarts (createOffer {iceRestart: true}, restartIce), renegotiation at the 2nd setLocalDescription, pair switch, failures', () => {
    expect(c.markers.map((m) => [m.t - T, m.kind])).toEqual([
      [30, 'state'],
      [40, 'state'],
      [3000, 'ice-restart'],
      [3010, 'renegotiation'],
      [3500, 'ice-restart'],
      [4000, 'pair-switch'],
      [6000, 'failure'],
      [6100, 'failure'],
    ]);
    expect(c.markers.find((m) => m.kind === 'state')!.label).toContain('connected');
    expect(c.usedPairs).toEqual(new Set(['CP1', 'CP2']));
  });

  it('page track mute / unmute markers, with the track named', () => {
    expect(model.pageMarkers.map((m) => [m.t - T, m.kind])).toEqual([
      [2500, 'track'],
      [2600, 'track'],
    ]);
    expect(model.pageMarkers[0]!.label).toContain('mute');
    expect(model.pageMarkers[0]!.label).toContain('video:cam-1');
    expect(model.pageMarkers[1]!.label).toContain('unmute');
  });

  it('Firefox-shaped samples (selected: true on the pair) switch too', () => {
    const m = new SessionModel(session());
    const ff = (id: string, t: number): StatsSample => ({ [id]: { type: 'candidate-pair', timestamp: t, selected: true, state: 'succeeded' } });
    m.add(eventsOf([
      [T + 1000, 'getStats', 'pc1', ff('a', T + 1000), true],
      [T + 2000, 'getStats', 'pc1', ff('a', T + 2000), true],
      [T + 3000, 'getStats', 'pc1', ff('b', T + 3000), true],
    ]));
    expect(m.connection('pc1').markers.map((x) => [x.t - T, x.kind])).toEqual([[3000, 'pair-switch']]);
  });

  it('on a real dump (webrtc-internals, Chrome 147): one pair switch, at the sample where the transport names another pair', async () => {
    const dump = (await importDump(new Uint8Array(readFileSync(fixture('internals/chrome147-two-pc-loopback.json'))))).dump;
    const model = new SessionModel(dump.session);
    model.add(dump.events);
    const switches: number[] = [];
    let selected: unknown;
    for (const { event, sample } of completeStatsSamples(dump.events)) {
      if (event.pc !== '11-1') continue;
      const now = Object.values(sample).find((r) => r.type === 'transport')?.selectedCandidatePairId;
      if (selected !== undefined && now !== undefined && now !== selected) switches.push(event.t);
      if (now !== undefined) selected = now;
    }
    expect(switches).toHaveLength(1);
    expect(model.connection('11-1').markers.filter((m) => m.kind === 'pair-switch').map((m) => m.t)).toEqual(switches);
    expect(model.connection('12-2').markers.filter((m) => m.kind === 'pair-switch')).toEqual([]);
    // its second setLocalDescription is a renegotiation
    const secondLocal = dump.events.filter((e) => e.pc === '11-1' && e.method === 'setLocalDescription')[1]!;
    expect(model.connection('11-1').markers.filter((m) => m.kind === 'renegotiation').map((m) => m.t)).toEqual([secondLocal.t]);
  });
});
