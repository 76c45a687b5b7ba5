// Derived metrics: the rates and ratios that need two consecutive samples of
// the same stats id (see ../shared/docs/analysis.md). One formula per metric,
// used both by deriveMetrics() (charts, analysis: guarded against counter
// resets and gaps) and by the webrtc-internals export (internals-export.ts
// CALCULATORS, which reproduce Chrome's series exactly, guards and all: Chrome
// has none besides "time advanced" and "the result is finite").
//
// Names: webrtc-internals' bracketed names where Chrome has the series,
// our own bracketed names for the others.

import type { StatsReport, StatsSample } from './stats-delta';

export type MetricKind =
  /** per second */
  | 'rate'
  /** bits per second */
  | 'bitrate'
  /** a ratio of two deltas (ms per frame, s per measurement, ...) */
  | 'ratio'
  /** a percentage 0..100 */
  | 'percent'
  /** an RMS level 0..1 */
  | 'level';

export interface MetricDef {
  /** the series name, e.g. `[bytesSent_in_bits/s]` */
  name: string;
  /** what a chart legend says */
  label: string;
  unit: string;
  /** the report types it is computed for */
  statsTypes: string[];
  kind?: MetricKind;
  /** the property the metric belongs to: it is computed only for reports that have it */
  origin: string;
  /** cumulative properties it takes deltas of: any of them going down is a counter reset */
  counters: readonly string[];
  /** whether webrtc-internals computes this series (its name is Chrome's) */
  chrome: boolean;
  /** the formula, unguarded but for "time advanced" and "finite": undefined when it cannot be computed */
  compute(prev: StatsReport | undefined, cur: StatsReport): number | undefined;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const finite = (x: number | undefined): number | undefined => (x !== undefined && Number.isFinite(x) ? x : undefined);

/** Δtimestamp in ms, or undefined when time did not advance. */
function elapsed(prev: StatsReport | undefined, cur: StatsReport): number | undefined {
  if (!prev) return undefined;
  const dt = num(cur.timestamp) - num(prev.timestamp);
  return dt > 0 ? dt : undefined;
}

const delta = (prev: StatsReport, cur: StatsReport, name: string): number => num(cur[name]) - num(prev[name]);

type Def = Omit<MetricDef, 'chrome'>;

/** `[X/s]`: ΔX · 1000 / Δtimestamp(ms). */
function perSecond(metric: string, label: string, statsTypes: string[], unit = '/s'): Def {
  return {
    name: `[${metric}/s]`, label, unit, statsTypes, kind: 'rate', origin: metric, counters: [metric],
    compute(prev, cur) {
      const dt = elapsed(prev, cur);
      return dt === undefined ? undefined : finite((delta(prev!, cur, metric) * 1000) / dt);
    },
  };
}

/** `[X_in_bits/s]`: round(ΔX · 8 · 1000 / Δtimestamp(ms)). */
function bitsPerSecond(metric: string, label: string, statsTypes: string[]): Def {
  return {
    name: `[${metric}_in_bits/s]`, label, unit: 'bit/s', statsTypes, kind: 'bitrate', origin: metric, counters: [metric],
    compute(prev, cur) {
      const dt = elapsed(prev, cur);
      if (dt === undefined) return undefined;
      const r = finite((delta(prev!, cur, metric) * 8 * 1000) / dt);
      return r === undefined ? undefined : Math.round(r);
    },
  };
}

/** `[a/b]` (Δa / Δb), or `[a/b_in_ms]` (Δa / Δb · 1000, for seconds shown in milliseconds). */
function ratio(a: string, b: string, label: string, statsTypes: string[], unit: string, inMs = false): Def {
  return {
    name: `[${a}/${b}${inMs ? '_in_ms' : ''}]`, label, unit: inMs ? 'ms' : unit, statsTypes, kind: 'ratio', origin: a, counters: [a, b],
    compute(prev, cur) {
      if (elapsed(prev, cur) === undefined) return undefined;
      const r = finite(delta(prev!, cur, a) / delta(prev!, cur, b));
      return r === undefined ? undefined : inMs ? r * 1000 : r;
    },
  };
}

/** `[name]` = 100 · f(Δ) / Δdenominator, our own percentages. */
function percent(name: string, label: string, statsTypes: string[], origin: string, counters: string[], numerator: (d: (p: string) => number) => number, denominator: string): Def {
  return {
    name, label, unit: '%', statsTypes, kind: 'percent', origin, counters,
    compute(prev, cur) {
      if (elapsed(prev, cur) === undefined) return undefined;
      const d = (p: string) => delta(prev!, cur, p);
      const den = d(denominator);
      return den > 0 ? finite((100 * numerator(d)) / den) : undefined;
    },
  };
}

/** `[name]` = 100 · ΔX(s) / Δtimestamp(s): the share of the interval spent in X. */
function timeShare(name: string, label: string, metric: string): Def {
  return {
    name, label, unit: '%', statsTypes: ['inbound-rtp'], kind: 'percent', origin: metric, counters: [metric],
    compute(prev, cur) {
      const dt = elapsed(prev, cur);
      return dt === undefined ? undefined : finite((100 * delta(prev!, cur, metric) * 1000) / dt);
    },
  };
}

/** `[Audio_Level_in_RMS]`: √(ΔtotalAudioEnergy / ΔtotalSamplesDuration). */
const audioLevelRms: Def = {
  name: '[Audio_Level_in_RMS]', label: 'audio level (RMS)', unit: '', statsTypes: ['media-source', 'inbound-rtp'], kind: 'level',
  origin: 'totalAudioEnergy', counters: ['totalAudioEnergy', 'totalSamplesDuration'],
  compute(prev, cur) {
    if (elapsed(prev, cur) === undefined) return undefined;
    return finite(Math.sqrt(delta(prev!, cur, 'totalAudioEnergy') / delta(prev!, cur, 'totalSamplesDuration')));
  },
};

/** `[interFrameDelayStDev_in_ms]`: 1000 · √((ΔΣd² − (ΔΣd)²/Δn) / Δn) over the frames decoded since the previous sample. */
const interFrameDelayStDev: Def = {
  name: '[interFrameDelayStDev_in_ms]', label: 'inter-frame delay st. dev.', unit: 'ms', statsTypes: ['inbound-rtp'], kind: 'ratio',
  origin: 'totalSquaredInterFrameDelay', counters: ['framesDecoded', 'totalInterFrameDelay', 'totalSquaredInterFrameDelay'],
  compute(prev, cur) {
    if (!prev) return undefined;
    const n = delta(prev, cur, 'framesDecoded');
    if (!(n > 0)) return undefined;
    const sq = delta(prev, cur, 'totalSquaredInterFrameDelay');
    const sum = delta(prev, cur, 'totalInterFrameDelay');
    const variance = (sq - (sum * sum) / n) / n;
    if (!(variance >= 0)) return undefined;
    return finite(1000 * Math.sqrt(variance));
  },
};

/** `[inboundLoss_in_%]`: 100 · ΔpacketsLost / (ΔpacketsLost + ΔpacketsReceived); packetsLost is signed (duplicates), so clamped at 0. */
const inboundLoss: Def = {
  name: '[packetsLost_in_%]', label: 'packet loss', unit: '%', statsTypes: ['inbound-rtp'], kind: 'percent', origin: 'packetsLost',
  counters: ['packetsReceived'],
  compute(prev, cur) {
    if (elapsed(prev, cur) === undefined) return undefined;
    const lost = delta(prev!, cur, 'packetsLost');
    const total = lost + delta(prev!, cur, 'packetsReceived');
    return total > 0 ? finite(Math.max(0, (100 * lost) / total)) : undefined;
  },
};

export const QUALITY_LIMITATION_REASONS = ['cpu', 'bandwidth', 'other'] as const;

/** `[qualityLimitation_<reason>_in_%]`: Δdurations[reason] / ΣΔdurations over the interval. */
function qualityLimitationShare(reason: string): Def {
  return {
    name: `[qualityLimitation_${reason}_in_%]`, label: `quality limited by ${reason}`, unit: '%', statsTypes: ['outbound-rtp'], kind: 'percent',
    origin: 'qualityLimitationDurations', counters: [],
    compute(prev, cur) {
      if (elapsed(prev, cur) === undefined) return undefined;
      const a = prev!.qualityLimitationDurations as Record<string, unknown> | undefined;
      const b = cur.qualityLimitationDurations as Record<string, unknown> | undefined;
      if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return undefined;
      let total = 0;
      for (const k of Object.keys(b)) {
        const d = num(b[k]) - num(a[k] ?? 0);
        if (!(d >= 0)) return undefined; // a reset (or garbage)
        total += d;
      }
      return total > 0 ? finite((100 * (num(b[reason] ?? 0) - num(a[reason] ?? 0))) / total) : undefined;
    },
  };
}

const OUT = ['outbound-rtp'];
const IN = ['inbound-rtp'];

/** Chrome's series (stats_rates_calculator.js), numeric ones; the export adds `[codec]`, dates and `[framesReceived-framesDecoded-framesDropped]`. */
const CHROME: Def[] = [
  perSecond('messagesSent', 'messages sent', ['data-channel']),
  perSecond('messagesReceived', 'messages received', ['data-channel']),
  bitsPerSecond('bytesSent', 'bitrate sent', ['data-channel', 'outbound-rtp', 'transport', 'candidate-pair']),
  bitsPerSecond('bytesReceived', 'bitrate received', ['data-channel', 'inbound-rtp', 'transport', 'candidate-pair']),
  bitsPerSecond('headerBytesSent', 'header bitrate sent', OUT),
  bitsPerSecond('retransmittedBytesSent', 'retransmission bitrate sent', OUT),
  perSecond('packetsSent', 'packets sent', ['outbound-rtp', 'transport', 'candidate-pair']),
  ratio('totalPacketSendDelay', 'packetsSent', 'send delay', OUT, 'ms', true),
  perSecond('framesEncoded', 'frames encoded', OUT, 'fps'),
  perSecond('framesSent', 'frames sent', OUT, 'fps'),
  bitsPerSecond('totalEncodedBytesTarget', 'encoder target bitrate', OUT),
  ratio('totalEncodeTime', 'framesEncoded', 'encode time per frame', OUT, 'ms', true),
  ratio('qpSum', 'framesEncoded', 'QP (sent)', OUT, ''),
  bitsPerSecond('headerBytesReceived', 'header bitrate received', IN),
  bitsPerSecond('retransmittedBytesReceived', 'retransmission bitrate received', IN),
  bitsPerSecond('fecBytesReceived', 'FEC bitrate received', IN),
  perSecond('packetsReceived', 'packets received', ['inbound-rtp', 'transport', 'candidate-pair']),
  perSecond('framesReceived', 'frames received', IN, 'fps'),
  perSecond('framesDecoded', 'frames decoded', IN, 'fps'),
  perSecond('keyFramesDecoded', 'key frames decoded', IN),
  ratio('totalDecodeTime', 'framesDecoded', 'decode time per frame', IN, 'ms', true),
  ratio('totalInterFrameDelay', 'framesDecoded', 'inter-frame delay', IN, 'ms', true),
  interFrameDelayStDev,
  perSecond('totalSamplesReceived', 'samples received', IN),
  perSecond('concealedSamples', 'concealed samples', IN),
  ratio('concealedSamples', 'totalSamplesReceived', 'concealed share', IN, ''),
  perSecond('silentConcealedSamples', 'silent concealed samples', IN),
  perSecond('insertedSamplesForDeceleration', 'samples inserted (deceleration)', IN),
  perSecond('removedSamplesForAcceleration', 'samples removed (acceleration)', IN),
  ratio('qpSum', 'framesDecoded', 'QP (received)', IN, ''),
  audioLevelRms,
  ratio('jitterBufferDelay', 'jitterBufferEmittedCount', 'jitter buffer delay', IN, 'ms', true),
  ratio('jitterBufferTargetDelay', 'jitterBufferEmittedCount', 'jitter buffer target delay', IN, 'ms', true),
  ratio('jitterBufferMinimumDelay', 'jitterBufferEmittedCount', 'jitter buffer minimum delay', IN, 'ms', true),
  ratio('totalProcessingDelay', 'jitterBufferEmittedCount', 'processing delay', IN, 'ms', true),
  ratio('totalAssemblyTime', 'framesAssembledFromMultiplePackets', 'assembly time', IN, 'ms', true),
  ratio('totalRoundTripTime', 'roundTripTimeMeasurements', 'RTT (RTCP)', ['remote-inbound-rtp', 'remote-outbound-rtp'], 's'),
  ratio('totalRoundTripTime', 'responsesReceived', 'RTT (STUN)', ['candidate-pair'], 's'),
];

/** Ours (analysis.md), named like Chrome's where it has a pattern for them. */
const OURS: Def[] = [
  inboundLoss,
  percent(
    '[audibleConcealment_in_%]', 'audible concealment', IN, 'concealedSamples', ['concealedSamples', 'silentConcealedSamples', 'totalSamplesReceived'],
    (d) => d('concealedSamples') - d('silentConcealedSamples'), 'totalSamplesReceived',
  ),
  percent(
    '[timeStretch_in_%]', 'time stretch (accelerate + decelerate)', IN, 'insertedSamplesForDeceleration',
    ['insertedSamplesForDeceleration', 'removedSamplesForAcceleration', 'totalSamplesReceived'],
    (d) => d('insertedSamplesForDeceleration') + d('removedSamplesForAcceleration'), 'totalSamplesReceived',
  ),
  timeShare('[freezeTime_in_%]', 'time frozen', 'totalFreezesDuration'),
  ratio('totalFreezesDuration', 'freezeCount', 'mean freeze', IN, 'ms', true),
  timeShare('[pauseTime_in_%]', 'time paused', 'totalPausesDuration'),
  perSecond('framesDropped', 'frames dropped', IN, 'fps'),
  perSecond('packetsLost', 'packets lost', IN),
  perSecond('nackCount', 'NACKs', ['inbound-rtp', 'outbound-rtp']),
  perSecond('pliCount', 'PLIs', ['inbound-rtp', 'outbound-rtp']),
  perSecond('retransmittedPacketsSent', 'packets retransmitted', OUT),
  ...QUALITY_LIMITATION_REASONS.map(qualityLimitationShare),
];

export const METRICS: readonly MetricDef[] = [
  ...CHROME.map((d) => ({ ...d, chrome: true })),
  ...OURS.map((d) => ({ ...d, chrome: false })),
];

/** A metric by stats type and name (the same name can exist for several types with the same formula). */
export function metricByName(name: string): MetricDef | undefined {
  return METRICS.find((m) => m.name === name);
}

const BY_TYPE = new Map<string, MetricDef[]>();
for (const m of METRICS) {
  for (const t of m.statsTypes) {
    const list = BY_TYPE.get(t);
    if (list) list.push(m);
    else BY_TYPE.set(t, [m]);
  }
}

const BY_TYPE_AND_NAME = new Map<string, MetricDef>();
for (const m of METRICS) for (const t of m.statsTypes) BY_TYPE_AND_NAME.set(`${t}\u0000${m.name}`, m);

/** The metrics computed for a report type. */
export function metricsFor(statsType: string): readonly MetricDef[] {
  return BY_TYPE.get(statsType) ?? [];
}

/** Counters that only a restart of the report's stream can make go down. */
const RESET_MARKERS = ['packetsSent', 'packetsReceived', 'bytesSent', 'bytesReceived'];

/**
 * A subset of METRICS, with its per-type lists ready: deriveMetrics computes
 * only these (the panel derives the default charts' metrics as samples arrive
 * and the others only when someone asks for them).
 */
export class MetricSelection {
  private readonly byType = new Map<string, readonly MetricDef[]>();
  private readonly inputsByType = new Map<string, ReadonlySet<string>>();

