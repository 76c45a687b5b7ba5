// Independent reader with the decompression semantics of the rtcstats project
// (packages/rtcstats-shared/compression.js statsDecompression and the dump
// importer), written from its description, not from src/: the deltas we
// produce must decode to the same samples in rtcstats' own tools.
//
// The merge, per report id of the base sample:
//   delta null → the report is dropped; missing → a copy of the base report;
//   else, for each base property: the delta lacks it → the base value;
//   base value typeof 'object' (null and arrays included) and the delta value
//   not an array → Object.assign({}, base, delta); else the delta value.
// Then timestamp = `t` unless the delta carried its own; reports only in the
// delta are taken as they are (with `t` as timestamp when they have none).
// rtcstats knows nothing of our "full" mark: it merges every getStats line.

import { isDeepStrictEqual } from 'node:util';

export type Report = Record<string, unknown>;
export type Sample = Record<string, Report>;

export function rtcstatsDecompress(base: Sample, deltaInput: unknown): Record<string, Report | null> {
  // The reader works on a JSON copy of the delta (what travels in the file).
  const delta = JSON.parse(JSON.stringify(deltaInput)) as Record<string, unknown>;
  const t = delta['t'];
  delete delta['t'];
  const out: Record<string, Report | null> = {};
  for (const id of Object.keys(base)) {
    const baseReport = base[id] as Report;
    const d = delta[id];
    if (d === null) continue; // removed
    let report: Report;
    let ownTimestamp = false;
    if (d === undefined) {
      report = Object.assign({}, baseReport);
    } else {
      report = Object.assign({}, d as Report);
      ownTimestamp = report['timestamp'] !== undefined;
      for (const name of Object.keys(baseReport)) {
        const b = baseReport[name];
        if (report[name] === undefined) report[name] = b;
        else if (typeof b === 'object' && !Array.isArray(report[name])) report[name] = Object.assign({}, b, report[name]);
      }
    }
    if (t !== undefined && !ownTimestamp) report['timestamp'] = t;
    out[id] = report;
  }
  for (const id of Object.keys(delta)) {
    if (id in base) continue;
    const d = delta[id];
    if (d !== null && typeof d === 'object') {
      const report = Object.assign({}, d as Report);
      if (t !== undefined && report['timestamp'] === undefined) report['timestamp'] = t;
      out[id] = report;
    } else {
      out[id] = d as null; // kept as it is, like the reader does
    }
  }
  return out;
}

/** The value the reader gives a property whose base value is `base` when the delta says `value`. */
export function rtcstatsMergeValue(base: unknown, value: unknown): unknown {
  if (base === undefined) return value;
  return typeof base === 'object' && !Array.isArray(value) ? Object.assign({}, base, value) : value;
}

const isPlain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Why no delta can make the rtcstats reader give exactly `next` from `prev`,
 * worked out from the reader's merge above, not from src/: empty when sending each changed value (for two objects: their
 * changed keys, which merge the same) decodes right.
 */
export function whyNoDelta(prev: Sample, next: Sample): string[] {
  const why = new Set<string>();
  if ('t' in prev || 't' in next) why.add('report id t');
  const common = Object.values(next).some((r) => typeof r.timestamp === 'number'); // the delta has a `t`
  for (const [id, report] of Object.entries(next)) {
    if (common && !('timestamp' in report)) why.add('report without timestamp'); // the reader would give it `t`
    const base = prev[id];
    if (base === undefined) continue; // a new report is sent as it is
    for (const name of Object.keys(base)) if (!(name in report)) why.add('vanished property'); // the reader keeps the old value
    for (const [name, value] of Object.entries(report)) {
      const old = base[name];
      if (old === undefined || isDeepStrictEqual(old, value)) continue;
      // statsDelta treats every array turning into a non-array as inexpressible,
      // though the reader would get an empty array → object right
      const wrong = !isDeepStrictEqual(rtcstatsMergeValue(old, value), value) || (Array.isArray(old) && !Array.isArray(value));
      if (!wrong) continue;
      if (Array.isArray(old)) why.add('array to non-array');
      else if (old === null) why.add('null to primitive');
      else if (isPlain(value)) why.add('vanished nested key');
      else why.add('object to non-object');
    }
  }
  return [...why];
}

export interface RtcstatsReading {
  /** the data lines, parsed */
  lines: unknown[][];
  /** absolute time of each data line */
  times: number[];
  /** per connection, what the reader holds after each of its getStats lines */
  samples: Map<string, Sample[]>;
}

/** Reads a dump the way rtcstats' tools do: time from the last element, getStats merged per connection from {}. */
export function readLikeRtcstats(text: string): RtcstatsReading {
  const lines: unknown[][] = [];
  const times: number[] = [];
  const state = new Map<string, Sample>();
  const samples = new Map<string, Sample[]>();
  let time = 0;
  for (const line of text.split('\n').slice(2)) {
    if (line === '') continue;
    const parsed = JSON.parse(line) as unknown[];
    lines.push(parsed);
    time += parsed[parsed.length - 1] as number;
    times.push(time);
    const [method, pc, value] = parsed;
    if (method === 'getStats' && typeof pc === 'string') {
      const next = rtcstatsDecompress(state.get(pc) ?? {}, value) as Sample;
      state.set(pc, next);
      samples.set(pc, [...(samples.get(pc) ?? []), next]);
    }
  }
  return { lines, times, samples };
}
