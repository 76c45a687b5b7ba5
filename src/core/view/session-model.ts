// What the panel and the viewer show of a session, built as events arrive
// (constant work per event, so a live session and a one-hour import use the
// same code): per connection, every stats property and derived metric as a
// column aligned to the connection's sample times, chart markers, state and
// the event log.

import type { SessionRecord } from '../session';
import type { StoredEvent } from '../trace';
import { applyReportDelta, applyStatsDelta, DELTA_TIMESTAMP_KEY, type StatsDelta, type StatsReport, type StatsSample } from '../stats-delta';
import { ALL_METRICS, deriveReportMetrics, MetricSelection } from '../metrics';
import { isChartMetric } from './charts';
import { EventLog } from './event-log';
import { selectedPairIds } from './ice';

export type Cell = number | string | null;

/**
 * One property of one stats object over time, stored where it changes: the
 * value values[k] holds from sample idx[k] until the next change (or until the
 * object disappears). getStats deltas carry only what changed, so building
 * this costs in proportion to the changes, not to the size of every sample.
 */
export interface Column {
  idx: number[];
  values: Cell[];
}

export interface ReportColumns {
  id: string;
  type: string;
  /** raw properties (nested objects flattened as `name.key`) and derived metrics (bracketed names) */
  columns: Map<string, Column>;
  /** sample ranges in which the object was present: [start, end) pairs, the last end Infinity while present */
  present: number[];
}

/** Derived as samples arrive: what the default charts read. */
const CHART_METRICS = new MetricSelection((m, type) => isChartMetric(type, m.name));
/** Derived when someone asks for every metric (ConnectionModel.withAllMetrics). */
const OTHER_METRICS = new MetricSelection((m, type) => !isChartMetric(type, m.name));

export type MarkerKind = 'state' | 'ice-restart' | 'renegotiation' | 'pair-switch' | 'track' | 'failure';

export interface Marker {
  t: number;
  kind: MarkerKind;
  label: string;
}

export class ConnectionModel {
  // Stats are read into these lazily (see `ensure`): the getters below make sure they are current.
  private readonly _times: number[] = [];
  private readonly _reports = new Map<string, ReportColumns>();
  private readonly _markers: Marker[] = [];
  private readonly _usedPairs = new Set<string>();

  /** sample times, ms since epoch */
  get times(): number[] {
    return this.ensure()._times;
  }
  get reports(): Map<string, ReportColumns> {
    return this.ensure()._reports;
  }
  /** state changes, ICE restarts, renegotiations, candidate-pair switches, failures */
  get markers(): Marker[] {
    return this.ensure()._markers;
  }
  /** stats ids of candidate pairs that were ever in use */
  get usedPairs(): Set<string> {
    return this.ensure()._usedPairs;
  }

  /** The candidate pairs selected in the newest sample that named any. */
  get selectedPairs(): ReadonlySet<string> {
    return this.ensure().selected;
  }
  /** the complete last sample (rebuilt when asked: see `kept`) */
  get lastSample(): StatsSample | undefined {
    return this.ensure().completeLast();
  }
  /** latest states as the events told them */
  connectionState: string | null = null;
  iceConnectionState: string | null = null;
  signalingState: string | null = null;
  createdAt: number | null = null;
  closedAt: number | null = null;
  configuration: unknown = null;
  private localDescriptions = 0;
  private selected = new Set<string>();

  constructor(readonly id: string) {}

  addEvent(e: StoredEvent): void {
    const v = e.value;
    switch (e.method) {
      case 'create':
        this.createdAt = e.t;
        this.configuration = v;
        break;
      case 'close':
        this.closedAt ??= e.t;
        this._markers.push({ t: e.t, kind: 'state', label: 'close()' });
        break;
      case 'onconnectionstatechange':
        this.connectionState = String(v);
        this._markers.push({ t: e.t, kind: v === 'failed' ? 'failure' : 'state', label: `connection ${String(v)}` });
        break;
      case 'oniceconnectionstatechange':
        this.iceConnectionState = String(v);
        this._markers.push({ t: e.t, kind: v === 'failed' ? 'failure' : 'state', label: `ICE ${String(v)}` });
        break;
      case 'onsignalingstatechange':
        this.signalingState = String(v);
        break;
      case 'restartIce':
        this._markers.push({ t: e.t, kind: 'ice-restart', label: 'restartIce()' });
        break;
      case 'createOffer':
        if (v && typeof v === 'object' && (v as { iceRestart?: unknown }).iceRestart === true) {
          this._markers.push({ t: e.t, kind: 'ice-restart', label: 'ICE restart offer' });
        }
        break;
      case 'setLocalDescription':
        if (++this.localDescriptions > 1) this._markers.push({ t: e.t, kind: 'renegotiation', label: `renegotiation ${this.localDescriptions - 1}` });
        break;
      default:
        if (/OnFailure$|Failed$/.test(e.method)) this._markers.push({ t: e.t, kind: 'failure', label: e.method });
    }
  }