  constructor(readonly includes: (m: MetricDef, statsType: string) => boolean) {
    for (const [type, defs] of BY_TYPE) {
      const selected = defs.filter((m) => includes(m, type));
      this.byType.set(type, selected);
      this.inputsByType.set(type, new Set(['type', 'timestamp', ...RESET_MARKERS, ...selected.flatMap((m) => [m.origin, ...m.counters])]));
    }
  }

  /** The selected metrics of a report type. */
  of(statsType: string): readonly MetricDef[] {
    return this.byType.get(statsType) ?? [];
  }

  /**
   * The report properties deriveMetrics reads for the selected metrics of a
   * type (a metric's formula reads its origin and counters only).
   */
  inputs(statsType: string): ReadonlySet<string> {
    return this.inputsByType.get(statsType) ?? NO_INPUTS;
  }
}

const NO_INPUTS: ReadonlySet<string> = new Set();

export const ALL_METRICS = new MetricSelection(() => true);

/**
 * Samples further apart than this are a gap (the page was frozen, the poller
 * paused, a dump was cut): a rate across it would hide what happened inside.
 */
export const MAX_SAMPLE_GAP_MS = 25_000;

/**
 * The metrics well defined between two consecutive samples of one connection:
 * per stats id, per metric name. Nothing across a counter reset (a counter
 * going down, a report changing type), a gap (Δt ≤ 0 or > MAX_SAMPLE_GAP_MS),
 * or a zero denominator. `selection`: which metrics (default all).
 */
export function deriveMetrics(prev: StatsSample | undefined, cur: StatsSample, selection = ALL_METRICS): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (!prev) return out;
  const values: number[] = [];
  for (const id in cur) {
    const defs = deriveReportMetrics(prev[id], cur[id]!, selection, values);
    let metrics: Record<string, number> | undefined;
    for (let k = 0; k < defs.length; k++) if (!Number.isNaN(values[k])) (metrics ??= {})[defs[k]!.name] = values[k]!;
    if (metrics) out[id] = metrics;
  }
  return out;
}

