// The key acceptance test of the webrtc-internals exporter: Chrome's own raw
// series from a real Chrome 147 dump, read straight from the JSON here (not
// through any importer), turned into complete getStats samples, exported
// again; our derived ("bracketed") series must be the ones Chrome recorded.

import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import type { SessionDump } from '../../src/core/dump';
import { exportInternals } from '../../src/core/internals-export';
import type { SessionRecord } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { fixture } from './support/fixtures';

const FIXTURE = fixture('internals/chrome147-two-pc-loopback.json');

interface Series {
  startTime: string;
  endTime: string;
  statsType: string;
  values: string;
}
interface Pc {
  pid: number;
  url: string;
  rtcConfiguration: string;
  stats: Record<string, Series>;
  updateLog: { type: string; value: string; timestamp: number }[];
}
interface Dump {
  PeerConnections: Record<string, Pc>;
  UserAgent: string;
}

const chrome = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Dump;
const iso = (ms: number) => new Date(ms).toISOString();

/** `<id>-<property>` or `<id>-[derived]` */
function splitKey(key: string): { id: string; name: string } {
  const at = key.indexOf('-[');
  if (at >= 0) return { id: key.slice(0, at), name: key.slice(at + 1) };
  const dash = key.lastIndexOf('-');
  return { id: key.slice(0, dash), name: key.slice(dash + 1) };
}

const DATES = new Set(['[lastPacketReceivedTimestamp]', '[lastPacketSentTimestamp]', '[remoteTimestamp]', '[estimatedPlayoutTimestamp]']);

interface Rebuilt {
  /** per getStats round, the complete sample */
  samples: StatsSample[];
  rounds: number[];
  /** raw series placed exactly at their timestamp indices (the others have a gap and are left out) */
  placed: Set<string>;
  skipped: string[];
}

/**
 * Rebuilds one connection's getStats samples from Chrome's raw series.
 * Rounds (one per getStats call) are the peer-connection report's
 * timestamps; a report whose timestamps are among them (every local report)
 * is placed by timestamp, one with its own clock (remote-inbound/outbound,
 * present to the end) from the end. A raw property series is placed where
 * its startTime/endTime say; one that cannot be placed contiguously (it
 * vanished for a while in the middle) is left out: no derived series reads
 * those.
 */
function rebuild(pc: Pc): Rebuilt {
  const ids = new Map<string, { type: string; ts: number[] }>();
  for (const [key, s] of Object.entries(pc.stats)) {
    const { id, name } = splitKey(key);
    if (name === 'timestamp') ids.set(id, { type: s.statsType, ts: JSON.parse(s.values) as number[] });
  }
  const rounds = ids.get('P')!.ts;
  const samples: StatsSample[] = rounds.map(() => ({}));
  const roundOf = new Map<string, number[]>();
  for (const [id, { type, ts }] of ids) {
    const local = ts.every((t) => rounds.includes(t));
    const index = ts.map((t, i) => (local ? rounds.indexOf(t) : rounds.length - ts.length + i));
    roundOf.set(id, index);
    index.forEach((r, i) => {
      samples[r]![id] = { type, timestamp: ts[i]! };
    });
  }
  const placed = new Set<string>();
  const skipped: string[] = [];
  for (const [key, s] of Object.entries(pc.stats)) {
    const { id, name } = splitKey(key);
    if (name.startsWith('[') || name === 'timestamp' || !ids.has(id)) continue;
    const values = JSON.parse(s.values) as unknown[];
    const ts = ids.get(id)!.ts;
    let start = -1;
    for (let i = 0; i + values.length <= ts.length; i++) {
      if (iso(ts[i]!) === s.startTime && iso(ts[i + values.length - 1]!) === s.endTime) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      skipped.push(key);
      continue;
    }
    placed.add(key);
    values.forEach((v, k) => {
      samples[roundOf.get(id)![start + k]!]![id]![name] = v;
    });
  }
  return { samples, rounds, placed, skipped };
}

const T0 = 1778075876000;

