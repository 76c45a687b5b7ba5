// The one model every dump format is read into and written from: the same
// session record and trace the live capture stores.

import type { SessionRecord } from './session';
import type { StoredEvent } from './trace';

/**
 * A session and its trace in order (see orderEvents). getStats values are
 * complete samples when `full` is set, deltas against the previous sample of
 * the same connection otherwise (completeStatsSamples undoes them).
 */
export interface SessionDump {
  session: SessionRecord;
  events: StoredEvent[];
}

export type DumpFormat =
  | 'rtcstats' // file format 3, JSON Lines after an `RTCStatsDump` line
  | 'rtcstats-legacy' // fileFormat 2: metadata object on the first line, then arrays
  | 'rtcstats-format0' // one JSON object {PeerConnections, url, userAgent, getUserMedia}
  | 'jitsi' // Jitsi's rtcstats fork: first line ["connectionInfo", ...]
  | 'webrtc-internals'; // chrome://webrtc-internals JSON, old and new variants

export interface ImportResult {
  format: DumpFormat;
  /** whether the input was gzip-compressed */
  gzip: boolean;
  dump: SessionDump;
  /** things that were read with a fallback or skipped, for the user to know */
  warnings: string[];
}

/** What a malformed or unsupported input gives: a message that names the problem. */
export class DumpImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpImportError';
  }
}
