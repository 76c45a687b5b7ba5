// Fuzzing importDump with the real fixtures (support/import-fuzz.ts): for each
// file, 500 seeded random mutations (byte flips, truncations, line deletions
// and duplications, JSON value swaps). Every result must be a clean
// ImportResult (consistent, readable by the rest of src/core) or a
// DumpImportError — never another exception type, never the catch-all for
// reader bugs, never a hang (the test completes). The Jitsi fixtures are in
// import-fuzz-jitsi.test.ts, so the two files run side by side.

import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/core/formats/common';
import { fuzzFixture, MUTATIONS, Rng } from './support/import-fuzz';

const FIXTURES = [
  'rtcstats/chrome140-gum-only.jsonl',
  'internals/chrome147-two-pc-loopback.json',
  'internals/chrome142-gum-only.json.gz',
  'jitsi/safari-standard-stats.jsonl',
  'legacy/chrome48-format0.json',
];

describe('importDump under random mutations of every fixture', () => {
  FIXTURES.forEach((file, i) => {
    it(`${file}: ${MUTATIONS} mutations, each a clean result or a DumpImportError`, () => fuzzFixture(file, 0x5eed + i), 300_000);
  });

  it('jsonErrorOffset agrees with JSON.parse on what is valid', () => {
    const rng = new Rng(42);
    const base = JSON.stringify({ a: [1, 2.5, -3e2, 'x\\"y\\u0041', true, false, null], b: { c: {}, d: [] } });
    for (let n = 0; n < 2000; n++) {
      const chars = base.split('');
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const i = rng.int(chars.length + 1);
        const c = rng.pick(['', '{', '}', '[', ']', ',', ':', '"', '\\', '1', '-', 'e', '.', ' ', 'n', 'u']);
        if (rng.next() < 0.5) chars.splice(i, 1, c);
        else chars.splice(i, 0, c);
      }
      const s = chars.join('');
      let valid = true;
      try {
        JSON.parse(s);
      } catch {
        valid = false;
      }
      expect(jsonErrorOffset(s) === -1, s).toBe(valid);
    }
  });
});
