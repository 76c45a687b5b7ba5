// Reads any dump the extension knows into the one model (dump.ts): the same
// session record and trace the live capture stores. The format is found from
// the bytes, never from a file name:
//   1f 8b ...                         gzip: decompressed first (gzip.ts)
//   "RTCStatsDump\n" ...              rtcstats file format 3            formats/rtcstats-v3.ts
//   ["connectionInfo", ...] line 1    Jitsi's rtcstats fork             formats/jitsi.ts
//   {metadata} line 1, arrays after   legacy rtcstats (fileFormat 2)     formats/rtcstats-legacy.ts
//   one JSON object, peerConnections  legacy rtcstats "format 0"         formats/format0.ts
//     with event lists
//   one JSON object, PeerConnections  chrome://webrtc-internals          formats/internals-import.ts
//     with updateLog / stats
// Pure code: no DOM, no extension API, no Node modules (TextDecoder and
// DecompressionStream exist in Node 20 and in browsers).
//
// The imported session: a fresh id derived from the content ("import-" and a
// hash), tabId -1, url / origin / userAgent / start and end time from the dump
// where it has them (else the first and last event), one synthetic top frame,
// the connections with the dump's ids, events on frame 0 numbered 1..n. Line
// formats keep the file's order; single-object formats (webrtc-internals,
// format 0) have one list per connection and are merged by time. getStats
// values are stored as the capture stores them: complete samples marked
// `full`, deltas (stats-delta.ts) in between; completeStatsSamples() gives
// every sample back complete.
//
// Failure: a DumpImportError naming the problem; nothing is half-imported.

import { DumpImportError, type DumpFormat, type ImportResult } from './dump';
import { GunzipError, webStreamsGzip, type GzipCodec } from './gzip';
import { applyEventsToSession, type SessionRecord } from './session';
import type { StoredEvent } from './trace';
import { isPlainObject, lines, parseJsonDocument, parseJsonLine, Warnings, type FormatRead } from './formats/common';
import { isFormat0, readFormat0 } from './formats/format0';
import { isInternals, readInternals } from './formats/internals-import';
import { isJitsiFirstLine, readJitsi } from './formats/jitsi';
import { readRtcstatsLegacy, type FirstLine } from './formats/rtcstats-legacy';
import { isRtcstatsV3, readRtcstatsV3, RTCSTATS_MAGIC } from './formats/rtcstats-v3';

/** The default limit on the input (and on its decompressed size): about what one JavaScript string can hold. */
export const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;

export interface ImportOptions {
  /** reject inputs (and gzip contents) larger than this; default DEFAULT_MAX_BYTES */
  maxBytes?: number;
  /** how to gunzip; default the web's DecompressionStream */
  codec?: GzipCodec;
}

const EXPECTED =
  'expected an rtcstats dump (first line "RTCStatsDump"), a legacy rtcstats or Jitsi dump (JSON lines) ' +
  'or a webrtc-internals dump (one JSON object with "PeerConnections"), optionally gzip-compressed';

export async function importDump(bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  try {
    return await importBytes(bytes, options);
  } catch (e) {
    throw asImportError(e);
  }
}

