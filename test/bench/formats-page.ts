// The formats bench in a Chromium page: what the viewer does on Export (gzip
// in a worker, as src/ui/shared/worker-gzip.ts does in the extension) and Open dump.

import { measureFormats } from './formats';
import { workerGzip } from '../../src/ui/shared/worker-gzip';

(window as unknown as { bench: Promise<unknown> }).bench = measureFormats(workerGzip(() => new Worker('gzip-worker.js', { type: 'module' })));
