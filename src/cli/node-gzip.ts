// gzip for the command line: Node's own zlib streams. Node's CompressionStream
// is an adapter over the same zlib whose per-chunk cost is several times
// zlib's own work on a large dump.

import { createGzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GunzipError, isTruncation, type GzipCodec } from '../core/gzip';

const gunzipAsync = promisify(gunzip);

export const nodeGzip: GzipCodec = {
  async gzip(pieces) {
    const stream = createGzip();
    const out: Buffer[] = [];
    stream.on('data', (b: Buffer) => out.push(b));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    for (const piece of pieces) {
      stream.write(piece);
      // zlib compresses on a pool thread; its callbacks (and the next piece's
      // start) wait for this thread to turn the event loop
      await nextTurn();
    }
    stream.end();
    await ended;
    const total = Buffer.concat(out);
    return new Uint8Array(total.buffer, total.byteOffset, total.length);
  },

  async gunzip(bytes, maxBytes) {
    try {
      const out = await gunzipAsync(bytes, { maxOutputLength: Number.isFinite(maxBytes) ? Math.max(1, maxBytes) : undefined });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new GunzipError('too-large');
      throw new GunzipError(isTruncation(e) ? 'truncated' : 'corrupt', e instanceof Error ? e.message.slice(0, 80) : '');
    }
  },
};
