// chrome://webrtc-internals dumps ("Download the PeerConnection updates and
// stats data"), old and new:
//   {getUserMedia: [...], PeerConnections: {"<rid|pid>-<lid>": {pid, url, rtcConfiguration, constraints?,
//    updateLog: [{type, value, timestamp} | {time: "<locale date>", type, value}], stats: {"<id>-<prop>": series}}},
//    UserAgent, UserAgentData?, ...}
//
// Events: updateLog entries, event names without `on` (older Chrome:
// `iceconnectionstatechange`, `onIceCandidate`, `onRenegotiationNeeded`, ...)
// normalized to rtcstats' `on...` names where they are the same event, other
// names (`transceiverAdded`, `createOfferOnSuccess`, ...) as found. Values:
// JSON text parsed (`"\"connected\""` → "connected"), "" → null, the older
// ad-hoc text forms parsed (`type: offer, sdp: v=0...` → {type, sdp};
// `sdpMid: 0, sdpMLineIndex: 0, candidate: ...` → {sdpMid, sdpMLineIndex,
// candidate}), anything else (bare states, error texts) as the string.
// getUserMedia entries become page-level navigator.mediaDevices.<request_type>
// events (...OnSuccess / ...OnFailure for results), correlated by
// "<pid>-<rid>-<request_id>".
//
// Stats: each "<id>-<prop>" series holds the values of one property over the
// samples in which it existed, startTime / endTime being the first and last
// of those samples' times; "<id>-timestamp" (Chrome 117+) holds the report's
// own timestamps. A series is placed on its report's timestamps by its
// endTime (and startTime), so a property that appeared late or went away
// early lands on the right samples; without a -timestamp series (older
// Chrome) the report's times are interpolated between startTime and endTime.
// The reports are then gathered into one getStats sample per polling time:
// local reports share the poll's timestamp; remote-* reports carry the time
// of their last RTCP packet instead and join the first poll at or after it.
// Every sample is complete (`full`). Bracketed series ("[bytesSent_in_bits/s]",
// "[codec]", ...) are Chrome's own derivations, not getStats properties: they
// are kept out of the samples, in ImportResult.derived.

import type { DerivedSeriesMap } from '../dump';
import type { StatsReport, StatsSample } from '../stats-delta';
import {
  isFiniteNumber,
  isPlainObject,
  isSafeKey,
  methodName,
  parseDateString,
  setOwn,
  type FormatRead,
  type ImportedEvent,
  type Warnings,
} from './common';

/** rtcstats' names of the events webrtc-internals logged without `on` (or capitalized: `onIceCandidate`). */
const EVENT_NAMES: Record<string, string> = {
  icecandidate: 'onicecandidate',
  icecandidateerror: 'onicecandidateerror',
  iceconnectionstatechange: 'oniceconnectionstatechange',
  icegatheringstatechange: 'onicegatheringstatechange',
  signalingstatechange: 'onsignalingstatechange',
  connectionstatechange: 'onconnectionstatechange',
  negotiationneeded: 'onnegotiationneeded',
  renegotiationneeded: 'onnegotiationneeded',
  datachannel: 'ondatachannel',
  track: 'ontrack',
};
/** Events whose name without `on` is a method's (`addStream` is the call, `onAddStream` the event). */
const PREFIXED_ONLY: Record<string, string> = {
  addstream: 'onaddstream',
  removestream: 'onremovestream',
};
/** Chrome's names for what rtcstats names otherwise. */
const CHROME_NAMES: Record<string, string> = {
  addIceCandidateFailed: 'addIceCandidateOnFailure',
};

