// The formats bench in a Chromium page: what the viewer does on Export (the
// Blob it saves: a plain export made into it piece by piece, a gzip made in a
// worker, as src/ui/shared/worker-gzip.ts does in the extension) and Open dump.

import { measureFormats } from './formats';
import { workerGzip } from '../../src/ui/shared/worker-gzip';
import { wholeBlob } from '../../src/ui/shared/download';
import { exportFile } from '../../src/ui/viewer/export-formats';

const codec = workerGzip(() => new Worker('gzip-worker.js', { type: 'module' }));
(window as unknown as { bench: Promise<unknown> }).bench = measureFormats(codec, async (dump, format, gzip) => {
  const { content, type } = await exportFile(dump, format, gzip, codec);
  return wholeBlob(content, type);
});
