// One entry point for every export format, as bytes ready to save.

import { gzip } from './chunk';
import { csvChunks, exportCsv } from './csv';
import type { SessionDump } from './dump';
import { exportInternals } from './internals-export';
import { exportRtcstats } from './rtcstats';
import type { SessionRecord } from './session';

export type ExportFormat = 'rtcstats' | 'internals' | 'csv';

export interface ExportOptions {
  /** gzip-compress the output (CompressionStream; every reader of these formats takes .gz) */
  gzip?: boolean;
}

export function exportText(dump: SessionDump, format: ExportFormat): string {
  switch (format) {
    case 'rtcstats':
      return exportRtcstats(dump.session, dump.events);
    case 'internals':
      return exportInternals(dump);
    case 'csv':
      return exportCsv(dump);
    default:
      throw new Error(`unknown export format ${String(format as unknown)}`);
  }
}

export async function exportDump(dump: SessionDump, format: ExportFormat, options: ExportOptions = {}): Promise<Uint8Array> {
  // CSV is encoded piece by piece: a long session's CSV is larger than a string can be
  const bytes = format === 'csv' ? encodeChunks(csvChunks(dump)) : new TextEncoder().encode(exportText(dump, format));
  return options.gzip ? gzip(bytes) : bytes;
}

function encodeChunks(chunks: Iterable<string>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const chunk of chunks) {
    const part = encoder.encode(chunk);
    parts.push(part);
    length += part.length;
  }
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
