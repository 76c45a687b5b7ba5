// A webrtc-internals series' `values` text that is one item written over and
// over is read without JSON.parse (repeatedValues); whatever it reads must be
// what JSON.parse reads, and anything else is left to JSON.parse.

import { describe, expect, it } from 'vitest';
import { repeatedValues } from '../../src/core/formats/internals-import';
import { seededRandom } from '../../src/core/random';

/** JSON.parse's list, compared item by item with Object.is (-0 is not 0). */
function expectSameAsJson(raw: string, got: unknown[]): void {
  const expected = JSON.parse(raw) as unknown[];
  expect(got.length, raw).toBe(expected.length);
  for (let i = 0; i < got.length; i++) if (!Object.is(got[i], expected[i])) expect({ raw, i, got: got[i] }).toEqual({ raw, i, got: expected[i] });
}

describe('repeatedValues', () => {
  it('reads a list of one number, string, true, false or null repeated as JSON.parse does', () => {
    const items = ['5', '-0', '1.5e-7', '1E21', '-12.25', '"inbound-rtp"', '"say \\"hi\\""', '"\\u00e9\\n"', '""', 'true', 'false', 'null', ' 7 '];
    for (const item of items) {
      for (const n of [2, 3, 1000]) {
        const raw = `[${Array<string>(n).fill(item).join(',')}]`;
        const got = repeatedValues(raw);
        expect(got, raw.slice(0, 40)).toBeDefined();
        expectSameAsJson(raw, got!);
      }
    }
  });

  it('leaves to JSON.parse what is not one such item repeated', () => {
    for (const raw of [
      '[]', '[5]', '[5,6]', '[5,5,6]', '[6,5,5]', '[5,5,5', '5,5,5]', '[5, 5, 5]', '[5,,5]',
      '["a,b","a,b"]', '[",",","]', '[{},{}]', '[[1],[1]]', '[[1,1],[1,1]]', '[{"a":1},{"a":1}]', '[x,x]', '[1,1,]',
    ]) {
      expect(repeatedValues(raw), raw).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on random lists of repeated and changing items', () => {
    const random = seededRandom(11);
    const pool = ['0', '1', '-1', '2.5', '1e3', '"a"', '"a,a"', '","', '"\\""', 'true', 'null', '[1]', '{}', '{"a":[1,1]}'];
    let read = 0;
    for (let k = 0; k < 3000; k++) {
      const n = 1 + Math.floor(random() * 6);
      const first = pool[Math.floor(random() * pool.length)]!;
      const items = Array.from({ length: n }, () => (random() < 0.8 ? first : pool[Math.floor(random() * pool.length)]!));
      const raw = `[${items.join(',')}]`;
      const got = repeatedValues(raw);
      if (got === undefined) continue;
      read++;
      expectSameAsJson(raw, got);
    }
    expect(read).toBeGreaterThan(500);
  });
});
