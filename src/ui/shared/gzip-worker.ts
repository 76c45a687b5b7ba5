// A dedicated worker that gzips what the page sends it, so that the page goes
// on making the next pieces of an export while this thread compresses.
// Messages in: a Uint8Array piece (transferred), then 'end'. Out: the gzip
// bytes (transferred), or { error }.

const stream = new CompressionStream('gzip');
const writer = stream.writable.getWriter();
const output = new Response(stream.readable).arrayBuffer();
let failed = false;

self.onmessage = (e: MessageEvent<Uint8Array<ArrayBuffer> | 'end'>) => {
  if (failed) return;
  if (e.data !== 'end') {
    writer.write(e.data).catch(fail); // queued: CompressionStream takes them in order
    return;
  }
  writer
    .close()
    .then(() => output)
    .then((bytes) => self.postMessage(bytes, { transfer: [bytes] }))
    .catch(fail);
};

function fail(error: unknown): void {
  if (failed) return;
  failed = true;
  self.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
