// chrome://webrtc-internals dump (the current variant, as Chrome 147 writes
// it) from the one model:
//
//   { deviceMemory?, hardwareConcurrency?, timestamp,
//     getUserMedia: [ {request | success | failure entry}, ... ],
//     PeerConnections: { "<rid>-<lid>": { pid, constraints?, rtcConfiguration,
//                                         stats, updateLog, url, webrtcLensConnectionId } },
//     UserAgent, UserAgentData }
//
// `stats` holds one series per stats id and property, `"<id>-<property>":
// {startTime, endTime, statsType, values}` with `values` a JSON string of the
// array, the report's own timestamp as `"<id>-timestamp"`, and the derived
// ("bracketed") series that chrome://webrtc-internals computes while it
// polls, computed here the same way (see CALCULATORS). As in Chrome, a point
// is added to a series only when the sample has a value for it: a property
// missing from a report, or a derived value that cannot be computed (first
// sample, counter not advancing, time not advancing) leaves no point, so
// derived series can be shorter than the `-timestamp` series and line up
// with it from the end. Unlike Chrome there is no 1000-point cap.
//
// Pure code: no DOM or extension API.

import type { SessionDump } from './dump';
import type { ConnectionInfo, SessionRecord } from './session';
import { DELTA_TIMESTAMP_KEY, isPlainObject, type StatsDelta, type StatsReport, type StatsSample } from './stats-delta';
import { orderEvents, type StoredEvent } from './trace';
import { METRICS } from './metrics';

/** A series in the dump: `values` is the JSON text of the array. */
export interface InternalsSeries {
  startTime: string;
  endTime: string;
  statsType: string;
  values: string;
}

export interface InternalsUpdate {
  type: string;
  value: string;
  timestamp: number;
}

export interface InternalsPeerConnection {
  pid: number;
  constraints?: string;
  rtcConfiguration: string;
  stats: Record<string, InternalsSeries | Record<string, never>>;
  updateLog: InternalsUpdate[];
  url: string;
  /** our own id of the connection (`PC_0`, `f1-PC_2`); not written by Chrome, ignored by its readers */
  webrtcLensConnectionId: string;
}

export interface InternalsUserAgentData {
  brands: { brand: string; version: string }[];
  fullVersionList: { brand: string; version: string }[];
  mobile: boolean;
  platform: string;
}

export interface InternalsDump {
  deviceMemory?: number;
  hardwareConcurrency?: number;
  timestamp: number;
  getUserMedia: Record<string, unknown>[];
  PeerConnections: Record<string, InternalsPeerConnection>;
  UserAgent: string;
  UserAgentData: InternalsUserAgentData;
}

// ---------------------------------------------------------------------------
// Derived series
// ---------------------------------------------------------------------------

type Report = StatsReport;

