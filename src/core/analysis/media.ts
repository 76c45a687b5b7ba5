// The sample-driven part of a connection's analysis: per stream detectors
// (loss, jitter, concealment, freezes, limitations, dry tracks...), RTT,
// the selected candidate pair, stats gaps, and the running scores. Each
// sample costs work proportional to its number of reports, never to the
// history (windows keep a bounded number of old reports).

import { metricBetween, metricOf } from '../metrics';
import type { StatsReport, StatsSample } from '../stats-delta';
import { Hysteresis, type HysteresisSpec, type ObservationLog } from './detector';
import type { LifecycleTracker } from './lifecycle';
import { Average, codecModel, mos, penaltyScore, round } from './scores';
import type { Category, Severity } from './types';

// Thresholds (../shared/docs/analysis.md; docs/analysis.md explains each).
export const T = {
  lossOnPct: 5, lossOffPct: 2, lossCriticalPct: 15, lossWindowMs: 5000,
  rttOnMs: 150, rttOffMs: 120, rttCriticalMs: 300,
  jitterOnMs: 40, jitterOffMs: 30, jitterCriticalMs: 200,
  concealOnPct: 3, concealOffPct: 1, concealWindowMs: 15_000,
  jbTargetOnMs: 200, jbTargetOffMs: 150, stretchOnPct: 2, stretchOffPct: 1, jbWindowMs: 10_000,
  freezeOnPct: 30, freezeOffPct: 10, meanFreezeOnMs: 1000, freezeWindowMs: 5000,
  longPauseMs: 10_000,
  stuckMinKbps: 10, stuckMs: 4000,
  dryMs: 5000,
  silentRms: 0.001, silentOffRms: 0.003, silentMs: 30_000,
  encodeBudgetOn: 0.8, encodeBudgetOff: 0.6,
  lowAvailableKbps: 100, lowAvailableOffKbps: 150,
  /** bandwidth limitation while the bandwidth estimate ramps up at the start of a stream is normal */
  rampUpMs: 15_000,
  limitedMinOnMs: 5000, cpuMinOnMs: 10_000, limitedMinOffMs: 5000,
  sustainMs: 5000,
  gapMinMs: 5000,
} as const;

// the metrics read over windows (metrics.ts formulas)
const RTCP_RTT = metricOf('remote-inbound-rtp', '[totalRoundTripTime/roundTripTimeMeasurements]');
const LOSS = metricOf('inbound-rtp', '[packetsLost_in_%]');
const AUDIBLE_CONCEALMENT = metricOf('inbound-rtp', '[audibleConcealment_in_%]');
const JB_TARGET = metricOf('inbound-rtp', '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]');
const TIME_STRETCH = metricOf('inbound-rtp', '[timeStretch_in_%]');
const JB_DELAY = metricOf('inbound-rtp', '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]');
const FREEZE_TIME = metricOf('inbound-rtp', '[freezeTime_in_%]');
const MEAN_FREEZE = metricOf('inbound-rtp', '[totalFreezesDuration/freezeCount_in_ms]');
const ENCODE_TIME = metricOf('outbound-rtp', '[totalEncodeTime/framesEncoded_in_ms]');
const ENCODED_FPS = metricOf('outbound-rtp', '[framesEncoded/s]');
const DECODED_FPS = metricOf('inbound-rtp', '[framesDecoded/s]');
/** samples of frame rate the volatility is taken over */
const FPS_SAMPLES = 10;
const CPU_SHARE = metricOf('outbound-rtp', '[qualityLimitation_cpu_in_%]');
const SENT_BITRATE = metricOf('outbound-rtp', '[bytesSent_in_bits/s]');
const MIC_RMS = metricOf('media-source', '[Audio_Level_in_RMS]');

const INBOUND_TYPES = ['high-loss', 'high-jitter', 'audio-concealment', 'jitter-buffer-stress', 'frozen-video', 'stuck-decoder', 'dry-track'];
/** what needs media flowing to be judged */
const QUALITY_TYPES = ['high-loss', 'high-jitter', 'audio-concealment', 'jitter-buffer-stress', 'frozen-video'];
const OUTBOUND_TYPES = ['high-loss', 'cpu-limited-video', 'bandwidth-limited-video', 'dry-track'];
const SOURCE_TYPES = ['silent-microphone'];

const SUSTAINED: HysteresisSpec = { minOnMs: T.sustainMs };
const AT_ONCE: HysteresisSpec = { minOnMs: 0 };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Old reports of one stats id, kept for `spanMs`: windowed metrics read the oldest against the newest. */
class ReportWindow {
  private readonly items: { t: number; r: StatsReport }[] = [];
  constructor(private readonly spanMs: number) {}