  /** Stats events not yet read into columns: read when a view first asks (see `ensure`). */
  private readonly pending: StoredEvent[] = [];
  /**
   * The last sample's reports that derived metrics and the pairs in use are
   * read from (candidate pairs, transports, RTP streams, ...), with just the
   * properties they read (see `keptProperties`). Otherwise the deltas are read
   * as they are, only what changed, and whole samples are rebuilt only for
   * lastSample, when asked (from the last complete sample and the deltas since).
   */
  private kept: StatsSample = {};
  private readonly keptProps = new Map<string, ReadonlySet<string>>();
  private lastComplete: StatsSample | undefined;
  private readonly deltasSince: StatsDelta[] = [];
  /** deriveReportMetrics' output, reused */
  private readonly values: number[] = [];
  /** the metrics pushSample derives: the default charts' until withAllMetrics, then all */
  private metrics = CHART_METRICS;
  /** the samples read so far as they came (a delta or a complete sample), to derive the other metrics from when asked; null once done */
  private history: ({ delta: StatsDelta; full?: undefined } | { full: StatsSample; delta?: undefined })[] | null = [];

  queueStats(e: StoredEvent): void {
    this.pending.push(e);
  }

  /**
   * Reads queued stats events into the columns. Views call it before reading,
   * so a session opened with many connections only pays for the one shown.
   */
  ensure(): this {
    if (this.pending.length === 0) return this;
    for (const e of this.pending) {
      if (e.full) this.pushSample(e.t, e.value as StatsSample);
      else this.pushDelta(e.t, e.value as StatsDelta);
    }
    this.pending.length = 0;
    this._markers.sort((a, b) => a.t - b.t); // pair switches found now may predate event markers
    return this;
  }

  /**
   * Derives the metrics no default chart reads as well (the stats explorer
   * lists them all): from the samples read so far, then as samples arrive.
   * Opening a session skips them, as most people never look.
   */
  withAllMetrics(): this {
    this.ensure();
    if (!this.history) return this;
    let prev: StatsSample | undefined;
    this.history.forEach((h, i) => {
      const sample = h.delta ? applyStatsDelta(prev, h.delta) : h.full;
      this.putMetrics(i, prev ?? {}, sample, OTHER_METRICS);
      prev = sample;
    });
    this.history = null;
    this.metrics = ALL_METRICS;
    this.keptProps.clear();
    this.kept = this.keep(this.completeLast()); // more kinds of report and properties are read now
    return this;
  }

  private completeLast(): StatsSample | undefined {
    for (const d of this.deltasSince) this.lastComplete = applyStatsDelta(this.lastComplete, d);
    this.deltasSince.length = 0;
    return this.lastComplete;
  }

  /** The properties kept of a type of report (see `kept`); none: not kept. */
  private keptProperties(type: unknown): ReadonlySet<string> | undefined {
    if (typeof type !== 'string') return undefined;
    let props = this.keptProps.get(type);
    if (!props) {
      const pair = type === 'transport' || type === 'candidate-pair';
      const metrics = this.metrics.of(type).length > 0;
      props = pair || metrics ? new Set([...this.metrics.inputs(type), ...(pair ? PAIR_IN_USE : [])]) : new Set();
      this.keptProps.set(type, props);
    }
    return props.size > 0 ? props : undefined;
  }

  /** The kept reports of a complete sample (see `kept`). */
  private keep(sample: StatsSample | undefined): StatsSample {
    const out: StatsSample = {};
    for (const id in sample) {
      const props = this.keptProperties(sample[id]!.type);
      if (props) out[id] = applyReportDelta(undefined, sample[id], undefined, props);
    }
    return out;
  }

  /** A complete sample read into the columns. */
  pushSample(t: number, sample: StatsSample): void {
    const i = this.nextSample(t, { full: sample });
    for (const id in sample) {
      const rc = this.present(id, sample[id]!, i);
      this.putRaw(rc, i, sample[id]!);
      endMissing(rc, i, sample[id]!);
    }
    for (const rc of this._reports.values()) if (!(rc.id in sample)) gone(rc, i);
    this.lastComplete = sample;
    this.deltasSince.length = 0;
    this.readKept(i, t, this.keep(sample));
  }

