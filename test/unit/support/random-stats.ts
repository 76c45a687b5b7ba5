// Seeded random getStats sample sequences with every kind of change: counters
// moving, reports and properties (and nested keys) appearing and
// disappearing, values changing type (objects, arrays, null, primitives),
// own and common timestamps.

import { seededRandom } from '../../../src/core/random';

export class Rng {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = seededRandom(seed);
  }
  next(): number {
    return this.r();
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonReport = { [name: string]: Json };
export type JsonSample = { [id: string]: JsonReport };

export const deepCopy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export interface GenOptions {
  /** reports carry timestamps */
  timestamps: boolean;
  /** how often a generated or changed value is a literal null */
  nullRate: number;
  /** per report and step, how often one of its properties disappears */
  vanishRate: number;
  /** a report may disappear and a new one with the same id appear in the same sample */
  replaceReports: boolean;
}

export const ANYTHING: GenOptions = { timestamps: true, nullRate: 0.015, vanishRate: 0.02, replaceReports: true };

const ID_POOL = [
  'P', 'T01', 'CPa1_b2', 'CPc3_d4', 'Ia1', 'Ib2', 'Ic3', 'Id4', 'OT01V100', 'OT01A200', 'IT01V300', 'IT01A400',
  'RIV100', 'RIA200', 'ROA400', 'SV1', 'SA2', 'COT01_96', 'CIT01_111', 'AP', 'D1', 'CF1',
];
const TYPES = ['outbound-rtp', 'inbound-rtp', 'candidate-pair', 'transport', 'codec', 'media-source', 'local-candidate'];
const PROP_NAMES = [
  'packetsSent', 'bytesSent', 'packetsReceived', 'bytesReceived', 'jitter', 'roundTripTime', 'state', 'nominated',
  'kind', 'mid', 'codecId', 'qualityLimitationReason', 'qualityLimitationDurations', 'encoderImplementation',
  'activeRids', 'active', 'audioLevel', 'remoteId', 'frameWidth', 'frameHeight', 'framesPerSecond', 'address',
  'port', 'priority', 'custom.value', 'extension', 'ssrcList', 'limits',
];
const NESTED_KEYS = ['none', 'cpu', 'bandwidth', 'other', 'a', 'b', 'c'];
const STRINGS = ['', 'none', 'bandwidth', 'cpu', 'libvpx', 'ExternalEncoder', 'succeeded', 'in-progress', 'udp', '0', 'ü✓'];

function randomPrimitive(rng: Rng, opts: GenOptions): Json {
  if (rng.chance(opts.nullRate)) return null;
  switch (rng.int(5)) {
    case 0: return rng.int(1_000_000);
    case 1: return Math.round(rng.next() * 1e6) / 1e3;
    case 2: return rng.pick(STRINGS);
    case 3: return rng.chance(0.5);
    default: return rng.int(5);
  }
}

function randomArray(rng: Rng, depth: number, opts: GenOptions): Json[] {
  const n = rng.int(4);
  const out: Json[] = [];
  for (let i = 0; i < n; i++) out.push(depth > 0 && rng.chance(0.2) ? randomObject(rng, depth - 1, opts) : randomPrimitive(rng, opts));
  return out;
}

function randomObject(rng: Rng, depth: number, opts: GenOptions): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) out[rng.pick(NESTED_KEYS)] = randomValue(rng, depth - 1, opts);
  return out;
}

function randomValue(rng: Rng, depth: number, opts: GenOptions): Json {
  const p = rng.next();
  if (depth > 0 && p < 0.15) return randomObject(rng, depth, opts);
  if (depth > 0 && p < 0.3) return randomArray(rng, depth, opts);
  return randomPrimitive(rng, opts);
}

