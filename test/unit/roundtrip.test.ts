// Round trips through the export formats: every fixture read, converted
// rtcstats → webrtc-internals → rtcstats, keeps its connections, their events
// and their stats samples. webrtc-internals has no creation events: a
// connection's configuration and constraints are fields of the connection
// there, so `create` / `constraints` are compared as those.

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importDump } from '../../src/core/import';
import { exportDump } from '../../src/core/export';
import { completeStatsSamples } from '../../src/core/session';
import type { SessionDump } from '../../src/core/dump';
import { FIXTURES_DIR } from './support/fixtures';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.md') ? [] : [path];
  });
}

/** Per connection id: its events (method names, without create/constraints) and its complete samples. */
function shape(dump: SessionDump) {
  const byPc: Record<string, { methods: string[]; samples: unknown[] }> = {};
  const get = (pc: string) => (byPc[pc] ??= { methods: [], samples: [] });
  for (const e of dump.events) {
    if (e.pc !== null && !['getStats', 'create', 'constraints'].includes(e.method)) get(e.pc).methods.push(e.method);
  }
  for (const { event, sample } of completeStatsSamples(dump.events)) get(event.pc!).samples.push(sample);
  return byPc;
}

const configurations = (dump: SessionDump) =>
  Object.fromEntries(dump.events.filter((e) => e.method === 'create' && e.pc !== null).map((e) => [e.pc, e.value]));

describe('round trips', () => {
  for (const path of files(FIXTURES_DIR)) {
    const name = relative(FIXTURES_DIR, path);
    it(`${name}: rtcstats → webrtc-internals → rtcstats keeps connections, events and samples`, async () => {
      const original = await importDump(new Uint8Array(readFileSync(path)));
      const asRtcstats = await importDump(await exportDump(original.dump, 'rtcstats'));
      const viaInternals = await importDump(await exportDump(asRtcstats.dump, 'internals'));
      const back = await importDump(await exportDump(viaInternals.dump, 'rtcstats'));
      expect(asRtcstats.format).toBe('rtcstats');
      expect(viaInternals.format).toBe('webrtc-internals');
      expect(back.format).toBe('rtcstats');
      const want = shape(asRtcstats.dump);
      const got = shape(back.dump);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      for (const pc of Object.keys(want)) {
        // as a multiset: webrtc-internals orders a connection's log by time, and some dumps' times are not monotonic
        expect([...got[pc]!.methods].sort(), pc).toEqual([...want[pc]!.methods].sort());
        expect(got[pc]!.samples, pc).toEqual(want[pc]!.samples);
      }
      const viaConfig = Object.fromEntries(viaInternals.dump.session.connections.map((c) => [c.id, c.configuration]));
      for (const [pc, config] of Object.entries(configurations(asRtcstats.dump))) expect(viaConfig[pc], pc).toEqual(config);
      expect(back.dump.session.userAgent).toBe(original.dump.session.userAgent);
    });
  }

  it('a captured-like session exported to rtcstats and imported back is the same trace, every stats value included', async () => {
    const { syntheticSession } = await import('../../src/core/synthetic');
    const dump = syntheticSession({ connections: 2, minutes: 2, pollMs: 1000 });
    const back = await importDump(await exportDump(dump, 'rtcstats', { gzip: true }));
    expect(back.dump.events.map((e) => [e.method, e.pc, e.t, e.extra ?? []])).toEqual(dump.events.map((e) => [e.method, e.pc, e.t, e.extra ?? []]));
    expect(back.dump.events.filter((e) => e.method !== 'getStats').map((e) => e.value)).toEqual(
      dump.events.filter((e) => e.method !== 'getStats').map((e) => e.value),
    );
    expect([...completeStatsSamples(back.dump.events)].map((s) => s.sample)).toEqual([...completeStatsSamples(dump.events)].map((s) => s.sample));
  });
});