  push(t: number, r: StatsReport): void {
    const last = this.items[this.items.length - 1];
    if (last && t <= last.t) return;
    this.items.push({ t, r });
    while (this.items.length > 2 && this.items[1]!.t <= t - this.spanMs) this.items.shift();
  }

  /** the newest report at least `ms` older than the newest (or the oldest one, if the history is shorter) and its age */
  back(ms: number): { r: StatsReport; age: number } | null {
    const n = this.items.length;
    if (n < 2) return null;
    const newest = this.items[n - 1]!.t;
    let pick = this.items[0]!;
    for (let i = n - 2; i >= 0; i--) {
      if (newest - this.items[i]!.t >= ms) {
        pick = this.items[i]!;
        break;
      }
    }
    return { r: pick.r, age: newest - pick.t };
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** The mute / enabled / ended state of tracks, from the page's track events. */
export class TrackStates {
  private readonly muted = new Set<string>();
  private readonly disabled = new Set<string>();
  private readonly ended = new Set<string>();

  event(method: string, value: unknown): void {
    if (method === 'MediaStreamTrack.enabled' && value && typeof value === 'object') {
      const v = value as { track?: unknown; enabled?: unknown };
      const id = trackIdOf(v.track);
      if (id === null) return;
      if (v.enabled === false) this.disabled.add(id);
      else this.disabled.delete(id);
      return;
    }
    const id = trackIdOf(value);
    if (id === null) return;
    if (method === 'MediaStreamTrack.onmute') this.muted.add(id);
    else if (method === 'MediaStreamTrack.onunmute') this.muted.delete(id);
    else if (method === 'MediaStreamTrack.onended' || method === 'MediaStreamTrack.stop') this.ended.add(id);
  }

  /** whether a track is muted, disabled or ended: its detectors stay silent */
  silenced(id: string | undefined): boolean {
    return id !== undefined && (this.muted.has(id) || this.disabled.has(id) || this.ended.has(id));
  }
}

/** `video:<id>` → `<id>` */
function trackIdOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const at = v.indexOf(':');
  return at >= 0 ? v.slice(at + 1) : v;
}

interface Detector {
  h: Hysteresis;
  type: string;
  category: Category;
}

/** One RTP stream (an inbound-rtp or outbound-rtp id) or media source. */
class Stream {
  readonly window: ReportWindow;
  readonly detectors = new Map<string, Detector>();
  flowedAt: number | null = null;
  startedAt: number | null = null;
  lastSeen = 0;
  maxOf = new Map<string, number>();
  pauseReported = false;
  /** the frame rate of the last FPS_SAMPLES samples */
  private readonly fps: number[] = [];
  /** the track id its observations use */
  trackId: string | undefined;
  /** whether the stream had a media source (a track) attached: losing it is the sender pausing (replaceTrack(null)) */
  hadSource = false;

  constructor(
    readonly id: string,
    readonly direction: 'inbound' | 'outbound' | 'source',
    readonly kind: string,
    spanMs: number,
  ) {
    this.window = new ReportWindow(spanMs);
  }

  /**
   * Takes this sample's frame rate; returns the standard deviation / mean of
   * the last FPS_SAMPLES (once there are at least half of them), for the
   * video score. Not during the ramp-up, when the rate climbs by design.
   */
  fpsVolatility(t: number, fps: number | undefined): number | undefined {
    if (fps === undefined || this.startedAt === null || t - this.startedAt < T.rampUpMs) return undefined;
    this.fps.push(fps);
    if (this.fps.length > FPS_SAMPLES) this.fps.shift();
    if (this.fps.length < FPS_SAMPLES / 2) return undefined;
    const mean = this.fps.reduce((a, b) => a + b, 0) / this.fps.length;
    if (mean <= 0) return undefined;
    const variance = this.fps.reduce((a, b) => a + (b - mean) ** 2, 0) / this.fps.length;
    return Math.sqrt(variance) / mean;
  }

  detector(type: string, category: Category, spec: HysteresisSpec): Detector {
    let d = this.detectors.get(type);
    if (!d) {
      d = { h: new Hysteresis(spec), type, category };
      this.detectors.set(type, d);
    }
    return d;
  }

