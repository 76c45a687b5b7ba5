// The default charts of a connection (src/core/view/charts.ts) on the
// synthetic session and on every real dump with stats: no empty chart, one
// group per RTP stream with its kind and direction, RTCP RTT from the
// remote-inbound-rtp report that points at the stream. What each stream,
// codec and bit rate should be is read in the test from the complete raw
// samples (completeStatsSamples), not from the model.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SessionDump } from '../../src/core/dump';
import { importDump } from '../../src/core/import';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsReport, StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import { codecsInUse, currentBitrate, defaultCharts, type ChartGroup } from '../../src/core/view/charts';
import { SessionModel, type ConnectionModel } from '../../src/core/view/session-model';
import { FIXTURES_DIR } from './support/fixtures';
import { ev, PC, sessionRecord, START } from './support/call';

function samplesByPc(dump: SessionDump): Map<string, StatsSample[]> {
  const out = new Map<string, StatsSample[]>();
  for (const { event, sample } of completeStatsSamples(dump.events)) {
    let list = out.get(event.pc!);
    if (!list) out.set(event.pc!, (list = []));
    list.push(sample);
  }
  return out;
}

function modelOf(dump: SessionDump): SessionModel {
  const model = new SessionModel(dump.session);
  model.add(dump.events);
  return model;
}

const isRtp = (r: StatsReport) => r.type === 'outbound-rtp' || r.type === 'inbound-rtp';
const kindOf = (r: StatsReport) => String(r.kind ?? r.mediaType);
const counter = (r: StatsReport) => (r.type === 'outbound-rtp' ? r.bytesSent : r.bytesReceived);

/** Every series of every chart has at least one value to draw. */
function expectNoEmptyChart(c: ConnectionModel, groups: ChartGroup[], where: string): void {
  for (const g of groups) {
    expect(g.charts.length, `${where} ${g.key}`).toBeGreaterThan(0);
    for (const chart of g.charts) {
      expect(chart.series.length, `${where} ${g.key} ${chart.key}`).toBeGreaterThan(0);
      for (const s of chart.series) {
        const values = chart.kind === 'bands' ? c.textSeries(s.statsId, s.name) : c.series(s.statsId, s.name);
        expect(values.filter((v) => v !== null).length, `${where} ${g.key} ${chart.key} ${s.statsId} ${s.name}`).toBeGreaterThan(0);
      }
    }
  }
}

/** The RTP streams whose byte counter moved between two consecutive samples less than 10 s apart: they have something to chart. */
function movingStreams(samples: StatsSample[]): Map<string, StatsReport> {
  const out = new Map<string, StatsReport>();
  for (let i = 1; i < samples.length; i++) {
    for (const [id, r] of Object.entries(samples[i]!)) {
      const p = samples[i - 1]![id];
      if (!isRtp(r) || !p || p.type !== r.type) continue;
      const dt = (r.timestamp as number) - (p.timestamp as number);
      if (typeof counter(r) === 'number' && typeof counter(p) === 'number' && dt > 0 && dt <= 10_000 && (counter(r) as number) >= (counter(p) as number)) out.set(id, r);
    }
  }
  return out;
}

/** Groups per stream: the right direction and kind in the title, the RTCP RTT chart from remote-inbound-rtp.localId. */
function expectStreamGroups(groups: ChartGroup[], samples: StatsSample[], where: string): void {
  const byId = new Map<string, StatsReport>();
  const remoteInboundOf = new Map<string, string>();
  for (const s of samples) {
    for (const [id, r] of Object.entries(s)) {
      if (isRtp(r)) byId.set(id, r);
      if (r.type === 'remote-inbound-rtp' && typeof r.localId === 'string' && typeof r.roundTripTime === 'number') remoteInboundOf.set(r.localId, id);
    }
  }
  const streamGroups = groups.filter((g) => g.key !== 'connection');
  for (const g of streamGroups) {
    const raw = byId.get(g.key);
    expect(raw, `${where}: group ${g.key} is an RTP stream`).toBeDefined();
    expect(g.title.startsWith(`${raw!.type === 'outbound-rtp' ? 'Sending' : 'Receiving'} ${kindOf(raw!)}`), `${where} ${g.title}`).toBe(true);
    const rtt = g.charts.find((c) => c.key === 'rtt');
    if (raw!.type === 'outbound-rtp' && remoteInboundOf.has(g.key)) {
      expect(rtt?.series.map((s) => [s.statsId, s.name, s.scale]), `${where} ${g.key}`).toEqual([[remoteInboundOf.get(g.key), 'roundTripTime', 1000]]);
    } else {
      expect(rtt, `${where} ${g.key}: no RTCP RTT without a remote-inbound-rtp report`).toBeUndefined();
    }
  }
  const keys = new Set(streamGroups.map((g) => g.key));
  for (const id of movingStreams(samples).keys()) expect(keys.has(id), `${where}: a group for ${id}`).toBe(true);
}

