// gzip for the extension's pages: CompressionStream in a worker (gzip-worker.ts),
// in parallel with the page making the export's pieces; gunzip stays on the
// page (DecompressionStream is quick, and the import needs the bytes here).
//
// Chromium hands a posted message to the worker only once the page's thread
// turns its event loop: posted in one synchronous loop, every piece reached
// the worker after the last was written, and nothing overlapped. So the page
// yields a task every few pieces (the rtcstats gzip of a 1-hour session:
// 1.9-2.1 s before, 1.1-1.3 s since).

import { webStreamsGzip, type GzipCodec } from '../../core/gzip';

/** pieces (of some 64 KB) posted between two turns of the event loop */
const PIECES_PER_TURN = 4;

/** A new task: a message to ourselves (a timer may be held back 4 ms or more). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

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
        let posted = 0; // pieces, and pauses
        for (const piece of pieces) {
          if (piece.length > 0) {
            // a piece that is a view of a larger buffer is copied: only whole buffers can be handed over
            const own = piece.byteOffset === 0 && piece.byteLength === piece.buffer.byteLength ? piece : piece.slice();
            worker.postMessage(own, [own.buffer as ArrayBuffer]);
          }
          if (++posted % PIECES_PER_TURN === 0) await nextTask(); // (a pause, an empty piece, counts as a piece)
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