  max(name: string, v: number): number {
    const m = Math.max(this.maxOf.get(name) ?? v, v);
    this.maxOf.set(name, m);
    return m;
  }
}

export class ConnectionMedia {
  samples = 0;
  private prevT: number | null = null;
  private prev: StatsSample | undefined;
  private intervalMs: number | null = null;
  private readonly streams = new Map<string, Stream>();
  private pairId: string | null = null;
  private lastFlowAt: number | null = null;
  private flowing = { inbound: 0, outbound: 0 };
  private readonly rtt = new Hysteresis(SUSTAINED);
  private maxRtt = 0;
  readonly audio = new Average();
  readonly video = new Average();
  readonly connection = new Average();

  constructor(
    readonly pcId: string,
    private readonly life: LifecycleTracker,
    private readonly log: ObservationLog,
    private readonly tracks: TrackStates,
  ) {}

  sample(t: number, sample: StatsSample): void {
    this.samples++;
    this.checkGap(t);
    this.life.tick(t);
    const connected = this.life.connected;

    // the reports this analysis reads, in one pass
    // (a sample's reports have no `id` field: the id is the key)
    const inbound: [string, StatsReport][] = [];
    const outbound: [string, StatsReport][] = [];
    const sources: [string, StatsReport][] = [];
    const remoteInbound: [string, StatsReport][] = [];
    let transportPair: string | undefined;
    let firefoxPair: string | undefined;
    // what the connection received, for media gaps: transport bytes, inbound RTP packets, the newest inbound packet
    let transportBytes: number | undefined;
    let rtpPackets: number | undefined;
    let rtpLast: number | undefined;
    for (const id in sample) {
      const r = sample[id];
      if (!r || typeof r !== 'object') continue; // a damaged dump: reports are objects
      switch (r.type) {
        case 'inbound-rtp': {
          inbound.push([id, r]);
          rtpPackets = (rtpPackets ?? 0) + (num(r.packetsReceived) ?? 0);
          const last = num(r.lastPacketReceivedTimestamp);
          if (last !== undefined) rtpLast = Math.max(rtpLast ?? last, last);
          break;
        }
        case 'outbound-rtp': outbound.push([id, r]); break;
        case 'media-source': sources.push([id, r]); break;
        case 'remote-inbound-rtp': remoteInbound.push([id, r]); break;
        case 'transport': {
          transportPair ??= str(r.selectedCandidatePairId);
          const bytes = num(r.bytesReceived);
          if (bytes !== undefined) transportBytes = (transportBytes ?? 0) + bytes;
          break;
        }
        case 'candidate-pair': if (r.selected === true) firefoxPair ??= id; break;
      }
    }

    // how many streams carry media in each direction: a dry track is one that stops while others flow
    let inFlowing = 0;
    let outFlowing = 0;
    for (const [id, r] of inbound) if (advanced(this.prev?.[id], r, 'bytesReceived', 'packetsReceived')) inFlowing++;
    for (const [id, r] of outbound) if (advanced(this.prev?.[id], r, 'bytesSent', 'packetsSent')) outFlowing++;
    this.flowing = { inbound: inFlowing, outbound: outFlowing };

    // selected pair, STUN RTT, available bitrate
    const pairId = transportPair ?? firefoxPair ?? null;
    const pair = pairId !== null ? sample[pairId] : undefined;
    let stunRttMs: number | undefined;
    let availableKbps: number | undefined;
    if (pair && pairId !== null) {
      this.readPair(t, pairId, pair, sample);
      const cur = num(pair.currentRoundTripTime);
      if (cur !== undefined && (num(pair.responsesReceived) ?? 1) > 0) stunRttMs = cur * 1000;
      const aob = num(pair.availableOutgoingBitrate);
      if (aob !== undefined) availableKbps = aob / 1000;
    }
    // the transports' bytes (they survive pair switches), else the selected pair's, else only RTP
    const pairBytes = pair ? num(pair.bytesReceived) : undefined;
    const linkKey = transportBytes !== undefined ? 'transport' : pairBytes !== undefined ? pairId : null;
    this.life.traffic(t, linkKey, transportBytes ?? pairBytes, rtpPackets, (pair ? num(pair.lastPacketReceivedTimestamp) : undefined) ?? rtpLast);

    // RTCP RTT: mean over the remote-inbound reports (windowed ratio, else the last value)
    let rtcpSum = 0;
    let rtcpN = 0;
    const remoteByLocal = new Map<string, StatsReport>();
    for (const [rid, r] of remoteInbound) {
      const local = str(r.localId);
      if (local) remoteByLocal.set(local, r);
      const w = this.stream(`rtt:${rid}`, 'source', 'rtt', T.lossWindowMs, t, r);
      const back = w.window.back(T.lossWindowMs);
      let v = back ? metricBetween(RTCP_RTT, back.r, r) : undefined;
      if (v === undefined) v = num(r.roundTripTime);
      if (v !== undefined) {
        rtcpSum += v * 1000;
        rtcpN++;
      }
    }
    const rtcpRttMs = rtcpN > 0 ? rtcpSum / rtcpN : undefined;
    const rttMs = rtcpRttMs ?? stunRttMs;
    this.checkRtt(t, connected, rtcpRttMs, stunRttMs);

    let worstLoss: number | undefined;
    for (const [id, r] of inbound) {
      const loss = this.inboundStream(t, id, r, sample, connected, rttMs);
      if (loss !== undefined) worstLoss = Math.max(worstLoss ?? 0, loss);
    }
    for (const [id, r] of outbound) {
      const loss = this.outboundStream(t, id, r, sample, connected, remoteByLocal, availableKbps, rttMs);
      if (loss !== undefined) worstLoss = Math.max(worstLoss ?? 0, loss);
    }
    for (const [id, r] of sources) this.source(t, id, r);
    this.forgetGone(t);

    if (connected && (rttMs !== undefined || worstLoss !== undefined)) {
      this.connection.add(penaltyScore({ rttMs, lossPct: worstLoss }), { rttMs, lossPct: worstLoss });
    }
    this.prev = sample;
  }

