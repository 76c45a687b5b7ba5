import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { ALL_METRICS, deriveMetrics, deriveReportMetrics, isCumulative, MAX_SAMPLE_GAP_MS, METRICS, MetricSelection, metricsFor } from '../../src/core/metrics';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import { fixture } from './support/fixtures';

const inbound = (timestamp: number, x: Record<string, unknown>): StatsSample => ({ IT1: { type: 'inbound-rtp', kind: 'audio', timestamp, ...x } });

describe('deriveMetrics', () => {
  it('nothing without a previous sample', () => {
    expect(deriveMetrics(undefined, inbound(1000, { packetsReceived: 10 }))).toEqual({});
  });

  it('rates, bit rates, loss, audible concealment, RMS level', () => {
    const prev = inbound(1000, {
      packetsReceived: 100, packetsLost: 2, bytesReceived: 10_000, concealedSamples: 100, silentConcealedSamples: 40,
      totalSamplesReceived: 48_000, totalAudioEnergy: 0.5, totalSamplesDuration: 1,
    });
    const cur = inbound(3000, {
      packetsReceived: 190, packetsLost: 12, bytesReceived: 18_000, concealedSamples: 2020, silentConcealedSamples: 520,
      totalSamplesReceived: 144_000, totalAudioEnergy: 0.52, totalSamplesDuration: 3,
    });
    const m = deriveMetrics(prev, cur).IT1!;
    expect(m['[packetsReceived/s]']).toBe(45); // 90 packets in 2 s
    expect(m['[bytesReceived_in_bits/s]']).toBe(32_000); // 8000 bytes · 8 / 2 s
    expect(m['[packetsLost_in_%]']).toBe(10); // 10 lost of 100 expected
    expect(m['[audibleConcealment_in_%]']).toBe(1.5); // (1920 − 480) / 96000
    expect(m['[Audio_Level_in_RMS]']).toBeCloseTo(0.1, 12); // √(0.02 / 2)
  });

  it('signed packetsLost: duplicates make the loss 0, not negative', () => {
    const m = deriveMetrics(inbound(0, { packetsReceived: 100, packetsLost: 5 }), inbound(1000, { packetsReceived: 150, packetsLost: 3 })).IT1!;
    expect(m['[packetsLost_in_%]']).toBe(0);
  });

  it('no value across a counter reset, a gap, time going back, a zero denominator, or a report changing type', () => {
    const a = inbound(1000, { packetsReceived: 100, packetsLost: 0, jitterBufferDelay: 5, jitterBufferEmittedCount: 100 });
    // reset of the stream: packetsReceived went down, nothing from that report
    expect(deriveMetrics(a, inbound(2000, { packetsReceived: 3, packetsLost: 0, jitterBufferDelay: 6, jitterBufferEmittedCount: 200 }))).toEqual({});
    // one counter went down: only the metrics using it are missing
    expect(deriveMetrics(a, inbound(2000, { packetsReceived: 150, packetsLost: 0, jitterBufferDelay: 6, jitterBufferEmittedCount: 50 })).IT1).toEqual({
      '[packetsReceived/s]': 50, '[packetsLost_in_%]': 0, '[packetsLost/s]': 0,
    });
    // a gap
    const later = inbound(1000 + MAX_SAMPLE_GAP_MS + 1, { packetsReceived: 200, packetsLost: 0, jitterBufferDelay: 6, jitterBufferEmittedCount: 200 });
    expect(deriveMetrics(a, later)).toEqual({});
    expect(deriveMetrics(a, inbound(1000 + MAX_SAMPLE_GAP_MS, { packetsReceived: 200 })).IT1?.['[packetsReceived/s]']).toBeCloseTo((100 * 1000) / MAX_SAMPLE_GAP_MS, 12);
    // time not advancing or going back
    expect(deriveMetrics(a, inbound(1000, { packetsReceived: 200 }))).toEqual({});
    expect(deriveMetrics(a, inbound(500, { packetsReceived: 200 }))).toEqual({});
    // Δ denominator 0: no jitter buffer delay, rates still there
    const m = deriveMetrics(a, inbound(2000, { packetsReceived: 100, packetsLost: 0, jitterBufferDelay: 5, jitterBufferEmittedCount: 100 })).IT1!;
    expect(m['[jitterBufferDelay/jitterBufferEmittedCount_in_ms]']).toBeUndefined();
    expect(m['[packetsLost_in_%]']).toBeUndefined();
    expect(m['[packetsReceived/s]']).toBe(0);
    // the same id now another type
    expect(deriveMetrics(a, { IT1: { type: 'outbound-rtp', timestamp: 2000, packetsSent: 5 } })).toEqual({});
  });

  it('quality limitation shares per interval, STUN and RTCP RTT kept apart', () => {
    const prev: StatsSample = {
      OT: { type: 'outbound-rtp', timestamp: 0, qualityLimitationDurations: { none: 10, cpu: 1, bandwidth: 0, other: 0 } },
      CP: { type: 'candidate-pair', timestamp: 0, totalRoundTripTime: 1, responsesReceived: 10 },
      RI: { type: 'remote-inbound-rtp', timestamp: 0, totalRoundTripTime: 2, roundTripTimeMeasurements: 10 },
    };
    const cur: StatsSample = {
      OT: { type: 'outbound-rtp', timestamp: 2000, qualityLimitationDurations: { none: 10.5, cpu: 2, bandwidth: 0.5, other: 0 } },
      CP: { type: 'candidate-pair', timestamp: 2000, totalRoundTripTime: 1.1, responsesReceived: 12 },
      RI: { type: 'remote-inbound-rtp', timestamp: 2000, totalRoundTripTime: 2.6, roundTripTimeMeasurements: 12 },
    };
    const m = deriveMetrics(prev, cur);
    expect(m.OT).toEqual({ '[qualityLimitation_cpu_in_%]': 50, '[qualityLimitation_bandwidth_in_%]': 25, '[qualityLimitation_other_in_%]': 0 });
    expect(m.CP!['[totalRoundTripTime/responsesReceived]']).toBeCloseTo(0.05, 12);
    expect(m.CP!['[totalRoundTripTime/roundTripTimeMeasurements]']).toBeUndefined();
    expect(m.RI!['[totalRoundTripTime/roundTripTimeMeasurements]']).toBeCloseTo(0.3, 12);
    expect(m.RI!['[totalRoundTripTime/responsesReceived]']).toBeUndefined();
  });

  it('video: freeze share and mean freeze, encode time, QP', () => {
    const prev: StatsSample = {
      IV: { type: 'inbound-rtp', kind: 'video', timestamp: 0, totalFreezesDuration: 1, freezeCount: 1, framesDecoded: 0 },
      OV: { type: 'outbound-rtp', kind: 'video', timestamp: 0, totalEncodeTime: 1, framesEncoded: 100, qpSum: 2000 },
    };
    const cur: StatsSample = {
      IV: { type: 'inbound-rtp', kind: 'video', timestamp: 1000, totalFreezesDuration: 1.6, freezeCount: 3, framesDecoded: 10 },
      OV: { type: 'outbound-rtp', kind: 'video', timestamp: 1000, totalEncodeTime: 1.15, framesEncoded: 130, qpSum: 2900 },
    };
    const m = deriveMetrics(prev, cur);
    expect(m.IV!['[freezeTime_in_%]']).toBeCloseTo(60, 9);
    expect(m.IV!['[totalFreezesDuration/freezeCount_in_ms]']).toBeCloseTo(300, 9);
    expect(m.OV!['[totalEncodeTime/framesEncoded_in_ms]']).toBeCloseTo(5, 9);
    expect(m.OV!['[qpSum/framesEncoded]']).toBe(30);
  });
});