  /** A getStats delta read into the columns: only what changed, but for the kept reports (see `kept`). */
  private pushDelta(t: number, delta: StatsDelta): void {
    const i = this.nextSample(t, { delta });
    this.deltasSince.push(delta);
    const timestamp = delta[DELTA_TIMESTAMP_KEY];
    const cur: StatsSample = {};
    for (const id in this.kept) {
      const change = delta[id];
      const kept = this.kept[id]!;
      if (change === null) continue;
      if (isReport(change) && 'type' in change && change.type !== kept.type) continue; // read below as what it is now
      cur[id] = applyReportDelta(kept, isReport(change) ? change : undefined, timestamp, this.keptProperties(kept.type));
    }
    for (const id in delta) {
      const change = delta[id];
      if (id === DELTA_TIMESTAMP_KEY) continue;
      if (change === null) {
        const rc = this._reports.get(id);
        if (rc) gone(rc, i);
      } else if (isReport(change)) {
        const rc = this._reports.get(id);
        const isNew = !rc || rc.present[rc.present.length - 1] !== Infinity; // then the change is the whole report
        const columns = this.present(id, change, i);
        this.putRaw(columns, i, change);
        if (isNew) endMissing(columns, i, change); // back after a gap without a property it had
        const props = id in cur ? undefined : this.keptProperties(change.type);
        if (!props) continue;
        // a report to keep from now on: new, or one whose type changed (then read from the complete sample)
        cur[id] = isNew ? applyReportDelta(undefined, change, timestamp, props) : applyReportDelta(undefined, this.completeLast()![id], undefined, props);
      }
    }
    this.readKept(i, t, cur);
  }

  private nextSample(t: number, source: { delta: StatsDelta } | { full: StatsSample }): number {
    this._times.push(t);
    this.history?.push(source);
    return this._times.length - 1;
  }

  /** The columns of a report present in sample i (new, or back after a gap). */
  private present(id: string, report: StatsReport, i: number): ReportColumns {
    let rc = this._reports.get(id);
    if (!rc) this._reports.set(id, (rc = { id, type: String(report.type ?? '?'), columns: new Map(), present: [i, Infinity] }));
    else if (rc.present[rc.present.length - 1] !== Infinity) rc.present.push(i, Infinity);
    return rc;
  }

  /** Raw properties into columns: `changes` holds a whole report, or the changed properties of a delta (nested: the changed keys). */
  private putRaw(rc: ReportColumns, i: number, changes: StatsReport): void {
    for (const name in changes) {
      if (name === 'timestamp') continue;
      const value = changes[name];
      if (typeof value === 'number' || typeof value === 'string') put(rc, name, i, value);
      else if (typeof value === 'boolean') put(rc, name, i, value ? 1 : 0);
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const key in value) {
          const inner = (value as Record<string, unknown>)[key];
          if (typeof inner === 'number') put(rc, `${name}.${key}`, i, inner);
        }
      }
    }
  }

  /** Derived metrics and the pairs in use at sample i, from its kept reports. */
  private readKept(i: number, t: number, cur: StatsSample): void {
    this.putMetrics(i, this.kept, cur, this.metrics);
    this.kept = cur;
    const selected = selectedPairIds(cur);
    for (const id of selected) this._usedPairs.add(id);
    if (this.selected.size > 0) {
      for (const id of selected) {
        if (this.selected.has(id)) continue;
        this._markers.push({ t, kind: 'pair-switch', label: 'candidate pair switch' });
        break;
      }
    }
    if (selected.size > 0) this.selected = selected;
  }

  /**
   * The selected derived metrics of sample i into their columns, from its
   * reports and the previous sample's. They are defined per pair of samples:
   * one that had a value and has none now ends with a null.
   */
  private putMetrics(i: number, prev: StatsSample, sample: StatsSample, selection: MetricSelection): void {
    const values = this.values;
    for (const id in sample) {
      const rc = this._reports.get(id)!;
      const defs = deriveReportMetrics(prev[id], sample[id]!, selection, values);
      for (let k = 0; k < defs.length; k++) {
        const name = defs[k]!.name;
        if (!Number.isNaN(values[k])) put(rc, name, i, values[k]!);
        else if (rc.columns.has(name)) put(rc, name, i, null);
      }
    }
  }

  /** A column read out aligned to `times` (null where the object or property was absent). */
  series(statsId: string, name: string, from = 0): (number | null)[] {
    return this.cells(statsId, name, from, true) as (number | null)[];
  }

  /** A text column (qualityLimitationReason, state, ...) aligned to `times`. */
  textSeries(statsId: string, name: string, from = 0): (string | null)[] {
    return this.cells(statsId, name, from, false).map((v) => (v === null ? null : String(v)));
  }

  /**
   * Cells `from`..the last sample (charts append only what is new: columns
   * never change behind), null where the object was absent; `numbersOnly`:
   * null for any other value too. One pass: an hour is 3600 cells a series.
   */
  private cells(statsId: string, name: string, from: number, numbersOnly: boolean): Cell[] {
    const n = this.times.length;
    const out: Cell[] = new Array<Cell>(Math.max(0, n - from)).fill(null);
    const rc = this._reports.get(statsId);
    const col = rc?.columns.get(name);
    if (!rc || !col || out.length === 0) return out;
    const { idx, values } = col;
    const present = rc.present;
    // the change in force at `from`, found by bisection
    let lo = 0;
    let hi = idx.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (idx[mid]! <= from) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let p = 0; // the presence range [present[p], present[p + 1]) at or after i
    for (let i = from; i < n; i++) {
      while (k + 1 < idx.length && idx[k + 1]! <= i) k++;
      while (p < present.length && present[p + 1]! <= i) p += 2;
      if (k < 0 || p >= present.length || i < present[p]!) continue; // absent: stays null
      const v = values[k]!;
      if (!numbersOnly || typeof v === 'number') out[i - from] = v;
    }
    return out;
  }

  /** The latest value of a property or metric, if the object is still there. */
  latest(statsId: string, name: string): Cell {
    const rc = this.reports.get(statsId);
    const col = rc?.columns.get(name);
    if (!rc || !col || rc.present[rc.present.length - 1] !== Infinity) return null;
    return col.values[col.values.length - 1] ?? null;
  }
}