  /** Streams no longer in the samples (renegotiated away): their episodes end, their state goes. */
  private forgetGone(t: number): void {
    for (const [key, s] of this.streams) {
      if (s.lastSeen === t) continue;
      for (const [type, d] of s.detectors) if (d.h.reset() === 'end') this.log.settle(type, this.pcId, s.trackId);
      this.streams.delete(key);
    }
  }

  private stream(key: string, direction: Stream['direction'], kind: string, spanMs: number, t: number, r: StatsReport): Stream {
    let s = this.streams.get(key);
    if (!s) {
      s = new Stream(key, direction, kind, spanMs);
      this.streams.set(key, s);
    }
    s.lastSeen = t;
    s.window.push(t, r);
    return s;
  }

  private checkGap(t: number): void {
    if (this.prevT !== null) {
      const dt = t - this.prevT;
      if (dt > 0) {
        const interval = this.intervalMs ?? dt;
        // not a gap when the poller stops on purpose (failed / closed connection)
        const expected = this.life.state === 'failed' || this.life.state === 'closed';
        if (dt > Math.max(2 * interval, T.gapMinMs) && !expected && this.intervalMs !== null) {
          this.log.record(t, { type: 'stats-gap', severity: 'warning', category: 'stats', pcId: this.pcId, evidence: { gapMs: round(dt), intervalMs: round(interval) } }, this.prevT);
        } else {
          // a slow moving average of the normal interval
          this.intervalMs = this.intervalMs === null ? dt : this.intervalMs * 0.8 + dt * 0.2;
        }
      }
    }
    this.prevT = t;
  }

  private readPair(t: number, pairId: string, pair: StatsReport, sample: StatsSample): void {
    const local = sample[str(pair.localCandidateId) ?? ''];
    const remote = sample[str(pair.remoteCandidateId) ?? ''];
    const localType = str(local?.candidateType) ?? null;
    let relayProtocol = str(local?.relayProtocol) ?? null;
    if (localType === 'relay' && relayProtocol === null) {
      const url = str(local?.url) ?? '';
      relayProtocol = /^turns:/i.test(url) ? 'tls' : /transport=tcp/i.test(url) ? 'tcp' : url ? 'udp' : null;
    }
    const selected = {
      relayed: localType === 'relay',
      protocol: str(local?.protocol) ?? null,
      relayProtocol: localType === 'relay' ? relayProtocol : null,
      localType,
      remoteType: str(remote?.candidateType) ?? null,
    };
    this.life.selectPair(t, pairId, selected, this.pairId);
    this.pairId = pairId;

    // when media stopped, for a disruption in progress: the last packet received, else the last sample that saw bytes arrive
    const prevPair = this.prev?.[pairId];
    const received = num(pair.bytesReceived);
    const d = this.life.openDisruption();
    if (d && d.start === d.stateChangedAt) {
      const last = num(pair.lastPacketReceivedTimestamp);
      if (last !== undefined && last < d.stateChangedAt && last > d.stateChangedAt - 30_000) d.start = last;
      else if (this.lastFlowAt !== null && this.lastFlowAt < d.stateChangedAt && this.lastFlowAt > d.stateChangedAt - 30_000) d.start = this.lastFlowAt;
    }
    if (received !== undefined && prevPair && received > (num(prevPair.bytesReceived) ?? Infinity) && !d) this.lastFlowAt = t;
  }