interface Calculator {
  /** the series name, e.g. `[bytesSent_in_bits/s]` */
  name: string;
  /** the property the metric belongs to: it is computed only for reports that have it */
  origin: string;
  /** every property of the reports that compute reads (it is given only those, and the timestamp) */
  reads: readonly string[];
  /** `reportOf`: the current report of another id (the codec a report names) */
  compute(prev: Report | undefined, cur: Report, reportOf: (id: string) => Report | undefined): unknown;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const finite = (x: number | undefined): number | undefined => (x !== undefined && Number.isFinite(x) ? x : undefined);

/** Chrome's series of a metric of metrics.ts (one formula for both), for one stats type. */
function chromeMetric(type: string, name: string): Calculator {
  const m = METRICS.find((d) => d.chrome && d.name === name && d.statsTypes.includes(type));
  if (!m) throw new Error(`no metric ${name} for ${type}`);
  // Chrome's metrics read the timestamp and the counters they take deltas of, nothing else
  return { name: m.name, origin: m.origin, reads: m.counters, compute: (prev, cur) => m.compute(prev, cur) };
}

/** `[a-b-c]`: a − b − c of the current report (integers, as Chrome's parseInt). */
function difference(a: string, ...others: string[]): Calculator {
  return {
    name: `[${[a, ...others].join('-')}]`,
    origin: a,
    reads: [a, ...others],
    compute(_prev, cur) {
      const int = (v: unknown) => parseInt(String(v), 10);
      return finite(others.reduce((acc, o) => acc - int(cur[o]), int(cur[a])));
    },
  };
}

/** `[codec]`: "VP8 (96)" or "opus (111, minptime=10;useinbandfec=1)" from the report's codec. */
const codec: Calculator = {
  name: '[codec]',
  origin: 'codecId',
  reads: ['codecId'],
  compute(_prev, cur, reportOf) {
    const c = typeof cur.codecId === 'string' ? reportOf(cur.codecId) : undefined;
    if (!c || typeof c.mimeType !== 'string') return undefined;
    const fmtp = c.sdpFmtpLine ? `, ${String(c.sdpFmtpLine)}` : '';
    return `${c.mimeType.slice(c.mimeType.indexOf('/') + 1)} (${String(c.payloadType)}${fmtp})`;
  },
};

/**
 * Date.toLocaleString of an epoch-ms time, remembered per whole second (the
 * text shows whole seconds): formatting takes microseconds, and a long
 * session's date series repeat the same few seconds over and over.
 */
const localeTexts = new Map<number, string>();
function localeText(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = localeTexts.get(second);
  if (text === undefined) {
    if (localeTexts.size >= 10000) localeTexts.clear();
    text = new Date(ms).toLocaleString();
    localeTexts.set(second, text);
  }
  return text;
}

/** `[X]` for an epoch-ms time: the date as the browser shows it (Date.toLocaleString, as Chrome). */
function date(metric: string): Calculator {
  return {
    name: `[${metric}]`,
    origin: metric,
    reads: [metric],
    compute(_prev, cur) {
      return localeText(num(cur[metric]));
    },
  };
}

/**
 * Per stats type, the derived series in Chrome's order (Chromium
 * stats_rates_calculator.js; checked against a Chrome 147 dump). Chrome 147
 * no longer writes packet rates; `[packetsSent/s]` and `[packetsReceived/s]`
 * are kept here (as older Chrome wrote them) because support engineers
 * read them.
 */
/** A type's series: a name is a metric of metrics.ts, the rest are computed here. */
const series = (type: string, ...items: (string | Calculator)[]): Calculator[] =>
  items.map((i) => (typeof i === 'string' ? chromeMetric(type, i) : i));

export const CALCULATORS: Readonly<Record<string, readonly Calculator[]>> = {
  'data-channel': series('data-channel', '[messagesSent/s]', '[messagesReceived/s]', '[bytesSent_in_bits/s]', '[bytesReceived_in_bits/s]'),
  'media-source': series('media-source', '[Audio_Level_in_RMS]'),
  'outbound-rtp': series(
    'outbound-rtp',
    '[bytesSent_in_bits/s]',
    '[headerBytesSent_in_bits/s]',
    '[retransmittedBytesSent_in_bits/s]',
    '[packetsSent/s]',
    '[totalPacketSendDelay/packetsSent_in_ms]',
    '[framesEncoded/s]',
    '[framesSent/s]',
    '[totalEncodedBytesTarget_in_bits/s]',
    '[totalEncodeTime/framesEncoded_in_ms]',
    '[qpSum/framesEncoded]',
    codec,
  ),
  'inbound-rtp': series(
    'inbound-rtp',
    '[bytesReceived_in_bits/s]',
    '[headerBytesReceived_in_bits/s]',
    '[retransmittedBytesReceived_in_bits/s]',
    '[fecBytesReceived_in_bits/s]',
    '[packetsReceived/s]',
    '[framesReceived/s]',
    difference('framesReceived', 'framesDecoded', 'framesDropped'),
    '[framesDecoded/s]',
    '[keyFramesDecoded/s]',
    '[totalDecodeTime/framesDecoded_in_ms]',
    '[totalInterFrameDelay/framesDecoded_in_ms]',
    '[interFrameDelayStDev_in_ms]',
    '[totalSamplesReceived/s]',
    '[concealedSamples/s]',
    '[concealedSamples/totalSamplesReceived]',
    '[silentConcealedSamples/s]',
    '[insertedSamplesForDeceleration/s]',
    '[removedSamplesForAcceleration/s]',
    '[qpSum/framesDecoded]',
    codec,
    '[Audio_Level_in_RMS]',
    '[jitterBufferDelay/jitterBufferEmittedCount_in_ms]',
    '[jitterBufferTargetDelay/jitterBufferEmittedCount_in_ms]',
    '[jitterBufferMinimumDelay/jitterBufferEmittedCount_in_ms]',
    date('lastPacketReceivedTimestamp'),
    date('estimatedPlayoutTimestamp'),
    '[totalProcessingDelay/jitterBufferEmittedCount_in_ms]',
    '[totalAssemblyTime/framesAssembledFromMultiplePackets_in_ms]',
  ),
  'remote-inbound-rtp': series('remote-inbound-rtp', '[totalRoundTripTime/roundTripTimeMeasurements]'),
  'remote-outbound-rtp': [date('remoteTimestamp')],
  transport: series('transport', '[bytesSent_in_bits/s]', '[bytesReceived_in_bits/s]', '[packetsSent/s]', '[packetsReceived/s]'),
  'candidate-pair': series(
    'candidate-pair',
    '[bytesSent_in_bits/s]',
    '[bytesReceived_in_bits/s]',
    '[packetsSent/s]',
    '[packetsReceived/s]',
    '[totalRoundTripTime/responsesReceived]',
    date('lastPacketReceivedTimestamp'),
    date('lastPacketSentTimestamp'),
  ),
};

// ---------------------------------------------------------------------------
// Stats series
// ---------------------------------------------------------------------------

interface Series {
  type: string;
  start: number;
  end: number;
  values: SeriesValues;
}

/**
 * A series' values: numbers in a Float64Array while every value is one,
 * else a plain list. A long session has millions of values; held in plain
 * lists, each number that is not a small integer is an object the garbage
 * collector moves and checks again and again until the export ends.
 */
class SeriesValues {
  private numbers = new Float64Array(64);
  private count = 0;
  private others: unknown[] | null = null;

  push(value: unknown): void {
    if (this.others === null) {
      if (typeof value === 'number') {
        if (this.count === this.numbers.length) this.grow(this.count + 1);
        this.numbers[this.count++] = value;
        return;
      }
      this.others = Array.from(this.numbers.subarray(0, this.count));
    }
    this.others.push(value);
  }

  /** Pushes `value` `times` times. */
  pushRun(value: unknown, times: number): void {
    if (times === 1) this.push(value); // most runs of the values that change
    else if (this.others === null && typeof value === 'number') {
      if (this.count + times > this.numbers.length) this.grow(this.count + times);
      this.numbers.fill(value, this.count, this.count + times);
      this.count += times;
    } else {
      for (let k = 0; k < times; k++) this.push(value);
    }
  }

