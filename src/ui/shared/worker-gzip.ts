// gzip for the extension's pages: CompressionStream in a worker (gzip-worker.ts),
// in parallel with the page making the export's pieces; gunzip stays on the
// page (DecompressionStream is quick, and the import needs the bytes here).

import { webStreamsGzip, type GzipCodec } from '../../core/gzip';

/** `createWorker` makes a gzip-worker.ts worker (the URL differs between the extension's build and the bench page). */
export function workerGzip(createWorker: () => Worker): GzipCodec {
  return {
    async gzip(pieces) {
      let worker: Worker;
      try {
        worker = createWorker();
      } catch {
        return webStreamsGzip.gzip(pieces); // no workers here
      }
      try {
        const result = new Promise<Uint8Array>((resolve, reject) => {
          worker.onmessage = (e: MessageEvent<ArrayBuffer | { error: string }>) =>
            e.data instanceof ArrayBuffer ? resolve(new Uint8Array(e.data)) : reject(new Error(`gzip failed: ${e.data.error}`));
          worker.onerror = (e) => reject(new Error(`gzip worker failed: ${e.message}`));
        });
        for (const piece of pieces) {
          // a piece that is a view of a larger buffer is copied: only whole buffers can be handed over
          const own = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength ? piece : piece.slice();
          worker.postMessage(own, [own.buffer as ArrayBuffer]);
        }
        worker.postMessage('end');
        return await result;
      } finally {
        worker.terminate();
      }
    },
    gunzip: webStreamsGzip.gunzip,
  };
}

/** The codec of the extension's pages. */
export const pageGzip = workerGzip(() => new Worker(new URL('./gzip-worker.ts', import.meta.url), { type: 'module' }));