  private checkRtt(t: number, connected: boolean, rtcp: number | undefined, stun: number | undefined): void {
    const rtt = rtcp ?? stun;
    if (!connected || rtt === undefined) {
      if (this.rtt.reset() === 'end') this.log.settle('high-rtt', this.pcId);
      return;
    }
    const step = this.rtt.update(t, rtt > T.rttOnMs, rtt < T.rttOffMs);
    if (step === 'start' || step === 'stay') {
      this.maxRtt = step === 'start' ? rtt : Math.max(this.maxRtt, rtt);
      this.log.raise(t, this.rtt.since!, {
        type: 'high-rtt', severity: this.maxRtt >= T.rttCriticalMs ? 'critical' : 'warning', category: 'network', pcId: this.pcId,
        evidence: { rttMs: round(rtt), maxRttMs: round(this.maxRtt), source: rtcp !== undefined ? 'RTCP' : 'STUN', ...(stun !== undefined ? { stunRttMs: round(stun) } : {}) },
      });
    } else if (step === 'end') this.log.settle('high-rtt', this.pcId);
  }

  /** Runs one detector step and turns it into observations. */
  private step(
    s: Stream, t: number, trackId: string | undefined, type: string, category: Category, spec: HysteresisSpec,
    on: boolean, off: boolean, severity: Severity, evidence: () => Record<string, number | string | boolean>,
  ): void {
    const d = s.detector(type, category, spec);
    const st = d.h.update(t, on, off);
    if (st === 'start' || st === 'stay') {
      // evidence is made only for an observation (most steps of a healthy call are idle)
      this.log.raise(t, d.h.since!, { type, severity, category, pcId: this.pcId, ...(trackId !== undefined ? { trackId } : {}), evidence: evidence() });
    } else if (st === 'end') this.log.settle(type, this.pcId, trackId);
  }

  /** Silences a detector (muted track, no data): an episode in progress ends. */
  private silence(s: Stream, trackId: string | undefined, types: readonly string[]): void {
    if (s.detectors.size === 0) return;
    for (const type of types) {
      const d = s.detectors.get(type);
      if (d && d.h.reset() === 'end') this.log.settle(type, this.pcId, trackId);
    }
  }

  /** The track of an RTP stream (the caller falls back to the stats id where the browser does not name it, as Firefox). */
  private trackOf(r: StatsReport, sample: StatsSample): string | undefined {
    const direct = str(r.trackIdentifier);
    if (direct) return direct;
    const track = sample[str(r.trackId) ?? ''] ?? sample[str(r.mediaSourceId) ?? ''];
    return str(track?.trackIdentifier);
  }