describe('METRICS', () => {
  it('names are unique per stats type and every metric has a label and a unit field', () => {
    const types = new Set(METRICS.flatMap((m) => m.statsTypes));
    for (const t of types) {
      const names = metricsFor(t).map((m) => m.name);
      expect(new Set(names).size, t).toBe(names.length);
    }
    for (const m of METRICS) {
      expect(m.label.length, m.name).toBeGreaterThan(0);
      expect(m.name).toMatch(/^\[.+\]$/);
    }
  });

  it('cumulative and instantaneous properties', () => {
    for (const p of ['packetsLost', 'bytesReceived', 'framesDecoded', 'totalEncodeTime', 'nackCount', 'jitterBufferDelay', 'concealedSamples', 'qualityLimitationDurations', 'freezeCount']) {
      expect(isCumulative(p), p).toBe(true);
    }
    for (const p of ['jitter', 'audioLevel', 'frameWidth', 'framesPerSecond', 'currentRoundTripTime', 'availableOutgoingBitrate', 'roundTripTime', 'fractionLost', 'targetBitrate']) {
      expect(isCumulative(p), p).toBe(false);
    }
  });
});

describe('MetricSelection.inputs', () => {
  it('deriveMetrics reads nothing of a report besides the inputs of the metrics of its type (real and synthetic samples)', async () => {
    const files = ['internals/chrome147-two-pc-loopback.json', 'jitsi/firefox-standard-stats-sfu.jsonl', 'jitsi/google-standard-stats-p2p.jsonl'];
    const dumps = [syntheticSession({ connections: 1, minutes: 2 }), ...(await Promise.all(files.map(async (f) => (await importDump(new Uint8Array(readFileSync(fixture(f))))).dump)))];
    const only = (sample: StatsSample): StatsSample =>
      Object.fromEntries(Object.entries(sample).map(([id, r]) => [id, Object.fromEntries(Object.entries(r).filter(([name]) => ALL_METRICS.inputs(String(r.type)).has(name)))]));
    let compared = 0;
    for (const dump of dumps) {
      const last = new Map<string, StatsSample>();
      for (const { event, sample } of completeStatsSamples(dump.events)) {
        const prev = last.get(event.pc!);
        const full = deriveMetrics(prev, sample);
        expect(deriveMetrics(prev && only(prev), only(sample))).toEqual(full);
        compared += Object.keys(full).length;
        last.set(event.pc!, sample);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('a selection derives its metrics only', () => {
    const bits = new MetricSelection((m) => m.name === '[bytesReceived_in_bits/s]');
    const prev = inbound(1000, { packetsReceived: 10, bytesReceived: 1000 });
    const cur = inbound(2000, { packetsReceived: 20, bytesReceived: 3000 });
    expect(deriveMetrics(prev, cur, bits)).toEqual({ IT1: { '[bytesReceived_in_bits/s]': 16_000 } });
    expect(bits.inputs('inbound-rtp').has('bytesReceived')).toBe(true);
    expect(bits.inputs('inbound-rtp').has('jitterBufferDelay')).toBe(false);
  });

  it('a selection by stats type: the same metric for one type and not another', () => {
    const pairsOnly = new MetricSelection((m, type) => type === 'candidate-pair' && m.name === '[bytesReceived_in_bits/s]');
    expect(pairsOnly.of('candidate-pair').map((m) => m.name)).toEqual(['[bytesReceived_in_bits/s]']);
    expect(pairsOnly.of('inbound-rtp')).toEqual([]);
    const prev = inbound(1000, { packetsReceived: 10, bytesReceived: 1000 });
    expect(deriveMetrics(prev, inbound(2000, { packetsReceived: 20, bytesReceived: 3000 }), pairsOnly)).toEqual({});
  });
});

describe('deriveReportMetrics', () => {
  it('per report, every selected metric of its type in order: the value deriveMetrics gives, NaN where it gives none (real and synthetic samples)', async () => {
    const dumps = [syntheticSession({ connections: 1, minutes: 2 }), (await importDump(new Uint8Array(readFileSync(fixture('internals/chrome147-two-pc-loopback.json'))))).dump];
    const values: number[] = [];
    let defined = 0;
    let undefinedCount = 0;
    for (const dump of dumps) {
      const last = new Map<string, StatsSample>();
      for (const { event, sample } of completeStatsSamples(dump.events)) {
        const prev = last.get(event.pc!);
        const expected = deriveMetrics(prev, sample);
        for (const id in sample) {
          const defs = deriveReportMetrics(prev?.[id], sample[id]!, ALL_METRICS, values);
          expect(defs).toEqual(ALL_METRICS.of(String(sample[id]!.type)));
          expect(values.length).toBe(defs.length);
          defs.forEach((m, k) => {
            const want = expected[id]?.[m.name];
            if (want === undefined) {
              expect(values[k], `${id} ${m.name}`).toBeNaN();
              undefinedCount++;
            } else {
              expect(values[k], `${id} ${m.name}`).toBe(want);
              defined++;
            }
          });
        }
        last.set(event.pc!, sample);
      }
    }
    expect(defined).toBeGreaterThan(100);
    expect(undefinedCount).toBeGreaterThan(100);
  });
});