function dumpFrom(pcs: Pc[], rebuilt: Rebuilt[]): SessionDump {
  const session: SessionRecord = {
    id: 'chrome147-rebuilt',
    tabId: 7,
    url: pcs[0]!.url,
    origin: new URL(pcs[0]!.url).origin,
    title: '',
    startTime: T0,
    endTime: null,
    userAgent: chrome.UserAgent,
    extensionVersion: '0.1.0',
    frames: [{ key: 'top', frameId: 0, url: pcs[0]!.url, origin: new URL(pcs[0]!.url).origin, isTop: true, firstSeen: T0 }],
    connections: pcs.map((p, i) => ({ id: `PC_${i}`, frame: 0, createdAt: T0 + i, closedAt: null, configuration: JSON.parse(p.rtcConfiguration) })),
    tags: {},
    eventCount: 0,
    statsCount: 0,
    lastEventTime: T0,
    bytes: 0,
    rawBytes: 0,
  };
  const events: Omit<StoredEvent, 'seq'>[] = [];
  pcs.forEach((p, i) => {
    events.push({ sessionId: session.id, frame: 0, t: T0 + i, method: 'create', pc: `PC_${i}`, value: JSON.parse(p.rtcConfiguration) });
    rebuilt[i]!.samples.forEach((sample, r) => {
      events.push({ sessionId: session.id, frame: 0, t: rebuilt[i]!.rounds[r]!, method: 'getStats', pc: `PC_${i}`, value: sample, full: true });
    });
  });
  events.sort((a, b) => a.t - b.t);
  return { session, events: events.map((e, k) => ({ ...e, seq: k + 1 })) };
}

const pcs = Object.values(chrome.PeerConnections);
const rebuilt = pcs.map(rebuild);
const ours = JSON.parse(exportInternals(dumpFrom(pcs, rebuilt))) as Dump;
const ourPcs = Object.values(ours.PeerConnections);

interface Comparison {
  points: number;
  series: number;
  maxAbs: number;
  maxRel: number;
}

/** Every bracketed series Chrome recorded, compared with ours: same points, same times, same values. */
function compareDerived(): Map<string, Comparison> {
  const byName = new Map<string, Comparison>();
  pcs.forEach((pc, i) => {
    const mine = ourPcs[i]!.stats;
    for (const [key, s] of Object.entries(pc.stats)) {
      const { name } = splitKey(key);
      if (!name.startsWith('[')) continue;
      const c = byName.get(name) ?? { points: 0, series: 0, maxAbs: 0, maxRel: 0 };
      byName.set(name, c);
      expect(mine[key], `${key} exported`).toBeDefined();
      const theirs = JSON.parse(s.values) as unknown[];
      const values = JSON.parse(mine[key]!.values) as unknown[];
      expect(values.length, `${key}: number of points`).toBe(theirs.length);
      expect(mine[key]!.startTime, `${key}: startTime`).toBe(s.startTime);
      expect(mine[key]!.endTime, `${key}: endTime`).toBe(s.endTime);
      expect(mine[key]!.statsType).toBe(s.statsType);
      c.series++;
      if (DATES.has(name)) {
        // Date.toLocaleString of the same times: Chrome's locale and time zone are not ours
        continue;
      }
      theirs.forEach((v, k) => {
        c.points++;
        if (typeof v !== 'number') {
          expect(values[k], `${key}[${k}]`).toBe(v);
          return;
        }
        const w = values[k] as number;
        const abs = Math.abs(w - v);
        c.maxAbs = Math.max(c.maxAbs, abs);
        if (v !== 0) c.maxRel = Math.max(c.maxRel, abs / Math.abs(v));
        // bits/s are integers in both; the rest agree to the last bits of a double
        expect(abs, `${key}[${k}]: ours ${w}, Chrome ${v}`).toBeLessThanOrEqual(name.includes('_in_bits/s') ? 0 : 1e-9 * Math.max(1, Math.abs(v)));
      });
    }
  });
  return byName;
}