  private inboundStream(t: number, id: string, r: StatsReport, sample: StatsSample, connected: boolean, rttMs: number | undefined): number | undefined {
    const kind = str(r.kind) ?? str(r.mediaType) ?? 'unknown';
    const s = this.stream(id, 'inbound', kind, T.concealWindowMs, t, r);
    const trackId = this.trackOf(r, sample) ?? id;
    s.trackId = trackId;
    const prev = sameType(this.prev?.[id], r);
    const dBytes = prev ? (num(r.bytesReceived) ?? 0) - (num(prev.bytesReceived) ?? 0) : 0;
    const dPackets = prev ? (num(r.packetsReceived) ?? 0) - (num(prev.packetsReceived) ?? 0) : 0;
    const dt = prev ? (num(r.timestamp) ?? t) - (num(prev.timestamp) ?? t) : 0;
    if (dBytes < 0 || dPackets < 0) s.window.clear(); // the stream restarted
    const flowing = dPackets > 0 || dBytes > 0;
    if (flowing) {
      s.flowedAt = t;
      s.startedAt ??= t;
    }
    if (this.tracks.silenced(trackId) || !connected) {
      this.silence(s, trackId, INBOUND_TYPES);
      return undefined;
    }
    const ev = { kind, direction: 'inbound' };

    // dry track: it carried media before and now nothing arrives while other streams still do
    // (everything stopping at once is the application pausing, or the network: other detectors);
    // incoming video stopping is often an SFU's choice (last-N, layer switches): info only
    if (s.startedAt !== null && prev) {
      const dry = !flowing && this.flowing.inbound > 0;
      this.step(s, t, trackId, 'dry-track', kind === 'video' ? 'video' : 'audio', { minOnMs: T.dryMs }, dry, flowing, kind === 'video' ? 'info' : 'warning', () => ({
        ...ev, dryForMs: dry ? round(t - (s.flowedAt ?? t)) : 0,
      }));
    }
    if (!flowing) {
      this.silence(s, trackId, QUALITY_TYPES);
      if (kind !== 'video') return undefined;
    }

    // loss over the last 5 s
    const w5 = s.window.back(T.lossWindowMs);
    const loss = w5 ? metricBetween(LOSS, w5.r, r) : undefined;
    if (flowing && loss !== undefined) {
      const max = s.max('loss', loss);
      this.step(s, t, trackId, 'high-loss', 'network', SUSTAINED, loss > T.lossOnPct, loss < T.lossOffPct, max >= T.lossCriticalPct ? 'critical' : 'warning', () => ({
        ...ev, lossPct: round(loss, 1), maxLossPct: round(max, 1),
      }));
    }
    const jitter = num(r.jitter);
    if (flowing && jitter !== undefined) {
      const ms = jitter * 1000;
      const max = s.max('jitter', ms);
      this.step(s, t, trackId, 'high-jitter', 'network', SUSTAINED, ms > T.jitterOnMs, ms < T.jitterOffMs, max >= T.jitterCriticalMs ? 'critical' : 'warning', () => ({
        ...ev, jitterMs: round(ms), maxJitterMs: round(max),
      }));
    }

    if (kind === 'audio') {
      if (!flowing) return undefined;
      const w15 = s.window.back(T.concealWindowMs);
      const concealed = w15 && w15.age >= T.concealWindowMs * 0.66 ? metricBetween(AUDIBLE_CONCEALMENT, w15.r, r) : undefined;
      if (concealed !== undefined) {
        this.step(s, t, trackId, 'audio-concealment', 'audio', AT_ONCE, concealed > T.concealOnPct, concealed < T.concealOffPct, concealed > 10 ? 'critical' : 'warning', () => ({
          ...ev, concealedPct: round(concealed, 1), maxConcealedPct: round(s.max('concealed', concealed), 1),
        }));
      }
      const w10 = s.window.back(T.jbWindowMs);
      const target = w10 ? metricBetween(JB_TARGET, w10.r, r) : undefined;
      const stretch = w10 ? metricBetween(TIME_STRETCH, w10.r, r) : undefined;
      if (target !== undefined && stretch !== undefined) {
        this.step(s, t, trackId, 'jitter-buffer-stress', 'audio', SUSTAINED, target > T.jbTargetOnMs && stretch > T.stretchOnPct,
          target < T.jbTargetOffMs || stretch < T.stretchOffPct, 'warning', () => ({ ...ev, targetDelayMs: round(target), timeStretchPct: round(stretch, 1) }));
      }
      // MOS from the last 5 s
      const jb = w5 ? metricBetween(JB_DELAY, w5.r, r) : undefined;
      const jbMs = jb ?? (jitter !== undefined ? jitter * 1000 * 2 : 0);
      const codec = str(sample[str(r.codecId) ?? '']?.mimeType);
      const model = codecModel(codec);
      const inputs = { rttMs: rttMs ?? 0, jitterBufferMs: jbMs, lossPct: loss ?? 0, codec: model };
      this.audio.add(mos(inputs), { ...inputs, codec: codec ?? model });
      return loss;
    }

    if (kind === 'video') {
      // freezes over the last 5 s
      const freezePct = w5 ? metricBetween(FREEZE_TIME, w5.r, r) : undefined;
      const meanFreeze = w5 ? metricBetween(MEAN_FREEZE, w5.r, r) : undefined;
      if (freezePct !== undefined) {
        const frozen = freezePct > T.freezeOnPct || (meanFreeze !== undefined && meanFreeze > T.meanFreezeOnMs);
        this.step(s, t, trackId, 'frozen-video', 'video', AT_ONCE, frozen, freezePct < T.freezeOffPct && meanFreeze === undefined, freezePct > 60 ? 'critical' : 'warning', () => ({
          ...ev, freezePct: round(freezePct), meanFreezeMs: round(meanFreeze ?? 0), freezes: num(r.freezeCount) ?? 0,
        }));
      }
      // pauses over the call
      const pausesMs = (num(r.totalPausesDuration) ?? 0) * 1000;
      if (pausesMs > T.longPauseMs) {
        const evidence = { ...ev, totalPausesMs: round(pausesMs), pauses: num(r.pauseCount) ?? 0 };
        if (!s.pauseReported) {
          s.pauseReported = true;
          this.log.record(t, { type: 'long-video-pause', severity: 'warning', category: 'video', pcId: this.pcId, ...(trackId ? { trackId } : {}), evidence });
        }
      }
      // stuck decoder: bytes arrive, no frame decoded
      const dDecoded = prev ? (num(r.framesDecoded) ?? NaN) - (num(prev.framesDecoded) ?? NaN) : NaN;
      if (!Number.isNaN(dDecoded) && dt > 0) {
        const kbps = (dBytes * 8) / dt;
        const stuck = dDecoded === 0 && kbps >= T.stuckMinKbps;
        this.step(s, t, trackId, 'stuck-decoder', 'video', { minOnMs: T.stuckMs }, stuck, dDecoded > 0, 'critical', () => ({ ...ev, kbps: round(kbps) }));
      }
      if (!flowing) return undefined;
      // video score from the last 5 s
      const dropped = w5 ? share(w5.r, r, 'framesDropped', 'framesReceived') : undefined;
      const fpsVolatility = s.fpsVolatility(t, num(r.framesPerSecond) ?? (prev ? metricBetween(DECODED_FPS, prev, r) : undefined));
      const inputs = { rttMs, lossPct: loss, droppedShare: dropped, fpsVolatility };
      this.video.add(penaltyScore(inputs), { ...inputs, direction: 'inbound' });
    }
    return loss;
  }