  private grow(atLeast: number): void {
    const bigger = new Float64Array(Math.max(atLeast, this.numbers.length * 2));
    bigger.set(this.numbers.subarray(0, this.count));
    this.numbers = bigger;
  }

  /** What equal values have alike: a key to find candidates for equals(). */
  summary(): string {
    const count = this.others?.length ?? this.count;
    return count === 0 ? '' : `${count},${String(this.at(0))},${String(this.at(count - 1))}`;
  }

  equals(other: SeriesValues): boolean {
    const count = this.others?.length ?? this.count;
    if ((other.others?.length ?? other.count) !== count) return false;
    for (let i = 0; i < count; i++) if (this.at(i) !== other.at(i)) return false;
    return true;
  }

  private at(i: number): unknown {
    return this.others === null ? this.numbers[i] : this.others[i];
  }

  /**
   * The values' list as JSON text; `escaped`: as it reads inside a JSON
   * string. A run of one value (a property that does not change: most values
   * of a long session) is written once and repeated; the values between runs
   * by JSON.stringify, which writes numbers faster than String() does.
   */
  text(escaped: boolean): string {
    const values = this.others ?? this.numbers;
    const count = this.others?.length ?? this.count;
    escaped &&= values === this.others; // numbers have no character to escape
    const parts: string[] = [];
    let written = 0;
    for (let i = 0; i < count; ) {
      const value = values[i];
      let end = i + 1;
      while (end < count && values[end] === value) end++;
      if (end - i >= MIN_RUN) {
        if (written < i) parts.push(listText(values, written, i, escaped));
        const element = listText(values, i, i + 1, escaped);
        parts.push(`${element},`.repeat(end - i - 1) + element);
        written = end;
      }
      i = end;
    }
    if (written < count) parts.push(listText(values, written, count, escaped));
    return `[${parts.join(',')}]`;
  }
}

/** Runs of a value at least this long are written once and repeated. */
const MIN_RUN = 8;

/** JSON text of values[from..to) as list items (without the brackets); `escaped`: as inside a JSON string. */
function listText(values: ArrayLike<unknown>, from: number, to: number, escaped: boolean): string {
  const list: unknown[] = [];
  for (let i = from; i < to; i++) list.push(values[i]);
  const text = JSON.stringify(list);
  // a JSON string escapes each character on its own: the items' escaped text is the escaped list's
  return (escaped ? JSON.stringify(text).slice(2, -2) : text.slice(1, -1));
}

const iso = (ms: number): string => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
};

/**
 * The order Chrome lists a sample's reports in: ids sorted, then
 * outbound-rtp (by mid, then encodingIndex), inbound-rtp, everything else.
 */
export function chromeReportOrder(sample: StatsSample): string[] {
  const ids = Object.keys(sample).sort();
  const outbound: string[] = [];
  const inbound: string[] = [];
  const others: string[] = [];
  for (const id of ids) {
    const type = sample[id]!.type;
    if (type === 'outbound-rtp') outbound.push(id);
    else if (type === 'inbound-rtp') inbound.push(id);
    else others.push(id);
  }
  const midOrder = new Map<string, number>();
  for (const id of outbound) {
    const mid = String(sample[id]!.mid ?? id);
    if (!midOrder.has(mid)) midOrder.set(mid, midOrder.size);
  }
  const key = (id: string) => midOrder.get(String(sample[id]!.mid ?? id))!;
  const encodingIndex = (id: string) => Number(sample[id]!.encodingIndex ?? 0) || 0;
  outbound.sort((a, b) => key(a) - key(b) || encodingIndex(a) - encodingIndex(b));
  return [...outbound, ...inbound, ...others];
}

/** Builds the `stats` object of one connection from its complete samples, in order. */
export function statsSeries(samples: Iterable<{ sample: StatsSample; time: number }>): Record<string, InternalsSeries> {
  const builder = new StatsSeriesBuilder();
  for (const { sample, time } of samples) builder.add(sample, true, time);
  return builder.result();
}

/**
 * Every property any calculator reads, undefined: copied for the two input
 * objects of each report (one shape for all, so that a report whose type
 * changes still has what the new type's calculators read of it). Made by
 * JSON.parse, which makes objects of many keys in V8's fast form: its copies
 * are fast too.
 */
const INPUTS: StatsReport = (() => {
  const names = new Set(['timestamp', ...Object.values(CALCULATORS).flatMap((list) => list.flatMap((c) => c.reads))]);
  const inputs = JSON.parse(JSON.stringify(Object.fromEntries([...names].map((n) => [n, null])))) as StatsReport;
  for (const n of names) inputs[n] = undefined;
  return inputs;
})();

/**
 * Per stats id: its series, and its current report as columns (a value per
 * property): a delta changes only the values it has. A property's value is
 * added to its series when it changes (or at the end), as many times as the
 * report was written since it was set: most properties do not change from
 * one sample to the next, and cost nothing while they do not.
 */
