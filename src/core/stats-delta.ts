// getStats delta compression, in the shape the rtcstats project reads
// (packages/rtcstats-shared/compression.js: statsDecompression), so the same
// deltas serve the page→background wire, the stored trace and exported dumps.
//
// A sample is a map from stats id to the report without its `id` field.
// A delta holds, per id: the properties that changed (nested objects only the
// changed keys), `null` for a report that disappeared, and under the key `t`
// the newest report timestamp; a report whose timestamp equals `t` omits it.
// Some changes cannot be said that way, or the rtcstats reader would merge
// them wrongly: a property that disappeared, an array or object turning into
// something else. statsDelta() returns null for those, and the caller sends
// the complete sample instead (marked as such).

export type StatsValue = unknown;
export type StatsReport = { [property: string]: StatsValue };
export type StatsSample = { [id: string]: StatsReport };
export type StatsDelta = { [id: string]: StatsReport | null | number };

/** Key of the collapsed common timestamp in a delta (rtcstats' compressed name for `timestamp`). */
export const DELTA_TIMESTAMP_KEY = 't';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equal as JSON data: primitives compared directly, objects and arrays by their JSON text. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

// The loops below use for...in over plain data objects (no inherited enumerable
// properties): they run for every report of every sample, and allocate nothing
// that Object.entries / Object.keys would.

/** The delta that turns `prev` into `next`, or null when only a full sample can say it. */
export function statsDelta(prev: StatsSample | undefined, next: StatsSample): StatsDelta | null {
  if (!prev) return null;
  // an id that would collide with the timestamp key
  if (DELTA_TIMESTAMP_KEY in next || DELTA_TIMESTAMP_KEY in prev) return null;
  let newest = -Infinity;
  for (const id in next) {
    const ts = next[id]!.timestamp;
    if (typeof ts === 'number' && ts > newest) newest = ts;
  }
  const delta: StatsDelta = {};
  for (const id in prev) {
    if (!(id in next)) delta[id] = null;
  }
  for (const id in next) {
    const report = next[id]!;
    if (newest !== -Infinity && !('timestamp' in report)) return null; // it would get the common one
    const base = prev[id];
    if (!base) {
      const copy = { ...report };
      if (copy.timestamp === newest) delete copy.timestamp;
      delta[id] = copy;
      continue;
    }
    const changed = reportDelta(base, report);
    if (changed === null) return null;
    // Timestamps: omitted when equal to the common one, kept otherwise
    // (also for an otherwise unchanged report, whose timestamp would be overwritten).
    if ('timestamp' in report && report.timestamp !== newest) changed.timestamp = report.timestamp;
    for (const _ in changed) {
      delta[id] = changed; // not empty
      break;
    }
  }
  if (newest !== -Infinity) delta[DELTA_TIMESTAMP_KEY] = newest;
  return delta;
}

/** The changed properties of one report (timestamp aside), or null when they cannot be a delta. */
function reportDelta(base: StatsReport, report: StatsReport): StatsReport | null {
  for (const name in base) if (!(name in report)) return null; // vanished property
  const changed: StatsReport = {};
  for (const name in report) {
    if (name === 'timestamp') continue;
    const value = report[name];
    const old = base[name];
    if (sameJson(old, value)) continue;
    if (typeof old !== 'object' || Array.isArray(value)) {
      changed[name] = value; // the reader takes the new value as it is
    } else if (isPlainObject(old) && isPlainObject(value)) {
      // the reader merges nested objects: send the changed keys only
      const nested: Record<string, unknown> = {};
      for (const key in old) if (!(key in value)) return null;
      for (const key in value) if (!sameJson(old[key], value[key])) nested[key] = value[key];
      changed[name] = nested;
    } else if (old === null && isPlainObject(value)) {
      changed[name] = value;
    } else {
      return null; // an object or array turning into something else would be merged into the old value
    }
  }
  return changed;
}

/** Rebuilds the sample a delta was made from; the inverse of statsDelta(). */
export function applyStatsDelta(prev: StatsSample | undefined, delta: StatsDelta): StatsSample {
  const base = prev ?? {};
  const timestamp = delta[DELTA_TIMESTAMP_KEY];
  const out: StatsSample = {};
  for (const id in base) {
    const change = delta[id];
    if (change === null) continue;
    out[id] = applyReportDelta(base[id]!, isPlainObject(change) ? change : undefined, timestamp);
  }
  for (const id in delta) {
    const change = delta[id];
    if (id === DELTA_TIMESTAMP_KEY || id in base || !isPlainObject(change)) continue;
    out[id] = applyReportDelta(undefined, change, timestamp);
  }
  return out;
}

/**
 * One report of a delta: `report` (undefined for one new in this sample) with
 * the delta's `change` for it merged in, and the delta's common `timestamp`
 * (its `t`) unless the change has its own. A new object; the inputs stay as
 * they are. `only`: the properties to take from the change (for a caller that
 * follows just those).
 */
export function applyReportDelta(report: StatsReport | undefined, change: StatsReport | undefined, timestamp: unknown, only?: ReadonlySet<string>): StatsReport {
  return mergeReportDelta({ ...report }, change, timestamp, only);
}

/**
 * applyReportDelta in place: `target` (a copy of the report, which this
 * changes) with the change merged in. For a reader that keeps its own copy
 * of each report and so need not copy every report of every sample.
 */
export function mergeReportDelta(target: StatsReport, change: StatsReport | undefined, timestamp: unknown, only?: ReadonlySet<string>): StatsReport {
  if (change) {
    for (const name in change) {
      if (only && !only.has(name)) continue;
      const value = change[name];
      const old = target[name];
      target[name] = isPlainObject(value) && isPlainObject(old) ? { ...old, ...value } : value;
    }
  }
  if (typeof timestamp === 'number' && !(change && 'timestamp' in change)) target.timestamp = timestamp;
  return target;
}

/**
 * The complete samples of one stream of deltas, as completeStatsSamples
 * gives them, for a reader that needs only the current sample: one sample
 * changed in place by each delta, so that only what a delta changes is
 * touched (each report is copied once, when it comes in a complete sample
 * or appears). The sample add() returns is the same object each time until
 * the next complete sample.
 */
export class CurrentStats {
  current: StatsSample = {};

  /** The next getStats value (a complete sample when `full`); returns the current sample. */
  add(value: StatsSample | StatsDelta, full: boolean): StatsSample {
    if (full) {
      const sample: StatsSample = {};
      for (const id in value) sample[id] = { ...(value as StatsSample)[id] };
      this.current = sample;
      return sample;
    }
    const sample = this.current;
    const delta = value as StatsDelta;
    const timestamp = delta[DELTA_TIMESTAMP_KEY];
    const gone: string[] = [];
    for (const id in sample) {
      const change = delta[id];
      if (change === null) gone.push(id);
      else mergeReportDelta(sample[id]!, isPlainObject(change) ? change : undefined, timestamp);
    }
    // as applyStatsDelta: the reports that stay keep their order, new ones come after them
    for (const id of gone) delete sample[id];
    for (const id in delta) {
      const change = delta[id];
      if (id === DELTA_TIMESTAMP_KEY || id in sample || !isPlainObject(change)) continue;
      sample[id] = mergeReportDelta({}, change, timestamp);
    }
    return sample;
  }
}
