import { describe, it, expect } from 'vitest';
import {
  applyEventsToSession,
  completeStatsSamples,
  identityHints,
  summarizeSession,
  type SessionRecord,
} from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';

const T = 1758602115000; // page load
const SESSION_ID = '6f1c0a52-9d3e-4b8a-a1f2-3c4d5e6f7a8b';

function newSession(): SessionRecord {
  return {
    id: SESSION_ID,
    tabId: 412,
    url: 'https://meet.example.com/room/standup',
    origin: 'https://meet.example.com',
    title: 'Stand-up',
    startTime: T,
    endTime: null,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    extensionVersion: '0.1.0',
    frames: [
      { key: 'top-key', frameId: 0, url: 'https://meet.example.com/room/standup', origin: 'https://meet.example.com', isTop: true, firstSeen: T + 5 },
      { key: 'sub-key', frameId: 7, url: 'https://widget.example.net/call', origin: 'https://widget.example.net', isTop: false, firstSeen: T + 40 },
    ],
    connections: [],
    tags: {},
    eventCount: 0,
    statsCount: 0,
    lastEventTime: T,
    bytes: 52_318,
    rawBytes: 12_004,
  };
}

const seqs = new Map<number, number>();
function ev(frame: number, t: number, method: string, pc: string | null, value: unknown, more: Partial<StoredEvent> = {}): StoredEvent {
  const seq = (seqs.get(frame) ?? 0) + 1;
  seqs.set(frame, seq);
  return { sessionId: SESSION_ID, frame, seq, t, method, pc, value, ...more };
}

