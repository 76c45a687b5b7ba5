// gzip in one place. Exports, imports and the stored chunks compress through
// a GzipCodec: by default the web's CompressionStream and DecompressionStream
// (every browser, Node 20). Node's command line passes its own zlib
// (src/cli/node-gzip.ts): there the web streams are an adapter over zlib that
// costs several times what zlib itself does.

export interface GzipCodec {
  /**
   * gzip of the pieces, concatenated; a piece should be compressing while the
   * next is made. An empty piece is a pause (see exportPieces): a place to let
   * the compressor have what it was given.
   */
  gzip(pieces: Iterable<Uint8Array>): Promise<Uint8Array>;
  /** the decompressed bytes, or a GunzipError; stops as soon as the output passes `maxBytes` */
  gunzip(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

export type GunzipProblem = 'truncated' | 'corrupt' | 'too-large';

export class GunzipError extends Error {
  constructor(
    readonly problem: GunzipProblem,
    detail = '',
  ) {
    super(`gzip data ${problem === 'truncated' ? 'is truncated' : problem === 'too-large' ? 'decompresses to more than the limit' : 'is corrupt'}${detail ? ` (${detail})` : ''}`);
    this.name = 'GunzipError';
  }
}

/** Whether a decompressor's error says the input ended early (zlib and browsers word it differently). */
export function isTruncation(e: unknown): boolean {
  const what = `${e instanceof Error ? e.message : String(e)} ${String((e as { code?: unknown } | null)?.code ?? '')}`;
  return /unexpected end|truncat|Z_BUF_ERROR|end of (the )?(stream|input|data)/i.test(what);
}

/** The parts joined; parts that are consecutive views of one buffer are joined as one view, without a copy. */
export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  let consecutive = parts.length > 0;
  for (const part of parts) {
    consecutive &&= part.buffer === parts[0]!.buffer && part.byteOffset === parts[0]!.byteOffset + length;
    length += part.length;
  }
  if (consecutive) return new Uint8Array(parts[0]!.buffer, parts[0]!.byteOffset, length);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes = Infinity): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(parts);
    total += value.length;
    if (total > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new GunzipError('too-large');
    }
    parts.push(value);
  }
}

export const webStreamsGzip: GzipCodec = {
  async gzip(pieces) {
    const stream = new CompressionStream('gzip');
    const output = readAll(stream.readable);
    const writer = stream.writable.getWriter();
    try {
      // one piece in the compressor while the next is made
      let previous: Promise<void> = Promise.resolve();
      for (const piece of pieces) {
        if (piece.length === 0) continue; // (a pause: this thread compresses anyway)
        await previous;
        previous = writer.write(piece as Uint8Array<ArrayBuffer>);
      }
      await previous;
      await writer.close();
    } catch (e) {
      void writer.abort(e).catch(() => {});
      void output.catch(() => {});
      throw e;
    }
    return output;
  },

  async gunzip(bytes, maxBytes) {
    try {
      return await readAll(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip')), maxBytes);
    } catch (e) {
      if (e instanceof GunzipError) throw e;
      throw new GunzipError(isTruncation(e) ? 'truncated' : 'corrupt', e instanceof Error ? e.message.slice(0, 80) : '');
    }
  },
};
