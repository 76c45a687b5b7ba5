// The default charts on stats from other browsers: what a browser's stats do
// not have is listed as unavailable per group, never drawn as an empty chart.
// The expectations come from the raw fixture lines (which properties each
// stats type ever carries), read here without the importer.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { SessionModel, type ConnectionModel } from '../../src/core/view/session-model';
import { chartsShape, defaultCharts, type ChartGroup } from '../../src/core/view/charts';
import { fixture } from './support/fixtures';

async function connectionsOf(file: string): Promise<ConnectionModel[]> {
  const { dump } = await importDump(new Uint8Array(readFileSync(fixture(file))));
  const model = new SessionModel(dump.session);
  model.add(dump.events);
  return [...model.connections.values()];
}

/** Jitsi rtcstats lines: per stats type, every property any getstats line gives it (deltas name the id only). */
function jitsiPropertiesByType(file: string): Map<string, Set<string>> {
  const typeOf = new Map<string, string>();
  const props = new Map<string, Set<string>>();
  for (const line of readFileSync(fixture(file), 'utf8').split('\n')) {
    if (!line.startsWith('["getstats"')) continue;
    const stats = JSON.parse(line)[2] as Record<string, Record<string, unknown>>;
    for (const [id, report] of Object.entries(stats)) {
      if (typeof report.type === 'string') typeOf.set(id, report.type);
      const type = typeOf.get(id)!;
      if (!props.has(type)) props.set(type, new Set());
      for (const name of Object.keys(report)) props.get(type)!.add(name);
    }
  }
  return props;
}

/** Every drawn chart has at least one value to draw. */
function expectNoEmptyChart(conn: ConnectionModel, groups: ChartGroup[]): void {
  for (const g of groups) {
    for (const c of g.charts) {
      const values = c.kind === 'bands' ? conn.textSeries(c.series[0]!.statsId, c.series[0]!.name) : c.series.flatMap((s) => conn.series(s.statsId, s.name));
      expect(values.some((v) => v !== null), `${g.title}: ${c.title}`).toBe(true);
    }
  }
}

describe('default charts on Firefox stats (Jitsi dump, Firefox 118)', () => {
  const FILE = 'jitsi/firefox-standard-stats-sfu.jsonl';

  it('lists the charts its stats cannot feed, per group, and draws none of them', async () => {
    const props = jitsiPropertiesByType(FILE);
    const lacks = (type: string, name: string) => !props.get(type)?.has(name);
    // what Firefox 118 does not report, read from the file
    expect(lacks('outbound-rtp', 'qualityLimitationReason')).toBe(true);
    expect(lacks('candidate-pair', 'currentRoundTripTime')).toBe(true);
    expect(lacks('candidate-pair', 'packetsSent') && lacks('candidate-pair', 'packetsReceived')).toBe(true);
    expect(lacks('inbound-rtp', 'jitterBufferEmittedCount')).toBe(true);
    expect(lacks('inbound-rtp', 'audioLevel') && lacks('inbound-rtp', 'concealedSamples')).toBe(true);
    expect(lacks('outbound-rtp', 'frameWidth') && lacks('inbound-rtp', 'frameWidth')).toBe(true);
    // and what it does
    expect(lacks('candidate-pair', 'bytesSent') || lacks('outbound-rtp', 'packetsSent') || lacks('inbound-rtp', 'jitter')).toBe(false);

    const [conn] = await connectionsOf(FILE);
    const groups = defaultCharts(conn!);
    const byTitle = (prefix: string) => groups.filter((g) => g.title.startsWith(prefix));
    const drawn = (g: ChartGroup) => g.charts.map((c) => c.title);

    const [connection] = byTitle('Connection');
    expect(drawn(connection!)).toEqual(['Bitrate']);
    expect(connection!.unavailable).toEqual(['Round-trip time (STUN)', 'Packets']);

    const [video] = byTitle('Sending video');
    expect(video!.unavailable).toEqual(expect.arrayContaining(['Resolution', 'Quality limitation']));
    expect(drawn(video!)).toEqual(expect.arrayContaining(['Bitrate', 'Packets', 'Frames per second']));
    for (const g of byTitle('Receiving audio')) {
      expect(g.unavailable).toEqual(expect.arrayContaining(['Jitter buffer delay', 'Audio concealment', 'Audio level']));
    }
    for (const g of byTitle('Receiving video')) {
      expect(g.unavailable).toEqual(expect.arrayContaining(['Jitter buffer delay', 'Resolution']));
      expect(drawn(g)).toEqual(expect.arrayContaining(['Bitrate', 'Jitter']));
    }
    for (const g of groups) expect(drawn(g).filter((t) => g.unavailable.includes(t))).toEqual([]);
    expectNoEmptyChart(conn!, groups);
  });
});