function asImportError(e: unknown): DumpImportError {
  if (e instanceof DumpImportError) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError) return new DumpImportError(`the dump is too large or too deeply nested to read (${message})`);
  // Not expected: every reader checks what it reads. Still a bad dump to the caller.
  return new DumpImportError(`could not read the dump: ${message}`);
}

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${n} bytes`;
}

async function importBytes(bytes: Uint8Array, options: ImportOptions): Promise<ImportResult> {
  const maxBytes = options.maxBytes !== undefined && options.maxBytes > 0 ? options.maxBytes : DEFAULT_MAX_BYTES;
  if (!(bytes instanceof Uint8Array)) throw new DumpImportError('the input is not bytes');
  if (bytes.length === 0) throw new DumpImportError('the file is empty');
  if (bytes.length > maxBytes) {
    throw new DumpImportError(`the file is ${megabytes(bytes.length)}, more than the limit of ${megabytes(maxBytes)}`);
  }
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const data = gzip ? await gunzipLimited(bytes, maxBytes, options.codec ?? webStreamsGzip) : bytes;
  if (data.length === 0) throw new DumpImportError('the file is empty (after gzip decompression)');
  const encoding = textEncoding(data);
  if (looksBinary(new TextDecoder(encoding).decode(data.subarray(0, 4096)))) throw notKnown('the file is not text');
  const text = new TextDecoder(encoding).decode(data); // a leading BOM is dropped
  const warnings = new Warnings();
  const { format, read } = readAnyFormat(text, warnings);
  return buildResult(format, gzip, read, warnings, contentHash(data), data.length);
}

async function gunzipLimited(bytes: Uint8Array, maxBytes: number, codec: GzipCodec): Promise<Uint8Array> {
  try {
    return await codec.gunzip(bytes, maxBytes);
  } catch (e) {
    if (!(e instanceof GunzipError)) throw e;
    if (e.problem === 'too-large') throw new DumpImportError(`the gzip data decompresses to more than the limit of ${megabytes(maxBytes)}`);
    if (e.problem === 'truncated') throw new DumpImportError('gzip data is truncated: the file was cut off');
    throw new DumpImportError(e.message);
  }
}

function notKnown(why: string): DumpImportError {
  return new DumpImportError(`not a known dump format: ${why}; ${EXPECTED}`);
}

/** The first line with something on it. */
function firstLine(text: string): (FirstLine & { text: string; unterminated: boolean }) | null {
  let start = 0;
  for (const line of lines(text, 0, 1)) {
    const next = start + line.text.length + (line.unterminated ? 0 : text.charCodeAt(start + line.text.length) === 13 ? 2 : 1);
    if (line.text.trim().length > 0) return { value: undefined, text: line.text, number: line.number, start, next, unterminated: line.unterminated };
    start = next;
  }
  return null;
}

function hasContentAfter(text: string, offset: number): boolean {
  return /\S/.test(text.slice(offset, offset + 4096)) || (text.length > offset + 4096 && /\S/.test(text.slice(offset)));
}

/** UTF-8, or UTF-16 when the text starts with its byte order mark (a dump saved again by a Windows editor). */
function textEncoding(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return 'utf-16le';
  if (data[0] === 0xfe && data[1] === 0xff) {
    try {
      new TextDecoder('utf-16be');
      return 'utf-16be';
    } catch {
      return 'utf-8'; // no UTF-16BE decoder here: reported as not text
    }
  }
  return 'utf-8';
}

/** Replacement characters (bytes that are not UTF-8) or control characters in more than 0.5% of the head. */
function looksBinary(head: string): boolean {
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13)) odd++;
  }
  return odd > 0 && odd * 20 > head.length / 10;
}

function readAnyFormat(text: string, warnings: Warnings): { format: DumpFormat; read: FormatRead } {
  if (isRtcstatsV3(text)) return { format: 'rtcstats', read: readRtcstatsV3(text, warnings) };
  const first = firstLine(text);
  if (!first) throw new DumpImportError('the file is empty (only white space)');
  const head = first.text.trimStart();
  if (head.startsWith(RTCSTATS_MAGIC)) {
    if (head.trimEnd() === RTCSTATS_MAGIC) {
      throw new DumpImportError(first.number === 1 ? 'the file ends after the "RTCStatsDump" line' : `"${RTCSTATS_MAGIC}" must be the very first line`, first.number);
    }
    throw notKnown(`line ${first.number} starts with "${RTCSTATS_MAGIC}" but is not that line alone`);
  }
  if (head.startsWith('[')) {
    first.value = parseJsonLine(first.text, first.number, first.unterminated);
    if (isJitsiFirstLine(first.value)) return { format: 'jitsi', read: readJitsi(text, first, warnings) };
    if (Array.isArray(first.value) && typeof first.value[0] === 'string' && first.value.length >= 4) {
      return { format: 'rtcstats-legacy', read: readRtcstatsLegacy(text, first, warnings) };
    }
    throw notKnown(`line ${first.number} is a JSON array but not an rtcstats event`);
  }
  if (head.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(first.text);
    } catch {
      value = undefined; // a JSON document over several lines
    }
    if (isPlainObject(value) && !('PeerConnections' in value) && !('peerConnections' in value)) {
      if (hasContentAfter(text, first.next) || typeof value.fileFormat === 'number') {
        first.value = value;
        return { format: 'rtcstats-legacy', read: readRtcstatsLegacy(text, first, warnings) };
      }
    }
    const doc = isPlainObject(value) && !hasContentAfter(text, first.next) ? value : parseJsonDocument(text);
    if (!isPlainObject(doc)) throw notKnown('valid JSON, but not an object');
    if (isFormat0(doc)) return { format: 'rtcstats-format0', read: readFormat0(doc, warnings) };
    if (isInternals(doc)) return { format: 'webrtc-internals', read: readInternals(doc, warnings) };
    throw notKnown('valid JSON, but an object without "PeerConnections" (webrtc-internals) or "peerConnections" (rtcstats format 0)');
  }
  throw notKnown(`line ${first.number} is neither JSON nor "${RTCSTATS_MAGIC}"`);
}

/**
 * 64 bits (two 32-bit lanes of multiply-xor, as FNV-1a) over the content, as
 * hex: the same content gets the same id. Read four bytes at a time, the
 * tail byte by byte: a byte loop over a 70 MB dump took a tenth of its import.
 */
function contentHash(data: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ data.length;
  const words = data.length >>> 2;
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice(); // a view at an odd offset cannot be read as words
  const view = new Uint32Array(aligned.buffer, aligned.byteOffset, words);
  for (let i = 0; i < words; i++) {
    const x = view[i]!;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
  }
  for (let i = words * 4; i < data.length; i++) {
    const x = data[i]!;
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

function originOf(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}

function buildResult(format: DumpFormat, gzip: boolean, read: FormatRead, warnings: Warnings, hash: string, size: number): ImportResult {
  const id = `import-${hash}`;
  const events: StoredEvent[] = read.events.map((e, i) => {
    const stored: StoredEvent = { sessionId: id, frame: 0, seq: i + 1, t: e.t, method: e.method, pc: e.pc, value: e.value };
    if (e.extra) stored.extra = e.extra;
    if (e.full) stored.full = true;
    return stored;
  });
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e.t < first) first = e.t;
    if (e.t > last) last = e.t;
  }
  const startTime = read.startTime ?? (events.length > 0 ? first : 0);
  const endTime = read.endTime !== undefined && read.endTime !== null ? read.endTime : events.length > 0 ? Math.max(last, startTime) : startTime;
  const url = read.url ?? '';
  const origin = read.origin ?? originOf(url);
  const session: SessionRecord = {
    id,
    tabId: -1,
    url,
    origin,
    title: read.title ?? '',
    startTime,
    endTime,
    userAgent: read.userAgent ?? '',
    extensionVersion: read.extensionVersion ?? '',
    frames: [{ key: `${id}:0`, frameId: 0, url, origin, isTop: true, firstSeen: startTime }],
    connections: [],
    tags: { ...read.tags },
    eventCount: 0,
    statsCount: 0,
    lastEventTime: startTime,
    bytes: size,
    rawBytes: size,
  };
  if (events.length > 0) session.lastEventTime = last;
  applyEventsToSession(session, events);
  if (events.length > 0) session.lastEventTime = last; // applyEventsToSession takes the max with startTime
  // Connections the dump declares but that have no events, the dump's order, configurations kept outside events.
  const declared = read.connections ?? [];
  for (const pc of declared) {
    if (!session.connections.some((c) => c.id === pc)) {
      session.connections.push({ id: pc, frame: 0, createdAt: startTime, closedAt: null, configuration: null });
    }
  }
  const rank = new Map(declared.map((pc, i) => [pc, i]));
  session.connections.sort((x, y) => (rank.get(x.id) ?? declared.length) - (rank.get(y.id) ?? declared.length));
  for (const c of session.connections) {
    if (c.configuration === null && read.configurations?.has(c.id)) c.configuration = read.configurations.get(c.id);
  }
  const result: ImportResult = { format, gzip, dump: { session, events }, warnings: warnings.list(), metadata: read.metadata };
  if (read.derived) result.derived = read.derived;
  return result;
}