const own = (table: Record<string, string>, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

export function internalsEventName(type: string): string {
  const lower = type.toLowerCase();
  if (lower.startsWith('on')) {
    const key = lower.slice(2);
    return own(EVENT_NAMES, key) ?? own(PREFIXED_ONLY, key) ?? type;
  }
  return own(EVENT_NAMES, lower) ?? own(CHROME_NAMES, type) ?? type;
}

/** An updateLog value: JSON text parsed, the older text forms of descriptions and candidates parsed, "" → null. */
export function internalsValue(raw: unknown): unknown {
  if (raw === undefined) return null;
  if (typeof raw !== 'string') return raw;
  if (raw === '') return null;
  const json = tryJson(raw);
  if (json !== undefined) return json;
  const description = /^type: ?([^,\s]+), sdp: ?([\s\S]*)$/.exec(raw);
  if (description) return { type: description[1], sdp: description[2] };
  const candidate = /^sdpMid: ?([^,]*), sdpMLineIndex: ?(\d+), candidate: ?([\s\S]*)$/.exec(raw);
  if (candidate) return { sdpMid: candidate[1], sdpMLineIndex: Number(candidate[2]), candidate: candidate[3] };
  return raw;
}

function tryJson(text: string): unknown {
  const c = text.trimStart()[0];
  if (c === undefined || !'{["-0123456789tfn'.includes(c)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A configuration or constraints string: JSON, or the older non-JSON form
 * `{ iceServers: [stun:a, turn:b], iceTransportPolicy: all, ... }` read
 * loosely (iceServers as one server per URL: the form lists URLs only), or
 * the string itself when neither reads.
 */
export function internalsConfiguration(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? null;
  const json = tryJson(raw);
  if (json !== undefined) return json;
  const loose = looseValue(raw.trim(), 0);
  if (!isPlainObject(loose)) return raw;
  if (Array.isArray(loose.iceServers) && loose.iceServers.every((u) => typeof u === 'string')) {
    loose.iceServers = loose.iceServers.map((urls) => ({ urls }));
  }
  return loose;
}

/** Splits at top-level commas (outside brackets, braces and quotes). */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' && s[i - 1] !== '\\') quote = !quote;
    else if (quote) continue;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function looseValue(s: string, depth: number): unknown {
  if (depth > 20) return s;
  if (s.startsWith('{') && s.endsWith('}')) {
    const out: Record<string, unknown> = {};
    for (const part of splitTopLevel(s.slice(1, -1))) {
      const colon = part.indexOf(':');
      const key = colon > 0 ? part.slice(0, colon).trim() : '';
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) return undefined;
      out[key] = looseValue(part.slice(colon + 1).trim(), depth + 1);
    }
    return out;
  }
  if (s.startsWith('[') && s.endsWith(']')) return splitTopLevel(s.slice(1, -1)).map((item) => looseValue(item, depth + 1));
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    const json = tryJson(s);
    return typeof json === 'string' ? json : s.slice(1, -1);
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s === 'null') return null;
  return s;
}

export function isInternals(obj: Record<string, unknown>): boolean {
  return isPlainObject(obj.PeerConnections);
}

// ---------------------------------------------------------------------------
// Stats series → samples
// ---------------------------------------------------------------------------

interface Series {
  name: string;
  /** read only: series of the same text share it */
  values: unknown[];
  /** ms since epoch (NaN when missing) */
  start: number;
  end: number;
}

interface ReportSeries {
  id: string;
  statsType: string;
  props: Series[];
  derived: Series[];
}

/** "<id>-<prop>" or "<id>-[derived]" → [id, name]; ids may contain dashes, property names do not. */
export function splitSeriesKey(key: string): [string, string] | null {
  if (key.endsWith(']')) {
    const i = key.lastIndexOf('-[');
    if (i > 0) return [key.slice(0, i), key.slice(i + 1)];
  }
  const i = key.lastIndexOf('-');
  if (i <= 0 || i === key.length - 1) return null;
  return [key.slice(0, i), key.slice(i + 1)];
}

function seriesValues(raw: unknown): unknown[] | null {
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'string') return null;
  const repeated = repeatedValues(raw);
  if (repeated) return repeated;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The list, when its text is one number, string, true, false or null written
 * over and over (`[5,5,5]`): a property that did not change, as most of a long
 * session's are, read once and not item by item.
 */
export function repeatedValues(raw: string): unknown[] | undefined {
  const comma = raw.indexOf(',');
  if (comma < 0 || raw.charCodeAt(0) !== 91 /* [ */) return undefined;
  const item = raw.slice(1, comma);
  const count = (raw.length - 1) / (item.length + 1);
  if (!Number.isInteger(count) || !raw.endsWith(`,${item}]`) || raw !== `[${`${item},`.repeat(count - 1)}${item}]`) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(item);
  } catch {
    return undefined; // not one item: a string with a comma in it
  }
  if (typeof value === 'object' && value !== null) return undefined; // a list or object: each item its own
  return new Array<unknown>(count).fill(value);
}