interface IdState {
  id: string;
  series: Map<string, Series>;
  /** the report's property names in Chrome's (sorted) order, without id and timestamp */
  names: string[];
  slotOf: Map<string, number>;
  /** the current value of each of `names` */
  values: unknown[];
  /** per value, the number of samples the report had been written in when it was set (`points` then) */
  since: number[];
  /** the samples the report was written in, and the time of the last */
  points: number;
  lastTime: number;
  /** whether a value may have no series yet (one is made when the report is next written) */
  unwritten: boolean;
  /** the indexes in `names` of the properties a calculator reads, and their names */
  reads: number[];
  readNames: string[];
  timestamp: unknown;
  /** the series of each of `names`, once it has a value */
  slots: (Series | undefined)[];
  /** the stats type `derived` belongs to */
  type: string;
  /** the series of each calculator of that type, once it has a value */
  derived: (Series | undefined)[];
  /** the indexes of the calculators whose origin the report has; undefined when the names or the type changed */
  computed: number[] | undefined;
  /** the properties the calculators read (INPUTS) as of sample `inputsAt`, and the names set in it besides the timestamp */
  inputs: StatsReport | undefined;
  inputsNames: string[];
  inputsAt: number;
  /** the inputs before those: reused for the next ones (a report's inputs are needed for one sample after) */
  spare: StatsReport | undefined;
  spareNames: string[];
  timestamps: Series | undefined;
}

/**
 * The `stats` object of one connection, fed its getStats values in order:
 * complete samples, or deltas (stats-delta.ts) on the sample before.
 */
export class StatsSeriesBuilder {
  /** every id seen, with its series */
  private readonly ids = new Map<string, IdState>();
  /** the ids of the current sample */
  private readonly current = new Map<string, IdState>();
  /** every series, in the order Chrome creates them */
  private readonly all: { key: string; series: Series }[] = [];
  /** the text of series written, by their values' summary (see valuesText) */
  private texts = new Map<string, { values: SeriesValues; escaped: boolean; text: string }>();
  /** the current ids in Chrome's order (chromeReportOrder); undefined when an id, type, mid or encodingIndex changed */
  private order: IdState[] | undefined;
  private samples = 0;

  /** The next getStats value: a complete sample when `full`, else a delta; `sampleTime` stands in for a missing report timestamp. */
  add(value: StatsSample | StatsDelta, full: boolean, sampleTime: number): void {
    this.samples++;
    if (full) this.replace(value as StatsSample);
    else this.apply(value as StatsDelta);
    this.order ??= chromeReportOrder(this.orderView()).map((id) => this.current.get(id)!);
    for (const state of this.order) this.write(state, sampleTime);
  }

  private replace(sample: StatsSample): void {
    for (const [id, state] of this.current) {
      this.keepInputs(state); // the report's type may change
      if (!Object.prototype.hasOwnProperty.call(sample, id)) this.current.delete(id);
    }
    for (const id in sample) {
      const report = { ...sample[id] };
      const state = this.stateOf(id);
      const names = Object.keys(report).filter((n) => n !== 'id' && n !== 'timestamp').sort();
      if (names.join('\u0000') !== state.names.join('\u0000')) this.setNames(state, names);
      for (let i = 0; i < names.length; i++) this.setValue(state, i, report[names[i]!]);
      state.timestamp = report.timestamp;
      this.current.set(id, state);
    }
    this.order = undefined;
  }

  /** The delta read as applyStatsDelta reads it. */
  private apply(delta: StatsDelta): void {
    const timestamp = delta[DELTA_TIMESTAMP_KEY];
    for (const [id, state] of this.current) {
      const change = delta[id];
      if (change === null) {
        this.current.delete(id);
        this.order = undefined;
      } else {
        this.merge(state, isPlainObject(change) ? change : undefined, timestamp);
      }
    }
    for (const id in delta) {
      const change = delta[id];
      if (id === DELTA_TIMESTAMP_KEY || this.current.has(id) || !isPlainObject(change)) continue;
      const state = this.stateOf(id);
      this.setNames(state, []);
      state.timestamp = undefined;
      this.merge(state, change, timestamp);
      this.current.set(id, state);
      this.order = undefined;
    }
  }

  /** mergeReportDelta on the columns. */
  private merge(state: IdState, change: StatsReport | undefined, timestamp: unknown): void {
    if (change) {
      if ('type' in change) this.keepInputs(state);
      for (const name in change) {
        const value = change[name];
        if (name === 'timestamp') {
          state.timestamp = value;
          continue;
        }
        if (name === 'id') continue;
        if (name === 'type' || name === 'mid' || name === 'encodingIndex') this.order = undefined;
        let slot = state.slotOf.get(name);
        if (slot === undefined) {
          this.setNames(state, [...state.names, name].sort());
          slot = state.slotOf.get(name)!;
        }
        const old = state.values[slot];
        this.setValue(state, slot, isPlainObject(value) && isPlainObject(old) ? { ...old, ...value } : value);
      }
    }
    if (typeof timestamp === 'number' && !(change && 'timestamp' in change)) state.timestamp = timestamp;
  }

  /**
   * Before a report changes type: its inputs as of the previous sample, which
   * the calculators of the new type take as the previous report, are kept
   * (they are made only for types with calculators).
   */
  private keepInputs(state: IdState): void {
    if (state.inputsAt !== this.samples - 1) this.updateInputs(state, this.samples - 1);
  }

  private stateOf(id: string): IdState {
    let state = this.ids.get(id);
    if (!state) {
      state = {
        id, series: new Map(), names: [], slotOf: new Map(), values: [], since: [], points: 0, lastTime: 0, unwritten: false,
        reads: [], readNames: [], timestamp: undefined, slots: [],
        type: '', derived: [], computed: undefined, inputs: undefined, inputsNames: [], inputsAt: -1, spare: undefined, spareNames: [],
        timestamps: undefined,
      };
      this.ids.set(id, state);
    }
    return state;
  }