function mutateValue(old: Json, rng: Rng, opts: GenOptions): Json {
  if (rng.chance(opts.nullRate * 2)) return null; // any value may become null
  if (Array.isArray(old)) {
    if (rng.chance(0.85)) {
      const copy = deepCopy(old);
      const q = rng.next();
      if (q < 0.35) copy.push(randomPrimitive(rng, opts));
      else if (q < 0.6 && copy.length > 0) copy[rng.int(copy.length)] = randomPrimitive(rng, opts);
      else if (q < 0.75 && copy.length > 0) copy.pop();
      else return randomArray(rng, 1, opts);
      return copy;
    }
    return randomValue(rng, 2, opts); // an array turns into anything
  }
  if (old !== null && typeof old === 'object') {
    if (rng.chance(0.85)) {
      const copy = deepCopy(old);
      for (const key of Object.keys(copy)) {
        const q = rng.next();
        if (q < 0.4) copy[key] = mutateValue(copy[key]!, rng, opts);
        else if (q < 0.45) delete copy[key]; // a nested key disappears
      }
      if (rng.chance(0.15)) copy[rng.pick(NESTED_KEYS)] = randomValue(rng, 1, opts);
      return copy;
    }
    return randomValue(rng, 2, opts); // an object turns into anything
  }
  if (typeof old === 'number' && rng.chance(0.7)) return old + 1 + rng.int(1000);
  if (typeof old === 'boolean' && rng.chance(0.6)) return !old;
  if (typeof old === 'string' && rng.chance(0.5)) return rng.pick(STRINGS);
  return randomValue(rng, 2, opts); // null (or a primitive) turns into anything
}

let freshId = 0;
function newReport(rng: Rng, time: number, opts: GenOptions): JsonReport {
  const r: JsonReport = { type: rng.pick(TYPES) };
  if (opts.timestamps && !rng.chance(0.01)) r.timestamp = rng.chance(0.85) ? time : time - 1 - rng.int(900) - 0.25;
  const n = 2 + rng.int(8);
  for (let i = 0; i < n; i++) r[rng.pick(PROP_NAMES)] = randomValue(rng, 2, opts);
  return r;
}

function nextSample(prev: JsonSample, time: number, rng: Rng, opts: GenOptions): JsonSample {
  const next: JsonSample = {};
  for (const [id, report] of Object.entries(prev)) {
    if (rng.chance(0.04)) continue; // the report disappears
    const r = deepCopy(report);
    const changeRate = rng.pick([0, 0.05, 0.3]);
    for (const name of Object.keys(r)) {
      if (name === 'timestamp' || name === 'type') continue;
      if (rng.chance(changeRate)) r[name] = mutateValue(r[name]!, rng, opts);
    }
    if (rng.chance(opts.vanishRate)) {
      const names = Object.keys(r).filter((n) => n !== 'timestamp' && n !== 'type');
      if (names.length > 0) delete r[rng.pick(names)]; // a property disappears
    }
    if (rng.chance(0.05)) {
      const name = rng.pick(PROP_NAMES);
      if (!(name in r)) r[name] = randomValue(rng, 2, opts); // a property appears (or comes back)
    }
    if ('timestamp' in r) {
      const q = rng.next();
      if (q < 0.8) r.timestamp = time;
      else if (q < 0.92) { /* an older timestamp is kept (e.g. remote-inbound-rtp without new RTCP) */ }
      else if (q < 0.998) r.timestamp = time - 1 - rng.int(900) - 0.5;
      else delete r.timestamp;
    } else if (opts.timestamps && rng.chance(0.5)) {
      r.timestamp = time;
    }
    next[id] = r;
  }
  const additions = rng.chance(0.12) ? 1 + rng.int(3) : 0;
  for (let i = 0; i < additions; i++) {
    const candidate = rng.chance(0.6) ? rng.pick(ID_POOL) : `X${freshId++}`;
    if (candidate in next || (!opts.replaceReports && candidate in prev)) continue;
    next[candidate] = newReport(rng, time, opts);
  }
  if (Object.keys(next).length === 0) next[rng.pick(ID_POOL)] = newReport(rng, time, opts);
  return next;
}

/** Pairs [previous sample, next sample] of a random sequence; the first previous sample is random too. */
export function* randomSequence(seed: number, steps: number, opts: GenOptions): Generator<[JsonSample, JsonSample]> {
  const rng = new Rng(seed);
  let time = 1758602115670 + rng.int(100000);
  let prev: JsonSample = {};
  const n = 4 + rng.int(10);
  for (let i = 0; i < n; i++) prev[rng.pick(ID_POOL)] = newReport(rng, time, opts);
  for (let i = 0; i < steps; i++) {
    const q = rng.next();
    time += q < 0.9 ? 1000 + rng.int(10) / 8 : q < 0.95 ? 0 : 30000 + rng.int(5000);
    const next = nextSample(prev, time, rng, opts);
    yield [prev, next];
    prev = next;
  }
}

/** The samples of a random sequence, the first one included. */
export function randomSamples(seed: number, count: number, opts: GenOptions): JsonSample[] {
  const out: JsonSample[] = [];
  for (const [prev, next] of randomSequence(seed, count - 1, opts)) {
    if (out.length === 0) out.push(prev);
    out.push(next);
  }
  return out;
}
