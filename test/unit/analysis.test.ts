import { describe, expect, it } from 'vitest';
import { analyzeDump, mos, SessionAnalyzer, type AnalysisResult, type Observation } from '../../src/core/analysis';
import { Hysteresis, ObservationLog } from '../../src/core/analysis/detector';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import { callDump, ev, PC, sessionRecord, setupEvents, START, statsEvents, type Knobs } from './support/call';

const of = (r: AnalysisResult, type: string): Observation[] => r.observations.filter((o) => o.type === type);
const run = (steps: number, at: (i: number) => Partial<Knobs>, extra: Parameters<typeof callDump>[2] = []) => analyzeDump(callDump(steps, at, extra));
/** knobs for seconds [from, to) */
const during = (from: number, to: number, k: Partial<Knobs>) => (i: number) => (i >= from && i < to ? k : {});

describe('MOS (E-model)', () => {
  // Hand-computed: d = RTT/2 + JB + 20; Id = 0.024 d + 0.11 (d − 177.3) H(d − 177.3);
  // G.711: R = 93.2 − Id − 95·P/(P + 4.3); Opus: R = (148 − Id − (10.2 + 121.8·P/(P + 9.6))) / 1.48;
  // MOS = 1 + 0.035 R + 7e-6 R (R − 60)(100 − R).
  it('G.711 without loss: d = 110 ms, Id = 2.64, R = 90.56, MOS 4.3525', () => {
    expect(mos({ rttMs: 100, jitterBufferMs: 40, lossPct: 0, codec: 'g711' })).toBeCloseTo(4.352477, 5);
  });
  it('G.711 with 2 % loss: Ie_eff = 30.159, R = 60.401, MOS 3.1208', () => {
    expect(mos({ rttMs: 100, jitterBufferMs: 40, lossPct: 2, codec: 'g711' })).toBeCloseTo(3.120763, 5);
  });
  it('G.711 beyond 177.3 ms: d = 280 ms, Id = 6.72 + 11.297 = 18.017, R = 75.183, MOS 3.8297', () => {
    expect(mos({ rttMs: 400, jitterBufferMs: 60, lossPct: 0, codec: 'g711' })).toBeCloseTo(3.829706, 5);
  });
  it('Opus: d = 60 ms, R = (148 − 1.44 − 10.2)/1.48 = 92.135, MOS 4.3877; with 8 % loss R = 54.727, MOS 2.8240', () => {
    expect(mos({ rttMs: 40, jitterBufferMs: 20, lossPct: 0, codec: 'opus' })).toBeCloseTo(4.387732, 5);
    expect(mos({ rttMs: 40, jitterBufferMs: 20, lossPct: 8, codec: 'opus' })).toBeCloseTo(2.824007, 5);
  });
  it('bounds: R < 0 gives 1, R > 100 gives 4.5', () => {
    expect(mos({ rttMs: 4000, jitterBufferMs: 0, lossPct: 50, codec: 'g711' })).toBe(1);
  });
});

describe('Hysteresis', () => {
  it('turns on after the on-condition held minOnMs, off after the off-condition held minOffMs, keeps its state in between', () => {
    const h = new Hysteresis({ minOnMs: 3000, minOffMs: 2000 });
    expect(h.update(0, true, false)).toBe('idle');
    expect(h.update(2000, true, false)).toBe('idle');
    expect(h.update(3000, true, false)).toBe('start');
    expect(h.since).toBe(0);
    expect(h.update(4000, false, false)).toBe('stay'); // between the thresholds
    expect(h.update(5000, false, true)).toBe('stay'); // off, not yet 2 s
    expect(h.update(6000, true, false)).toBe('stay'); // back on: the off time restarts
    expect(h.update(7000, false, true)).toBe('stay');
    expect(h.update(9000, false, true)).toBe('end');
    // an interrupted on-condition starts over
    expect(h.update(10_000, true, false)).toBe('idle');
    expect(h.update(12_000, false, false)).toBe('idle');
    expect(h.update(13_000, true, false)).toBe('idle');
    expect(h.update(15_000, true, false)).toBe('idle');
    expect(h.update(16_000, true, false)).toBe('start');
  });
});