  /** Gives the report the property `names` (sorted), keeping the values of those it had. */
  private setNames(state: IdState, names: string[]): void {
    const kept = new Set(names);
    state.names.forEach((n, i) => kept.has(n) || this.endRun(state, i));
    const { values, since } = state;
    const oldSlot = state.slotOf;
    state.names = names;
    state.slotOf = new Map(names.map((n, i) => [n, i]));
    state.values = names.map((n) => (oldSlot.has(n) ? values[oldSlot.get(n)!] : undefined));
    state.since = names.map((n) => (oldSlot.has(n) ? since[oldSlot.get(n)!]! : state.points));
    state.slots = names.map((n) => state.series.get(n));
    state.reads = names.flatMap((n, i) => (n in INPUTS ? [i] : []));
    state.readNames = state.reads.map((i) => names[i]!);
    state.computed = undefined;
  }

  /** Sets a value of the report, adding the value it replaces to its series. */
  private setValue(state: IdState, slot: number, value: unknown): void {
    if (value === state.values[slot]) return;
    this.endRun(state, slot);
    state.values[slot] = value;
    state.since[slot] = state.points;
    if (value !== undefined && !state.slots[slot]) state.unwritten = true;
  }

  /** Adds a value to its series once for each sample the report was written in since the value was set. */
  private endRun(state: IdState, slot: number): void {
    const value = state.values[slot];
    const times = state.points - state.since[slot]!;
    if (value === undefined || times === 0) return;
    const s = state.slots[slot]!; // made when the report was written with the value
    s.values.pushRun(value, times);
    s.end = state.lastTime;
    state.since[slot] = state.points;
  }

  /** Adds every value not yet in its series: before the series are written. */
  private endRuns(): void {
    for (const state of this.ids.values()) for (let i = 0; i < state.names.length; i++) this.endRun(state, i);
  }

  private value(state: IdState, name: string): unknown {
    const slot = state.slotOf.get(name);
    return slot === undefined ? undefined : state.values[slot];
  }

  /** What chromeReportOrder reads of the current sample. */
  private orderView(): StatsSample {
    const view = Object.create(null) as StatsSample;
    for (const [id, state] of this.current) {
      view[id] = { type: this.value(state, 'type'), mid: this.value(state, 'mid'), encodingIndex: this.value(state, 'encodingIndex') };
    }
    return view;
  }

  /** The current report of an id as an object (for the codec a report names). */
  private readonly reportOf = (id: string): StatsReport | undefined => {
    const state = this.current.get(id);
    if (!state) return undefined;
    const report: StatsReport = { timestamp: state.timestamp };
    state.names.forEach((n, i) => (report[n] = state.values[i]));
    return report;
  };

  /**
   * Makes the report's current values its inputs (as of sample `at`),
   * written into the spare object: the inputs they replace stay as they are
   * (the previous report of the calculators) and become the spare.
   */
  private updateInputs(state: IdState, at: number): void {
    let inputs = state.spare;
    if (!inputs) inputs = { ...INPUTS };
    else if (state.spareNames !== state.readNames) for (const n of state.spareNames) inputs[n] = undefined;
    inputs.timestamp = state.timestamp;
    const { reads, readNames, values } = state;
    for (let k = 0; k < reads.length; k++) inputs[readNames[k]!] = values[reads[k]!];
    state.spare = state.inputs;
    state.spareNames = state.inputsNames;
    state.inputs = inputs;
    state.inputsNames = readNames;
    state.inputsAt = at;
  }

  /** Adds the report's values of this sample to its series. */
  private write(state: IdState, sampleTime: number): void {
    const typeValue = this.value(state, 'type');
    const type = typeof typeValue === 'string' ? typeValue : '';
    const time = typeof state.timestamp === 'number' ? state.timestamp : sampleTime;
    if (state.unwritten) {
      const { names, values, slots } = state;
      for (let i = 0; i < names.length; i++) if (values[i] !== undefined) slots[i] ??= this.series(state, names[i]!, type, time);
      state.unwritten = false;
    }
    state.points++;
    state.lastTime = time;
    const calculators = CALCULATORS[type];
    if (calculators) {
      if (state.type !== type) {
        state.type = type;
        state.derived = calculators.map((c) => state.series.get(c.name));
        state.computed = undefined;
      }
      // the calculators whose origin the report has: the names change rarely
      state.computed ??= calculators.flatMap((c, i) => (state.slotOf.has(c.origin) ? [i] : []));
      const prev = state.inputsAt === this.samples - 1 ? state.inputs : undefined;
      this.updateInputs(state, this.samples);
      const cur = state.inputs!;
      for (const i of state.computed) {
        const c = calculators[i]!;
        const value = c.compute(prev, cur, this.reportOf);
        if (value === undefined) continue;
        const s = (state.derived[i] ??= this.series(state, c.name, type, time));
        s.end = time;
        s.values.push(value);
      }
    }
    const s = (state.timestamps ??= this.series(state, 'timestamp', type, time));
    s.end = time;
    s.values.push(time);
  }

  /** The series of a name, made when it gets its first value (at `time`). */
  private series(state: IdState, name: string, type: string, time: number): Series {
    let s = state.series.get(name);
    if (!s) {
      s = { type, start: time, end: time, values: new SeriesValues() };
      state.series.set(name, s);
      this.all.push({ key: `${state.id}-${name}`, series: s });
    }
    return s;
  }

