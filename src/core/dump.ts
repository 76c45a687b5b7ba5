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

/**
 * Per connection, per stats id, per name: a series that a dump carries besides
 * the getStats samples — webrtc-internals' bracketed derived series
 * (`[bytesSent_in_bits/s]`, `[codec]`, ...), which Chrome computes from the
 * samples and which are therefore not part of them.
 */
export type DerivedSeriesMap = Record<string, Record<string, Record<string, DerivedSeries>>>;

export interface DerivedSeries {
  statsType: string;
  /** ms since epoch, one per value (aligned to the report's own timestamps) */
  times: number[];
  values: unknown[];
}

export interface ImportResult {
  format: DumpFormat;
  /** whether the input was gzip-compressed */
  gzip: boolean;
  dump: SessionDump;
  /** things that were read with a fallback or skipped, for the user to know */
  warnings: string[];
  /**
   * What the dump says besides its events, as found: the rtcstats metadata
   * line, Jitsi's connectionInfo, webrtc-internals' top-level fields
   * (UserAgentData in whatever shape, deviceMemory, ...) and per-connection
   * fields (pid, url, constraints, ...) under `connections`.
   */
  metadata?: Record<string, unknown>;
  /** webrtc-internals only: the bracketed derived series, kept out of the samples */
  derived?: DerivedSeriesMap;
}

/**
 * What a malformed or unsupported input gives: a message that names the
 * problem (with the line number when there is one). The one error class for
 * bad dumps: readRtcstats throws it too (as DumpFormatError, the same class).
 */
export class DumpImportError extends Error {
  /** 1-based line of the input the problem is on, when it is on one */
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'DumpImportError';
    if (line !== undefined) this.line = line;
  }
}