describe('ObservationLog', () => {
  const input = (type: string, severity: 'info' | 'warning' | 'critical' = 'warning') => ({ type, severity, category: 'connectivity' as const, pcId: 'PC_0', evidence: { n: 1 } });
  it('one entry per episode; severity only rises within one; a withdrawn open episode leaves no trace, a settled one stays', () => {
    const log = new ObservationLog((o) => `${o.type} ${o.severity}`);
    log.raise(1000, 1000, input('a'));
    log.raise(2000, 1000, { ...input('a', 'critical'), evidence: { m: 2 } });
    log.raise(3000, 1000, input('a', 'info'));
    expect(log.list.map((o) => [o.type, o.severity, o.firstSeenAt, o.lastSeenAt, o.active, o.evidence])).toEqual([['a', 'critical', 1000, 3000, true, { n: 1, m: 2 }]]);
    log.settle('a', 'PC_0');
    log.raise(5000, 5000, input('a'));
    expect(log.list.map((o) => [o.firstSeenAt, o.active])).toEqual([[1000, false], [5000, true]]);
    log.raise(6000, 6000, input('b'));
    log.withdraw('b', 'PC_0');
    log.withdraw('a', 'PC_1'); // another connection's: nothing
    expect(log.list.map((o) => o.type)).toEqual(['a', 'a']);
    expect(log.isOpen('b', 'PC_0')).toBe(false);
    log.settle('a', 'PC_0');
    log.withdraw('a', 'PC_0'); // settled: kept
    expect(log.list.length).toBe(2);
  });
});

describe('a clean call', () => {
  it('produces nothing above info, MOS ≥ 4 and good scores', () => {
    const r = run(60, () => ({}));
    expect(r.observations.filter((o) => o.severity !== 'info')).toEqual([]);
    expect(r.scores.audio!.value).toBeGreaterThanOrEqual(4);
    expect(r.scores.video!.value).toBe(5);
    expect(r.scores.connection!.value).toBe(5);
    expect(r.verdict.level).toBe('good');
    expect(r.samples).toBe(60);
    const life = r.connections[0]!.lifecycle;
    expect(life.setupDelayMs).toBe(500);
    expect(life.selectedPair).toEqual({ relayed: false, protocol: 'udp', relayProtocol: null, localType: 'host', remoteType: 'host' });
  });

  it('live (push without samples, deltas) gives the same result as analyzeDump', () => {
    const dump = callDump(30, during(10, 25, { lossPct: 10 }));
    const live = new SessionAnalyzer(dump.session);
    let last: StatsSample | undefined;
    for (const e of dump.events) {
      if (e.method !== 'getStats') {
        live.push(e);
        continue;
      }
      const sample = e.value as StatsSample;
      const delta = statsDelta(last, sample);
      live.push(delta ? { ...e, value: delta, full: undefined } : e);
      last = sample;
    }
    expect(live.result()).toEqual(analyzeDump(dump));
  });
});