function groupSeries(stats: Record<string, unknown>, warnings: Warnings): ReportSeries[] {
  const reports = new Map<string, ReportSeries>();
  // the values of a text read once: the reports of a poll share its time, so most -timestamp series of a
  // connection are the same text, as are counters two reports count alike (a transport's and its pair's bytes)
  const read = new Map<string, unknown[] | null>();
  for (const [key, raw] of Object.entries(stats)) {
    if (!isPlainObject(raw)) {
      warnings.add('stats series that are not objects were skipped');
      continue;
    }
    if (raw.values === undefined) continue; // an empty series: {}
    const split = splitSeriesKey(key);
    let values = typeof raw.values === 'string' ? read.get(raw.values) : undefined;
    if (values === undefined) {
      values = seriesValues(raw.values);
      if (typeof raw.values === 'string') read.set(raw.values, values);
    }
    if (!split || !values) {
      warnings.add(`stats series that could not be read were skipped (first: ${JSON.stringify(key.slice(0, 80))})`);
      continue;
    }
    if (values.length === 0) continue;
    const [id, name] = split;
    if (!isSafeKey(id) || !isSafeKey(name)) {
      warnings.add('stats reports or properties named "__proto__" were skipped');
      continue;
    }
    let report = reports.get(id);
    if (!report) {
      report = { id, statsType: typeof raw.statsType === 'string' ? raw.statsType : '', props: [], derived: [] };
      reports.set(id, report);
    }
    if (!report.statsType && typeof raw.statsType === 'string') report.statsType = raw.statsType;
    const series: Series = {
      name,
      values,
      start: typeof raw.startTime === 'string' ? Date.parse(raw.startTime) : NaN,
      end: typeof raw.endTime === 'string' ? Date.parse(raw.endTime) : NaN,
    };
    (name.startsWith('[') ? report.derived : report.props).push(series);
  }
  return [...reports.values()];
}

/** The report's own times, from its -timestamp series or interpolated; null when there is nothing to go by. */
function reportTimes(report: ReportSeries, warnings: Warnings): { times: number[]; interpolated: boolean } | null {
  const ts = report.props.find((s) => s.name === 'timestamp');
  if (ts && ts.values.every(isFiniteNumber)) return { times: ts.values as number[], interpolated: false };
  let longest: Series | undefined;
  for (const s of report.props) if (!longest || s.values.length > longest.values.length) longest = s;
  if (!longest || !Number.isFinite(longest.start) || !Number.isFinite(longest.end)) {
    warnings.add('stats reports without a -timestamp series or start and end times were skipped');
    return null;
  }
  warnings.add('stats without -timestamp series (Chrome before 117): sample times are interpolated between each series\' startTime and endTime');
  const n = longest.values.length;
  const { start, end } = longest;
  return { times: longest.values.map((_, i) => (n > 1 ? start + ((end - start) * i) / (n - 1) : start)), interpolated: true };
}

