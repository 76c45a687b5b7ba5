// The webrtc-internals export reads the stored getStats deltas straight into
// per-report columns. Whatever the deltas say, its dump must be the one it
// writes from the complete samples (each fed whole, as after
// completeStatsSamples), on random sessions that change everything a
// sample can: reports coming and going, properties appearing and
// disappearing, types, mids, nested objects, timestamps missing or not numbers.

import { describe, it, expect } from 'vitest';
import type { SessionDump } from '../../src/core/dump';
import { CALCULATORS, exportInternals, statsSeries } from '../../src/core/internals-export';
import { seededRandom } from '../../src/core/random';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import { statsDelta, type StatsReport, type StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import type { StoredEvent } from '../../src/core/trace';

const T = 1758602115000;

const TYPES = ['outbound-rtp', 'inbound-rtp', 'candidate-pair', 'transport', 'remote-inbound-rtp', 'media-source', 'codec', 'certificate'];
/** every property a calculator reads, and a few others */
const PROPS = [...new Set(Object.values(CALCULATORS).flatMap((list) => list.flatMap((c) => c.reads))), 'kind', 'ssrc', 'qualityLimitationDurations'];

function randomSession(seed: number): SessionDump {
  const random = seededRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <V>(list: readonly V[]): V => list[Math.floor(random() * list.length)]!;
  const ids = ['A', 'B', 'C', 'D', 'CO1', 'CO2', ...(seed % 10 === 0 ? ['t'] : [])]; // `t`: no deltas
  let sample: StatsSample = {};
  const events: StoredEvent[] = [];
  let prev: StatsSample | undefined;
  for (let i = 0; i < 50; i++) {
    const time = T + i * 1000 + (chance(0.1) ? 0 : Math.floor(random() * 5));
    const next: StatsSample = {};
    for (const id of ids) {
      const old = sample[id];
      if (old ? chance(0.01) : !chance(0.7)) continue; // a report going away or not (yet) there
      const report: StatsReport = old ? { ...old } : { type: id.startsWith('CO') ? 'codec' : pick(TYPES) };
      if (id.startsWith('CO') && (!old || chance(0.1))) {
        Object.assign(report, { mimeType: pick(['video/VP8', 'audio/opus']), payloadType: pick([96, 111]), sdpFmtpLine: pick(['', 'x=1']) });
      }
      if (chance(0.02)) report.type = pick(TYPES);
      if (chance(0.05)) report.mid = pick(['0', '1', undefined]);
      if (chance(0.05)) report.encodingIndex = pick([0, 1]);
      for (const name of PROPS) {
        if (chance(0.3)) continue;
        const v = report[name];
        if (name === 'qualityLimitationDurations') report[name] = { cpu: random(), ...(chance(0.01) ? {} : { bandwidth: random() }) };
        else if (name === 'codecId') report[name] = pick(['CO1', 'CO2', 'none']);
        else if (typeof v === 'number' && chance(0.8)) report[name] = v + (chance(0.8) ? Math.floor(random() * 100) : 0);
        else if (chance(0.002)) delete report[name]; // a complete sample follows
        else report[name] = chance(0.9) ? Math.floor(random() * 1000) : pick(['text', true]) // not null: null to a number takes a complete sample;
      }
      report.timestamp = chance(0.01) ? pick([undefined, 'x', time - 1000]) : time;
      if (report.timestamp === undefined) delete report.timestamp;
      next[id] = report;
    }
    sample = next;
    const delta = statsDelta(prev, next);
    const event: StoredEvent = { sessionId: 's', frame: 0, seq: i + 1, t: time, method: 'getStats', pc: 'PC_0', value: delta ?? structuredClone(next) };
    if (!delta) event.full = true;
    events.push(event);
    prev = structuredClone(next);
  }
  return { session: session(), events };
}

function session(): SessionRecord {
  return {
    id: 's', tabId: 1, url: 'https://a.example/', origin: 'https://a.example', title: '', startTime: T, endTime: T + 60000,
    userAgent: 'Mozilla/5.0 Chrome/147.0.0.0', extensionVersion: '0', frames: [{ key: 'top', frameId: 0, url: 'https://a.example/', origin: 'https://a.example', isTop: true, firstSeen: T }],
    connections: [{ id: 'PC_0', frame: 0, createdAt: T, closedAt: null, configuration: {} }],
    tags: {}, eventCount: 0, statsCount: 0, lastEventTime: T, bytes: 0, rawBytes: 0,
  };
}

/** The same session with every getStats value a complete sample. */
function allComplete(dump: SessionDump): SessionDump {
  const samples = new Map<StoredEvent, StatsSample>();
  for (const { event, sample } of completeStatsSamples(dump.events)) samples.set(event, structuredClone(sample));
  return { ...dump, events: dump.events.map((e) => (samples.has(e) ? { ...e, value: samples.get(e), full: true } : e)) };
}

describe('webrtc-internals export from deltas', () => {
  it('writes the dump it writes from the complete samples, on random sessions', () => {
    let deltas = 0;
    let derived = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const dump = randomSession(seed);
      deltas += dump.events.filter((e) => !e.full).length;
      const text = exportInternals(dump);
      derived += text.split('-[').length - 1;
      expect(text, `seed ${seed}`).toBe(exportInternals(allComplete(dump)));
    }
    // the sessions did hold deltas, and derived series were written
    expect(deltas).toBeGreaterThan(300);
    expect(derived).toBeGreaterThan(100);
  });

  it('writes each property\'s values over the samples that have it, on random sessions (reports and properties coming and going)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const dump = randomSession(seed);
      // expected from the complete samples: per "<id>-<property>", the values and times of the samples that have it
      const expected = new Map<string, { values: unknown[]; times: number[] }>();
      for (const { event, sample } of completeStatsSamples(dump.events)) {
        for (const [id, report] of Object.entries(sample)) {
          const time = typeof report.timestamp === 'number' ? report.timestamp : event.t;
          for (const [name, value] of Object.entries(report)) {
            if (name === 'id' || name === 'timestamp' || value === undefined) continue;
            const list = expected.get(`${id}-${name}`) ?? { values: [], times: [] };
            list.values.push(value);
            list.times.push(time);
            expected.set(`${id}-${name}`, list);
          }
        }
      }
      const out = JSON.parse(exportInternals(dump)) as { PeerConnections: Record<string, { stats: Record<string, { startTime: string; endTime: string; values: string }> }> };
      const stats = out.PeerConnections['1-1']!.stats;
      const written = Object.keys(stats).filter((key) => !key.includes('-[') && !key.endsWith('-timestamp'));
      expect(written.sort(), `seed ${seed}`).toEqual([...expected.keys()].sort());
      for (const [key, { values, times }] of expected) {
        expect(stats[key]!.values, `seed ${seed} ${key}`).toBe(JSON.stringify(values));
        expect([stats[key]!.startTime, stats[key]!.endTime], `seed ${seed} ${key}`).toEqual([new Date(times[0]!).toISOString(), new Date(times.at(-1)!).toISOString()]);
      }
    }
  });

  it('writes the dump it writes from the complete samples, on a synthetic call', () => {
    const dump = syntheticSession({ connections: 2, minutes: 2, pollMs: 1000 });
    expect(exportInternals(dump)).toBe(exportInternals(allComplete(dump)));
  });

  it('computes nothing from a property a calculator reads after it went away (each report\'s two input objects are reused)', () => {
    // packetsSent in the first three samples only: the send delay per packet has points at samples 1 and 2, none after
    const samples = Array.from({ length: 7 }, (_, i) => {
      const report: StatsReport = { type: 'outbound-rtp', timestamp: T + i * 1000, totalPacketSendDelay: i * 0.5 };
      if (i < 3) report.packetsSent = i * 10;
      return { sample: { O: report }, time: T + i * 1000 };
    });
    const series = statsSeries(samples)['O-[totalPacketSendDelay/packetsSent_in_ms]']!;
    expect(JSON.parse(series.values)).toHaveLength(2);
    expect(series.endTime).toBe(new Date(T + 2000).toISOString());
  });
});