describe('detectors', () => {
  it('high loss: 8 % for 20 s is a warning, 4 % is nothing, 8 % for 3 s is nothing; hysteresis between 2 % and 5 %', () => {
    const r = run(60, during(10, 30, { lossPct: 8 }));
    const loss = of(r, 'high-loss').filter((o) => o.evidence.direction === 'inbound');
    expect(loss.map((o) => o.trackId).sort()).toEqual(['remote-audio', 'remote-video']);
    for (const o of loss) {
      expect(o.severity).toBe('warning');
      expect(o.evidence.maxLossPct).toBeCloseTo(8, 0);
      expect(o.active).toBe(false);
      // starts when the 5 s window crossed 5 % (at second 10 + a few), raised after 5 s more
      expect(o.firstSeenAt).toBeGreaterThanOrEqual(START + 1000 + 10_000);
      expect(o.firstSeenAt).toBeLessThan(START + 1000 + 15_000);
    }
    expect(of(run(60, during(10, 30, { lossPct: 4 })), 'high-loss')).toEqual([]);
    expect(of(run(60, during(10, 13, { lossPct: 8 })), 'high-loss')).toEqual([]);
    // 8 % then 3 % (between the thresholds): still on; then 0 %: off
    const h = run(80, (i) => (i >= 10 && i < 30 ? { lossPct: 8 } : i >= 30 && i < 50 ? { lossPct: 3 } : {}));
    const audio = of(h, 'high-loss').find((o) => o.trackId === 'remote-audio')!;
    expect(audio.lastSeenAt).toBeGreaterThanOrEqual(START + 1000 + 49_000);
    expect(audio.active).toBe(false);
    // 20 % is critical
    expect(of(run(40, during(10, 30, { lossPct: 20 })), 'high-loss')[0]!.severity).toBe('critical');
  });

  it('outgoing loss from the far end\'s reports', () => {
    const r = run(40, during(5, 30, { remoteLossPct: 10 }));
    const out = of(r, 'high-loss').filter((o) => o.evidence.direction === 'outbound');
    expect(out.length).toBe(2);
  });

  it('high RTT: 200 ms is a warning, 140 ms nothing, 350 ms critical; a 3 s spike nothing; off below 120 ms', () => {
    const w = of(run(40, during(5, 30, { rttMs: 200 })), 'high-rtt');
    expect(w.length).toBe(1);
    expect(w[0]!.severity).toBe('warning');
    expect(w[0]!.evidence.source).toBe('RTCP');
    expect(of(run(40, during(5, 30, { rttMs: 140 })), 'high-rtt')).toEqual([]);
    expect(of(run(40, during(5, 30, { rttMs: 350 })), 'high-rtt')[0]!.severity).toBe('critical');
    expect(of(run(40, during(5, 8, { rttMs: 500 })), 'high-rtt')).toEqual([]);
    const h = of(run(60, (i) => (i >= 5 && i < 20 ? { rttMs: 400 } : i >= 20 && i < 40 ? { rttMs: 130 } : {})), 'high-rtt');
    expect(h.length).toBe(1);
    expect(h[0]!.active).toBe(false);
  });

  it('high jitter: 50 ms on, 35 ms stays on, 20 ms off; 45 ms for 3 s nothing', () => {
    const r = of(run(60, (i) => (i >= 5 && i < 20 ? { jitterMs: 50 } : i >= 20 && i < 35 ? { jitterMs: 35 } : { jitterMs: 20 })), 'high-jitter');
    expect(r.length).toBe(2); // audio and video
    expect(r.every((o) => !o.active && o.lastSeenAt >= START + 1000 + 34_000)).toBe(true);
    expect(of(run(40, during(5, 8, { jitterMs: 45 })), 'high-jitter')).toEqual([]);
    expect(of(run(40, during(5, 30, { jitterMs: 250 })), 'high-jitter')[0]!.severity).toBe('critical');
  });

  it('audio concealment: 5 % audible over 15 s is on, 2 % is not', () => {
    const r = of(run(60, during(5, 40, { concealPct: 5 })), 'audio-concealment');
    expect(r.length).toBe(1);
    expect(r[0]!.evidence.maxConcealedPct).toBeCloseTo(5, 0);
    expect(of(run(60, during(5, 40, { concealPct: 2 })), 'audio-concealment')).toEqual([]);
  });

  it('jitter buffer stress: target 250 ms with 3 % stretch is on; 250 ms with 1.5 % stretch or 150 ms with 3 % is not', () => {
    expect(of(run(40, during(5, 35, { jbTargetMs: 250, stretchPct: 3 })), 'jitter-buffer-stress').length).toBe(1);
    expect(of(run(40, during(5, 35, { jbTargetMs: 250, stretchPct: 1.5 })), 'jitter-buffer-stress')).toEqual([]);
    expect(of(run(40, during(5, 35, { jbTargetMs: 150, stretchPct: 3 })), 'jitter-buffer-stress')).toEqual([]);
  });

  it('frozen video: 40 % of the time frozen is on, 20 % is not', () => {
    const r = of(run(40, during(5, 20, { freezeShare: 0.4 })), 'frozen-video');
    expect(r.length).toBe(1);
    expect(r[0]!.trackId).toBe('remote-video');
    expect(r[0]!.active).toBe(false);
    expect(of(run(40, during(5, 20, { freezeShare: 0.2 })), 'frozen-video')).toEqual([]);
  });

  it('long video pause: 12 s of pauses in total is reported, 8 s is not', () => {
    expect(of(run(30, (i) => (i === 10 || i === 20 ? { pauseS: 6 } : {})), 'long-video-pause').length).toBe(1);
    expect(of(run(30, (i) => (i === 10 || i === 20 ? { pauseS: 4 } : {})), 'long-video-pause')).toEqual([]);
  });

  it('stuck decoder: bytes arrive, no frame decoded for 6 s is on, 3 s is not', () => {
    const r = of(run(30, during(10, 16, { decoding: false })), 'stuck-decoder');
    expect(r.length).toBe(1);
    expect(r[0]!.active).toBe(false);
    expect(of(run(30, during(10, 13, { decoding: false })), 'stuck-decoder')).toEqual([]);
  });

  it('dry track: incoming audio stopping for 8 s while video flows is on, 3 s is not, a muted track is silent', () => {
    const r = of(run(30, during(10, 18, { inAudio: false })), 'dry-track');
    expect(r.map((o) => [o.trackId, o.severity])).toEqual([['remote-audio', 'warning']]);
    expect(of(run(30, during(10, 13, { inAudio: false })), 'dry-track')).toEqual([]);
    const muted = run(30, during(10, 18, { inAudio: false }), [ev(10_500, null, 'MediaStreamTrack.onmute', 'audio:remote-audio')]);
    expect(of(muted, 'dry-track')).toEqual([]);
    // everything stopping at once is not a dry track (the application paused, or the network: other detectors)
    expect(of(run(30, during(10, 18, { inAudio: false, inVideo: false, outAudio: false, outVideo: false })), 'dry-track')).toEqual([]);
  });

  it('outgoing video stopping is a dry track, unless its track was taken away (replaceTrack(null)); a stream that disappears ends its episode', () => {
    const stopped = (removeSource: boolean) => {
      const stats = statsEvents(30, during(10, 30, { outVideo: false }));
      for (const e of stats.slice(10)) {
        const sample = e.value as StatsSample;
        if (removeSource) {
          delete sample.SV;
          delete sample.OV!.mediaSourceId;
        }
      }
      return stats;
    };
    const analyze = (events: ReturnType<typeof ev>[]) => analyzeDump({ session: sessionRecord(), events: [...setupEvents(), ...events] });
    const dry = of(analyze(stopped(false)), 'dry-track');
    expect(dry.map((o) => [o.trackId, o.evidence.direction, o.active])).toEqual([['cam', 'outbound', true]]);
    expect(of(analyze(stopped(true)), 'dry-track')).toEqual([]);
    // the stream renegotiated away: the episode ends
    const gone = stopped(false);
    for (const e of gone.slice(25)) delete (e.value as StatsSample).OV;
    expect(of(analyze(gone), 'dry-track').map((o) => o.active)).toEqual([false]);
  });

  it('silent microphone: 35 s of silence is on, 20 s is not, a disabled track is silent', () => {
    const r = of(run(50, during(5, 45, { micRms: 0 })), 'silent-microphone');
    expect(r.length).toBe(1);
    expect(r[0]!.trackId).toBe('mic');
    expect(of(run(50, during(5, 25, { micRms: 0 })), 'silent-microphone')).toEqual([]);
    const disabled = run(50, during(5, 45, { micRms: 0 }), [ev(4_000, null, 'MediaStreamTrack.enabled', { track: 'audio:mic', enabled: false })]);
    expect(of(disabled, 'silent-microphone')).toEqual([]);
  });

  it('CPU-limited video: 15 s of cpu limitation is on, 8 s is not; slow encoding counts too', () => {
    const r = of(run(40, during(5, 20, { qualityLimitationReason: 'cpu' })), 'cpu-limited-video');
    expect(r.length).toBe(1);
    expect(r[0]!.evidence.cpuSharePct).toBeGreaterThan(30);
    expect(of(run(40, during(5, 13, { qualityLimitationReason: 'cpu' })), 'cpu-limited-video')).toEqual([]);
    // 30 fps: 33 ms budget, 30 ms per frame > 80 %
    expect(of(run(40, during(5, 25, { encodeMsPerFrame: 30 })), 'cpu-limited-video').length).toBe(1);
  });

  it('bandwidth-limited video: after the ramp-up it is on; during the first 15 s of sending it is not; a low estimate counts', () => {
    expect(of(run(40, during(20, 32, { qualityLimitationReason: 'bandwidth' })), 'bandwidth-limited-video').length).toBe(1);
    expect(of(run(40, during(0, 12, { qualityLimitationReason: 'bandwidth' })), 'bandwidth-limited-video')).toEqual([]);
    expect(of(run(40, during(20, 28, { availableKbps: 80 })), 'bandwidth-limited-video').length).toBe(1);
    expect(of(run(40, during(20, 28, { availableKbps: 120 })), 'bandwidth-limited-video')).toEqual([]);
  });

  it('video score: a frame rate that swings (30 / 8 fps) costs a point once past the ramp-up; a steady lower rate does not', () => {
    const swinging = run(60, (i) => (i >= 20 && i < 60 ? { fps: i % 2 ? 30 : 8 } : {}));
    expect(swinging.scores.video!.inputs.fpsVolatility).toBeGreaterThan(0.3);
    expect(swinging.scores.video!.value).toBeLessThan(5);
    expect(swinging.scores.video!.value).toBeGreaterThanOrEqual(4);
    const steady = run(60, () => ({ fps: 15 }));
    expect(steady.scores.video!.inputs.fpsVolatility).toBeLessThan(0.3);
    expect(steady.scores.video!.value).toBe(5);
    // the ramp-up (the first 15 s of a stream) is left out: a swing then costs nothing
    expect(run(14, (i) => ({ fps: i % 2 ? 30 : 8 })).scores.video!.value).toBe(5);
  });

  it('stats gap: 8 s without a sample at 1 s polling is one, 4 s is not', () => {
    const gap = of(run(20, (i) => (i === 10 ? { stepMs: 8000 } : {})), 'stats-gap');
    expect(gap.length).toBe(1);
    expect(gap[0]!.evidence.gapMs).toBe(8000);
    expect(of(run(20, (i) => (i === 10 ? { stepMs: 4000 } : {})), 'stats-gap')).toEqual([]);
  });
});

