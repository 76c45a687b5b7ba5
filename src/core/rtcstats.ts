// rtcstats dump, file format 3 (JSON Lines), as read by the rtcstats
// dump-importer (packages/rtcstats-shared/dump.js of rtcstats/rtcstats):
//   line 1: RTCStatsDump
//   line 2: metadata object with fileFormat 3
//   then:   [method, pcId | null, value, ...correlationIds, msSincePreviousLine]
// The first data line's time is absolute (ms since epoch); getStats values
// are deltas against the previous sample of the same connection.

import type { SessionRecord } from './session';
import { applyStatsDelta, statsDelta, type StatsDelta, type StatsSample } from './stats-delta';
import { orderEvents, type StoredEvent } from './trace';
import { isPlainObject } from './formats/common';
import { FULL_SAMPLE_MARK, RTCSTATS_FILE_FORMAT, RTCSTATS_MAGIC, RtcstatsSampleReader, parseRtcstatsV3 } from './formats/rtcstats-v3';

export { FULL_SAMPLE_MARK, RTCSTATS_FILE_FORMAT, RTCSTATS_MAGIC } from './formats/rtcstats-v3';
export { decompressMethod } from './formats/rtcstats-compression';
/** The error for a bad dump: the same class as DumpImportError (one error class for bad dumps). */
export { DumpImportError as DumpFormatError } from './dump';

export interface RtcstatsMetadata {
  fileFormat: number;
  url?: string;
  origin?: string;
  userAgent?: string;
  startTime?: number;
  [key: string]: unknown;
}

export function exportRtcstats(session: SessionRecord, events: StoredEvent[]): string {
  return [...rtcstatsPieces(session, events)].join('');
}

/** The dump in pieces of about `pieceChars` characters, whole lines each (see export.ts: exportPieces). */
export function* rtcstatsPieces(session: SessionRecord, events: StoredEvent[], pieceChars = 1 << 20): Generator<string> {
  const ordered = orderEvents(events);
  const metadata: RtcstatsMetadata = {
    fileFormat: RTCSTATS_FILE_FORMAT,
    url: session.url,
    origin: session.origin,
    userAgent: session.userAgent,
    startTime: session.startTime,
    endTime: session.endTime,
    title: session.title,
    tags: session.tags,
    frames: session.frames.map((f) => ({ frameId: f.frameId, url: f.url, origin: f.origin, isTop: f.isTop })),
    producer: { name: 'webrtc-lens', version: session.extensionVersion },
  };
  let lines = [RTCSTATS_MAGIC, JSON.stringify(metadata)];
  let length = 0;
  // per connection, the complete sample of its previous getStats line
  const previousSample = new Map<string, StatsSample>();
  let lastTime = 0;
  for (const e of ordered) {
    let value = e.value;
    let extra = e.extra ?? [];
    if (e.method === 'getStats' && e.pc !== null) {
      const previous = previousSample.get(e.pc);
      const sample = e.full ? (e.value as StatsSample) : applyStatsDelta(previous, e.value as StatsDelta);
      // A stored delta is statsDelta's own output against this same previous
      // sample (the capture, the importer and the synthetic sessions all store
      // them so): written as it is rather than made again.
      const delta = !e.full && previous ? (e.value as StatsDelta) : statsDelta(previous, sample);
      if (delta === null) {
        // Complete, with `null` for the reports that are gone: readers that merge drop those.
        const gone = Object.keys(previous ?? {}).filter((id) => !(id in sample));
        value = { ...sample, ...Object.fromEntries(gone.map((id) => [id, null])) };
        extra = [FULL_SAMPLE_MARK];
      } else {
        value = delta;
      }
      previousSample.set(e.pc, sample);
    }
    const line: unknown[] = [e.method, e.pc, value ?? null, ...extra, e.t - lastTime];
    lastTime = e.t;
    const text = JSON.stringify(line);
    lines.push(text);
    length += text.length;
    if (length >= pieceChars) {
      yield lines.join('\n') + '\n';
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) yield lines.join('\n') + '\n';
}

export interface RtcstatsEvent {
  method: string;
  pc: string | null;
  value: unknown;
  extra: unknown[];
  /** ms since epoch */
  time: number;
}

export interface RtcstatsDump {
  metadata: RtcstatsMetadata;
  events: RtcstatsEvent[];
}

/**
 * Parses a file-format-3 dump, reconstructing complete getStats samples
 * (method, property-name and type compression undone; stats ids as found).
 * Throws DumpImportError (alias DumpFormatError) with the line number. The
 * full importer for every dump format is importDump (src/core/import.ts).
 */
export function readRtcstats(text: string): RtcstatsDump {
  const events: RtcstatsEvent[] = [];
  const samples = new RtcstatsSampleReader(null);
  const metadata = parseRtcstatsV3(text, ({ method, pc, value, extra, time }) => {
    let v = value;
    if (method === 'getStats' && pc !== null && isPlainObject(value)) v = samples.read(pc, value, extra.includes(FULL_SAMPLE_MARK));
    events.push({ method, pc, value: v, extra, time });
  });
  return { metadata: metadata as RtcstatsMetadata, events };
}