/**
 * deriveMetrics for one stats id, without building objects (the session model
 * runs it for every report of every sample): fills `values[k]` with the value
 * of the k-th returned metric (the selected metrics of `cur`'s type), NaN where
 * it is not well defined (a metric's value is never NaN).
 */
export function deriveReportMetrics(prev: StatsReport | undefined, cur: StatsReport, selection: MetricSelection, values: number[]): readonly MetricDef[] {
  const defs = typeof cur.type === 'string' ? selection.of(cur.type) : NO_METRICS;
  values.length = defs.length;
  values.fill(NaN);
  if (!prev || prev.type !== cur.type || defs.length === 0) return defs;
  const dt = num(cur.timestamp) - num(prev.timestamp);
  if (!(dt > 0 && dt <= MAX_SAMPLE_GAP_MS)) return defs;
  if (!countersAdvanced(prev, cur, RESET_MARKERS, true)) return defs; // the stream restarted: every counter of the report is suspect
  for (let k = 0; k < defs.length; k++) values[k] = guarded(defs[k]!, prev, cur) ?? NaN;
  return defs;
}

const NO_METRICS: readonly MetricDef[] = [];

/** One metric between two reports of the same id with deriveMetrics' per-metric guards (the gap and stream-restart checks are the caller's). */
function guarded(m: MetricDef, prev: StatsReport, cur: StatsReport): number | undefined {
  if (!(m.origin in cur) || !countersAdvanced(prev, cur, m.counters)) return undefined;
  return m.compute(prev, cur);
}

