// Saving a file from an extension page: a Blob and an <a download> click
// (no `downloads` permission needed).

export function saveFile(bytes: Uint8Array | string, fileName: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
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

export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
