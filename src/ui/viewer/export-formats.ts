// The exports the viewer's Export bar offers (the bench marks the others), and
// what it saves for each.

import { EXPORT_MIME_TYPES, exportDump, exportPieces, type ExportFormat } from '../../core/export';
import type { SessionDump } from '../../core/dump';
import type { GzipCodec } from '../../core/gzip';
import type { FileContent } from '../shared/download';

export const VIEWER_EXPORTS: readonly { label: string; format: ExportFormat; gzip: boolean }[] = [
  { label: 'rtcstats', format: 'rtcstats', gzip: false },
  { label: 'rtcstats .gz', format: 'rtcstats', gzip: true },
  { label: 'webrtc-internals', format: 'internals', gzip: false },
  { label: 'CSV', format: 'csv', gzip: false },
];

/** What saveFile is given for an export: a gzip (a few megabytes) made first; a plain export made into the file piece by piece. */
export async function exportFile(dump: SessionDump, format: ExportFormat, gzip: boolean, codec: GzipCodec): Promise<{ content: FileContent; type: string }> {
  if (gzip) return { content: await exportDump(dump, format, { gzip, codec }), type: 'application/gzip' };
  return { content: () => exportPieces(dump, format, 'copied'), type: EXPORT_MIME_TYPES[format] };
}
