// Jitsi's rtcstats fork (jitsi/rtcstats, as stored by jitsi/rtcstats-server):
//   line 1: ["connectionInfo", null, {path, origin, url, userAgent, clientProtocol, statsFormat, ...}, time]
//           (the object sometimes as its JSON text)
//   then:   [method, pcId | null, value, absoluteTimeMs, sequenceNumber?]
// The lines are legacy rtcstats otherwise (getstats in the older delta
// scheme, see rtcstats-legacy.ts); Jitsi adds its own events (`identity`,
// `ondtlserror`, `ondtlsstatechange`, `dominantSpeaker`,
// `conferenceStartTimestamp`, ...), kept as they are. The sequence number is
// kept as the event's correlation id. connectionInfo is the header, not an
// event: its fields are the session's url / origin / userAgent and the
// import's metadata.

import { DumpImportError } from '../dump';
import { isFiniteNumber, isPlainObject, type FormatRead, type ImportedEvent, type Warnings } from './common';
import { readLegacyLines, sessionFacts, type FirstLine } from './rtcstats-legacy';

export function isJitsiFirstLine(value: unknown): boolean {
  return Array.isArray(value) && value[0] === 'connectionInfo';
}

export function readJitsi(text: string, first: FirstLine, warnings: Warnings): FormatRead {
  const header = first.value as unknown[];
  let info: unknown = header[2];
  if (typeof info === 'string') {
    try {
      info = JSON.parse(info);
    } catch {
      throw new DumpImportError('connectionInfo holds text that is not JSON', first.number);
    }
  }
  if (!isPlainObject(info)) throw new DumpImportError('connectionInfo (the third element) is not an object', first.number);
  const events: ImportedEvent[] = [];
  const read: FormatRead = { events, metadata: { ...info } };
  if (isFiniteNumber(header[3])) read.metadata.connectionTime = header[3];
  sessionFacts(info, read);
  readLegacyLines(text, first.next, first.number + 1, warnings, events);
  return read;
}