/** Index of the time nearest to `at` within `tolerance` (on ties the latest, or with `first` the earliest); -1 if none. */
function nearestIndex(times: number[], at: number, tolerance: number, truncate: boolean, first = false): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let k = 0; k < times.length; k++) {
    const i = first ? k : times.length - 1 - k;
    const d = Math.abs((truncate ? Math.trunc(times[i]!) : times[i]!) - at);
    if (d <= tolerance && d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Where a series' first value goes on the report's timeline: the series ends
 * at its endTime (failing that, starts at its startTime; failing that, ends
 * with the timeline, which is how shorter series align when nothing else
 * says otherwise).
 */
function seriesOffset(times: number[], s: Series, interpolated: boolean, warnings: Warnings | null): number {
  const n = s.values.length;
  if (n === times.length) return 0;
  const tolerance = interpolated ? averageInterval(times) / 2 : 1;
  const endIdx = Number.isFinite(s.end) ? nearestIndex(times, s.end, tolerance, !interpolated) : -1;
  if (endIdx >= 0) {
    const offset = endIdx - (n - 1);
    const first = offset >= 0 ? (interpolated ? times[offset]! : Math.trunc(times[offset]!)) : NaN;
    if (warnings && Number.isFinite(s.start) && !(Math.abs(first - s.start) <= tolerance)) {
      warnings.add('stats series with gaps (a property that went away and came back) were placed by their end time');
    }
    return offset;
  }
  const startIdx = Number.isFinite(s.start) ? nearestIndex(times, s.start, tolerance, !interpolated, true) : -1;
  if (startIdx >= 0) return startIdx;
  return times.length - n;
}

function averageInterval(times: number[]): number {
  return times.length > 1 ? Math.abs(times[times.length - 1]! - times[0]!) / (times.length - 1) : 1000;
}

/** How far apart the reports of one poll may be stamped (Firefox: a few ms; polls are 250 ms apart at least). */
const POLL_TOLERANCE_MS = 50;

/** First index in sorted `grid` with grid[i] >= x. */
function lowerBound(grid: number[], x: number): number {
  let lo = 0;
  let hi = grid.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface PlacedReport {
  report: ReportSeries;
  times: number[];
  interpolated: boolean;
  /** per timeline index, the report (built lazily) */
  rows: (StatsReport | undefined)[];
}

/** The samples (time, complete sample) of one connection, in time order, and its derived series. */
export function statsSamples(
  stats: Record<string, unknown>,
  warnings: Warnings,
): { samples: { t: number; sample: StatsSample }[]; derived: Record<string, Record<string, { statsType: string; times: number[]; values: unknown[] }>> } {
  const derived: Record<string, Record<string, { statsType: string; times: number[]; values: unknown[] }>> = {};
  const placed: PlacedReport[] = [];
  for (const report of groupSeries(stats, warnings)) {
    const timeline = reportTimes(report, warnings);
    if (!timeline) continue;
    const { times, interpolated } = timeline;
    const rows: (StatsReport | undefined)[] = new Array<StatsReport | undefined>(times.length);
    let dropped = false;
    const rowAt = (i: number): StatsReport => (rows[i] ??= { timestamp: times[i]!, type: report.statsType });
    if (report.props.length > 0 && report.props.every((s) => s.values.length === times.length)) {
      // Every property in every row (the usual case): each row made whole from one shape, with
      // the keys in the order the loop below gives them. Millions of values: far less garbage.
      const props = report.props.filter((s) => !(s.name === 'timestamp' && !interpolated));
      const keys: StatsReport = { timestamp: 0, type: '' };
      for (const s of props) keys[s.name] = null;
      // made by JSON.parse, which makes objects of many keys in V8's fast form (keys added one by
      // one past a dozen give a hash table, slow to copy and to read): its copies are fast too
      const shape = JSON.parse(JSON.stringify(keys)) as StatsReport;
      // a property with one value throughout (most are) set once, in the shape (timestamp and type are set row by row)
      const varying: Series[] = [];
      for (const s of props) {
        const first = s.values[0];
        if (s.name === 'timestamp' || s.name === 'type' || !s.values.every((v) => v === first)) varying.push(s);
        else shape[s.name] = first;
      }
      for (let i = 0; i < times.length; i++) {
        const row = { ...shape };
        row.timestamp = times[i]!;
        row.type = report.statsType;
        for (const s of varying) row[s.name] = s.values[i];
        rows[i] = row;
      }
    } else {
      for (const s of report.props) {
        if (s.name === 'timestamp' && !interpolated) {
          for (let i = 0; i < times.length; i++) rowAt(i);
          continue;
        }
        const offset = seriesOffset(times, s, interpolated, warnings);
        s.values.forEach((v, k) => {
          const i = offset + k;
          if (i < 0 || i >= times.length) dropped = true;
          else rowAt(i)[s.name] = v;
        });
      }
    }
    for (const s of report.derived) {
      // derived values are missing where Chrome could not compute them: gaps are normal, the times approximate there
      const offset = seriesOffset(times, s, interpolated, null);
      const out = { statsType: report.statsType, times: [] as number[], values: [] as unknown[] };
      s.values.forEach((v, k) => {
        const i = offset + k;
        if (i < 0 || i >= times.length) dropped = true;
        else {
          out.times.push(times[i]!);
          out.values.push(v);
        }
      });
      const byName = Object.prototype.hasOwnProperty.call(derived, report.id) ? derived[report.id]! : (derived[report.id] = {});
      byName[s.name] = out;
    }
    if (dropped) warnings.add('stats values that do not fit their report\'s timeline were dropped');
    placed.push({ report, times, interpolated, rows });
  }

  // The polls. Each report has one point per poll while it exists. Reports
  // whose timestamp moves on at every point ("fresh": Chrome's local reports,
  // which share the poll's timestamp exactly; Firefox's, a few ms apart) make
  // the polls: their points clustered (within POLL_TOLERANCE_MS, one point per
  // report per poll). The others — remote-* reports, whose timestamp is their
  // last RTCP packet's, and reports whose timestamp stands still — join, point
  // after point, the first poll at or after their timestamp not yet taken.
  const isFresh = (p: PlacedReport): boolean =>
    !p.report.statsType.startsWith('remote-') && p.times.every((t, i) => i === 0 || t > p.times[i - 1]!);
  // the points as columns (time, report, index in its timeline), taken in time order (ties in the order made) by
  // their positions: a point per report and poll, a long session's are too many to make an object each
  const pointTimes: number[] = [];
  const pointReports: PlacedReport[] = [];
  const pointIndexes: number[] = [];
  let tolerance = POLL_TOLERANCE_MS;
  for (const p of placed) {
    if (!isFresh(p)) continue;
    if (p.interpolated) tolerance = Math.max(tolerance, averageInterval(p.times) / 2);
    for (let i = 0; i < p.times.length; i++) {
      if (!p.rows[i]) continue;
      pointTimes.push(p.times[i]!);
      pointReports.push(p);
      pointIndexes.push(i);
    }
  }
  const byTime = new Uint32Array(pointTimes.length).map((_, k) => k).sort((a, b) => pointTimes[a]! - pointTimes[b]! || a - b);
  const grid: number[] = []; // per poll, its time: the latest of its points
  const pollOf = new Map<PlacedReport, number[]>();
  let pollStart = -Infinity;
  let members = new Set<PlacedReport>();
  for (const k of byTime) {
    const t = pointTimes[k]!;
    const p = pointReports[k]!;
    const i = pointIndexes[k]!;
    if (grid.length === 0 || t - pollStart > tolerance || members.has(p)) {
      grid.push(t);
      pollStart = t;
      members = new Set();
    }
    grid[grid.length - 1] = t;
    members.add(p);
    let polls = pollOf.get(p);
    if (!polls) pollOf.set(p, (polls = []));
    polls[i] = grid.length - 1;
  }
  // per poll (index into grid), and for points after the last poll, per own time
  type Entry = { t: number; order: number; sample: StatsSample };
  const pollSamples: (Entry | undefined)[] = new Array<Entry | undefined>(grid.length);
  const lateSamples = new Map<number, Entry>();
  const put = (poll: number | null, time: number, id: string, row: StatsReport): void => {
    let entry = poll === null ? lateSamples.get(time) : pollSamples[poll];
    if (!entry) {
      entry = { t: poll === null ? time : grid[poll]!, order: poll ?? grid.length, sample: {} };
      if (poll === null) lateSamples.set(time, entry);
      else pollSamples[poll] = entry;
    }
    entry.sample[id] = row;
  };
  for (const p of placed) {
    const polls = pollOf.get(p);
    let next = 0; // the first poll not yet taken by this report
    p.times.forEach((time, i) => {
      const row = p.rows[i];
      if (!row) return;
      const fresh = polls?.[i];
      if (fresh !== undefined) {
        put(fresh, time, p.report.id, row);
        return;
      }
      const at = Math.max(next, lowerBound(grid, time - tolerance));
      if (at < grid.length) {
        put(at, time, p.report.id, row);
        next = at + 1;
      } else {
        put(null, time, p.report.id, row);
      }
    });
  }
  const entries = [...pollSamples.filter((e) => e !== undefined), ...lateSamples.values()];
  const out = entries.sort((a, b) => a.t - b.t || a.order - b.order).map(({ t, sample }) => ({ t, sample }));
  return { samples: out, derived };
}

// ---------------------------------------------------------------------------
// The dump
// ---------------------------------------------------------------------------

function updateTime(entry: Record<string, unknown>): number {
  if (isFiniteNumber(entry.timestamp)) return entry.timestamp;
  if (typeof entry.time === 'string') return parseDateString(entry.time);
  if (isFiniteNumber(entry.time)) return entry.time;
  return NaN;
}

interface Keyed {
  e: ImportedEvent;
  group: number;
  index: number;
}

function getUserMediaEvents(entries: unknown[], warnings: Warnings, out: Keyed[]): string | undefined {
  let origin: string | undefined;
  entries.forEach((entry, index) => {
    if (!isPlainObject(entry)) {
      warnings.add('getUserMedia entries that are not objects were skipped');
      return;
    }
    if (origin === undefined && typeof entry.origin === 'string') origin = entry.origin;
    const requestType = typeof entry.request_type === 'string' && /^[A-Za-z]+$/.test(entry.request_type) ? entry.request_type : 'getUserMedia';
    const parsed = (v: unknown): unknown => (typeof v === 'string' ? (v === '' ? true : (tryJson(v) ?? v)) : v);
    let suffix = '';
    let value: Record<string, unknown>;
    if ('error' in entry || 'error_message' in entry) {
      suffix = 'OnFailure';
      value = { error: entry.error ?? null, error_message: entry.error_message ?? null };
    } else if ('stream_id' in entry || 'audio_track_info' in entry || 'video_track_info' in entry) {
      suffix = 'OnSuccess';
      value = {};
      for (const key of ['stream_id', 'audio_track_info', 'video_track_info']) {
        if (key in entry) value[key] = typeof entry[key] === 'string' && key !== 'stream_id' ? (tryJson(entry[key] as string) ?? entry[key]) : entry[key];
      }
    } else {
      value = {};
      for (const key of ['audio', 'video']) if (key in entry) value[key] = parsed(entry[key]);
    }
    const t = updateTime(entry);
    if (!Number.isFinite(t)) warnings.add('getUserMedia entries without a readable time were placed at the start');
    const e: ImportedEvent = { t, method: `navigator.mediaDevices.${requestType}${suffix}`, pc: null, value };
    if (entry.request_id !== undefined) e.extra = [`${String(entry.pid)}-${String(entry.rid)}-${String(entry.request_id)}`];
    out.push({ e, group: 0, index });
  });
  return origin;
}

export function readInternals(obj: Record<string, unknown>, warnings: Warnings): FormatRead {
  const keyed: Keyed[] = [];
  const gumOrigin = Array.isArray(obj.getUserMedia) ? getUserMediaEvents(obj.getUserMedia, warnings, keyed) : undefined;
  const connections: string[] = [];
  const configurations = new Map<string, unknown>();
  const connectionFields: Record<string, Record<string, unknown>> = {};
  const derived: DerivedSeriesMap = {};
  let url: string | undefined;
  let group = 1;
  for (const [key, conn] of Object.entries(obj.PeerConnections as Record<string, unknown>)) {
    if (!isPlainObject(conn)) {
      warnings.add('connections that are not objects were skipped');
      continue;
    }
    // Our own export keeps the capture's connection id beside Chrome's key.
    const ownId = conn.webrtcLensConnectionId;
    const pc = typeof ownId === 'string' && ownId.length > 0 && !connections.includes(ownId) ? ownId : key;
    connections.push(pc);
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(conn)) {
      if (k === 'updateLog' || k === 'stats') continue;
      setOwn(fields, k, k === 'constraints' || k === 'rtcConfiguration' ? internalsConfiguration(v) : v);
    }
    setOwn(connectionFields, pc, fields);
    if (url === undefined && typeof conn.url === 'string') url = conn.url;
    if ('rtcConfiguration' in conn) configurations.set(pc, fields.rtcConfiguration);

    const stats = isPlainObject(conn.stats) ? statsSamples(conn.stats, warnings) : { samples: [], derived: {} };
    if (conn.stats !== undefined && !isPlainObject(conn.stats)) warnings.add('stats that are not an object were skipped');
    if (Object.keys(stats.derived).length > 0) setOwn(derived, pc, stats.derived);

    const log = Array.isArray(conn.updateLog) ? conn.updateLog : [];
    if (conn.updateLog !== undefined && !Array.isArray(conn.updateLog)) warnings.add('updateLogs that are not lists were skipped');
    let last = NaN;
    log.forEach((entry, index) => {
      if (!isPlainObject(entry)) {
        warnings.add('updateLog entries that are not objects were skipped');
        return;
      }
      let t = updateTime(entry);
      if (!Number.isFinite(t)) {
        warnings.add('updateLog entries without a readable time were placed at the time of the entry before them (or at the start)');
        t = last;
      } else {
        last = t;
      }
      const method = internalsEventName(methodName(entry.type ?? ''));
      keyed.push({ e: { t, method, pc, value: internalsValue(entry.value) }, group, index });
    });
    stats.samples.forEach(({ t, sample }, index) => {
      keyed.push({ e: { t, method: 'getStats', pc, value: sample, full: true }, group, index: log.length + index });
    });
    group++;
  }
  // Entries without a time (NaN so far): at the start of the dump.
  let earliest = Infinity;
  for (const k of keyed) if (k.e.t < earliest) earliest = k.e.t;
  if (earliest === Infinity) earliest = isFiniteNumber(obj.timestamp) ? obj.timestamp : 0;
  for (const k of keyed) if (Number.isNaN(k.e.t)) k.e.t = earliest;
  keyed.sort((a, b) => a.e.t - b.e.t || a.group - b.group || a.index - b.index);

  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'PeerConnections' && k !== 'getUserMedia') setOwn(metadata, k, v);
  metadata.connections = connectionFields;
  const read: FormatRead = { events: keyed.map((k) => k.e), metadata, connections, configurations };
  if (Object.keys(derived).length > 0) read.derived = derived;
  if (url !== undefined) read.url = url;
  else if (gumOrigin !== undefined) read.url = gumOrigin;
  if (gumOrigin !== undefined) read.origin = gumOrigin;
  if (typeof obj.UserAgent === 'string') read.userAgent = obj.UserAgent;
  const pages = new Set(Object.values(connectionFields).map((f) => f.url).filter((u) => typeof u === 'string'));
  if (pages.size > 1) warnings.add(`the dump holds connections of ${pages.size} pages; the session's url is the first one's`);
  return read;
}
