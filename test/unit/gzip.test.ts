import { describe, it, expect } from 'vitest';
import { gzipSync, gunzipSync } from 'node:zlib';
import { concatBytes, GunzipError, webStreamsGzip, type GzipCodec } from '../../src/core/gzip';
import { nodeGzip } from '../../src/cli/node-gzip';
import { Rng } from './support/random-stats';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
/** the input cut into pieces of `size` bytes, as the exporters hand it over */
const piecesOf = (bytes: Uint8Array, size: number): Uint8Array[] =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

const rng = new Rng(9);
const binary = Uint8Array.from({ length: 100_000 }, () => rng.int(256));
const text = enc('getStats '.repeat(50_000) + 'ü✓ end');
const problem = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof GunzipError ? e.problem : `other: ${String(e)}`));

describe.each([
  ['web streams (extension)', webStreamsGzip],
  ['node:zlib (command line)', nodeGzip],
] as [string, GzipCodec][])('gzip codec: %s', (_, codec) => {
  it('round-trips empty, short, binary and large inputs, in one piece or many, with pauses (empty pieces) between', async () => {
    const paused = (pieces: Uint8Array[]) => pieces.flatMap((p) => [new Uint8Array(0), p, new Uint8Array(0)]);
    for (const input of [new Uint8Array(0), enc('x'), enc('{"a":1}'), binary, text]) {
      for (const pieces of [[input], piecesOf(input, 4096), paused(piecesOf(input, 1000))]) {
        expect(sameBytes(await codec.gunzip(await codec.gzip(pieces), Infinity), input)).toBe(true);
      }
    }
    expect(sameBytes(enc('ab'), enc('ac'))).toBe(false);
  });

  it('writes real gzip (zlib reads it) and reads zlib gzip', async () => {
    const packed = await codec.gzip(piecesOf(text, 1000));
    expect([...packed.slice(0, 3)]).toEqual([0x1f, 0x8b, 0x08]); // gzip magic, deflate
    expect(sameBytes(gunzipSync(packed), text)).toBe(true);
    expect(sameBytes(await codec.gunzip(new Uint8Array(gzipSync(binary)), Infinity), binary)).toBe(true);
  });

  it('compresses repetitive text well', async () => {
    const input = enc(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ type: 'outbound-rtp', kind: 'video', packetsSent: i }))));
    expect((await codec.gzip([input])).length * 20).toBeLessThan(input.length);
  });

  it('names the problem: not gzip, cut short, larger than the limit', async () => {
    expect(await problem(codec.gunzip(enc('not gzip at all'), Infinity))).toBe('corrupt');
    const packed = await codec.gzip([text]);
    expect(await problem(codec.gunzip(packed.slice(0, packed.length - 10), Infinity))).toBe('truncated');
    expect(await problem(codec.gunzip(packed.slice(0, packed.length >> 1), Infinity))).toBe('truncated');
    expect(await problem(codec.gunzip(packed, text.length - 1))).toBe('too-large');
    expect(sameBytes(await codec.gunzip(packed, text.length), text)).toBe(true);
  });
});

describe('gzip codecs agree', () => {
  it('the command line writes the same bytes as the extension, however the input is cut', async () => {
    const input = enc(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `OT${i % 7}`, bytesSent: i * 1187, t: 1758602116000 + i }))));
    const web = await webStreamsGzip.gzip([input]);
    expect(sameBytes(await nodeGzip.gzip(piecesOf(input, 65536)), web)).toBe(true);
    expect(sameBytes(await webStreamsGzip.gzip(piecesOf(input, 3000)), web)).toBe(true);
  });
});

describe('concatBytes', () => {
  it('joins parts; consecutive views of one buffer as one view of it, without a copy', () => {
    const buffer = new Uint8Array(100).map((_, i) => i);
    const joined = concatBytes([buffer.subarray(10, 20), buffer.subarray(20, 25), buffer.subarray(25, 60)]);
    expect([...joined]).toEqual([...buffer.subarray(10, 60)]);
    expect(joined.buffer).toBe(buffer.buffer);
    // a gap, another buffer, parts out of order: copied
    for (const parts of [
      [buffer.subarray(0, 10), buffer.subarray(11, 20)],
      [buffer.subarray(0, 10), buffer.slice(10, 20)],
      [buffer.subarray(10, 20), buffer.subarray(0, 10)],
    ]) {
      const copy = concatBytes(parts);
      expect([...copy]).toEqual(parts.flatMap((p) => [...p]));
      expect(copy.buffer).not.toBe(buffer.buffer);
    }
    expect(concatBytes([]).length).toBe(0);
  });
});
