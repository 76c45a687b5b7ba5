// The session model derives the default charts' metrics as samples arrive and
// the others only when asked (withAllMetrics, for the stats explorer). Either
// way a column must hold what deriving every metric between each pair of
// consecutive complete samples gives, computed here directly with
// deriveMetrics on the samples rebuilt by completeStatsSamples.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionDump } from '../../src/core/dump';
import { importDump } from '../../src/core/import';
import { deriveMetrics } from '../../src/core/metrics';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import { syntheticSession } from '../../src/core/synthetic';
import { defaultCharts, isChartMetric } from '../../src/core/view/charts';
import { SessionModel, type ConnectionModel } from '../../src/core/view/session-model';
import { FIXTURES_DIR } from './support/fixtures';

/** Per pc, per `id name`: the metric at each sample (null where none), straight from deriveMetrics. */
function expectedMetrics(dump: SessionDump): Map<string, Map<string, (number | null)[]>> {
  const samples = new Map<string, StatsSample[]>();
  for (const { event, sample } of completeStatsSamples(dump.events)) {
    if (!samples.has(event.pc!)) samples.set(event.pc!, []);
    samples.get(event.pc!)!.push(sample);
  }
  const out = new Map<string, Map<string, (number | null)[]>>();
  for (const [pc, list] of samples) {
    const series = new Map<string, (number | null)[]>();
    list.forEach((sample, i) => {
      const derived = deriveMetrics(list[i - 1], sample);
      for (const id in derived) {
        for (const name in derived[id]) {
          const key = `${id} ${name}`;
          if (!series.has(key)) series.set(key, new Array<number | null>(list.length).fill(null));
          series.get(key)![i] = derived[id]![name]!;
        }
      }
    });
    out.set(pc, series);
  }
  return out;
}

/** The model's derived columns, as `id name` → series. */
function derivedColumns(c: ConnectionModel): Map<string, (number | null)[]> {
  const out = new Map<string, (number | null)[]>();
  for (const rc of c.reports.values()) {
    for (const name of rc.columns.keys()) if (name.startsWith('[')) out.set(`${rc.id} ${name}`, c.series(rc.id, name));
  }
  return out;
}

/** The series of `id name` keys that `keep` accepts, given the stats id and the metric name. */
const only = (series: Map<string, (number | null)[]>, keep: (id: string, name: string) => boolean) =>
  new Map([...series].filter(([key]) => keep(key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1))));

async function dumps(): Promise<[string, SessionDump][]> {
  const internals = (await importDump(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'internals/chrome147-two-pc-loopback.json'))))).dump;
  return [
    ['synthetic, 2 connections × 3 min', syntheticSession({ connections: 2, minutes: 3 })],
    ['webrtc-internals, Chrome 147', internals],
  ];
}

describe('derived metrics on demand', () => {
  it('on opening, the default charts’ metrics only, each as deriveMetrics gives it; then every metric once asked', async () => {
    for (const [name, dump] of await dumps()) {
      const expected = expectedMetrics(dump);
      const model = new SessionModel(dump.session);
      model.add(dump.events);
      expect(expected.size, name).toBeGreaterThan(0);
      for (const [pc, all] of expected) {
        const c = model.connection(pc);
        const charted = only(all, (id, n) => isChartMetric(c.reports.get(id)!.type, n));
        expect(charted.size, `${name} ${pc}`).toBeGreaterThan(0);
        expect(charted.size, `${name} ${pc}: some metrics are left for later`).toBeLessThan(all.size);
        expect(derivedColumns(c), `${name} ${pc}`).toEqual(charted);
        const charts = defaultCharts(c);
        expect(derivedColumns(c.withAllMetrics()), `${name} ${pc}`).toEqual(all);
        // the charts read nothing that was left for later
        expect(defaultCharts(c), `${name} ${pc}`).toEqual(charts);
      }
    }
  });

  it('samples arriving after withAllMetrics get every metric too', async () => {
    for (const [name, dump] of await dumps()) {
      const expected = expectedMetrics(dump);
      const model = new SessionModel(dump.session);
      const half = Math.floor(dump.events.length / 2);
      model.add(dump.events.slice(0, half));
      for (const pc of expected.keys()) model.connection(pc).withAllMetrics();
      model.add(dump.events.slice(half));
      for (const [pc, all] of expected) expect(derivedColumns(model.connection(pc)), `${name} ${pc}`).toEqual(all);
    }
  });
});
