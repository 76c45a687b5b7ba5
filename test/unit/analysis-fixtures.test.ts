import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeDump } from '../../src/core/analysis';
import { importDump } from '../../src/core/import';
import { FIXTURES_DIR, fixture } from './support/fixtures';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(json|jsonl|gz)$/.test(f) ? [p] : [];
  });
}

const analyze = async (path: string) => analyzeDump((await importDump(new Uint8Array(readFileSync(path)))).dump);

describe('every real dump analyses', () => {
  for (const path of files(FIXTURES_DIR)) {
    it(relative(FIXTURES_DIR, path), async () => {
      const r = await analyze(path);
      expect(['good', 'fair', 'poor', 'bad']).toContain(r.verdict.level);
      expect(r.verdict.text.length).toBeGreaterThan(0);
      for (const o of r.observations) {
        expect(o.text.length).toBeGreaterThan(0);
        expect(o.lastSeenAt).toBeGreaterThanOrEqual(o.firstSeenAt);
      }
    });
  }
});

describe('jitsi/chrome-standard-pc-reconnect.jsonl', () => {
  // The truth, read from the raw lines: [method, pc, value, timestamp]
  const raw = readFileSync(fixture('jitsi/chrome-standard-pc-reconnect.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('['))
    .map((l) => JSON.parse(l) as unknown[]);
  const at = (method: string, pc: string, value?: string) =>
    raw.filter((l) => l[0] === method && l[1] === pc && (value === undefined || l[2] === value)).map((l) => l[3] as number);

  it('PC_0: each disconnection and its recovery, with durations, then the drop', async () => {
    const r = await analyze(fixture('jitsi/chrome-standard-pc-reconnect.jsonl'));
    const pc0 = r.connections.find((c) => c.pcId === 'PC_0')!.lifecycle;
    const down = at('onconnectionstatechange', 'PC_0', 'disconnected');
    const up = at('onconnectionstatechange', 'PC_0', 'connected').slice(1); // the first is the initial connection
    expect(down.length).toBe(2);
    expect(pc0.disruptions.map((d) => ({ start: d.stateChangedAt, end: d.end, recovered: d.recovered }))).toEqual(
      down.map((d, i) => ({ start: d, end: up[i], recovered: true })),
    );
    for (const [i, d] of pc0.disruptions.entries()) expect(d.durationMs).toBe(up[i]! - down[i]!);
    expect(pc0.dropped).toEqual({ at: at('onconnectionstatechange', 'PC_0', 'failed')[0] });
    const disconnected = r.observations.filter((o) => o.type === 'ice-disconnected' && o.pcId === 'PC_0');
    expect(disconnected.map((o) => [o.firstSeenAt, o.lastSeenAt, o.evidence.recovered])).toEqual(down.map((d, i) => [d, up[i], true]));
    expect(r.observations.filter((o) => o.type === 'connection-dropped').map((o) => o.pcId)).toEqual(['PC_0']);
  });

  it('PC_1 and PC_2 never connected: setup failed, after the time the trace says', async () => {
    const r = await analyze(fixture('jitsi/chrome-standard-pc-reconnect.jsonl'));
    for (const pc of ['PC_1', 'PC_2']) {
      const life = r.connections.find((c) => c.pcId === pc)!.lifecycle;
      const created = raw.find((l) => l[0] === 'create' && l[1] === pc)![3] as number;
      const failed = at('onconnectionstatechange', pc, 'failed')[0]!;
      expect(life.setupFailed).toEqual({ afterMs: failed - created });
    }
    expect(r.observations.filter((o) => o.type === 'getusermedia-failed').map((o) => o.evidence.error)).toEqual(['NotReadableError', 'NotReadableError']);
    // two connections failed and the call dropped: nothing good about it
    expect(['poor', 'bad']).toContain(r.verdict.level);
  });
});