  /**
   * A series' values as JSON text (`escaped`: as it reads inside a JSON
   * string), made once for series of the same values: the reports of a poll
   * share its time, so most `-timestamp` series of a connection are the same
   * list, as are counters two reports count alike (a transport's and its
   * candidate pair's bytes) and their rates.
   */
  private valuesText(values: SeriesValues, escaped: boolean): string {
    const summary = values.summary();
    const known = this.texts.get(summary);
    if (known && known.escaped === escaped && known.values.equals(values)) return known.text;
    const text = values.text(escaped);
    this.texts.set(summary, { values, escaped, text });
    return text;
  }

  result(): Record<string, InternalsSeries> {
    this.endRuns();
    const out: Record<string, InternalsSeries> = {};
    for (const { key, series: s } of this.all) {
      out[key] = { startTime: iso(s.start), endTime: iso(s.end), statsType: s.type, values: this.valuesText(s.values, false) };
    }
    this.texts = new Map();
    return out;
  }

  /** JSON.stringify(result()) in pieces, a series each, each series' text made only when written. */
  *jsonPieces(): Generator<string> {
    this.endRuns();
    let separator = '{';
    for (const { key, series: s } of this.all) {
      yield (
        `${separator}${JSON.stringify(key)}:{"startTime":${JSON.stringify(iso(s.start))},"endTime":${JSON.stringify(iso(s.end))},` +
        `"statsType":${JSON.stringify(s.type)},"values":"${this.valuesText(s.values, true)}"}`
      );
      separator = ',';
    }
    this.texts = new Map(); // the texts are not kept past the connection
    yield separator === '{' ? '{}' : '}';
  }
}

// ---------------------------------------------------------------------------
// updateLog
// ---------------------------------------------------------------------------

/** Our (rtcstats) method names where Chrome's updateLog uses another name; the rest keep theirs. */
export const UPDATE_LOG_NAMES: Readonly<Record<string, string>> = {
  addIceCandidateOnFailure: 'addIceCandidateFailed',
};

/** Chrome's key order for a candidate; the rest follow. */
function chromeCandidate(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of ['sdpMid', 'sdpMLineIndex', 'candidate']) if (k in v) out[k] = v[k];
  return { ...out, ...v };
}

/** Chrome's shape of an icecandidateerror: url, address, port, host_candidate, error_text, error_code. */
function chromeIceError(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const renamed: Record<string, string> = { hostCandidate: 'host_candidate', errorText: 'error_text', errorCode: 'error_code' };
  const out: Record<string, unknown> = {};
  for (const k of ['url', 'address', 'port', 'hostCandidate', 'errorText', 'errorCode']) if (k in v) out[renamed[k] ?? k] = v[k];
  for (const [k, x] of Object.entries(v)) if (!(k in renamed) && !(k in out)) out[k] = x;
  return out;
}

/** Chrome's `{type, sdp}` order for a description (readers look for a value starting `{"type":`). */
function chromeDescription(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('type' in value)) return value;
  const v = value as Record<string, unknown>;
  return { type: v.type, ...('sdp' in v ? { sdp: v.sdp } : {}), ...v };
}

const DESCRIPTION_METHODS = new Set([
  'createOfferOnSuccess',
  'createAnswerOnSuccess',
  'setLocalDescription',
  'setLocalDescriptionOnSuccess',
  'setRemoteDescription',
  'setRemoteDescriptionOnSuccess',
]);

/** An updateLog value: "" for none, otherwise JSON (a state as `"\"connected\""`, a description as `{"type":..,"sdp":..}`). */
export function updateLogValue(method: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  let v: unknown = value;
  if (method === 'onicecandidate' || method === 'addIceCandidate') v = chromeCandidate(v);
  else if (method === 'onicecandidateerror') v = chromeIceError(v);
  else if (DESCRIPTION_METHODS.has(method)) v = chromeDescription(v);
  return JSON.stringify(v) ?? '';
}

// ---------------------------------------------------------------------------
// getUserMedia
// ---------------------------------------------------------------------------

const MEDIA_METHODS: Record<string, { type: 'getUserMedia' | 'getDisplayMedia'; phase: 'request' | 'success' | 'failure' }> = {};
for (const [prefix, type] of [
  ['navigator.mediaDevices.getUserMedia', 'getUserMedia'],
  ['navigator.mediaDevices.getDisplayMedia', 'getDisplayMedia'],
  ['getUserMedia', 'getUserMedia'], // the legacy callback forms
] as const) {
  MEDIA_METHODS[prefix] = { type, phase: 'request' };
  MEDIA_METHODS[`${prefix}OnSuccess`] = { type, phase: 'success' };
  MEDIA_METHODS[`${prefix}OnFailure`] = { type, phase: 'failure' };
}

/** Chrome's `audio` / `video` request field: "" for `true`, the constraints as JSON for an object, absent when not asked for. */
function constraintField(c: unknown): string | undefined {
  if (c === undefined || c === null || c === false) return undefined;
  if (c === true) return '';
  return JSON.stringify(c);
}

/** `{"id":..,"label":..}` of the first track of a kind in `[[kind, id, label, settings], ...]`, or "null". */
function trackInfo(tracks: unknown, kind: string): string {
  if (!Array.isArray(tracks)) return 'null';
  for (const t of tracks) {
    if (Array.isArray(t) && t[0] === kind) return JSON.stringify({ id: t[1] ?? '', label: t[2] ?? '' });
  }
  return 'null';
}

const sortedKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));

function mediaEntries(session: SessionRecord, ordered: StoredEvent[], pid: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const requestIds = new Map<string, number>();
  const nextId = new Map<number, number>();
  const requestIdOf = (frame: number, correlation: string | number | undefined): number => {
    const key = correlation === undefined ? undefined : `${frame}\u0000${String(correlation)}`;
    const known = key === undefined ? undefined : requestIds.get(key);
    if (known !== undefined) return known;
    const id = nextId.get(frame) ?? 0;
    nextId.set(frame, id + 1);
    if (key !== undefined) requestIds.set(key, id);
    return id;
  };
  for (const e of ordered) {
    if (e.pc !== null) continue;
    const m = MEDIA_METHODS[e.method];
    if (!m) continue;
    const base: Record<string, unknown> = {
      pid,
      request_id: requestIdOf(e.frame, e.extra?.[0]),
      request_type: m.type,
      rid: e.frame + 1,
      timestamp: e.t,
    };
    if (m.phase === 'request') {
      base.origin = session.frames[e.frame]?.origin ?? session.origin;
      const c = e.value && typeof e.value === 'object' ? (e.value as Record<string, unknown>) : {};
      const audio = constraintField(c.audio);
      const video = constraintField(c.video);
      if (audio !== undefined) base.audio = audio;
      if (video !== undefined) base.video = video;
    } else if (m.phase === 'success') {
      base.stream_id = '';
      base.audio_track_info = trackInfo(e.value, 'audio');
      base.video_track_info = trackInfo(e.value, 'video');
    } else {
      const text = typeof e.value === 'string' ? e.value : JSON.stringify(e.value ?? '');
      const at = text.indexOf(': ');
      base.error = at >= 0 ? text.slice(0, at) : text;
      base.error_message = at >= 0 ? text.slice(at + 2) : '';
    }
    out.push(sortedKeys(base));
  }
  return out;
}

// ---------------------------------------------------------------------------
// User agent
// ---------------------------------------------------------------------------

/**
 * A UserAgentData object (the shape Chrome 147 writes: brands,
 * fullVersionList, mobile, platform) read from the user-agent string.
 * Browsers without client hints (Firefox, Safari) give empty brand lists.
 */
export function userAgentData(ua: string): InternalsUserAgentData {
  const version = (token: string) => new RegExp(`${token}/([\\d.]+)`).exec(ua)?.[1];
  const brands: { brand: string; version: string }[] = [];
  const chromium = version('Chrome') ?? version('CriOS');
  if (chromium && !/Firefox\//.test(ua)) {
    brands.push({ brand: 'Chromium', version: chromium });
    const edge = version('Edg');
    const opera = version('OPR');
    if (edge) brands.push({ brand: 'Microsoft Edge', version: edge });
    else if (opera) brands.push({ brand: 'Opera', version: opera });
    else brands.push({ brand: 'Google Chrome', version: chromium });
  }
  const platform = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /CrOS/.test(ua)
        ? 'Chrome OS'
        : /iPhone|iPad|iPod/.test(ua)
          ? 'iOS'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux|X11/.test(ua)
              ? 'Linux'
              : '';
  return {
    brands: brands.map((b) => ({ brand: b.brand, version: b.version.split('.')[0]! })),
    fullVersionList: brands,
    mobile: /Mobi/.test(ua),
    platform,
  };
}

// ---------------------------------------------------------------------------
// The dump
// ---------------------------------------------------------------------------

/**
 * Chrome's key for a connection, `<rid>-<lid>`: rid is the frame's index + 1
 * (a stand-in for the renderer id: 1 for the top frame), lid counts the
 * session's connections from 1 in the order they were first seen.
 */
export function internalsConnectionKeys(session: SessionRecord, events: readonly StoredEvent[]): Map<string, string> {
  const frames = new Map<string, number>();
  for (const c of session.connections) if (!frames.has(c.id)) frames.set(c.id, c.frame);
  for (const e of events) if (e.pc !== null && !frames.has(e.pc)) frames.set(e.pc, e.frame);
  const keys = new Map<string, string>();
  let lid = 0;
  for (const [id, frame] of frames) keys.set(id, `${frame + 1}-${++lid}`);
  return keys;
}

export function buildInternals(dump: SessionDump): InternalsDump {
  const { doc, stats } = internalsDocument(dump);
  for (const [object, build] of stats) {
    const steps = build();
    let step;
    while (!(step = steps.next()).done); // (the pauses are for internalsPieces)
    Object.assign(object, step.value.result());
  }
  return doc;
}

/**
 * The dump with every connection's `stats` an empty object, and what builds
 * each such object: filled in (buildInternals) or written series by series
 * (internalsPieces). A connection's series are built only when they are
 * written, so that its pieces go out (to a gzip on another thread) before
 * the next connection's are built, and one connection's series are in memory
 * at a time.
 */
