// gzip for the command line: Node's own zlib, with output chunks of 1 MB.
// zlib runs on a pool thread and comes back to this one for every output
// chunk: at the default 16 KB (which Node's DecompressionStream also uses)
// a 70 MB dump took 0.8 s to gunzip instead of 0.3 s.

import { createGzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { GunzipError, isTruncation, type GzipCodec } from '../core/gzip';

const gunzipAsync = promisify(gunzip);
const CHUNK_SIZE = 1 << 20;

export const nodeGzip: GzipCodec = {
  async gzip(pieces) {
    const stream = createGzip({ chunkSize: CHUNK_SIZE });
    const out: Buffer[] = [];
    stream.on('data', (b: Buffer) => out.push(b));
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    // zlib compresses a write on a pool thread, but it is this thread's event
    // loop that starts the next write: while this thread writes pieces, zlib
    // would compress one piece a turn and then wait. So the pieces wait here,
    // and zlib is given all of them at once whenever it has nothing left.
    let waiting: Uint8Array[] = [];
    const giveWaiting = () => {
      stream.write(waiting.length === 1 ? waiting[0]! : Buffer.concat(waiting));
      waiting = [];
    };
    for (const piece of pieces) {
      if (piece.length > 0) waiting.push(piece);
      if (waiting.length > 0 && stream.writableLength === 0) giveWaiting();
      await nextTurn(); // (at a pause too: zlib's callbacks run in this turn)
    }
    if (waiting.length > 0) giveWaiting();
    stream.end();
    await ended;
    const total = Buffer.concat(out);
    return new Uint8Array(total.buffer, total.byteOffset, total.length);
  },

  async gunzip(bytes, maxBytes) {
    try {
      const out = await gunzipAsync(bytes, { chunkSize: CHUNK_SIZE, maxOutputLength: Number.isFinite(maxBytes) ? Math.max(1, maxBytes) : undefined });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new GunzipError('too-large');
      throw new GunzipError(isTruncation(e) ? 'truncated' : 'corrupt', e instanceof Error ? e.message.slice(0, 80) : '');
    }
  },
};
