// getStats delta compression, in the shape the rtcstats project reads
// (packages/rtcstats-shared/compression.js: statsDecompression), so the same
// deltas serve the page→background wire, the stored trace and exported dumps.
//
// A sample is a map from stats id to the report without its `id` field.
// A delta holds, per id: the properties that changed (nested objects only the
// changed keys), `null` for a report that disappeared, and under the key `t`
// the newest report timestamp; a report whose timestamp equals `t` omits it.
// A property (or nested key) that disappeared is written as `null`: stats
// values are never null in WebRTC, and the rtcstats reader then shows "no
// value" instead of the stale one. Changes that still cannot be expressed
// (a literal null value, an object turning into a primitive) make
// statsDelta() return null, and the caller sends the full sample instead.

export type StatsValue = unknown;
export type StatsReport = { [property: string]: StatsValue };
export type StatsSample = { [id: string]: StatsReport };
export type StatsDelta = { [id: string]: StatsReport | null | number };

/** Key of the collapsed common timestamp in a delta (rtcstats' compressed name for `timestamp`). */
export const DELTA_TIMESTAMP_KEY = 't';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasNull(report: StatsReport): boolean {
  return Object.values(report).some((v) => v === null || (isPlainObject(v) && Object.values(v).includes(null)));
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The delta that turns `prev` into `next`, or null when only a full sample can say it. */
export function statsDelta(prev: StatsSample | undefined, next: StatsSample): StatsDelta | null {
  if (!prev) return null;
  if (DELTA_TIMESTAMP_KEY in next) return null; // an id that would collide with the timestamp key
  let newest = -Infinity;
  for (const report of Object.values(next)) {
    const ts = report.timestamp;
    if (typeof ts === 'number' && ts > newest) newest = ts;
  }
  const delta: StatsDelta = {};
  for (const id of Object.keys(prev)) {
    if (!(id in next)) delta[id] = null;
  }
  for (const [id, report] of Object.entries(next)) {
    const base = prev[id];
    if (!base) {
      if (!('timestamp' in report) && newest !== -Infinity) return null;
      if (hasNull(report)) return null;
      const copy = { ...report };
      if (copy.timestamp === newest) delete copy.timestamp;
      delta[id] = copy;
      continue;
    }
    const changed: StatsReport = {};
    for (const name of Object.keys(base)) {
      if (!(name in report)) changed[name] = null;
    }
    for (const [name, value] of Object.entries(report)) {
      if (name === 'timestamp') continue;
      if (value === null) return null; // would read as "removed"
      const old = base[name];
      if (sameJson(old, value)) continue;
      if (isPlainObject(value) && isPlainObject(old)) {
        const nested: Record<string, unknown> = {};
        for (const key of Object.keys(old)) if (!(key in value)) nested[key] = null;
        for (const [key, v] of Object.entries(value)) {
          if (v === null) return null;
          if (!sameJson(old[key], v)) nested[key] = v;
        }
        changed[name] = nested;
      } else if (typeof old === 'object' && old !== null && !Array.isArray(old)) {
        return null; // object → non-object is merged wrongly by the reader
      } else if (old === null && !(isPlainObject(value) || Array.isArray(value))) {
        return null; // the reader merges a null base as an object
      } else {
        changed[name] = value;
      }
    }
    // Timestamps: omitted when equal to the common one, kept otherwise
    // (also for an otherwise unchanged report, whose timestamp would be overwritten).
    if ('timestamp' in report && report.timestamp !== newest) changed.timestamp = report.timestamp;
    else if (!('timestamp' in report) && newest !== -Infinity) return null;
    if (Object.keys(changed).length > 0) delta[id] = changed;
  }
  if (newest !== -Infinity) delta[DELTA_TIMESTAMP_KEY] = newest;
  return delta;
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(o)) if (o[key] === null) delete o[key];
  return o;
}

/** Rebuilds the sample a delta was made from; the inverse of statsDelta(). */
export function applyStatsDelta(prev: StatsSample | undefined, delta: StatsDelta): StatsSample {
  const base = prev ?? {};
  const timestamp = delta[DELTA_TIMESTAMP_KEY];
  const out: StatsSample = {};
  for (const [id, report] of Object.entries(base)) {
    const change = delta[id];
    if (change === null) continue;
    const merged: StatsReport = { ...report };
    if (isPlainObject(change)) {
      for (const [name, value] of Object.entries(change)) {
        const old = report[name];
        if (value === null) delete merged[name];
        else if (isPlainObject(value) && isPlainObject(old)) merged[name] = withoutNulls({ ...old, ...value });
        else merged[name] = value;
      }
    }
    if (typeof timestamp === 'number' && !(isPlainObject(change) && 'timestamp' in change)) {
      merged.timestamp = timestamp;
    }
    out[id] = merged;
  }
  for (const [id, change] of Object.entries(delta)) {
    if (id === DELTA_TIMESTAMP_KEY || id in base || !isPlainObject(change)) continue;
    const report: StatsReport = { ...change };
    if (typeof timestamp === 'number' && !('timestamp' in report)) report.timestamp = timestamp;
    out[id] = report;
  }
  return out;
}
