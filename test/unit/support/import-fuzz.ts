// The fuzzing behind import-fuzz*.test.ts: seeded random mutations of a dump
// (byte flips, truncations, line deletions and duplications, JSON values
// swapped for others — also inside the JSON strings webrtc-internals nests),
// and the check that each result is a clean ImportResult or a DumpImportError.

import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { importDump } from '../../../src/core/import';
import { DumpImportError, type ImportResult } from '../../../src/core/dump';
import { completeStatsSamples } from '../../../src/core/session';
import { formatImportSummary } from '../../../src/core/summary';
import { FIXTURES_DIR } from './fixtures';

const DIR = FIXTURES_DIR;
export const MUTATIONS = 500;

export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const POOL: unknown[] = [null, 0, -1, 1.5, 1e308, -1e308, '', 'x', 'connected', '0', true, false, [], {}, [1, 'a'], { timestamp: 0 }, { t: 5 }, 'getStats', 'getstats', 'PC_0', 'RTCStatsDump', '[1,2', '{"a":'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Replaces one node of `root` (found by a random walk) with a value from the pool or from elsewhere in the document. */
function swapValue(root: Json, rng: Rng, depth = 0): Json {
  const other = (): Json => (rng.next() < 0.3 ? walk(root, rng) : (structuredClone(rng.pick(POOL)) as Json));
  if (depth > 40) return other();
  if (Array.isArray(root) && root.length > 0 && rng.next() < 0.8) {
    const copy = root.slice();
    const i = rng.int(copy.length);
    copy[i] = swapValue(copy[i]!, rng, depth + 1);
    return copy;
  }
  if (root !== null && typeof root === 'object' && !Array.isArray(root) && Object.keys(root).length > 0 && rng.next() < 0.8) {
    const copy = { ...root };
    const k = rng.pick(Object.keys(copy));
    if (rng.next() < 0.1) {
      delete copy[k];
      return copy;
    }
    copy[k] = swapValue(copy[k]!, rng, depth + 1);
    return copy;
  }
  if (typeof root === 'string' && /^[[{]/.test(root) && rng.next() < 0.5) {
    try {
      return JSON.stringify(swapValue(JSON.parse(root) as Json, rng, depth + 1));
    } catch {
      /* not JSON inside */
    }
  }
  return other();
}

function walk(root: Json, rng: Rng): Json {
  let node = root;
  for (let i = 0; i < 20 && node !== null && typeof node === 'object' && rng.next() < 0.7; i++) {
    const children: Json[] = Array.isArray(node) ? node : Object.values(node);
    if (children.length === 0) break;
    node = rng.pick(children);
  }
  return structuredClone(node);
}

/** One random bit of one random byte flipped. */
function flip(bytes: Uint8Array, rng: Rng): void {
  const i = rng.int(bytes.length);
  bytes[i] = bytes[i]! ^ (1 << rng.int(8));
}

export function mutate(text: string, rng: Rng): Uint8Array {
  const lines = text.split('\n');
  switch (rng.int(6)) {
    case 0: {
      // byte flips
      const bytes = new TextEncoder().encode(text);
      for (let n = 1 + rng.int(5); n > 0; n--) flip(bytes, rng);
      return bytes;
    }
    case 1: // truncation
      return new TextEncoder().encode(text.slice(0, rng.int(text.length)));
    case 2: // line deletion
      lines.splice(rng.int(lines.length), 1);
      return new TextEncoder().encode(lines.join('\n'));
    case 3: {
      // line duplication (also out of order)
      const i = rng.int(lines.length);
      lines.splice(rng.int(lines.length + 1), 0, lines[i]!);
      return new TextEncoder().encode(lines.join('\n'));
    }
    default: {
      // a JSON value swapped: in one line of a JSON-lines file, or in the one document
      const single = text.trimStart().startsWith('{') && lines.length > 1 && !/^\{.*\}$/.test(lines[0]!.trim());
      if (single) return new TextEncoder().encode(JSON.stringify(swapValue(JSON.parse(text) as Json, rng), null, rng.int(2)));
      const i = rng.int(lines.length);
      try {
        lines[i] = JSON.stringify(swapValue(JSON.parse(lines[i]!) as Json, rng));
      } catch {
        lines[i] = lines[i]!.slice(0, rng.int(lines[i]!.length + 1));
      }
      return new TextEncoder().encode(lines.join('\n'));
    }
  }
}

export function checkResult(r: ImportResult): void {
  const { session, events } = r.dump;
  if (session.eventCount !== events.length) throw new Error('eventCount differs from the events');
  events.forEach((e, i) => {
    if (e.seq !== i + 1 || e.frame !== 0 || e.sessionId !== session.id || !Number.isFinite(e.t) || typeof e.method !== 'string') {
      throw new Error(`event ${i} is malformed: ${JSON.stringify(e).slice(0, 200)}`);
    }
    if (e.extra && !e.extra.every((x) => typeof x === 'string' || Number.isFinite(x))) throw new Error('bad correlation ids');
  });
  let samples = 0;
  for (const { sample } of completeStatsSamples(events)) {
    samples++;
    for (const report of Object.values(sample)) if (typeof report !== 'object' || report === null) throw new Error('a report is not an object');
  }
  if (samples !== events.filter((e) => e.method === 'getStats' && e.pc !== null).length) throw new Error('sample count');
  if (!Number.isFinite(session.startTime) || session.endTime === null || !Number.isFinite(session.endTime)) throw new Error('session times');
  formatImportSummary(r);
  JSON.stringify(r.dump);
}

/** MUTATIONS seeded mutations of one fixture file (path under the fixtures directory), each checked. */
export async function fuzzFixture(file: string, seed: number): Promise<void> {
  const raw = readFileSync(`${DIR}/${file}`);
  const gz = file.endsWith('.gz');
  const text = (gz ? gunzipSync(raw) : raw).toString('utf8');
  const rng = new Rng(seed);
  let imported = 0;
  for (let n = 0; n < MUTATIONS; n++) {
    let input: Uint8Array;
    if (gz && rng.next() < 0.3) {
      // the compressed bytes themselves: flipped or cut
      input = new Uint8Array(raw);
      if (rng.next() < 0.5) input = input.subarray(0, rng.int(input.length));
      else flip(input, rng);
    } else {
      input = mutate(text, rng);
      if (gz) input = new Uint8Array(gzipSync(input));
    }
    try {
      const r = await importDump(input);
      checkResult(r);
      imported++;
    } catch (e) {
      if (!(e instanceof DumpImportError)) {
        throw new Error(`mutation ${n}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
      }
      expect(e.message, `mutation ${n}`).not.toMatch(/could not read the dump/);
    }
  }
  // the fuzz reaches both outcomes
  expect(imported).toBeGreaterThan(MUTATIONS / 10);
  expect(MUTATIONS - imported).toBeGreaterThan(MUTATIONS / 20);
}
