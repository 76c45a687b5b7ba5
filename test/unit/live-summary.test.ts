import { describe, expect, it } from 'vitest';
import { LiveSessionTracker, connectionBitrate, stateTone } from '../../src/core/live-summary';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { callDump } from './support/call';

const session = { id: 's1', tabId: 7, title: 'Call', url: 'https://meet.example.com/room', startTime: 1000 };

/** Events of one frame, numbered in order. */
function frameEvents(list: [string | null, string, unknown, boolean?][], frame = 0, firstSeq = 1, t0 = 2000): StoredEvent[] {
  return list.map(([pc, method, value, full], i) => {
    const e: StoredEvent = { sessionId: 's1', frame, seq: firstSeq + i, t: t0 + i, method, pc, value };
    if (full) e.full = true;
    return e;
  });
}

/** A sample with one transport that has sent / received this many bytes at time t (ms). */
function transportSample(t: number, sent: number, received: number): StatsSample {
  return {
    T01: { type: 'transport', timestamp: t, bytesSent: sent, bytesReceived: received, packetsSent: sent / 100, packetsReceived: received / 100 },
    OT1: { type: 'outbound-rtp', timestamp: t, kind: 'video', bytesSent: 1, packetsSent: 1 },
  };
}

describe('connectionBitrate', () => {
  it('is null without a previous sample', () => {
    expect(connectionBitrate(undefined, transportSample(1000, 100, 100))).toEqual({ sendBps: null, recvBps: null });
  });

  it("takes the transports' bytes over the elapsed time", () => {
    // 125 000 bytes in 1 s is 1 Mbit/s; 62 500 bytes in 1 s is 500 kbit/s
    const rate = connectionBitrate(transportSample(1000, 100_000, 50_000), transportSample(2000, 225_000, 112_500));
    expect(rate).toEqual({ sendBps: 1_000_000, recvBps: 500_000 });
  });

  it('falls back to the selected candidate pair, then to the RTP streams', () => {
    const pair = (t: number, sent: number, selected: boolean): StatsSample => ({
      CP1: { type: 'candidate-pair', timestamp: t, bytesSent: sent, bytesReceived: 0, selected, packetsSent: 1, packetsReceived: 1 },
      CP2: { type: 'candidate-pair', timestamp: t, bytesSent: sent * 10, bytesReceived: 0, selected: false, packetsSent: 1, packetsReceived: 1 },
    });
    // 2 500 bytes in 0.5 s = 40 000 bit/s, from the selected pair only
    expect(connectionBitrate(pair(0, 1000, true), pair(500, 3500, true)).sendBps).toBe(40_000);
    const rtp = (t: number, a: number, b: number): StatsSample => ({
      OA: { type: 'outbound-rtp', timestamp: t, kind: 'audio', bytesSent: a, packetsSent: 1 },
      OV: { type: 'outbound-rtp', timestamp: t, kind: 'video', bytesSent: b, packetsSent: 1 },
      IA: { type: 'inbound-rtp', timestamp: t, kind: 'audio', bytesReceived: a, packetsReceived: 1 },
    });
    // audio 1 000 bytes + video 9 000 bytes in 2 s = 40 000 bit/s sent; audio alone 4 000 bit/s received
    expect(connectionBitrate(rtp(0, 0, 0), rtp(2000, 1000, 9000))).toEqual({ sendBps: 40_000, recvBps: 4000 });
  });
});