  private outboundStream(
    t: number, id: string, r: StatsReport, sample: StatsSample, connected: boolean, remoteByLocal: Map<string, StatsReport>,
    availableKbps: number | undefined, rttMs: number | undefined,
  ): number | undefined {
    const kind = str(r.kind) ?? str(r.mediaType) ?? 'unknown';
    const s = this.stream(id, 'outbound', kind, T.lossWindowMs * 2, t, r);
    const trackId = this.trackOf(r, sample) ?? id;
    s.trackId = trackId;
    const hasSource = typeof r.mediaSourceId === 'string' && sample[r.mediaSourceId] !== undefined;
    const sourceRemoved = s.hadSource && !hasSource;
    if (hasSource) s.hadSource = true;
    const prev = sameType(this.prev?.[id], r);
    const dBytes = prev ? (num(r.bytesSent) ?? 0) - (num(prev.bytesSent) ?? 0) : 0;
    if (dBytes < 0) s.window.clear();
    if (dBytes > 0) {
      s.flowedAt = t;
      s.startedAt ??= t;
    }
    const paused = r.active === false || sourceRemoved || this.tracks.silenced(trackId);
    if (paused || !connected) {
      this.silence(s, trackId, OUTBOUND_TYPES);
      return undefined;
    }
    const ev = { kind, direction: 'outbound' };
    if (s.startedAt !== null && prev) {
      const dry = dBytes <= 0 && this.flowing.outbound > 0;
      this.step(s, t, trackId, 'dry-track', kind === 'video' ? 'video' : 'audio', { minOnMs: T.dryMs }, dry, dBytes > 0, 'warning', () => ({
        ...ev, dryForMs: dry ? round(t - (s.flowedAt ?? t)) : 0,
      }));
    }
    if (dBytes <= 0) return undefined;

    // loss the far end reports (RTCP receiver reports)
    const remote = remoteByLocal.get(id);
    const fraction = num(remote?.fractionLost);
    const loss = fraction !== undefined ? fraction * 100 : undefined;
    if (loss !== undefined) {
      const max = s.max('loss', loss);
      this.step(s, t, trackId, 'high-loss', 'network', SUSTAINED, loss > T.lossOnPct, loss < T.lossOffPct, max >= T.lossCriticalPct ? 'critical' : 'warning', () => ({
        ...ev, lossPct: round(loss, 1), maxLossPct: round(max, 1),
      }));
    }
    if (kind !== 'video') return loss;

    const reason = str(r.qualityLimitationReason);
    const durations = r.qualityLimitationDurations as Record<string, unknown> | undefined;
    const shareOf = (k: string): number => {
      if (!durations || typeof durations !== 'object') return 0;
      let total = 0;
      for (const v of Object.values(durations)) total += num(v) ?? 0;
      return total > 0 ? (100 * (num(durations[k]) ?? 0)) / total : 0;
    };
    // CPU: the encoder says so, or encoding takes most of the frame budget
    const w5 = s.window.back(T.lossWindowMs);
    const encodeMs = w5 ? metricBetween(ENCODE_TIME, w5.r, r) : undefined;
    const fps = num(r.framesPerSecond) ?? (w5 ? metricBetween(ENCODED_FPS, w5.r, r) : undefined);
    const budget = fps !== undefined && fps > 0 ? 1000 / fps : undefined;
    const slow = encodeMs !== undefined && budget !== undefined && encodeMs > T.encodeBudgetOn * budget;
    const fast = encodeMs === undefined || budget === undefined || encodeMs < T.encodeBudgetOff * budget;
    this.step(s, t, trackId, 'cpu-limited-video', 'video', { minOnMs: T.cpuMinOnMs, minOffMs: T.limitedMinOffMs }, reason === 'cpu' || slow, reason !== 'cpu' && fast, 'warning', () => ({
      ...ev, cpuSharePct: round(shareOf('cpu')), encodeMsPerFrame: round(encodeMs ?? 0, 1), reason: reason ?? 'unknown',
    }));
    // bandwidth: the encoder says so, or the estimate is very low; not during the ramp-up
    const rampingUp = s.startedAt !== null && t - s.startedAt < T.rampUpMs;
    const lowAvailable = availableKbps !== undefined && availableKbps < T.lowAvailableKbps;
    const onBw = !rampingUp && (reason === 'bandwidth' || lowAvailable);
    const offBw = reason !== 'bandwidth' && (availableKbps === undefined || availableKbps > T.lowAvailableOffKbps);
    this.step(s, t, trackId, 'bandwidth-limited-video', 'video', { minOnMs: T.limitedMinOnMs, minOffMs: T.limitedMinOffMs }, onBw, offBw, 'warning', () => ({
      ...ev, bandwidthSharePct: round(shareOf('bandwidth')), availableOutgoingKbps: availableKbps !== undefined ? round(availableKbps) : 'unknown',
      ...(num(r.frameWidth) !== undefined ? { frameWidth: num(r.frameWidth)!, frameHeight: num(r.frameHeight) ?? 0 } : {}),
    }));
    // video score (sent)
    const cpuShare = w5 ? metricBetween(CPU_SHARE, w5.r, r) : undefined;
    const sentBps = w5 ? metricBetween(SENT_BITRATE, w5.r, r) : undefined;
    const target = num(r.targetBitrate);
    const inputs = {
      rttMs, lossPct: loss, cpuLimited: cpuShare !== undefined ? cpuShare / 100 : undefined,
      bitrateVsTarget: sentBps !== undefined && target !== undefined && target > 0 && !rampingUp ? sentBps / target : undefined,
      fpsVolatility: s.fpsVolatility(t, num(r.framesPerSecond) ?? (prev ? metricBetween(ENCODED_FPS, prev, r) : undefined)),
    };
    this.video.add(penaltyScore(inputs), { ...inputs, direction: 'outbound' });
    return loss;
  }

