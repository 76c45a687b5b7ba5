// piecesBlob (src/ui/shared/download.ts): the viewer saves a plain export as a Blob made piece by piece.

import { describe, expect, it } from 'vitest';
import { piecesBlob } from '../../src/ui/shared/download';
import { Rng } from './support/random-stats';

describe('piecesBlob', () => {
  it('holds the pieces in order, empty ones (pauses) too, however often it joins them', async () => {
    const rng = new Rng(5);
    const pieces = Array.from({ length: 200 }, () => Uint8Array.from({ length: rng.int(3) === 0 ? 0 : rng.int(5000) }, () => rng.int(256)));
    const whole = Buffer.concat(pieces);
    for (const joinEvery of [1, 10_000, 1 << 26]) {
      const blob = piecesBlob(pieces, 'text/csv', joinEvery);
      expect(blob.type).toBe('text/csv');
      expect(blob.size).toBe(whole.length);
      expect(Buffer.from(await blob.arrayBuffer()).equals(whole)).toBe(true);
    }
    expect(piecesBlob([], 'text/csv').size).toBe(0);
  });
});