describe('LiveSessionTracker', () => {
  const callStart: [string | null, string, unknown, boolean?][] = [
    [null, 'navigator.mediaDevices.getUserMedia', { audio: true }],
    ['PC_0', 'create', { iceServers: [] }],
    ['PC_1', 'create', { iceServers: [] }],
    ['PC_0', 'onconnectionstatechange', 'connecting'],
    ['PC_1', 'onconnectionstatechange', 'connecting'],
    ['PC_0', 'onconnectionstatechange', 'connected'],
  ];

  it('counts connections, live ones, and the worst state', () => {
    const t = new LiveSessionTracker(session);
    t.update(session, frameEvents(callStart));
    let s = t.summary();
    expect(s).toMatchObject({ sessionId: 's1', tabId: 7, connections: 2, liveConnections: 2, worstState: 'connecting', sendBps: null, recvBps: null });
    t.update(null, frameEvents([['PC_1', 'onconnectionstatechange', 'connected']], 0, 7));
    expect(t.summary().worstState).toBe('connected');
    t.update(null, frameEvents([['PC_1', 'onconnectionstatechange', 'failed']], 0, 8));
    s = t.summary();
    expect(s.liveConnections).toBe(1);
    expect(s.worstState).toBe('failed');
    t.update(null, frameEvents([['PC_0', 'close', null]], 0, 9));
    expect(t.summary()).toMatchObject({ connections: 2, liveConnections: 0 });
  });

  it("uses the ICE connection state for connections that report no connectionState", () => {
    const t = new LiveSessionTracker(session);
    t.update(session, frameEvents([['PC_0', 'create', {}], ['PC_0', 'oniceconnectionstatechange', 'checking']]));
    expect(t.summary().worstState).toBe('connecting');
    t.update(null, frameEvents([['PC_0', 'oniceconnectionstatechange', 'completed']], 0, 3));
    expect(t.summary().worstState).toBe('connected');
  });

  it('sums the bitrate of the live connections over their last two samples, deltas undone', () => {
    const t = new LiveSessionTracker(session);
    const s0 = transportSample(1000, 0, 0);
    const s1 = transportSample(2000, 125_000, 25_000);
    const s2 = transportSample(3000, 375_000, 50_000); // +250 000 bytes sent (2 Mbit/s), +25 000 received (200 kbit/s)
    t.update(session, frameEvents([
      ...callStart,
      ['PC_0', 'getStats', s0, true],
      ['PC_1', 'getStats', transportSample(1000, 0, 0), true],
      ['PC_0', 'getStats', statsDelta(s0, s1)],
      ['PC_1', 'getStats', transportSample(2000, 12_500, 12_500), true], // 100 kbit/s both ways
      ['PC_0', 'getStats', statsDelta(s1, s2)],
    ]));
    const s = t.summary();
    expect(s.perConnection.find((c) => c.id === 'PC_0')).toMatchObject({ sendBps: 2_000_000, recvBps: 200_000 });
    expect(s.sendBps).toBe(2_100_000);
    expect(s.recvBps).toBe(300_000);
    // a closed connection no longer counts
    t.update(null, frameEvents([['PC_1', 'close', null]], 0, 12));
    expect(t.summary().sendBps).toBe(2_000_000);
  });

  it('applies each event once (a rebuilt summary meets batches it already read) and waits for a complete sample after a gap', () => {
    const t = new LiveSessionTracker(session);
    const events = frameEvents(callStart);
    t.update(session, events);
    t.update(null, events); // again: nothing changes
    expect(t.summary().connections).toBe(2);
    // a delta whose base was never seen is not applied
    const s0 = transportSample(1000, 0, 0);
    const s1 = transportSample(2000, 125_000, 0);
    t.update(null, frameEvents([['PC_0', 'getStats', statsDelta(s0, s1)]], 0, 7));
    expect(t.summary().sendBps).toBeNull();
    const s2 = transportSample(3000, 250_000, 0);
    t.update(null, frameEvents([['PC_0', 'getStats', s1, true], ['PC_0', 'getStats', statsDelta(s1, s2)]], 0, 8));
    expect(t.summary().sendBps).toBe(1_000_000);
  });

  it('keeps frames apart: sequence numbers are per frame', () => {
    const t = new LiveSessionTracker(session);
    t.update(session, frameEvents([['PC_0', 'create', {}]], 0, 1));
    t.update(null, frameEvents([['1-PC_0', 'create', {}]], 1, 1));
    expect(t.summary().connections).toBe(2);
  });
});

describe('stateTone', () => {
  it('marks connected good, failed bad, the ways there a warning', () => {
    expect(stateTone('connected')).toBe('good');
    expect(stateTone('failed')).toBe('bad');
    expect(stateTone('disconnected')).toBe('warn');
    expect(stateTone('closed')).toBe('muted');
    expect(stateTone(null)).toBe('muted');
    // ICE connection states (legacy dumps have no connectionState)
    expect(stateTone('completed')).toBe('good');
    expect(stateTone('checking')).toBe('warn');
  });
});

describe('LiveSessionTracker: the badge level follows the live observations', () => {
  // one synthetic call, fed as the background gets it: clean, then 10 % incoming loss, then clean again
  const { session: record, events } = callDump(70, (i) => (i >= 20 && i < 45 ? { lossPct: 10 } : {}));
  const statsTimes = events.filter((e) => e.method === 'getStats').map((e) => e.t);
  const levelAfter = (sample: number) => {
    const t = new LiveSessionTracker(record);
    t.update(null, events.filter((e) => e.t <= statsTimes[sample]!));
    return t.summary();
  };

  it('is none while the call is clean', () => {
    const s = levelAfter(18);
    expect(s.level).toBe('none');
    expect(s.verdict?.level).toBe('good');
  });

  it('turns warning or critical while the loss lasts', () => {
    expect(['warning', 'critical']).toContain(levelAfter(40).level);
  });

  it('goes back to none once the loss has ended, while the verdict remembers it', () => {
    const s = levelAfter(69);
    expect(s.level).toBe('none');
    expect(s.verdict?.level).not.toBe('good');
  });
});