  /** Local audio sources: a microphone that captures only silence. */
  private source(t: number, id: string, r: StatsReport): void {
    if (r.kind !== 'audio') return;
    const trackId = str(r.trackIdentifier);
    const s = this.stream(`src:${id}`, 'source', 'audio', T.lossWindowMs, t, r);
    s.trackId = trackId;
    if (this.tracks.silenced(trackId)) {
      this.silence(s, trackId, SOURCE_TYPES);
      return;
    }
    const w = s.window.back(T.lossWindowMs);
    const rms = w ? metricBetween(MIC_RMS, w.r, r) : undefined;
    if (rms === undefined) return;
    const d = s.detector('silent-microphone', 'media-capture', { minOnMs: T.silentMs });
    const st = d.h.update(t, rms <= T.silentRms, rms > T.silentOffRms);
    if (st === 'start' || st === 'stay') {
      this.log.raise(t, d.h.since!, {
        type: 'silent-microphone', severity: 'warning', category: 'media-capture', pcId: this.pcId, ...(trackId ? { trackId } : {}),
        evidence: { rms: round(rms, 5), silentForMs: round(t - d.h.since!) },
      });
    } else if (st === 'end') this.log.settle('silent-microphone', this.pcId, trackId);
  }
}

/** whether a counter (the first one present) went up since the previous report */
function advanced(prev: StatsReport | undefined, cur: StatsReport, ...counters: string[]): boolean {
  if (!prev || prev.type !== cur.type) return false;
  for (const c of counters) {
    const a = num(prev[c]);
    const b = num(cur[c]);
    if (a !== undefined && b !== undefined) return b > a;
  }
  return false;
}

/** the previous report of an id, if it is still the same kind of report */
function sameType(prev: StatsReport | undefined, cur: StatsReport): StatsReport | undefined {
  return prev && prev.type === cur.type ? prev : undefined;
}

/** Δa / Δb between two reports, 0..1, or undefined. */
function share(prev: StatsReport, cur: StatsReport, a: string, b: string): number | undefined {
  const da = (num(cur[a]) ?? NaN) - (num(prev[a]) ?? NaN);
  const db = (num(cur[b]) ?? NaN) - (num(prev[b]) ?? NaN);
  return db > 0 && da >= 0 ? da / db : undefined;
}
