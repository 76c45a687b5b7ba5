// One entry point for every export format, as bytes ready to save.

import { csvPieces, type PieceUse } from './csv';
import type { SessionDump } from './dump';
import { concatBytes, webStreamsGzip, type GzipCodec } from './gzip';
import { internalsPieces } from './internals-export';
import { rtcstatsPieces } from './rtcstats';
import type { SessionRecord } from './session';

export type ExportFormat = 'rtcstats' | 'internals' | 'csv';

export interface ExportOptions {
  /** gzip-compress the output (every reader of these formats takes .gz) */
  gzip?: boolean;
  /** how to gzip; default the web's CompressionStream */
  codec?: GzipCodec;
}

/** The export as one string (for what must be text; a long session's CSV is too large for one). */
export function exportText(dump: SessionDump, format: ExportFormat): string {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let text = '';
  for (const piece of exportPieces(dump, format)) text += decoder.decode(piece, { stream: true });
  return text + decoder.decode();
}

/**
 * Pieces of about 64 KB: a long session's CSV is larger than a string can
 * be, and gzip compresses a piece while the next is written.
 */
const PIECE_SIZE = 1 << 16;

/**
 * The UTF-8 of a format in pieces of about PIECE_SIZE bytes. The JSON formats
 * are written as text (PIECE_SIZE characters) and encoded piece by piece; the
 * CSV, mostly the same bytes again and again, is written as bytes directly.
 * An empty piece is a pause in a long stretch of work that writes nothing
 * (webrtc-internals builds a connection's series before writing them): a
 * consumer that turns its event loop there lets a gzip on another thread go
 * on with the pieces it has. `use`: how long the caller needs a piece (see
 * PieceUse).
 */
export function exportPieces(dump: SessionDump, format: ExportFormat, use: PieceUse = 'kept'): Iterable<Uint8Array<ArrayBuffer>> {
  switch (format) {
    case 'rtcstats':
      return encoded(rtcstatsPieces(dump.session, dump.events, PIECE_SIZE));
    case 'internals':
      return encoded(internalsPieces(dump, PIECE_SIZE));
    case 'csv':
      return csvPieces(dump, PIECE_SIZE, use);
    default:
      throw new Error(`unknown export format ${String(format as unknown)}`);
  }
}

export async function exportDump(dump: SessionDump, format: ExportFormat, options: ExportOptions = {}): Promise<Uint8Array> {
  if (options.gzip) return (options.codec ?? webStreamsGzip).gzip(exportPieces(dump, format));
  return concatBytes([...exportPieces(dump, format, 'joined')].filter((piece) => piece.length > 0));
}

/**
 * The pieces copied into chunks of `size` bytes (the last one smaller), for
 * a writer that is done with a chunk before it asks for the next (a Blob, a
 * file): every chunk is the same memory, a view valid until the next. The
 * pieces may be 'copied' ones (see PieceUse).
 */
export function* chunks(pieces: Iterable<Uint8Array>, size: number): Generator<Uint8Array<ArrayBuffer>> {
  const chunk = new Uint8Array(size);
  let filled = 0;
  for (const piece of pieces) {
    for (let at = 0; at < piece.length; ) {
      const n = Math.min(piece.length - at, size - filled);
      chunk.set(piece.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield chunk;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}

function* encoded(pieces: Iterable<string>): Generator<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  for (const piece of pieces) yield piece === '' ? new Uint8Array(0) : encoder.encode(piece);
}

const EXTENSIONS: Record<ExportFormat, string> = {
  rtcstats: 'rtcstats.jsonl',
  internals: 'webrtc-internals.json',
  csv: 'stats.csv',
};

export const EXPORT_MIME_TYPES: Record<ExportFormat, string> = {
  rtcstats: 'application/jsonl',
  internals: 'application/json',
  csv: 'text/csv',
};

/**
 * `webrtc-lens_<host>_<start, UTC>[_<n>-page-loads].<format>[.gz]`, e.g.
 * `webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.rtcstats.jsonl.gz`:
 * safe on every file system, sorts by time for one host. `pageLoads`: of a
 * tab's page loads merged into one dump (src/core/tab.ts), how many.
 */
export function exportFileName(session: Pick<SessionRecord, 'url' | 'origin' | 'startTime'>, format: ExportFormat, gzipped = false, pageLoads = 1): string {
  let host: string;
  try {
    host = new URL(session.url).hostname;
  } catch {
    host = session.origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  }
  host = host.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(0, 80) || 'page';
  const d = new Date(session.startTime);
  const when = Number.isNaN(d.getTime()) ? 'unknown-time' : d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `webrtc-lens_${host}_${when}${pageLoads > 1 ? `_${pageLoads}-page-loads` : ''}.${EXTENSIONS[format]}${gzipped ? '.gz' : ''}`;
}
