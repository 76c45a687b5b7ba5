// One entry point for every export format, as bytes ready to save.

import { csvChunks } from './csv';
import type { SessionDump } from './dump';
import { internalsPieces } from './internals-export';
import { rtcstatsPieces } from './rtcstats';
import type { SessionRecord } from './session';

export type ExportFormat = 'rtcstats' | 'internals' | 'csv';

export interface ExportOptions {
  /** gzip-compress the output (CompressionStream; every reader of these formats takes .gz) */
  gzip?: boolean;
}

export function exportText(dump: SessionDump, format: ExportFormat): string {
  return [...exportPieces(dump, format)].join('');
}

/**
 * Pieces of 64 K characters: a long session's CSV is larger than a string can
 * be, and gzip compresses a piece while the next is written (Node's
 * CompressionStream runs zlib on another thread, which comes back to this one
 * for every 16 KB of output: a piece should compress to less).
 */
const PIECE_CHARS = 1 << 16;

/** The text of a format in pieces of about PIECE_CHARS characters. */
export function exportPieces(dump: SessionDump, format: ExportFormat): Iterable<string> {
  switch (format) {
    case 'rtcstats':
      return rtcstatsPieces(dump.session, dump.events, PIECE_CHARS);
    case 'internals':
      return internalsPieces(dump, PIECE_CHARS);
    case 'csv':
      return csvChunks(dump, PIECE_CHARS);
    default:
      throw new Error(`unknown export format ${String(format as unknown)}`);
  }
}

export async function exportDump(dump: SessionDump, format: ExportFormat, options: ExportOptions = {}): Promise<Uint8Array> {
  const pieces = exportPieces(dump, format);
  return options.gzip ? gzipPieces(pieces) : encodePieces(pieces);
}

function encodePieces(pieces: Iterable<string>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const piece of pieces) parts.push(encoder.encode(piece));
  return concat(parts);
}

/** gzip of the pieces' UTF-8, each piece handed to the compressor as soon as it is written. */
async function gzipPieces(pieces: Iterable<string>): Promise<Uint8Array> {
  const stream = new CompressionStream('gzip');
  const output = readAll(stream.readable);
  const writer = stream.writable.getWriter();
  const encoder = new TextEncoder();
  try {
    // one piece in the compressor while the next is written
    let previous: Promise<void> = Promise.resolve();
    for (const piece of pieces) {
      const bytes = encoder.encode(piece);
      await previous;
      previous = writer.write(bytes);
    }
    await previous;
    await writer.close();
  } catch (e) {
    void writer.abort(e).catch(() => {});
    void output.catch(() => {});
    throw e;
  }
  return output;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(parts);
    parts.push(value);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
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
 * `webrtc-lens_<host>_<start, UTC>.<format>[.gz]`, e.g.
 * `webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.rtcstats.jsonl.gz`:
 * safe on every file system, sorts by time for one host.
 */
export function exportFileName(session: Pick<SessionRecord, 'url' | 'origin' | 'startTime'>, format: ExportFormat, gzipped = false): string {
  let host: string;
  try {
    host = new URL(session.url).hostname;
  } catch {
    host = session.origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  }
  host = host.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(0, 80) || 'page';
  const d = new Date(session.startTime);
  const when = Number.isNaN(d.getTime()) ? 'unknown-time' : d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `webrtc-lens_${host}_${when}.${EXTENSIONS[format]}${gzipped ? '.gz' : ''}`;
}
