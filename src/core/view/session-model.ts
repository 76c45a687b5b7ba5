// What the panel and the viewer show of a session, built as events arrive
// (constant work per event, so a live session and a one-hour import use the
// same code): per connection, every stats property and derived metric as a
// column aligned to the connection's sample times, chart markers, state and
// the event log.

import type { SessionRecord } from '../session';
import type { StoredEvent } from '../trace';
import { applyStatsDelta, type StatsDelta, type StatsSample } from '../stats-delta';
import { deriveMetrics } from '../metrics';
import { EventLog } from './event-log';
import { selectedPairIds } from './ice';

export type Cell = number | string | null;

/** One property of one stats object over time: values[i] belongs to times[start + i]. */
export interface Column {
  start: number;
  values: Cell[];
}

export interface ReportColumns {
  id: string;
  type: string;
  /** raw properties (nested objects flattened as `name.key`) and derived metrics (bracketed names) */
  columns: Map<string, Column>;
}

export type MarkerKind = 'state' | 'ice-restart' | 'renegotiation' | 'pair-switch' | 'track' | 'failure';

export interface Marker {
  t: number;
  kind: MarkerKind;
  label: string;
}

export class ConnectionModel {
  /** sample times, ms since epoch */
  readonly times: number[] = [];
  readonly reports = new Map<string, ReportColumns>();
  readonly markers: Marker[] = [];
  /** latest states as the events told them */
  connectionState: string | null = null;
  iceConnectionState: string | null = null;
  signalingState: string | null = null;
  createdAt: number | null = null;
  closedAt: number | null = null;
  configuration: unknown = null;
  lastSample: StatsSample | undefined;
  /** stats ids of candidate pairs that were ever in use */
  readonly usedPairs = new Set<string>();
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
        this.markers.push({ t: e.t, kind: 'state', label: 'close()' });
        break;
      case 'onconnectionstatechange':
        this.connectionState = String(v);
        this.markers.push({ t: e.t, kind: v === 'failed' ? 'failure' : 'state', label: `connection ${String(v)}` });
        break;
      case 'oniceconnectionstatechange':
        this.iceConnectionState = String(v);
        this.markers.push({ t: e.t, kind: v === 'failed' ? 'failure' : 'state', label: `ICE ${String(v)}` });
        break;
      case 'onsignalingstatechange':
        this.signalingState = String(v);
        break;
      case 'restartIce':
        this.markers.push({ t: e.t, kind: 'ice-restart', label: 'restartIce()' });
        break;
      case 'createOffer':
        if (v && typeof v === 'object' && (v as { iceRestart?: unknown }).iceRestart === true) {
          this.markers.push({ t: e.t, kind: 'ice-restart', label: 'ICE restart offer' });
        }
        break;
      case 'setLocalDescription':
        if (++this.localDescriptions > 1) this.markers.push({ t: e.t, kind: 'renegotiation', label: `renegotiation ${this.localDescriptions - 1}` });
        break;
      default:
        if (/OnFailure$|Failed$/.test(e.method)) this.markers.push({ t: e.t, kind: 'failure', label: e.method });
    }
  }

  pushSample(t: number, sample: StatsSample): void {
    const i = this.times.length;
    this.times.push(t);
    const derived = deriveMetrics(this.lastSample, sample);
    for (const [id, report] of Object.entries(sample)) {
      let rc = this.reports.get(id);
      if (!rc) this.reports.set(id, (rc = { id, type: String(report.type ?? '?'), columns: new Map() }));
      for (const [name, value] of Object.entries(report)) {
        if (typeof value === 'number' || typeof value === 'string') put(rc, name, i, value);
        else if (typeof value === 'boolean') put(rc, name, i, value ? 1 : 0);
        else if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [key, inner] of Object.entries(value)) if (typeof inner === 'number') put(rc, `${name}.${key}`, i, inner);
        }
      }
      const metrics = derived[id];
      if (metrics) for (const [name, value] of Object.entries(metrics)) put(rc, name, i, value);
    }
    const selected = selectedPairIds(sample);
    for (const id of selected) this.usedPairs.add(id);
    if (this.selected.size > 0 && selected.size > 0 && ![...selected].every((id) => this.selected.has(id))) {
      this.markers.push({ t, kind: 'pair-switch', label: 'candidate pair switch' });
    }
    if (selected.size > 0) this.selected = selected;
    this.lastSample = sample;
  }

  /** A column read out aligned to `times` (null where the object or property was absent). */
  series(statsId: string, name: string): (number | null)[] {
    const col = this.reports.get(statsId)?.columns.get(name);
    const out: (number | null)[] = new Array(this.times.length).fill(null);
    if (!col) return out;
    for (let k = 0; k < col.values.length; k++) {
      const v = col.values[k];
      if (typeof v === 'number') out[col.start + k] = v;
    }
    return out;
  }

  /** A text column (qualityLimitationReason, state, ...) aligned to `times`. */
  textSeries(statsId: string, name: string): (string | null)[] {
    const col = this.reports.get(statsId)?.columns.get(name);
    const out: (string | null)[] = new Array(this.times.length).fill(null);
    if (!col) return out;
    for (let k = 0; k < col.values.length; k++) {
      const v = col.values[k];
      if (v !== null && v !== undefined) out[col.start + k] = String(v);
    }
    return out;
  }

  /** The latest value of a property or metric, if the object is still there. */
  latest(statsId: string, name: string): Cell {
    const col = this.reports.get(statsId)?.columns.get(name);
    if (!col || col.start + col.values.length !== this.times.length) return null;
    return col.values[col.values.length - 1] ?? null;
  }
}

function put(rc: ReportColumns, name: string, i: number, value: Cell): void {
  let col = rc.columns.get(name);
  if (!col) rc.columns.set(name, (col = { start: i, values: [] }));
  while (col.start + col.values.length < i) col.values.push(null);
  col.values.push(value);
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
  private readonly lastFull = new Map<string, StatsSample>();
  version = 0;

  constructor(public session: SessionRecord) {
    for (const c of session.connections) this.connection(c.id);
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
        const sample = e.full ? (e.value as StatsSample) : applyStatsDelta(this.lastFull.get(e.pc), e.value as StatsDelta);
        this.lastFull.set(e.pc, sample);
        conn.pushSample(e.t, sample);
      } else {
        conn.addEvent(e);
        this.log.add(e);
      }
    }
    if (added > 0) this.version++;
    return added;
  }
}
