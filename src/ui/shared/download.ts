// Saving a file from an extension page: a Blob and an <a download> click
// (no `downloads` permission needed).

export function saveFile(bytes: Uint8Array | string | Blob, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // the download has started from the URL; keep it a while for slow disks, then free the memory
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A Blob of an export's pieces (see exportPieces), made as they come: the
 * pieces are let go `joinEvery` bytes (64 MB) at a time, and a long
 * session's CSV need not fit in one array (a few hours of calls are more
 * than 2 GB).
 */
export function piecesBlob(pieces: Iterable<Uint8Array>, type: string, joinEvery = 1 << 26): Blob {
  let blob = new Blob([], { type });
  let parts: BlobPart[] = [];
  let bytes = 0;
  for (const piece of pieces) {
    parts.push(piece as Uint8Array<ArrayBuffer>);
    bytes += piece.length;
    if (bytes < joinEvery) continue;
    blob = new Blob([blob, ...parts], { type }); // (a Blob of Blobs refers to them: nothing is copied again)
    parts = [];
    bytes = 0;
  }
  return new Blob([blob, ...parts], { type });
}

export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
