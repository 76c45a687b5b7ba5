// The seeded generator (src/core/random.ts): reproducible, in [0, 1), spread out.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(seqA);
  });

  it('stays in [0, 1) and fills it evenly (10 bins of 100 000 draws, each within 3 % of a tenth)', () => {
    const r = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * 10)]!++;
    }
    for (const n of bins) expect(Math.abs(n - 10_000)).toBeLessThan(300);
  });
});
