// Legacy rtcstats "format 0": one JSON object
//   {url, userAgent, getUserMedia: [entry...], peerConnections: {PC_0: [entry...]}, PeerConnections: {...}}
// with entries {time: ISO string (or timestamp: ms), type, value?}. The
// connections are under `peerConnections` (some writers used
// `PeerConnections`, arrays either way); getStats values are complete
// samples whose reports repeat their `id`. Method names are kept as found
// (`getUserMedia` there is the legacy navigator.getUserMedia, not
// navigator.mediaDevices.getUserMedia).
//
// There is no order across the lists: the events are merged by time, the
// getUserMedia list first and then the connections in the dump's order on
// equal times, each list in its own order.

import type { StatsSample } from '../stats-delta';
import {
  isFiniteNumber,
  isPlainObject,
  methodName,
  parseDateString,
  setOwn,
  StatsEncoder,
  toSample,
  UNREADABLE_STATS,
  type FormatRead,
  type ImportedEvent,
  type Warnings,
} from './common';

export function isFormat0(obj: Record<string, unknown>): boolean {
  const lists = (x: unknown): boolean => isPlainObject(x) && Object.values(x).some(Array.isArray);
  if (isPlainObject(obj.peerConnections)) return true;
  if (lists(obj.PeerConnections)) return true;
  // an empty dump of this shape: lower-case userAgent / url and no webrtc-internals fields
  return isPlainObject(obj.PeerConnections) && Object.keys(obj.PeerConnections).length === 0 &&
    typeof obj.userAgent === 'string' && !('UserAgent' in obj) && !('UserAgentData' in obj);
}

export function readFormat0(obj: Record<string, unknown>, warnings: Warnings): FormatRead {
  const connections = new Map<string, unknown[]>();
  for (const source of [obj.PeerConnections, obj.peerConnections]) {
    if (!isPlainObject(source)) continue;
    for (const [pc, list] of Object.entries(source)) {
      if (Array.isArray(list)) connections.set(pc, list);
      else warnings.add(`connection entries that are not lists were skipped (first: ${JSON.stringify(pc)})`);
    }
  }
  const lists: { pc: string | null; entries: unknown[] }[] = [];
  if (Array.isArray(obj.getUserMedia)) lists.push({ pc: null, entries: obj.getUserMedia });
  for (const [pc, entries] of connections) lists.push({ pc, entries });

  const encoder = new StatsEncoder();
  const keyed: { e: ImportedEvent; list: number; index: number }[] = [];
  let lastTime = NaN;
  lists.forEach(({ pc, entries }, list) => {
    lastTime = NaN;
    entries.forEach((entry, index) => {
      if (!isPlainObject(entry)) {
        warnings.add('entries that are not objects were skipped');
        return;
      }
      let t = isFiniteNumber(entry.timestamp) ? entry.timestamp : typeof entry.time === 'string' ? parseDateString(entry.time) : NaN;
      if (!Number.isFinite(t)) {
        warnings.add('entries without a readable time were placed at the time of the entry before them (or at the start)');
        t = lastTime; // NaN for a list's first entry: placed at the start below
      } else {
        lastTime = t;
      }
      const method = methodName(entry.type);
      const value: unknown = entry.value === undefined ? null : entry.value;
      const e: ImportedEvent = { t, method, pc, value };
      if (method === 'getStats' || method === 'getstats') {
        if (pc === null || !isPlainObject(value)) {
          warnings.add(`getStats entries that ${pc === null ? 'have no connection' : 'hold no stats object'} were kept as "${UNREADABLE_STATS}" events`);
          e.method = UNREADABLE_STATS;
        } else {
          e.method = 'getStats';
          e.value = toSample(value, warnings); // complete; encoded below, once in final order
        }
      }
      keyed.push({ e, list, index });
    });
  });
  let earliest = Infinity;
  for (const k of keyed) if (k.e.t < earliest) earliest = k.e.t;
  for (const k of keyed) if (Number.isNaN(k.e.t)) k.e.t = earliest === Infinity ? 0 : earliest;
  keyed.sort((a, b) => a.e.t - b.e.t || a.list - b.list || a.index - b.index);
  const events = keyed.map((k) => k.e);
  if (!isOrderedPerConnection(keyed)) {
    warnings.add('some entries are out of time order within their list; they are kept in time order');
  }
  for (const e of events) {
    if (e.method !== 'getStats' || e.pc === null) continue;
    const encoded = encoder.encode(e.pc, e.value as StatsSample);
    e.value = encoded.value;
    if (encoded.full) e.full = true;
  }

  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'peerConnections' && k !== 'PeerConnections' && k !== 'getUserMedia') setOwn(metadata, k, v);
  const read: FormatRead = { events, metadata, connections: [...connections.keys()] };
  if (typeof obj.url === 'string') read.url = obj.url;
  if (typeof obj.origin === 'string') read.origin = obj.origin;
  if (typeof obj.userAgent === 'string') read.userAgent = obj.userAgent;
  return read;
}

function isOrderedPerConnection(keyed: { list: number; index: number }[]): boolean {
  const last = new Map<number, number>();
  for (const { list, index } of keyed) {
    if ((last.get(list) ?? -1) > index) return false;
    last.set(list, index);
  }
  return true;
}
