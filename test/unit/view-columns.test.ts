// The session model's raw columns (src/core/view/session-model.ts reads the
// stored deltas, only what changed) against the complete samples the dump's
// events stand for, rebuilt here by completeStatsSamples: at every sample,
// every property of every stats object as the sample has it, null where the
// object or the property is absent; and lastSample is the last complete sample.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SessionDump } from '../../src/core/dump';
import { importDump } from '../../src/core/import';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import { SessionModel } from '../../src/core/view/session-model';
import { FIXTURES_DIR } from './support/fixtures';

function dumpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dumpFiles(path);
    return name.endsWith('.md') ? [] : [path];
  });
}

/**
 * `id name` → the property at each sample as text (booleans 1/0, nested
 * numbers as name.key), null where the object is absent; undefined where the
 * object is there without the property (the model keeps a property's last
 * value until its object goes: not checked here).
 */
function expectedColumns(samples: StatsSample[]): Map<string, (string | null | undefined)[]> {
  const out = new Map<string, (string | null | undefined)[]>();
  const set = (key: string, i: number, v: string) => {
    if (!out.has(key)) out.set(key, new Array<string | null | undefined>(samples.length).fill(null));
    out.get(key)![i] = v;
  };
  samples.forEach((sample, i) => {
    for (const [id, report] of Object.entries(sample)) {
      for (const [name, value] of Object.entries(report)) {
        if (name === 'timestamp') continue;
        if (typeof value === 'number' || typeof value === 'string') set(`${id} ${name}`, i, String(value));
        else if (typeof value === 'boolean') set(`${id} ${name}`, i, value ? '1' : '0');
        else if (value && typeof value === 'object' && !Array.isArray(value)) {
          for (const [key, inner] of Object.entries(value)) if (typeof inner === 'number') set(`${id} ${name}.${key}`, i, String(inner));
        }
      }
    }
  });
  for (const [key, values] of out) {
    const id = key.slice(0, key.lastIndexOf(' '));
    samples.forEach((sample, i) => {
      if (values[i] === null && id in sample) values[i] = undefined;
    });
  }
  return out;
}

function check(name: string, dump: SessionDump): void {
  const byPc = new Map<string, StatsSample[]>();
  for (const { event, sample } of completeStatsSamples(dump.events)) {
    if (!byPc.has(event.pc!)) byPc.set(event.pc!, []);
    byPc.get(event.pc!)!.push(sample);
  }
  const model = new SessionModel(dump.session);
  model.add(dump.events);
  for (const [pc, samples] of byPc) {
    const c = model.connection(pc);
    const expected = expectedColumns(samples);
    const got = new Map<string, (string | null | undefined)[]>();
    for (const rc of c.reports.values()) {
      for (const col of rc.columns.keys()) {
        if (col.startsWith('[')) continue;
        const key = `${rc.id} ${col}`;
        got.set(key, c.textSeries(rc.id, col).map((v, i) => (expected.get(key)?.[i] === undefined && expected.has(key) ? undefined : v)));
        // as numbers: the numbers, null for text (booleans are stored as 1/0)
        if (!col.includes('.')) {
          const raw = samples.map((sample) => sample[rc.id]?.[col]);
          const asNumbers = raw.map((v) => (typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : null));
          // where the sample has no such property (absent object, or a value kept from before: checked above), whatever the model has
          const numbers = c.series(rc.id, col).map((v, i) => (raw[i] === undefined ? undefined : v));
          expect(numbers, key).toEqual(asNumbers.map((v, i) => (raw[i] === undefined ? undefined : v)));
        }
        // reading from a later sample on (what charts do as samples arrive) gives the same cells
        const n = c.times.length;
        for (const from of [1, n >> 1, n - 1]) {
          expect(c.textSeries(rc.id, col, from), `${key} from ${from}`).toEqual(c.textSeries(rc.id, col).slice(from));
          expect(c.series(rc.id, col, from), `${key} from ${from}`).toEqual(c.series(rc.id, col).slice(from));
        }
      }
    }
    expect(got, `${name} ${pc}`).toEqual(expected);
    expect(c.lastSample, `${name} ${pc}`).toEqual(samples.at(-1));
  }
}

describe('raw columns against the complete samples', () => {
  it('the synthetic session (deltas, a complete sample every 30)', () => {
    check('synthetic', syntheticSession({ connections: 2, minutes: 3 }));
  });

  for (const file of dumpFiles(FIXTURES_DIR)) {
    const name = relative(FIXTURES_DIR, file);
    it(name, async () => {
      check(name, (await importDump(new Uint8Array(readFileSync(file)))).dump);
    });
  }
});
