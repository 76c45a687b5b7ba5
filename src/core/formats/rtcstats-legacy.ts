// Legacy rtcstats (fippo/rtcstats, "fileFormat 2") and the line reading it
// shares with Jitsi's fork (jitsi.ts):
//   line 1: a metadata object ({url, origin, userAgent, ..., fileFormat: 2})
//   then:   [method, pcId | null, value, absoluteTimeMs, ...rest]
// getStats is named `getstats` there, with an older delta scheme: the `id`
// removed from each report, properties equal to the previous sample's
// removed, report timestamps equal to the newest one set to 0 and that
// newest timestamp put in a top-level `timestamp`. A report whose every
// property (timestamp included) was unchanged is left out of the delta
// altogether; a report that went away is left out too. The two cannot be
// told apart from one line; we take a left-out report as gone when its
// timestamp was the sample's own (it would have changed and been sent had
// the report still existed — Chrome's case: all reports share the sample
// time) and as unchanged otherwise (a remote report whose timestamp is the
// time of its last RTCP packet). rtcstats' old reader kept every report
// forever; that would keep dead candidate pairs in every later sample.

import { DumpImportError } from '../dump';
import type { StatsReport, StatsSample } from '../stats-delta';
import {
  connectionId,
  extraIds,
  isFiniteNumber,
  isPlainObject,
  isSafeKey,
  lines,
  methodName,
  parseJsonLine,
  StatsEncoder,
  toSample,
  UNREADABLE_STATS,
  type FormatRead,
  type ImportedEvent,
  type Warnings,
} from './common';

/** Complete samples from getstats lines in the older delta scheme, per connection. */
export class LegacyStatsDecoder {
  private readonly state = new Map<string, { sample: StatsSample; top: number | undefined }>();
  constructor(private readonly warnings: Warnings) {}

  decode(pc: string, value: Record<string, unknown>): StatsSample {
    const top = isFiniteNumber(value.timestamp) ? value.timestamp : undefined;
    const prev = this.state.get(pc);
    const sample: StatsSample = {};
    if (top === undefined || !prev) {
      // the first sample of a connection, or a complete one (no common timestamp): taken as it is
      const reports: Record<string, unknown> = { ...value };
      if (!isPlainObject(reports.timestamp)) delete reports.timestamp;
      for (const [id, report] of Object.entries(toSample(reports, this.warnings))) {
        sample[id] = top !== undefined && (report.timestamp === 0 || !('timestamp' in report)) ? { ...report, timestamp: top } : report;
      }
    } else {
      for (const [id, base] of Object.entries(prev.sample)) {
        const change = Object.prototype.hasOwnProperty.call(value, id) ? value[id] : undefined;
        if (change === undefined) {
          const followedTheClock = base.timestamp === prev.top && top !== prev.top;
          if (!followedTheClock) sample[id] = base;
        } else if (isPlainObject(change)) {
          const merged: StatsReport = { ...base };
          for (const [name, v] of Object.entries(change)) if (name !== 'id' && isSafeKey(name)) merged[name] = v;
          if (change.timestamp === 0) merged.timestamp = top;
          sample[id] = merged;
        } else if (change !== null) {
          this.warnings.add('getStats reports that were not objects were skipped');
          sample[id] = base;
        }
      }
      for (const [id, change] of Object.entries(value)) {
        if (id === 'timestamp' || !isSafeKey(id) || Object.prototype.hasOwnProperty.call(prev.sample, id) || !isPlainObject(change)) continue;
        const report: StatsReport = {};
        for (const [name, v] of Object.entries(change)) if (name !== 'id' && isSafeKey(name)) report[name] = v;
        if (report.timestamp === 0 || !('timestamp' in report)) report.timestamp = top;
        sample[id] = report;
      }
    }
    this.state.set(pc, { sample, top });
    return sample;
  }
}

/**
 * Reads `[method, pc, value, time, ...rest]` lines from `offset` (line
 * `firstLine`) into `events`; `rest` (Jitsi's sequence number) is kept as the
 * event's correlation ids. getstats / getStats values go through the legacy
 * delta decoder and are stored as our deltas / complete samples.
 */
export function readLegacyLines(text: string, offset: number, firstLine: number, warnings: Warnings, events: ImportedEvent[]): void {
  const decoder = new LegacyStatsDecoder(warnings);
  const encoder = new StatsEncoder();
  for (const line of lines(text, offset, firstLine)) {
    if (line.text.trim().length === 0) continue;
    const parsed = parseJsonLine(line.text, line.number, line.unterminated);
    if (!Array.isArray(parsed)) {
      warnings.add(`lines that are not event arrays were skipped (first: line ${line.number})`);
      continue;
    }
    if (parsed.length < 4) throw new DumpImportError('an event needs method, connection, value and time', line.number);
    const t: unknown = parsed[3];
    if (!isFiniteNumber(t)) throw new DumpImportError('time (the fourth element) is not a number', line.number);
    const rawMethod = methodName(parsed[0]);
    const pc = connectionId(parsed[1], line.number);
    const value: unknown = parsed[2] === undefined ? null : parsed[2];
    const rest = parsed.slice(4);
    const e: ImportedEvent = { t, method: rawMethod, pc, value };
    if (rawMethod === 'getstats' || rawMethod === 'getStats') {
      if (pc === null || !isPlainObject(value)) {
        warnings.add(`getStats lines that ${pc === null ? 'have no connection' : 'hold no stats object'} were kept as "${UNREADABLE_STATS}" events`);
        e.method = UNREADABLE_STATS;
      } else {
        const encoded = encoder.encode(pc, decoder.decode(pc, value));
        e.method = 'getStats';
        e.value = encoded.value;
        if (encoded.full) e.full = true;
      }
    }
    if (rest.length > 0) e.extra = extraIds(rest);
    events.push(e);
  }
}

/** Session facts from a legacy metadata object or Jitsi's connectionInfo. */
export function sessionFacts(metadata: Record<string, unknown>, read: FormatRead): void {
  if (typeof metadata.url === 'string') read.url = metadata.url;
  else if (typeof metadata.path === 'string') read.url = metadata.path;
  if (typeof metadata.origin === 'string') read.origin = metadata.origin;
  if (typeof metadata.userAgent === 'string') read.userAgent = metadata.userAgent;
  if (isFiniteNumber(metadata.startTime)) read.startTime = metadata.startTime;
}

/** Where the first non-empty line of a file is, and what it holds (see import.ts). */
export interface FirstLine {
  value: unknown;
  /** 1-based line number */
  number: number;
  /** offset of the line's first character */
  start: number;
  /** offset just after the line and its newline */
  next: number;
}

/** Reads a legacy dump whose first line is the metadata object — or, for a file without one, an event array. */
export function readRtcstatsLegacy(text: string, first: FirstLine, warnings: Warnings): FormatRead {
  const events: ImportedEvent[] = [];
  const read: FormatRead = { events, metadata: {} };
  if (isPlainObject(first.value)) {
    read.metadata = first.value;
    sessionFacts(first.value, read);
    const fileFormat = first.value.fileFormat;
    if (fileFormat !== undefined && fileFormat !== 2 && fileFormat !== 1) {
      warnings.add(`the metadata says fileFormat ${JSON.stringify(fileFormat) ?? 'undefined'}; read as legacy rtcstats (fileFormat 2)`);
    }
    readLegacyLines(text, first.next, first.number + 1, warnings, events);
  } else {
    warnings.add('no metadata line: the file starts with events');
    readLegacyLines(text, first.start, first.number, warnings, events);
  }
  return read;
}