describe('defaultCharts on the synthetic session', () => {
  const dump = syntheticSession({ connections: 2, minutes: 2 });
  const model = modelOf(dump);
  const samples = samplesByPc(dump);

  it('every connection: a connection group and one group per RTP stream, sending before receiving, no empty chart', () => {
    for (const [pc, c] of model.connections) {
      const groups = defaultCharts(c);
      const last = samples.get(pc)!.at(-1)!;
      const rtp = Object.entries(last).filter(([, r]) => isRtp(r));
      expect(groups.map((g) => g.key)).toEqual([
        'connection',
        ...rtp.filter(([, r]) => r.type === 'outbound-rtp').sort(([, a], [, b]) => kindOf(a).localeCompare(kindOf(b))).map(([id]) => id),
        ...rtp.filter(([, r]) => r.type === 'inbound-rtp').sort(([, a], [, b]) => kindOf(a).localeCompare(kindOf(b))).map(([id]) => id),
      ]);
      expectNoEmptyChart(c, groups, pc);
      expectStreamGroups(groups, samples.get(pc)!, pc);
    }
  });

  it('the charts the issue lists for each kind of stream (all present with Chrome-like stats)', () => {
    const c = model.connection('PC_0');
    const groups = defaultCharts(c);
    const chartsOf = (type: string, kind: string) => {
      const g = groups.find((x) => x.title.startsWith(`${type} ${kind}`))!;
      return g.charts.map((ch) => ch.key);
    };
    expect(groups[0]!.charts.map((ch) => ch.key)).toEqual(['bitrate', 'rtt', 'packets']);
    expect(chartsOf('Sending', 'video')).toEqual(['bitrate', 'packets', 'loss', 'rtt', 'jitter', 'fps', 'resolution', 'encode', 'qlr']);
    expect(chartsOf('Sending', 'audio')).toEqual(['bitrate', 'packets', 'loss', 'rtt', 'jitter']);
    expect(chartsOf('Receiving', 'video')).toEqual(['bitrate', 'packets', 'loss', 'jitter', 'jb', 'fps', 'resolution', 'freeze']);
    expect(chartsOf('Receiving', 'audio')).toEqual(['bitrate', 'packets', 'loss', 'jitter', 'jb', 'concealment', 'level']);
    const qlr = groups.find((x) => x.title.startsWith('Sending video'))!.charts.find((ch) => ch.key === 'qlr')!;
    expect(qlr.kind).toBe('bands');
  });

  it('codecsInUse and currentBitrate agree with the last raw samples', () => {
    for (const [pc, c] of model.connections) {
      const list = samples.get(pc)!;
      const [prev, last] = [list.at(-2)!, list.at(-1)!];
      const codecs = (type: string) =>
        [...new Set(Object.values(last).filter((r) => r.type === type).map((r) => String(last[String(r.codecId)]!.mimeType).split('/')[1]!))].sort();
      const got = codecsInUse(c);
      expect([...got.send].sort()).toEqual(codecs('outbound-rtp'));
      expect([...got.receive].sort()).toEqual(codecs('inbound-rtp'));
      expect(got.send.length).toBeGreaterThan(0);

      const pairId = String(Object.values(last).find((r) => r.type === 'transport')!.selectedCandidatePairId);
      const a = prev[pairId]!;
      const b = last[pairId]!;
      const dt = ((b.timestamp as number) - (a.timestamp as number)) / 1000;
      const bitrate = currentBitrate(c);
      // bit rates are whole bits per second, as webrtc-internals shows them
      expect(bitrate.send).toBe(Math.round((((b.bytesSent as number) - (a.bytesSent as number)) * 8) / dt));
      expect(bitrate.receive).toBe(Math.round((((b.bytesReceived as number) - (a.bytesReceived as number)) * 8) / dt));
      expect(bitrate.send).toBeGreaterThan(0);
    }
  });

  it('currentBitrate counts the selected pair only, not an earlier pair that still carries some traffic', () => {
    const m = new SessionModel(sessionRecord());
    const sample = (i: number, selected: string): StatsSample => ({
      T: { type: 'transport', timestamp: START + i * 1000, selectedCandidatePairId: selected },
      A: { type: 'candidate-pair', timestamp: START + i * 1000, bytesSent: 1000 * i, bytesReceived: 2000 * i }, // 8 / 16 kbit/s, on and on
      B: { type: 'candidate-pair', timestamp: START + i * 1000, bytesSent: i < 3 ? 0 : 50_000 * (i - 3), bytesReceived: i < 3 ? 0 : 100_000 * (i - 3) },
    });
    m.add([0, 1, 2, 3, 4, 5].map((i) => ({ ...ev(i * 1000, PC, 'getStats', sample(i, i < 3 ? 'A' : 'B')), full: true })));
    const c = m.connection(PC);
    expect([...c.usedPairs].sort()).toEqual(['A', 'B']);
    expect(currentBitrate(c)).toEqual({ send: 400_000, receive: 800_000 });
  });

  it('a connection without samples has no charts and no bitrate', () => {
    const m = new SessionModel(dump.session);
    m.add(dump.events.filter((e) => e.method !== 'getStats'));
    const c = m.connection('PC_0');
    expect(defaultCharts(c)).toEqual([]);
    expect(currentBitrate(c)).toEqual({ send: null, receive: null });
    expect(codecsInUse(c)).toEqual({ send: [], receive: [] });
  });
});

function dumpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dumpFiles(path);
    return name.endsWith('.md') ? [] : [path];
  });
}

describe('defaultCharts on the real dumps', () => {
  const files = dumpFiles(FIXTURES_DIR);

  it('finds the dumps', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    const name = relative(FIXTURES_DIR, file);
    it(`${name}: every default chart has values, one group per RTP stream, RTCP RTT linked by localId`, async () => {
      const dump = (await importDump(new Uint8Array(readFileSync(file)))).dump;
      const samples = samplesByPc(dump);
      const model = modelOf(dump);
      let charts = 0;
      for (const [pc, list] of samples) {
        const c = model.connection(pc);
        expect(c.times.length, `${name} ${pc}`).toBe(list.length);
        const groups = defaultCharts(c);
        expectNoEmptyChart(c, groups, `${name} ${pc}`);
        expectStreamGroups(groups, list, `${name} ${pc}`);
        charts += groups.reduce((n, g) => n + g.charts.length, 0);

        // codecs in use: from the last sample's RTP streams and the codec reports they point to
        const last = list.at(-1)!;
        const expected = (type: string) =>
          [...new Set(Object.values(last).filter((r) => r.type === type && typeof last[String(r.codecId)]?.mimeType === 'string')
            .map((r) => String(last[String(r.codecId)]!.mimeType).replace(/^(audio|video)\//, '')))].sort();
        const got = codecsInUse(c);
        expect([...got.send].sort(), `${name} ${pc}`).toEqual(expected('outbound-rtp'));
        expect([...got.receive].sort(), `${name} ${pc}`).toEqual(expected('inbound-rtp'));
      }
      // a dump with stats draws something
      if (samples.size > 0) expect(charts, name).toBeGreaterThan(0);
    });
  }

  it('webrtc-internals (Chrome 147): the offerer sends VP8 video, the answerer receives it', async () => {
    const dump = (await importDump(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'internals/chrome147-two-pc-loopback.json'))))).dump;
    const model = modelOf(dump);
    const offerer = defaultCharts(model.connection('11-1')).map((g) => g.title);
    const answerer = defaultCharts(model.connection('12-2')).map((g) => g.title);
    expect(offerer).toEqual(['Connection', 'Sending video · VP8']);
    expect(answerer).toEqual(['Connection', 'Receiving video · VP8']);
    expect(codecsInUse(model.connection('11-1'))).toEqual({ send: ['VP8'], receive: [] });
    // the offerer switched candidate pairs: the current bit rate is the one of the pair in use now
    const list = samplesByPc(dump).get('11-1')!;
    const [prev, last] = [list.at(-2)!, list.at(-1)!];
    const pairId = String(Object.values(last).find((r) => r.type === 'transport')!.selectedCandidatePairId);
    const dt = ((last[pairId]!.timestamp as number) - (prev[pairId]!.timestamp as number)) / 1000;
    const rate = (k: string) => Math.round((((last[pairId]![k] as number) - (prev[pairId]![k] as number)) * 8) / dt);
    expect(model.connection('11-1').usedPairs.size).toBe(2);
    expect(currentBitrate(model.connection('11-1'))).toEqual({ send: rate('bytesSent'), receive: rate('bytesReceived') });
  });
});
