import { describe, expect, it } from 'vitest';
import { FULL_SAMPLE_EVERY, StatsCompressor } from '../../src/core/stats-compressor';
import { applyStatsDelta, type StatsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { PageEntry } from '../../src/core/trace';

const sample = (i: number, extra: Record<string, unknown> = {}): StatsSample => ({
  OT1: { type: 'outbound-rtp', timestamp: 1000 * i, bytesSent: 1000 * i, ...extra },
  CP1: { type: 'candidate-pair', timestamp: 1000 * i, state: 'succeeded' },
});
const entry = (pc: string, v: StatsSample): PageEntry => ({ m: 'getStats', pc, v, t: 0, full: true });

/** What the background reconstructs from the compressed stream of one connection. */
function replay(entries: PageEntry[]): StatsSample[] {
  let last: StatsSample | undefined;
  return entries.map((e) => (last = e.full ? (e.v as StatsSample) : applyStatsDelta(last, e.v as StatsDelta)));
}

describe('StatsCompressor', () => {
  it('sends the first sample complete, then deltas, and a complete one every FULL_SAMPLE_EVERY', () => {
    const c = new StatsCompressor();
    const inputs = Array.from({ length: 2 * FULL_SAMPLE_EVERY + 1 }, (_, i) => sample(i + 1));
    const out = inputs.map((s) => c.compress(entry('PC_0', s)));
    const fullAt = out.flatMap((e, i) => (e.full ? [i] : []));
    expect(fullAt).toEqual([0, FULL_SAMPLE_EVERY, 2 * FULL_SAMPLE_EVERY]);
    expect(out[1]!.v).toEqual({ OT1: { bytesSent: 2000 }, t: 2000 });
    expect(replay(out)).toEqual(inputs);
  });

  it('keeps connections apart', () => {
    const c = new StatsCompressor();
    const a = [sample(1), sample(2), sample(3)];
    const b = [sample(10), sample(20)];
    const out = [c.compress(entry('A', a[0]!)), c.compress(entry('B', b[0]!)), c.compress(entry('A', a[1]!)), c.compress(entry('B', b[1]!)), c.compress(entry('A', a[2]!))];
    expect(replay(out.filter((e) => e.pc === 'A'))).toEqual(a);
    expect(replay(out.filter((e) => e.pc === 'B'))).toEqual(b);
  });

  it('sends a complete sample when no delta can say the change', () => {
    const c = new StatsCompressor();
    const s1 = sample(1, { mediaSourceId: 'SV1' });
    const s2 = sample(2); // mediaSourceId went away
    const out = [c.compress(entry('A', s1)), c.compress(entry('A', s2))];
    expect(out[1]!.full).toBe(true);
    expect(replay(out)).toEqual([s1, s2]);
  });

  it('after a reset (entries were dropped) the next sample is complete', () => {
    const c = new StatsCompressor();
    c.compress(entry('A', sample(1)));
    c.reset();
    expect(c.compress(entry('A', sample(2))).full).toBe(true);
  });

  it('passes other entries through untouched', () => {
    const c = new StatsCompressor();
    const other: PageEntry = { m: 'createOffer', pc: 'A', v: null, t: 5 };
    expect(c.compress(other)).toBe(other);
  });
});