describe('default charts on Chrome stats (webrtc-internals dump, Chrome 147)', () => {
  it('has every default chart, none unavailable', async () => {
    for (const conn of await connectionsOf('internals/chrome147-two-pc-loopback.json')) {
      const groups = defaultCharts(conn);
      expect(groups.map((g) => g.unavailable)).toEqual(groups.map(() => []));
      expect(groups.find((g) => g.key === 'connection')?.charts.map((c) => c.key)).toEqual(['bitrate', 'rtt', 'packets']);
      expectNoEmptyChart(conn, groups);
    }
  });
});

describe('a connection without a candidate pair in use', () => {
  it('has no connection group (nothing to chart), and no group before its first stats sample', () => {
    const model = new SessionModel({ id: 's', connections: [] } as unknown as ConstructorParameters<typeof SessionModel>[0]);
    const conn = model.connection('PC_0');
    expect(defaultCharts(conn)).toEqual([]);
    conn.pushSample(1000, { CP1: { type: 'candidate-pair', timestamp: 1000, state: 'in-progress', bytesSent: 0 } });
    expect(defaultCharts(conn)).toEqual([]);
  });
});

describe('chartsShape', () => {
  it('changes when a property appears on a stats object already there, which can add a chart', () => {
    const model = new SessionModel({ id: 's', connections: [] } as unknown as ConstructorParameters<typeof SessionModel>[0]);
    const conn = model.connection('PC_0');
    const out = { type: 'outbound-rtp', kind: 'audio', bytesSent: 1000, packetsSent: 10 };
    const remote = { type: 'remote-inbound-rtp', kind: 'audio', localId: 'OUT', jitter: 0.002 };
    conn.pushSample(1000, { OUT: { ...out, timestamp: 1000 }, RI: { ...remote, timestamp: 1000 } });
    const before = chartsShape(conn);
    const rttCharts = () => defaultCharts(conn).find((g) => g.key === 'OUT')!.charts.filter((c) => c.key === 'rtt');
    expect(rttCharts()).toEqual([]);
    conn.pushSample(2000, { OUT: { ...out, timestamp: 2000, bytesSent: 2000 }, RI: { ...remote, timestamp: 2000 } });
    // derived rates appear with the second sample: a new property each
    const second = chartsShape(conn);
    expect(second).toBeGreaterThan(before);
    conn.pushSample(3000, { OUT: { ...out, timestamp: 3000, bytesSent: 3000 }, RI: { ...remote, timestamp: 3000 } });
    expect(chartsShape(conn)).toBe(second); // nothing new
    conn.pushSample(4000, { OUT: { ...out, timestamp: 4000, bytesSent: 4000 }, RI: { ...remote, timestamp: 4000, roundTripTime: 0.005 } });
    expect(chartsShape(conn)).toBe(second + 1);
    expect(rttCharts().map((c) => c.series)).toEqual([[{ statsId: 'RI', name: 'roundTripTime', label: 'RTT', scale: 1000 }]]);
  });
});