/** The metric of a stats type by name; throws for a name that does not exist (a programming error). */
export function metricOf(statsType: string, name: string): MetricDef {
  const m = BY_TYPE_AND_NAME.get(`${statsType}\u0000${name}`);
  if (!m) throw new Error(`no metric ${name} for ${statsType}`);
  return m;
}

/**
 * A metric between two reports of one stats id taken any time apart (a
 * sliding window: `prev` is the oldest report kept), with the reset guards of
 * deriveMetrics; undefined when not well defined.
 */
export function metricBetween(m: MetricDef, prev: StatsReport, cur: StatsReport): number | undefined {
  if (!(num(cur.timestamp) > num(prev.timestamp)) || !countersAdvanced(prev, cur, RESET_MARKERS, true)) return undefined;
  return guarded(m, prev, cur);
}

/** Whether no counter went down (and, unless `optional`, each is a number in both reports). */
function countersAdvanced(prev: StatsReport, cur: StatsReport, counters: readonly string[], optional = false): boolean {
  for (const c of counters) {
    const a = prev[c];
    const b = cur[c];
    if (typeof a !== 'number' || typeof b !== 'number') {
      if (optional) continue;
      return false;
    }
    if (b < a) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Raw properties: instantaneous or cumulative
// ---------------------------------------------------------------------------

/** Raw properties that are a value at the time of the sample: read them as they are, never take deltas. */
export const INSTANTANEOUS_PROPERTIES: ReadonlySet<string> = new Set([
  'jitter', 'audioLevel', 'frameWidth', 'frameHeight', 'framesPerSecond', 'roundTripTime', 'fractionLost',
  'currentRoundTripTime', 'availableOutgoingBitrate', 'availableIncomingBitrate', 'targetBitrate',
  'qualityLimitationReason', 'state', 'ssrc', 'kind', 'mid', 'rid', 'active', 'powerEfficientEncoder', 'powerEfficientDecoder',
  'encoderImplementation', 'decoderImplementation', 'scalabilityMode', 'contentType', 'priority', 'nominated', 'writable',
  'echoReturnLoss', 'echoReturnLossEnhancement', 'width', 'height', 'lastPacketReceivedTimestamp',
  'lastPacketSentTimestamp', 'estimatedPlayoutTimestamp', 'remoteTimestamp', 'timestamp',
]);

/**
 * Whether a raw numeric property is a cumulative counter (take deltas): packets, bytes,
 * frames, `total*`, `*Count`, jitterBuffer*, concealed*, qualityLimitationDurations.
 */
export function isCumulative(property: string): boolean {
  if (INSTANTANEOUS_PROPERTIES.has(property)) return false;
  return /^(packets|bytes|headerBytes|retransmitted|fecPackets|fecBytes|frames|keyFrames|total|jitterBuffer|concealed|silentConcealed|concealmentEvents|inserted|removed|nack|pli|fir|qpSum|hugeFramesSent|messages|requests|responses|consentRequests|qualityLimitation(Durations|ResolutionChanges)|freezeCount|pauseCount|roundTripTimeMeasurements|reportsSent|reportsReceived|dataChannels)|Count$/.test(
    property,
  );
}
