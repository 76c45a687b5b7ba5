// Saving a file from an extension page: a Blob and an <a download> click
// (no `downloads` permission needed).
//
// An export is made into the Blob part by part, as its pieces come: each
// part goes to the browser (another process, in Chromium) while the next is
// made, and the export reuses its memory (see PieceUse). Made whole first and
// then copied into a Blob, the CSV of an hour of 4 connections took some 2-5 s
// before its download could start, instead of 1.5 s.
//
// Chromium keeps the Blobs of a profile in memory up to a limit (500 MB in
// its defaults) and, where it cannot move them to disk, breaks a larger one:
// its download is cancelled, with nothing said. A long session's CSV is
// larger than that (4 connections for 2 hours: 645 MB). So a Blob is first
// read back (its last byte); when it cannot be read, the export is made again
// into a file in the extension's own file system (the origin private file
// system, on disk) and that file is downloaded instead.

import { chunks } from '../../core/export';

/**
 * What to save: bytes, or a function that makes them in pieces, each copied
 * before the next is asked for (exportPieces(..., 'copied')). It is called a
 * second time when the file has to be written to disk.
 */
export type FileContent = Uint8Array | (() => Iterable<Uint8Array>);

/** The folder of the origin private file system that holds large files being saved. */
const SAVING_FOLDER = 'saving';
/** Bytes per part of a Blob. */
const PART_BYTES = 4 << 20;
/** Bytes per write to a file on disk. */
const WRITE_BYTES = 32 << 20;
/** How long a file written for a download is kept: the download has long finished by then. */
const KEEP_SAVED_MS = 10 * 60_000;

export async function saveFile(content: FileContent, fileName: string, type = 'application/octet-stream'): Promise<void> {
  const blob = await wholeBlob(content, type);
  const url = URL.createObjectURL(blob);
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

/** The content as a Blob that the browser holds whole: in memory, or else on disk. */
export async function wholeBlob(content: FileContent, type: string): Promise<Blob> {
  const pieces = typeof content === 'function' ? content : () => [content];
  const parts: Blob[] = [];
  for (const chunk of chunks(pieces(), PART_BYTES)) parts.push(new Blob([chunk]));
  const blob = new Blob(parts, { type });
  return (await readable(blob)) ? blob : onDisk(blob.size, pieces, type);
}

/** Whether the browser holds all of the Blob (reading its last byte waits for the whole to arrive). */
async function readable(blob: Blob): Promise<boolean> {
  if (blob.size === 0) return true;
  try {
    await blob.slice(blob.size - 1).arrayBuffer();
    return true;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'NotReadableError') return false;
    throw e;
  }
}

/** The content made again into a file on disk (origin private file system), to download from there: the browser could not keep its `size` bytes as a Blob. */
async function onDisk(size: number, pieces: () => Iterable<Uint8Array>, type: string): Promise<Blob> {
  try {
    const folder = await savingFolder();
    await removeSavedFiles(folder, KEEP_SAVED_MS);
    const handle = await folder.getFileHandle(`${Date.now()}-${crypto.randomUUID()}`, { create: true });
    const writable = await handle.createWritable();
    try {
      // a write has copied its chunk once it is done (the next chunk is the same memory)
      for (const chunk of chunks(pieces(), WRITE_BYTES)) await writable.write(chunk as FileSystemWriteChunkType);
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => undefined);
      await folder.removeEntry(handle.name).catch(() => undefined);
      throw e;
    }
    setTimeout(() => void folder.removeEntry(handle.name).catch(() => undefined), KEEP_SAVED_MS);
    const file = await handle.getFile();
    return file.slice(0, file.size, type); // (still the file on disk, with the type)
  } catch (e) {
    throw new Error(`the browser could not keep the ${Math.round(size / 1e6)} MB file in memory, nor write it to disk to save it (${errorMessage(e)})`, { cause: e });
  }
}

const savingFolder = async (): Promise<FileSystemDirectoryHandle> =>
  (await navigator.storage.getDirectory()).getDirectoryHandle(SAVING_FOLDER, { create: true });

/** Removes the files written for downloads more than `olderThanMs` ago. */
async function removeSavedFiles(folder: FileSystemDirectoryHandle, olderThanMs: number): Promise<void> {
  for await (const [name, handle] of folder.entries()) {
    const file = handle.kind === 'file' ? await (handle as FileSystemFileHandle).getFile().catch(() => null) : null;
    if (!file || Date.now() - file.lastModified > olderThanMs) await folder.removeEntry(name, { recursive: true }).catch(() => undefined);
  }
}

/** Removes what saveFile wrote to disk for downloads that have long finished (pages that save call it when they open). */
export async function removeOldSavedFiles(): Promise<void> {
  await removeSavedFiles(await savingFolder(), KEEP_SAVED_MS);
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