function internalsDocument(dump: SessionDump): { doc: InternalsDump; stats: Map<object, () => StatsBuild> } {
  localeTexts.clear(); // the time zone may have changed since the last export
  const { session } = dump;
  const ordered = orderEvents(dump.events);
  const pid = session.tabId;
  const keys = internalsConnectionKeys(session, ordered);

  const perPc = new Map<string, StoredEvent[]>();
  for (const e of ordered) {
    if (e.pc === null) continue;
    const list = perPc.get(e.pc);
    if (list) list.push(e);
    else perPc.set(e.pc, [e]);
  }
  const connections = new Map<string, ConnectionInfo>(session.connections.map((c) => [c.id, c]));
  const PeerConnections: Record<string, InternalsPeerConnection> = {};
  const stats = new Map<object, () => StatsBuild>();
  for (const [id, key] of keys) {
    const events = perPc.get(id) ?? [];
    const info = connections.get(id);
    const create = events.find((e) => e.method === 'create');
    const constraints = events.find((e) => e.method === 'constraints');
    const frame = info?.frame ?? events[0]?.frame ?? 0;
    const updateLog: InternalsUpdate[] = [];
    for (const e of events) {
      if (e.method === 'create' || e.method === 'constraints' || e.method === 'getStats') continue;
      updateLog.push({ type: UPDATE_LOG_NAMES[e.method] ?? e.method, value: updateLogValue(e.method, e.value), timestamp: e.t });
    }
    const series: Record<string, InternalsSeries> = {};
    if (events.some((e) => e.method === 'getStats')) stats.set(series, () => buildStats(events));
    // in Chrome's key order: pid, constraints, rtcConfiguration, stats, updateLog, url
    PeerConnections[key] = {
      pid,
      ...(constraints ? { constraints: JSON.stringify(constraints.value ?? {}) } : {}),
      rtcConfiguration: JSON.stringify((create ? create.value : info?.configuration) ?? {}),
      stats: series,
      updateLog,
      url: session.frames[frame]?.url ?? session.url,
      webrtcLensConnectionId: id,
    };
  }

  const out: InternalsDump = {
    timestamp: session.endTime ?? Math.max(session.lastEventTime, session.startTime),
    getUserMedia: mediaEntries(session, ordered, pid),
    PeerConnections,
    UserAgent: session.userAgent,
    UserAgentData: userAgentData(session.userAgent),
  };
  // the page facts of the top frame, first in the dump as Chrome writes them
  const page = ordered.find((e) => e.pc === null && e.method === 'create' && e.frame === 0)?.value as
    | { deviceMemory?: unknown; hardwareConcurrency?: unknown }
    | null
    | undefined;
  const facts: Partial<InternalsDump> = {};
  if (typeof page?.deviceMemory === 'number') facts.deviceMemory = page.deviceMemory;
  if (typeof page?.hardwareConcurrency === 'number') facts.hardwareConcurrency = page.hardwareConcurrency;
  return { doc: { ...facts, ...out }, stats };
}

/** A connection's series being built: pauses, then the builder. */
type StatsBuild = Generator<'', StatsSeriesBuilder>;

/** getStats samples added between two pauses of buildStats (a few milliseconds) */
const SAMPLES_PER_PAUSE = 32;

/**
 * The series of a connection's samples (`events`: the connection's, in trace
 * order), pausing (an empty piece) every few samples: building them takes a
 * while, and an export's consumer turns its event loop at a pause, so that
 * a gzip on another thread is given the pieces written before.
 */
function* buildStats(events: readonly StoredEvent[]): StatsBuild {
  const builder = new StatsSeriesBuilder();
  let samples = 0;
  for (const e of events) {
    if (e.method !== 'getStats') continue;
    builder.add(e.value as StatsSample | StatsDelta, Boolean(e.full), e.t);
    if (++samples % SAMPLES_PER_PAUSE === 0) yield '';
  }
  return builder;
}

/** The dump as chrome://webrtc-internals' "Download the PeerConnection updates and stats data" writes it. */
export function exportInternals(dump: SessionDump): string {
  return JSON.stringify(buildInternals(dump));
}

/**
 * exportInternals' text in pieces of about `pieceChars` characters (see
 * export.ts: exportPieces): written series by series, so that the whole text
 * need never be one string. An empty piece is a pause (see buildStats).
 */
export function* internalsPieces(dump: SessionDump, pieceChars = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  const { doc, stats } = internalsDocument(dump);
  // top level, PeerConnections, a connection: key by key; its stats series by series
  for (const part of jsonPieces(doc, 3, stats)) {
    if (part === '') {
      yield ''; // a pause while a connection's series are built
      continue;
    }
    parts.push(part);
    length += part.length;
    if (length >= pieceChars) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

/**
 * JSON.stringify(value) in pieces, objects down to `depth` levels written key
 * by key. For plain data, as our dump is: for...in lists a plain object's keys
 * in JSON.stringify's order, and a key whose value is undefined is left out
 * as JSON.stringify does. An object that `builders` has is written by the builder it makes.
 */
function* jsonPieces(value: unknown, depth: number, builders: Map<object, () => StatsBuild>): Generator<string> {
  const build = typeof value === 'object' && value !== null ? builders.get(value) : undefined;
  if (build) {
    const builder = yield* build(); // (its pauses pass through as empty pieces)
    yield* builder.jsonPieces();
    return;
  }
  if (depth === 0 || typeof value !== 'object' || value === null || Array.isArray(value)) {
    yield JSON.stringify(value);
    return;
  }
  const object = value as Record<string, unknown>;
  let separator = '{';
  for (const key in object) {
    const v = object[key];
    if (v === undefined) continue;
    yield `${separator}${JSON.stringify(key)}:`;
    yield* jsonPieces(v, depth - 1, builders);
    separator = ',';
  }
  yield separator === '{' ? '{}' : '}';
}
