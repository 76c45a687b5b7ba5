// importDump on bad input: each gives a DumpImportError whose message names
// the problem, and nothing else (no other exception type, no partial result).
// Large inputs are built in the test; they must complete (import or fail),
// with no bound on how long beyond the test timeout.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump, DEFAULT_MAX_BYTES } from '../../src/core/import';
import { DumpImportError } from '../../src/core/dump';
import { DumpFormatError, readRtcstats } from '../../src/core/rtcstats';
import { FIXTURES_DIR } from './support/fixtures';

const FIXTURES = FIXTURES_DIR;
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const MiB = 1024 * 1024;

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
}

async function failure(input: Uint8Array, options?: { maxBytes?: number }): Promise<DumpImportError> {
  let error: unknown = null;
  try {
    await importDump(input, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DumpImportError);
  const e = error as DumpImportError;
  expect(e.name).toBe('DumpImportError');
  expect(e.message).not.toMatch(/could not read the dump/); // the catch-all for reader bugs
  expect(e.message).not.toContain('\n');
  return e;
}

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = a >>> 24;
  }
  return out;
}

describe('bad input', () => {
  it('an empty file', async () => {
    expect((await failure(new Uint8Array(0))).message).toBe('the file is empty');
    expect((await failure(enc(' \n\r\n\t'))).message).toBe('the file is empty (only white space)');
  });

  it('random bytes', async () => {
    for (const seed of [1, 2, 3]) {
      expect((await failure(randomBytes(4096, seed))).message).toMatch(/^not a known dump format: the file is not text; expected an rtcstats dump/);
    }
  });

  it('text that is no dump', async () => {
    expect((await failure(enc('hello world\nthis is not a dump\n'))).message).toMatch(/^not a known dump format: line 1 is neither JSON nor "RTCStatsDump"/);
    expect((await failure(enc('RTCStatsDump'))).message).toBe('line 1: the file ends after the "RTCStatsDump" line');
    expect((await failure(enc('RTCStatsDumpX\n{}\n'))).message).toMatch(/^not a known dump format: line 1 starts with "RTCStatsDump"/);
  });

  it('valid JSON of the wrong shape', async () => {
    expect((await failure(enc('[1,2,3]'))).message).toMatch(/^not a known dump format: line 1 is a JSON array but not an rtcstats event/);
    expect((await failure(enc('{"a":1}'))).message).toMatch(/^not a known dump format: valid JSON, but an object without "PeerConnections"/);
    expect((await failure(enc('{\n "PeerConnections": 5\n}'))).message).toMatch(/^not a known dump format: valid JSON, but an object without/);
    expect((await failure(enc('"just a string"'))).message).toMatch(/^not a known dump format: line 1 is neither JSON nor/);
    expect((await failure(enc('null'))).message).toMatch(/^not a known dump format/);
    // the right header, then the wrong things
    expect((await failure(enc('RTCStatsDump\n[3]\n'))).message).toBe('line 2: metadata is not an object');
    expect((await failure(enc('RTCStatsDump\n{"fileFormat":3}\n["create",null]\n'))).message).toBe('line 3: an event needs method, connection, value and time');
    expect((await failure(enc('RTCStatsDump\n{"fileFormat":3}\n["create",{"pc":1},{},5]\n'))).message).toMatch(/^line 3: the connection id/);
    expect((await failure(enc('["connectionInfo",null,5,1]\n'))).message).toBe('line 1: connectionInfo (the third element) is not an object');
    expect((await failure(enc('["connectionInfo",null,{},1]\n["create","PC_0",{},"soon"]\n'))).message).toBe('line 2: time (the fourth element) is not a number');
  });

  it('a line that is not JSON names its line', async () => {
    const ok = JSON.stringify(['create', 'PC_0', {}, 1]);
    const text = ['RTCStatsDump', '{"fileFormat":3}', ok, ok, '["createOffer", "PC_0", {', ok, ''].join('\n');
    expect((await failure(enc(text))).message).toMatch(/^line 5: not JSON \(/);
    const legacy = ['{"fileFormat":2}', ok, 'garbage', ok].join('\n');
    expect((await failure(enc(legacy))).message).toMatch(/^line 3: not JSON/);
  });

  it('a file cut off in the middle of a line or of the JSON document', async () => {
    const jitsi = readFileSync(`${FIXTURES}/jitsi/safari-standard-stats.jsonl`);
    const cut = new Uint8Array(jitsi.subarray(0, Math.floor(jitsi.length / 2)));
    expect((await failure(cut)).message).toMatch(/^line \d+: not JSON \(.*\); the file seems to be cut off$/);
    const internals = readFileSync(`${FIXTURES}/internals/chrome147-two-pc-loopback.json`);
    expect((await failure(new Uint8Array(internals.subarray(0, 100_000)))).message).toBe('the JSON document is incomplete: the file seems to be cut off');
    const broken = enc(readFileSync(`${FIXTURES}/legacy/chrome48-format0.json`, 'utf8').replace('"getUserMedia": [', '"getUserMedia": [,'));
    expect((await failure(broken)).message).toMatch(/^line 5: not JSON at column \d+/);
  });

  it('truncated and corrupt gzip data', async () => {
    const gz = new Uint8Array(readFileSync(`${FIXTURES}/internals/chrome142-gum-only.json.gz`));
    for (const n of [2, 10, gz.length - 20, gz.length - 1]) {
      expect((await failure(gz.subarray(0, n))).message).toBe('gzip data is truncated: the file was cut off');
    }
    const corrupt = new Uint8Array(gz);
    for (let i = 12; i < 40; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    expect((await failure(corrupt)).message).toMatch(/^gzip data is (corrupt|truncated)/);
    const crc = new Uint8Array(gz);
    crc[gz.length - 6] = crc[gz.length - 6]! ^ 0xff; // the CRC-32 of the trailer
    expect((await failure(crc)).message).toMatch(/^gzip data is corrupt/);
    expect((await failure(await gzip(enc('no dump inside')))).message).toMatch(/^not a known dump format/);
    expect((await failure(await gzip(new Uint8Array(0)))).message).toBe('the file is empty (after gzip decompression)');
  });

  it('not bytes', async () => {
    expect((await failure('RTCStatsDump\n' as unknown as Uint8Array)).message).toBe('the input is not bytes');
  });

  it('readRtcstats throws the same error class', () => {
    expect(DumpFormatError).toBe(DumpImportError);
    expect(() => readRtcstats('nope')).toThrow(DumpImportError);
  });
});

describe('large input', () => {
  it('a single 10 MB line: garbage, a cut-off JSON line, and one that reads', async () => {
    const garbage = new Uint8Array(10 * MiB).fill(0x78);
    expect((await failure(garbage)).message).toMatch(/^not a known dump format: line 1 is neither JSON/);
    const big = 'x'.repeat(10 * MiB);
    const cut = `RTCStatsDump\n{"fileFormat":3}\n[":blob",null,"${big}`;
    expect((await failure(enc(cut))).message).toMatch(/^line 3: not JSON \(.*\); the file seems to be cut off$/);
    const r = await importDump(enc(`RTCStatsDump\n{"fileFormat":3}\n[":blob",null,"${big}",1700000000000]\n`));
    expect(r.dump.events).toHaveLength(1);
    expect((r.dump.events[0]!.value as string).length).toBe(10 * MiB);
  });

  it('200 MB above maxBytes is refused before anything is read', async () => {
    const input = new Uint8Array(200 * MiB);
    expect((await failure(input, { maxBytes: 100 * MiB })).message).toBe('the file is 200.0 MiB, more than the limit of 100.0 MiB');
    expect(DEFAULT_MAX_BYTES).toBeGreaterThanOrEqual(200 * MiB);
  }, 120_000);

  it('200 MB of valid lines imports (within the default limit)', async () => {
    // RTCStatsDump, metadata, then 200 lines [":blob",null,"xxx...(1 MiB)",1]
    const header = enc('RTCStatsDump\n{"fileFormat":3,"url":"https://big.example/"}\n');
    const lineCount = 200;
    const body = MiB;
    const pre = enc('[":blob",null,"');
    const post = enc('",1]\n');
    const lineLength = pre.length + body + post.length;
    const input = new Uint8Array(header.length + lineCount * lineLength).fill(0x78);
    input.set(header, 0);
    for (let i = 0; i < lineCount; i++) {
      const at = header.length + i * lineLength;
      input.set(pre, at);
      input.set(post, at + pre.length + body);
    }
    expect(input.length).toBeGreaterThan(200 * MiB);
    const r = await importDump(input);
    expect(r.format).toBe('rtcstats');
    expect(r.dump.events).toHaveLength(lineCount);
    expect(r.dump.events.at(-1)!.t).toBe(lineCount);
  }, 120_000);

  it('200 MB of garbage fails with the format named', async () => {
    const input = randomBytes(200 * MiB, 7);
    input[0] = 0x7b; // "{": not JSON, read as a JSON document
    const e = await failure(input);
    expect(e.message).toMatch(/^not a known dump format: the file is not text/);
  }, 120_000);

  it('gzip that decompresses past maxBytes is stopped', async () => {
    const zeros = await gzip(new Uint8Array(200 * MiB));
    expect(zeros.length).toBeLessThan(MiB);
    expect((await failure(zeros, { maxBytes: 50 * MiB })).message).toBe('the gzip data decompresses to more than the limit of 50.0 MiB');
  }, 120_000);
});