describe('exportInternals against Chrome 147 (internals/chrome147-two-pc-loopback.json)', () => {
  it('rebuilds the samples from the raw series', () => {
    expect(pcs).toHaveLength(2);
    for (const r of rebuilt) {
      expect(r.samples.length).toBeGreaterThan(10);
      // only properties that vanished for a while mid-call cannot be placed
      for (const key of r.skipped) expect(key).toMatch(/-(dtlsCipher|srtpCipher|tlsVersion|availableOutgoingBitrate|framesPerSecond|googTimingFrameInfo|roundTripTime|codecId)$/);
    }
  });

  it("reproduces Chrome's raw series and -timestamp series", () => {
    pcs.forEach((pc, i) => {
      const mine = ourPcs[i]!.stats;
      for (const key of rebuilt[i]!.placed) {
        expect(mine[key]!.values, key).toBe(pc.stats[key]!.values);
        expect(mine[key]!.startTime, key).toBe(pc.stats[key]!.startTime);
        expect(mine[key]!.endTime, key).toBe(pc.stats[key]!.endTime);
      }
      for (const key of Object.keys(pc.stats).filter((k) => k.endsWith('-timestamp'))) {
        expect(mine[key]!.values, key).toBe(pc.stats[key]!.values);
      }
    });
  });

  it("reproduces every derived series Chrome recorded, over every stats id that has it", () => {
    const byName = compareDerived();
    for (const name of [
      '[bytesSent_in_bits/s]',
      '[bytesReceived_in_bits/s]',
      '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]',
      '[totalDecodeTime/framesDecoded_in_ms]',
      '[totalEncodeTime/framesEncoded_in_ms]',
      '[framesEncoded/s]',
      '[framesDecoded/s]',
      '[qpSum/framesEncoded]',
      '[totalPacketSendDelay/packetsSent_in_ms]',
      '[framesReceived-framesDecoded-framesDropped]',
      '[totalRoundTripTime/roundTripTimeMeasurements]',
      '[totalRoundTripTime/responsesReceived]',
      '[interFrameDelayStDev_in_ms]',
      '[codec]',
    ]) {
      expect(byName.get(name)?.points, name).toBeGreaterThan(0);
    }
    expect(byName.get('[bytesSent_in_bits/s]')!.series).toBe(6); // 11-1: outbound-rtp, transport, 2 candidate pairs; 12-2: transport, candidate pair
    const table = [...byName].map(([name, c]) => `${name}: ${c.series} series, ${c.points} points, max abs ${c.maxAbs}, max rel ${c.maxRel.toExponential(1)}`);
    console.info(`derived series against Chrome 147:\n  ${table.join('\n  ')}`);
  });

  it('date series are Date.toLocaleString of the raw times, as Chrome (its dump: zh-CN, UTC+8)', () => {
    let checked = 0;
    pcs.forEach((pc, i) => {
      const mine = ourPcs[i]!.stats;
      for (const [key, s] of Object.entries(pc.stats)) {
        const { id, name } = splitKey(key);
        if (!DATES.has(name)) continue;
        const raw = JSON.parse(pc.stats[`${id}-${name.slice(1, -1)}`]!.values) as number[];
        const theirs = JSON.parse(s.values) as string[];
        expect(theirs).toEqual(raw.map((t) => new Date(t).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })));
        expect(JSON.parse(mine[key]!.values)).toEqual(raw.map((t) => new Date(t).toLocaleString()));
        checked++;
      }
    });
    expect(checked).toBe(8);
  });

  it('[packetsSent/s] and [packetsReceived/s] (not written by Chrome 147) are Δpackets·1000/Δt of the raw series', () => {
    // Chrome 147 dropped packet rates from webrtc-internals; older Chrome
    // wrote them with the rate formula checked above on [framesEncoded/s].
    let checked = 0;
    pcs.forEach((pc, i) => {
      const mine = ourPcs[i]!.stats;
      for (const key of Object.keys(pc.stats)) {
        const { id, name } = splitKey(key);
        if (name !== 'packetsSent' && name !== 'packetsReceived') continue;
        const type = pc.stats[key]!.statsType;
        if (!['outbound-rtp', 'inbound-rtp', 'transport', 'candidate-pair'].includes(type)) continue;
        const ts = JSON.parse(pc.stats[`${id}-timestamp`]!.values) as number[];
        const packets = JSON.parse(pc.stats[key]!.values) as number[];
        expect(packets.length, key).toBe(ts.length);
        const expected: number[] = [];
        for (let k = 1; k < ts.length; k++) {
          if (ts[k]! - ts[k - 1]! > 0) expected.push(((packets[k]! - packets[k - 1]!) * 1000) / (ts[k]! - ts[k - 1]!));
        }
        const derived = `${id}-[${name}/s]`;
        expect(pc.stats[derived], `${derived} in Chrome's dump`).toBeUndefined();
        expect(JSON.parse(mine[derived]!.values), derived).toEqual(expected);
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(8); // 2 transports, 3 candidate pairs × sent+received, + outbound, inbound
  });

  it('writes no other derived series than Chrome did, except the packet rates', () => {
    pcs.forEach((pc, i) => {
      const extra = Object.keys(ourPcs[i]!.stats).filter((k) => k.includes('-[') && !(k in pc.stats));
      for (const key of extra) expect(key).toMatch(/-\[packets(Sent|Received)\/s\]$/);
    });
  });
});