describe('lifecycle', () => {
  const analyze = (events: ReturnType<typeof ev>[]) => {
    const a = new SessionAnalyzer(sessionRecord());
    for (const e of events) a.push(e);
    return a.result();
  };

  it('setup failed, with the time it took; slow connect', () => {
    const r = analyze([ev(0, PC, 'create', {}), ev(200, PC, 'onconnectionstatechange', 'connecting'), ev(12_200, PC, 'onconnectionstatechange', 'failed')]);
    expect(r.connections[0]!.lifecycle.setupFailed).toEqual({ afterMs: 12_200 });
    expect(of(r, 'setup-failed')[0]!.evidence.afterMs).toBe(12_200);
    // slow-connect was on while it was connecting, and is taken back by the failure, which says more
    expect(of(r, 'slow-connect')).toEqual([]);
    const connecting = analyze([ev(0, PC, 'create', {}), ev(200, PC, 'onconnectionstatechange', 'connecting'), ev(12_000, PC, 'getStats', {})]);
    expect(of(connecting, 'slow-connect').map((o) => [o.active, o.evidence.connectingForMs])).toEqual([[true, 11_800]]);
    expect(r.verdict.level).toBe('bad');
    const quick = analyze([ev(0, PC, 'create', {}), ev(200, PC, 'onconnectionstatechange', 'connecting'), ev(4000, PC, 'onconnectionstatechange', 'connected')]);
    expect(of(quick, 'slow-connect')).toEqual([]);
    expect(quick.connections[0]!.lifecycle.setupDelayMs).toBe(4000);
  });

  it('disruptions with durations; only ≥ 5 s ones are observations (the last one ends in a drop)', () => {
    const r = analyze([
      ...setupEvents(),
      ev(10_000, PC, 'onconnectionstatechange', 'disconnected'),
      ev(13_000, PC, 'onconnectionstatechange', 'connected'),
      ev(20_000, PC, 'onconnectionstatechange', 'disconnected'),
      ev(26_000, PC, 'onconnectionstatechange', 'connected'),
      ev(30_000, PC, 'onconnectionstatechange', 'disconnected'),
      ev(45_000, PC, 'onconnectionstatechange', 'failed'),
    ]);
    const life = r.connections[0]!.lifecycle;
    expect(life.disruptions.map((d) => [d.start - START, d.end === null ? null : d.end - START, d.durationMs, d.recovered])).toEqual([
      [10_000, 13_000, 3000, true],
      [20_000, 26_000, 6000, true],
      [30_000, null, 15_000, false],
    ]);
    expect(life.dropped).toEqual({ at: START + 45_000 });
    expect(of(r, 'ice-disconnected').map((o) => [o.firstSeenAt - START, o.evidence.durationMs, o.evidence.recovered])).toEqual([
      [20_000, 6000, true],
      [30_000, 15_000, false],
    ]);
    expect(of(r, 'connection-dropped')[0]!.severity).toBe('critical');
  });

  it('a disruption starts when media stopped (the last packet received), not when the state changed', () => {
    const stats = statsEvents(20, () => ({}));
    // the sample after the state change says the last packet came at 7.2 s
    const after = stats.find((e) => e.t - START === 10_000)!;
    (after.value as StatsSample).CP!.lastPacketReceivedTimestamp = START + 7200;
    const events = [...setupEvents(), ...stats, ev(9500, PC, 'onconnectionstatechange', 'disconnected'), ev(14_000, PC, 'onconnectionstatechange', 'connected')].sort((a, b) => a.t - b.t);
    const r = analyze(events);
    const d = r.connections[0]!.lifecycle.disruptions[0]!;
    expect(d.start - START).toBe(7200);
    expect(d.stateChangedAt! - START).toBe(9500);
    expect(d.durationMs).toBe(14_000 - 7200);
  });

  describe('media gaps: nothing received on the whole connection, whatever the state says', () => {
    // samples every 1 s at t = 1 s + i s; sample i counts what arrived in the second before it,
    // so silent samples 10..15 mean nothing arrived from 10 s to 16 s: a 6 s gap
    const silent = { inAudio: false, inVideo: false };
    const truth = { start: 10_000, end: 16_000 };
    const gapRun = (extra: ReturnType<typeof ev>[] = [], steps = 30, at = during(10, 16, silent)) => run(steps, at, extra);
    const rel = (d: { start: number; end: number | null; stateChangedAt: number | null }) => ({
      start: d.start - START, end: d.end === null ? null : d.end - START, stateChangedAt: d.stateChangedAt === null ? null : d.stateChangedAt - START,
    });

    it('a 6 s gap without any state change: one disruption of 6 s ± 0.5 s, recovered, and its observation', () => {
      const r = gapRun();
      const ds = r.connections[0]!.lifecycle.disruptions;
      expect(ds.length).toBe(1);
      const d = ds[0]!;
      expect(Math.abs(d.durationMs - (truth.end - truth.start))).toBeLessThanOrEqual(500);
      expect(Math.abs(d.start - START - truth.start)).toBeLessThanOrEqual(500);
      expect(d.recovered).toBe(true);
      expect(rel(d).stateChangedAt).toBeNull();
      expect(of(r, 'ice-disconnected').map((o) => [o.evidence.recovered, o.firstSeenAt])).toEqual([[true, d.start]]);
    });

    it('the start comes from lastPacketReceivedTimestamp where the pair has it', () => {
      const dump = callDump(30, during(10, 16, silent));
      const first = dump.events.find((e) => e.method === 'getStats' && e.t - START === 11_000)!;
      (first.value as StatsSample).CP!.lastPacketReceivedTimestamp = START + 10_180;
      const d = analyzeDump(dump).connections[0]!.lifecycle.disruptions[0]!;
      expect(d.start - START).toBe(10_180);
    });

    it('a `disconnected` that comes after media is back joins the gap: one disruption, the state change recorded', () => {
      const r = gapRun([ev(17_300, PC, 'onconnectionstatechange', 'disconnected'), ev(17_600, PC, 'onconnectionstatechange', 'connected')]);
      const ds = r.connections[0]!.lifecycle.disruptions;
      expect(ds.map(rel)).toEqual([{ start: expect.any(Number), end: expect.any(Number), stateChangedAt: 17_300 }]);
      expect(Math.abs(ds[0]!.durationMs - 6000)).toBeLessThanOrEqual(500);
      expect(ds[0]!.recovered).toBe(true);
      expect(of(r, 'ice-disconnected').length).toBe(1);
    });

    it('a `disconnected` during the gap: one disruption from when media stopped to `connected`', () => {
      const r = gapRun([ev(15_500, PC, 'onconnectionstatechange', 'disconnected'), ev(16_200, PC, 'onconnectionstatechange', 'connected')]);
      const ds = r.connections[0]!.lifecycle.disruptions;
      expect(ds.length).toBe(1);
      expect(rel(ds[0]!).stateChangedAt).toBe(15_500);
      expect(rel(ds[0]!).end).toBe(16_200);
      expect(Math.abs(ds[0]!.start - START - truth.start)).toBeLessThanOrEqual(500);
      expect(ds[0]!.recovered).toBe(true);
    });

    it('is said while it lasts: mid-gap an open disruption and an observation that is on, then one episode once media is back', () => {
      // 16 samples: the last one (at 16 s) still silent, media stopped about 10 s in, 6 s ago
      const live = gapRun([], 16, (i) => (i >= 10 ? silent : {}));
      const ds = live.connections[0]!.lifecycle.disruptions;
      expect(ds.map((d) => [d.end, d.recovered])).toEqual([[null, false]]);
      expect(Math.abs(ds[0]!.start - START - truth.start)).toBeLessThanOrEqual(500);
      const on = of(live, 'ice-disconnected');
      expect(on.map((o) => [o.active, o.evidence.recovered])).toEqual([[true, false]]);
      expect(on[0]!.evidence.durationMs).toBeGreaterThanOrEqual(5000);
      // 4 s into the gap: a disruption already, not yet an observation (under 5 s)
      const early = gapRun([], 14, (i) => (i >= 10 ? silent : {}));
      expect(early.connections[0]!.lifecycle.disruptions.length).toBe(1);
      expect(of(early, 'ice-disconnected')).toEqual([]);
      // the whole call: the same episode ended, recovered, with the gap's duration
      const after = of(gapRun(), 'ice-disconnected');
      expect(after.map((o) => [o.active, o.evidence.recovered])).toEqual([[false, true]]);
      expect(Math.abs((after[0]!.evidence.durationMs as number) - (truth.end - truth.start))).toBeLessThanOrEqual(500);
    });

    it('media that stopped before the hang-up: a disruption that never recovered, ended by the close', () => {
      const r = gapRun([ev(19_500, PC, 'close')], 19, (i) => (i >= 10 ? silent : {}));
      const life = r.connections[0]!.lifecycle;
      expect(life.disruptions.map((d) => [d.end, d.recovered])).toEqual([[null, false]]);
      expect(Math.abs(life.disruptions[0]!.start - START - truth.start)).toBeLessThanOrEqual(500);
      expect(of(r, 'ice-disconnected').map((o) => [o.active, o.evidence.recovered])).toEqual([[false, false]]);
    });

    it('a 1 s gap is none', () => {
      const r = gapRun([], 30, during(10, 11, silent));
      expect(r.connections[0]!.lifecycle.disruptions).toEqual([]);
      expect(of(r, 'ice-disconnected')).toEqual([]);
    });

    it('a remote that stops sending while consent checks and RTCP keep arriving is none (the same silence without them is one)', () => {
      // 300 bytes every third second, from 10 s to 25 s, then the remote sends again
      const quiet = (i: number) => (i >= 10 && i < 25 ? { ...silent, linkBytes: i % 3 === 0 ? 300 : 0 } : {});
      const r = gapRun([], 30, quiet);
      expect(r.connections[0]!.lifecycle.disruptions).toEqual([]);
      expect(of(r, 'ice-disconnected')).toEqual([]);
      expect(gapRun([], 30, during(10, 25, silent)).connections[0]!.lifecycle.disruptions.length).toBe(1);
    });

    it('a connection without inbound RTP (send-only, data only) is not judged: its silence is none', () => {
      const dump = callDump(30, during(10, 16, silent));
      for (const e of dump.events) if (e.method === 'getStats') for (const id of ['IA', 'IV']) delete (e.value as StatsSample)[id];
      expect(analyzeDump(dump).connections[0]!.lifecycle.disruptions).toEqual([]);
    });

    it('a gap that ends in `failed`: one disruption from when media stopped, not recovered; the connection dropped', () => {
      const r = gapRun([ev(19_500, PC, 'onconnectionstatechange', 'failed')], 19, (i) => (i >= 10 ? silent : {}));
      const life = r.connections[0]!.lifecycle;
      expect(life.disruptions.length).toBe(1);
      const d = life.disruptions[0]!;
      expect(rel(d)).toEqual({ start: expect.any(Number), end: null, stateChangedAt: 19_500 });
      expect(Math.abs(d.start - START - truth.start)).toBeLessThanOrEqual(500);
      expect(d.recovered).toBe(false);
      expect(d.durationMs).toBe(START + 19_500 - d.start);
      expect(life.dropped).toEqual({ at: START + 19_500 });
    });

    it('a late `disconnected` that ends in `failed` makes the gap not recovered', () => {
      const r = gapRun([ev(17_300, PC, 'onconnectionstatechange', 'disconnected'), ev(25_000, PC, 'onconnectionstatechange', 'failed')], 24);
      const ds = r.connections[0]!.lifecycle.disruptions;
      expect(ds.length).toBe(1);
      expect(ds[0]!.recovered).toBe(false);
      expect(ds[0]!.end).toBeNull();
    });
  });

  it('the ICE state stands in when the trace has no connectionState (older browsers)', () => {
    const r = analyze([ev(0, PC, 'create', {}), ev(100, PC, 'oniceconnectionstatechange', 'checking'), ev(900, PC, 'oniceconnectionstatechange', 'completed')]);
    expect(r.connections[0]!.lifecycle.setupDelayMs).toBe(900);
    expect(r.connections[0]!.lifecycle.connectivityDelayMs).toBe(800);
  });

  it('connection failed: a trace that starts with the failure (history unknown) is neither a setup failure nor a drop', () => {
    const r = analyze([ev(0, PC, 'create', {}), ev(900, PC, 'onconnectionstatechange', 'failed')]);
    expect(of(r, 'connection-failed').map((o) => o.severity)).toEqual(['critical']);
    expect(of(r, 'setup-failed')).toEqual([]);
    expect(r.connections[0]!.lifecycle.setupFailed).toBeNull();
  });

  it('aborted: closed while connecting', () => {
    const r = analyze([ev(0, PC, 'create', {}), ev(100, PC, 'onconnectionstatechange', 'connecting'), ev(900, PC, 'close')]);
    expect(r.connections[0]!.lifecycle.aborted).toBe(true);
    expect(r.connections[0]!.lifecycle.state).toBe('closed');
  });

  it('signalling and gathering delays, renegotiations, munged SDP, ICE restarts, slow STUN', () => {
    const offer = 'v=0\r\na=ice-ufrag:aaaa\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    const restarted = 'v=0\r\na=ice-ufrag:bbbb\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
    const r = analyze([
      ev(0, PC, 'create', {}),
      ev(10, PC, 'createOfferOnSuccess', { type: 'offer', sdp: offer }),
      ev(20, PC, 'setLocalDescription', { type: 'offer', sdp: offer.replace('111', '111 0') }),
      ev(25, PC, 'onicegatheringstatechange', 'gathering'),
      ev(30, PC, 'onicecandidate', { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 5000 typ host', sdpMid: '0' }),
      ev(1225, PC, 'onicecandidate', { candidate: 'candidate:2 1 udp 1686052607 198.51.100.1 5000 typ srflx raddr 0.0.0.0 rport 0', sdpMid: '0' }),
      ev(1300, PC, 'onicegatheringstatechange', 'complete'),
      ev(320, PC, 'setRemoteDescription', { type: 'answer', sdp: 'v=0' }),
      ev(500, PC, 'onconnectionstatechange', 'connected'),
      ev(5000, PC, 'restartIce'),
      ev(5010, PC, 'createOfferOnSuccess', { type: 'offer', sdp: restarted }),
      ev(5020, PC, 'setLocalDescription', { type: 'offer', sdp: restarted }),
      ev(5100, PC, 'setRemoteDescription', { type: 'answer', sdp: 'v=0' }),
      ev(5300, PC, 'oniceconnectionstatechange', 'connected'),
    ].sort((a, b) => a.t - b.t));
    const life = r.connections[0]!.lifecycle;
    expect(life.signalingDelayMs).toBe(300);
    expect(life.gatheringDelayMs).toBe(1275);
    expect(life.renegotiations).toBe(1);
    expect(life.mungedSdp).toBe(1);
    expect(life.iceRestarts).toEqual([{ at: START + 5000, completed: true }]);
    expect(of(r, 'slow-stun-turn')[0]!.evidence).toEqual({ candidateType: 'srflx', afterMs: 1200 });
    expect(of(r, 'munged-sdp').length).toBe(1);
  });

  it('implicit setLocalDescription() (perfect negotiation): renegotiations and an ICE restart read from what its success reports, never munged', () => {
    const offer = (ufrag: string, v: number) => `v=0\r\no=- 1 ${v} IN IP4 127.0.0.1\r\na=ice-ufrag:${ufrag}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n`;
    const r = analyze([
      ev(0, PC, 'create', {}),
      ev(5, PC, 'createOfferOnSuccess', { type: 'offer', sdp: offer('aaaa', 1) }), // created, then not used
      ev(10, PC, 'setLocalDescription', null),
      ev(12, PC, 'setLocalDescriptionOnSuccess', { type: 'offer', sdp: offer('aaaa', 2) }),
      ev(300, PC, 'setRemoteDescription', { type: 'answer', sdp: 'v=0' }),
      ev(500, PC, 'onconnectionstatechange', 'connected'),
      ev(5000, PC, 'setLocalDescription', undefined),
      ev(5002, PC, 'setLocalDescriptionOnSuccess', { type: 'offer', sdp: offer('bbbb', 3) }),
      ev(5100, PC, 'setRemoteDescription', { type: 'answer', sdp: 'v=0' }),
    ]);
    const life = r.connections[0]!.lifecycle;
    expect(life.renegotiations).toBe(1);
    expect(life.iceRestarts.map((x) => x.at - START)).toEqual([5002]);
    expect(life.mungedSdp).toBe(0);
  });

  it('relay-only policy, TURN used over TLS', () => {
    const stats = statsEvents(5, () => ({}));
    for (const e of stats) {
      const s = e.value as StatsSample;
      s.L = { ...s.L!, candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' };
    }
    const r = analyze([ev(0, PC, 'create', { iceTransportPolicy: 'relay', iceServers: [] }), ...setupEvents().slice(1), ...stats]);
    expect(of(r, 'relay-only-policy').map((o) => o.severity)).toEqual(['info']);
    expect(of(r, 'turn-used').map((o) => o.severity)).toEqual(['info']);
    expect(of(r, 'turn-over-tcp-tls')[0]!.evidence.relayProtocol).toBe('tls');
    expect(r.connections[0]!.lifecycle.selectedPair).toMatchObject({ relayed: true, relayProtocol: 'tls' });
  });
});

describe('page-level observations', () => {
  it('getUserMedia / getDisplayMedia failures by error name, echo cancellation off', () => {
    const a = new SessionAnalyzer(sessionRecord());
    a.push(ev(0, null, 'navigator.mediaDevices.getUserMedia', { audio: { echoCancellation: false }, video: true }));
    a.push(ev(10, null, 'navigator.mediaDevices.getUserMediaOnFailure', 'NotReadableError: Could not start video source'));
    a.push(ev(20, null, 'navigator.mediaDevices.getDisplayMediaOnFailure', 'NotAllowedError: Permission denied'));
    a.push(ev(30, null, 'getUserMedia', { audio: { mandatory: { googEchoCancellation: false } } }));
    const r = a.result();
    expect(of(r, 'getusermedia-failed').map((o) => [o.evidence.error, o.severity])).toEqual([['NotReadableError', 'critical']]);
    expect(of(r, 'getdisplaymedia-failed').map((o) => [o.evidence.error, o.severity])).toEqual([['NotAllowedError', 'info']]);
    expect(of(r, 'echo-cancellation-off').length).toBe(1);
    expect(r.verdict.level).toBe('poor');
  });
});

describe('robustness', () => {
  it('never throws on odd values', () => {
    const a = new SessionAnalyzer(sessionRecord());
    const odd: unknown[] = [null, 'x', 42, [], { a: null }, { X: { type: 'inbound-rtp', kind: 'audio', timestamp: 'soon', packetsReceived: 'many' } }, { Y: { type: 'outbound-rtp', qualityLimitationDurations: 5 } }];
    let t = 0;
    for (const v of odd) {
      for (const m of ['getStats', 'onconnectionstatechange', 'setLocalDescription', 'onicecandidate', 'createOfferOnSuccess', 'create', 'onicecandidateerror']) {
        a.push({ ...ev((t += 100), PC, m, v), ...(m === 'getStats' ? { full: true as const } : {}) });
        a.push(ev((t += 100), null, 'navigator.mediaDevices.getUserMediaOnFailure', v));
        a.push(ev((t += 100), null, 'MediaStreamTrack.onmute', v));
      }
    }
    expect(() => a.result()).not.toThrow();
  });
});