const CONFIG_A = { iceServers: [{ urls: 'stun:stun.l.google.com:19302' }], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
const CONFIG_B = { iceServers: [{ urls: ['turn:turn.example.net:3478'], username: 'u' }], iceTransportPolicy: 'relay' };
const CONSTRAINTS = {
  optional: [
    { googIPv6: true },
    { rtcStatsClientId: 'client-42' },
    { rtcStatsPeerId: 'peer-7' },
    { rtcStatsConferenceId: 'standup-room' },
  ],
};

/** Getstats samples of a connection, as toSample() in the page makes them. */
function samplesA(): StatsSample[] {
  const out: StatsSample[] = [];
  for (let i = 0; i < 5; i++) {
    const ts = T + 2000 + i * 1000;
    const s: StatsSample = {
      P: { type: 'peer-connection', timestamp: ts, dataChannelsOpened: 0, dataChannelsClosed: 0 },
      OT01A11: {
        type: 'outbound-rtp', timestamp: ts, ssrc: 11, kind: 'audio', packetsSent: 50 * (i + 1), bytesSent: 4100 * (i + 1),
        mediaSourceId: 'SA1',
      },
      SA1: { type: 'media-source', timestamp: ts, kind: 'audio', audioLevel: 0.01 * i, totalAudioEnergy: 0.001 * i },
      OT01V12: {
        type: 'outbound-rtp', timestamp: ts, ssrc: 12, kind: 'video', packetsSent: 90 * (i + 1), framesEncoded: 30 * (i + 1),
        qualityLimitationReason: i >= 2 ? 'bandwidth' : 'none',
        qualityLimitationDurations: { none: 1 + i, bandwidth: i >= 2 ? i - 1 : 0, cpu: 0, other: 0 },
      },
    };
    if (i < 3) s.Ir1 = { type: 'remote-candidate', timestamp: ts - 500 * i, address: '203.0.113.7', port: 3478 };
    if (i >= 3) delete s.SA1; // replaceTrack(null) on the audio sender
    if (i >= 3) delete s.OT01A11!.mediaSourceId;
    out.push(s);
  }
  return out;
}

function samplesB(): StatsSample[] {
  const out: StatsSample[] = [];
  for (let i = 0; i < 4; i++) {
    const ts = T + 2500 + i * 1000;
    out.push({
      P: { type: 'peer-connection', timestamp: ts, dataChannelsOpened: 1, dataChannelsClosed: 0 },
      IT01V21: { type: 'inbound-rtp', timestamp: ts, ssrc: 21, kind: 'video', packetsReceived: 80 * i, framesDecoded: 25 * i },
      D3: { type: 'data-channel', timestamp: ts, label: 'chat', state: 'open', messagesSent: i, bytesSent: 12 * i },
    });
  }
  return out;
}

/** Stores samples the way the page's poller sends them: full when forced or inexpressible, else a delta. */
function statsEventsFor(frame: number, pc: string, samples: StatsSample[], fullAt: number[]): StoredEvent[] {
  let previous: StatsSample | undefined;
  return samples.map((sample, i) => {
    const delta = fullAt.includes(i) ? null : statsDelta(previous, sample);
    previous = sample;
    const t = (sample.P!.timestamp as number) + 3;
    return delta === null ? ev(frame, t, 'getStats', pc, sample, { full: true }) : ev(frame, t, 'getStats', pc, delta);
  });
}

/** A realistic trace: page-level getUserMedia, a call in the top frame, one in a sub-frame. */
function trace(): { events: StoredEvent[]; statsA: StoredEvent[]; statsB: StoredEvent[] } {
  seqs.clear();
  const page = [
    ev(0, T + 100, 'create', null, { hardwareConcurrency: 8 }),
    ev(0, T + 110, 'navigator.mediaDevices.getUserMedia', null, { audio: true, video: true }, { extra: ['gum-0'] }),
    ev(0, T + 900, 'navigator.mediaDevices.getUserMediaOnSuccess', null, [['audio', 't1', 's1']], { extra: ['gum-0'] }),
  ];
  const setupA = [
    ev(0, T + 1000, 'create', 'PC_0', CONFIG_A),
    ev(0, T + 1000, 'constraints', 'PC_0', CONSTRAINTS),
    ev(0, T + 1010, 'createOffer', 'PC_0', undefined),
    ev(0, T + 1015, 'createOfferOnSuccess', 'PC_0', { type: 'offer', sdp: 'v=0\r\n' }),
  ];
  const setupB = [
    ev(1, T + 1200, 'create', 'f1-PC_0', CONFIG_B),
    ev(1, T + 1210, 'createDataChannel', 'f1-PC_0', ['chat', {}]),
  ];
  // sample 3 of A is a periodic full sample (the poller sends one every 30)
  const statsA = statsEventsFor(0, 'PC_0', samplesA(), [0, 3]);
  const statsB = statsEventsFor(1, 'f1-PC_0', samplesB(), [0]);
  const closeA = ev(0, T + 9000, 'close', 'PC_0', undefined);
  const events = [...page, ...setupA, ...setupB, ...statsA, ...statsB, closeA];
  return { events, statsA, statsB };
}

describe('applyEventsToSession', () => {
  it('counts events and getStats samples and tracks the newest event time', () => {
    const session = newSession();
    const { events } = trace();
    applyEventsToSession(session, events);
    // 3 page-level + 4 setup A + 2 setup B + 5 stats A + 4 stats B + close
    expect(session.eventCount).toBe(19);
    expect(session.statsCount).toBe(9);
    expect(session.lastEventTime).toBe(T + 9000);
  });

  it('tracks the newest event time when events arrive out of order', () => {
    const session = newSession();
    seqs.clear();
    applyEventsToSession(session, [ev(0, T + 500, 'createOffer', 'PC_0', null), ev(1, T + 300, 'createOffer', 'f1-PC_0', null)]);
    expect(session.lastEventTime).toBe(T + 500);
    applyEventsToSession(session, [ev(0, T + 400, 'createAnswer', 'PC_0', null)]);
    expect(session.lastEventTime).toBe(T + 500);
  });

  it('registers each connection once, with its creation time and configuration, and its close time', () => {
    const session = newSession();
    applyEventsToSession(session, trace().events);
    expect(session.connections).toEqual([
      { id: 'PC_0', frame: 0, createdAt: T + 1000, closedAt: T + 9000, configuration: CONFIG_A },
      { id: 'f1-PC_0', frame: 1, createdAt: T + 1200, closedAt: null, configuration: CONFIG_B },
    ]);
  });

  it('collects rtcStatsClientId / rtcStatsPeerId / rtcStatsConferenceId from the legacy constraints into tags', () => {
    const session = newSession();
    applyEventsToSession(session, trace().events);
    expect(session.tags).toEqual({ rtcStatsClientId: 'client-42', rtcStatsPeerId: 'peer-7', rtcStatsConferenceId: 'standup-room' });
  });

  it('gives the same record whether events come in one batch or in several', () => {
    const { events } = trace();
    const once = newSession();
    applyEventsToSession(once, events);
    const inBatches = newSession();
    for (let i = 0; i < events.length; i += 4) applyEventsToSession(inBatches, events.slice(i, i + 4));
    expect(inBatches).toEqual(once);
  });

  it('keeps the first close time when close is seen twice', () => {
    const session = newSession();
    seqs.clear();
    applyEventsToSession(session, [
      ev(0, T + 10, 'create', 'PC_0', {}),
      ev(0, T + 20, 'close', 'PC_0', undefined),
      ev(0, T + 30, 'close', 'PC_0', undefined),
    ]);
    expect(session.connections).toHaveLength(1);
    expect(session.connections[0]!.closedAt).toBe(T + 20);
  });

  it('does not register page-level events as connections', () => {
    const session = newSession();
    seqs.clear();
    applyEventsToSession(session, [
      ev(0, T + 100, 'create', null, { hardwareConcurrency: 8 }),
      ev(0, T + 110, 'navigator.mediaDevices.getUserMedia', null, { audio: true }),
      ev(0, T + 120, 'navigator.mediaDevices.enumerateDevices', null, []),
    ]);
    expect(session.connections).toEqual([]);
    expect(session.eventCount).toBe(3);
    expect(session.statsCount).toBe(0);
  });

  it('takes tags from a page-level identity event, keeping strings and numbers only', () => {
    const session = newSession();
    seqs.clear();
    applyEventsToSession(session, [
      ev(0, T + 100, 'identity', null, { rtcStatsClientId: 'c-1', userId: 1234, debug: true, nested: { a: 1 }, nothing: null }),
    ]);
    expect(session.tags).toEqual({ rtcStatsClientId: 'c-1', userId: '1234' });
  });

  it('stringifies numeric identity hints and ignores constraints without hints', () => {
    const session = newSession();
    seqs.clear();
    applyEventsToSession(session, [
      ev(0, T + 1, 'create', 'PC_0', {}),
      ev(0, T + 1, 'constraints', 'PC_0', { optional: [{ rtcStatsClientId: 987654 }] }),
      ev(0, T + 2, 'create', 'PC_1', {}),
      ev(0, T + 2, 'constraints', 'PC_1', { optional: [{ googCpuOveruseDetection: false }] }),
      ev(0, T + 3, 'create', 'PC_2', {}),
      ev(0, T + 3, 'constraints', 'PC_2', { mandatory: { rtcStatsPeerId: 'x' } }),
      ev(0, T + 4, 'create', 'PC_3', {}),
      ev(0, T + 4, 'constraints', 'PC_3', null),
    ]);
    expect(session.tags).toEqual({ rtcStatsClientId: '987654' });
    expect(session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1', 'PC_2', 'PC_3']);
  });
});

describe('identityHints', () => {
  it('reads the three rtcstats identity keys from {optional: [...]}', () => {
    expect(identityHints(CONSTRAINTS)).toEqual({
      rtcStatsClientId: 'client-42', rtcStatsPeerId: 'peer-7', rtcStatsConferenceId: 'standup-room',
    });
    expect(identityHints({ optional: [{ rtcStatsClientId: 'a', rtcStatsPeerId: 2 }] })).toEqual({ rtcStatsClientId: 'a', rtcStatsPeerId: '2' });
  });

  it('ignores anything else without throwing', () => {
    for (const c of [
      {}, { optional: null }, { optional: 'rtcStatsClientId' }, { optional: {} }, { optional: [null, 1, 'x', [], {}] },
      { optional: [{ rtcStatsClientId: { id: 1 } }, { rtcStatsPeerId: null }, { rtcStatsConferenceId: true }] },
      { mandatory: { rtcStatsClientId: 'a' } }, [], 'x', 0,
    ]) {
      expect(identityHints(c)).toEqual({});
    }
  });
});

describe('summarizeSession', () => {
  it('gives the listSessions() summary of a record', () => {
    const session = newSession();
    applyEventsToSession(session, trace().events);
    expect(summarizeSession(session)).toEqual({
      id: SESSION_ID,
      tabId: 412,
      url: 'https://meet.example.com/room/standup',
      origin: 'https://meet.example.com',
      title: 'Stand-up',
      startTime: T,
      endTime: null,
      eventCount: 19,
      statsCount: 9,
      userAgent: newSession().userAgent,
      extensionVersion: '0.1.0',
      bytes: 52_318,
      rawBytes: 12_004,
      connections: ['PC_0', 'f1-PC_0'],
      frames: 2,
      tags: { rtcStatsClientId: 'client-42', rtcStatsPeerId: 'peer-7', rtcStatsConferenceId: 'standup-room' },
    });
  });

  it('events do not change the sizes on disk (the store keeps them)', () => {
    const session = newSession();
    applyEventsToSession(session, trace().events);
    expect([session.bytes, session.rawBytes]).toEqual([52_318, 12_004]);
  });
});

describe('completeStatsSamples', () => {
  it('the fixture really mixes full samples and deltas', () => {
    const { statsA, statsB } = trace();
    expect(statsA.map((e) => e.full === true)).toEqual([true, false, false, true, false]);
    expect(statsB.map((e) => e.full === true)).toEqual([true, false, false, false]);
    // a delta is not the sample it stands for
    expect(statsA[1]!.value).not.toEqual(samplesA()[1]);
  });

  it('yields every getStats event of each connection with its complete sample, in order', () => {
    const { events, statsA, statsB } = trace();
    // interleave the two connections by time, as a session's trace is
    const ordered = [...events].sort((a, b) => a.t - b.t);
    const got = [...completeStatsSamples(ordered)];
    expect(got.map((g) => g.event)).toEqual(ordered.filter((e) => e.method === 'getStats'));
    expect(got.filter((g) => g.event.pc === 'PC_0').map((g) => g.sample)).toEqual(samplesA());
    expect(got.filter((g) => g.event.pc === 'f1-PC_0').map((g) => g.sample)).toEqual(samplesB());
    // the very same event objects
    for (const g of got) expect([...statsA, ...statsB]).toContain(g.event);
  });

  it('the two connections really are interleaved in the fixture', () => {
    const ordered = [...trace().events].sort((a, b) => a.t - b.t).filter((e) => e.method === 'getStats');
    expect(ordered.map((e) => e.pc)).toEqual(['PC_0', 'f1-PC_0', 'PC_0', 'f1-PC_0', 'PC_0', 'f1-PC_0', 'PC_0', 'f1-PC_0', 'PC_0']);
  });

  it('a full sample replaces what came before (reports and properties that went away stay away)', () => {
    const { statsA } = trace();
    const got = [...completeStatsSamples(statsA)].map((g) => g.sample);
    expect(got[3]).toEqual(samplesA()[3]);
    expect(got[3]).not.toHaveProperty('SA1');
    expect(got[3]).not.toHaveProperty('Ir1');
    expect(got[3]!.OT01A11).not.toHaveProperty('mediaSourceId');
    expect(got[4]).toEqual(samplesA()[4]);
  });

  it('a sample in which a property went away is stored complete and replaces the previous one', () => {
    seqs.clear();
    const s0: StatsSample = {
      P: { timestamp: 1000 },
      OT1: { type: 'outbound-rtp', timestamp: 1000, packetsSent: 1, mediaSourceId: 'SV1' },
      SV1: { type: 'media-source', timestamp: 1000 },
    };
    const s1: StatsSample = { P: { timestamp: 2000 }, OT1: { type: 'outbound-rtp', timestamp: 2000, packetsSent: 2 } };
    const s2: StatsSample = { P: { timestamp: 3000 }, OT1: { type: 'outbound-rtp', timestamp: 3000, packetsSent: 3 } };
    const events = statsEventsFor(0, 'PC_0', [s0, s1, s2], [0]);
    // mediaSourceId went away: no delta can say it, the poller sends the complete sample
    expect(events.map((e) => e.full === true)).toEqual([true, true, false]);
    expect(events[1]!.value).toEqual(s1);
    expect(events[2]!.value).toEqual({ t: 3000, OT1: { packetsSent: 3 } });
    const got = [...completeStatsSamples(events)].map((g) => g.sample);
    expect(got).toEqual([s0, s1, s2]);
    expect(got[1]!.OT1).not.toHaveProperty('mediaSourceId');
    expect(got[2]!.OT1).not.toHaveProperty('mediaSourceId');
    expect(got[2]).not.toHaveProperty('SV1');
  });

  it('a delta with null values gives a sample holding those nulls', () => {
    seqs.clear();
    const s0: StatsSample = { P: { timestamp: 1000, x: 1 }, C: { type: 'codec', timestamp: 1000, sdpFmtpLine: 'a=1', q: { a: 1, b: 2 } } };
    const s1: StatsSample = { P: { timestamp: 2000, x: 1 }, C: { type: 'codec', timestamp: 2000, sdpFmtpLine: null, q: { a: null, b: 2 } } };
    const s2: StatsSample = { P: { timestamp: 3000, x: null }, C: { type: 'codec', timestamp: 3000, sdpFmtpLine: null, q: { a: null, b: 3 } } };
    const events = statsEventsFor(0, 'PC_0', [s0, s1, s2], [0]);
    expect(events.map((e) => e.full === true)).toEqual([true, false, false]);
    expect(events[1]!.value).toEqual({ t: 2000, C: { sdpFmtpLine: null, q: { a: null } } });
    expect([...completeStatsSamples(events)].map((g) => g.sample)).toEqual([s0, s1, s2]);
  });

  it('works on any iterable and ignores other methods and page-level getStats', () => {
    const { events } = trace();
    seqs.clear();
    const odd = ev(0, T + 1, 'getStats', null, { X: { type: 'x' } });
    function* gen(): Generator<StoredEvent> {
      yield odd;
      yield* events;
    }
    const got = [...completeStatsSamples(gen())];
    expect(got).toHaveLength(9);
    expect(got.map((g) => g.event)).not.toContain(odd);
  });

  it('does not modify the stored events', () => {
    const { events } = trace();
    const before = JSON.stringify(events);
    expect([...completeStatsSamples(events)]).toHaveLength(9);
    expect(JSON.stringify(events)).toBe(before);
  });
});