/** What selectedPairIds reads of transports and candidate pairs. */
const PAIR_IN_USE = ['type', 'selectedCandidatePairId', 'selected'];

const isReport = (x: unknown): x is StatsReport => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A report absent from sample i on. */
function gone(rc: ReportColumns, i: number): void {
  if (rc.present[rc.present.length - 1] === Infinity) rc.present[rc.present.length - 1] = i;
}

/**
 * A null from sample i on in every raw column whose property `report` (the
 * whole report) no longer has: a property that went away shows no value
 * rather than its last one (e.g. availableOutgoingBitrate of a pair no
 * longer selected). Deltas never drop a property: a sample that does is
 * stored complete. Derived metrics (bracketed) end on their own.
 */
function endMissing(rc: ReportColumns, i: number, report: StatsReport): void {
  for (const [name, col] of rc.columns) {
    if (name.charCodeAt(0) === 91 /* [ */ || col.values[col.values.length - 1] === null || name in report) continue;
    const dot = name.indexOf('.');
    const parent = dot > 0 ? report[name.slice(0, dot)] : undefined;
    if (isReport(parent) && typeof parent[name.slice(dot + 1)] === 'number') continue; // a nested value, flattened
    put(rc, name, i, null);
  }
}

function put(rc: ReportColumns, name: string, i: number, value: Cell): void {
  let col = rc.columns.get(name);
  if (!col) rc.columns.set(name, (col = { idx: [], values: [] }));
  const last = col.values.length - 1;
  if (last >= 0 && col.values[last] === value) return;
  if (last >= 0 && col.idx[last] === i) col.values[last] = value;
  else {
    col.idx.push(i);
    col.values.push(value);
  }
}

const PAGE_TRACK_EVENT = /^MediaStreamTrack\.(onmute|onunmute|onended)$/;

/** A session as the UI shows it; `add` takes events in order (repeats of a frame's seq are dropped). */
export class SessionModel {
  readonly connections = new Map<string, ConnectionModel>();
  readonly log = new EventLog();
  /** page-level markers (track mute/unmute/ended), shown on every connection's charts */
  readonly pageMarkers: Marker[] = [];
  readonly pageEvents: StoredEvent[] = [];
  private readonly lastSeq = new Map<number, number>();
  version = 0;

  constructor(public session: SessionRecord) {
    for (const c of session.connections) {
      // what the session knows of each connection; its events (create, close) refine it
      const model = this.connection(c.id);
      model.createdAt = c.createdAt;
      model.closedAt = c.closedAt;
      model.configuration = c.configuration;
    }
  }

  connection(id: string): ConnectionModel {
    let c = this.connections.get(id);
    if (!c) this.connections.set(id, (c = new ConnectionModel(id)));
    return c;
  }

  /** Adds events; returns how many were new. */
  add(events: Iterable<StoredEvent>): number {
    let added = 0;
    for (const e of events) {
      const last = this.lastSeq.get(e.frame);
      if (last !== undefined && e.seq <= last) continue;
      this.lastSeq.set(e.frame, e.seq);
      added++;
      if (e.pc === null) {
        this.pageEvents.push(e);
        this.log.add(e);
        if (PAGE_TRACK_EVENT.test(e.method)) this.pageMarkers.push({ t: e.t, kind: 'track', label: `${e.method.slice(17)} ${String(e.value)}` });
        continue;
      }
      const conn = this.connection(e.pc);
      if (e.method === 'getStats') {
        conn.queueStats(e);
      } else {
        conn.addEvent(e);
        this.log.add(e);
      }
    }
    if (added > 0) this.version++;
    return added;
  }
}
