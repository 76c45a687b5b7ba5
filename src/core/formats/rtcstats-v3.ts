// rtcstats dump, file format 3 (JSON Lines), as written by rtcstats-js /
// rtcstats-server, Chrome's webrtc-internals "rtcstats_dump" and our export:
//   line 1: RTCStatsDump
//   line 2: metadata object (fileFormat 3, url, origin, userAgent, startTime, ...)
//   then:   [method, pcId | null, value, ...correlationIds, msSincePreviousLine]
// The first data line's time is absolute (ms since epoch). Methods may be
// compressed (numbers, "g"); getStats values are deltas in rtcstats' scheme
// (changed properties, removed reports as null, the common timestamp under
// "t"), possibly with compressed property names, types and renamed ids. A
// getStats line whose correlation ids include FULL_SAMPLE_MARK (our own
// export) carries a complete sample that replaces the previous one.
//
// Merge semantics: those of rtcstats' reader (statsDecompression) for every
// delta rtcstats itself or our export writes — properties the delta lacks
// keep their base value, nested objects are merged key by key, arrays and
// primitives are replaced, a report missing from the delta is kept with the
// new common timestamp. Where rtcstats' reader would produce something odd
// (an object merged with a primitive, a base null merged with a primitive),
// the delta's value is taken (applyStatsDelta). importDump also takes an
// unmarked line that is plainly a complete sample (no "t", every report with
// its own timestamp: Chrome's own rtcstats download) as replacing the
// previous one — see looksComplete().

import { DumpImportError } from '../dump';
import { applyStatsDelta, type StatsDelta, type StatsSample } from '../stats-delta';
import {
  connectionId,
  extraIds,
  isFiniteNumber,
  isPlainObject,
  isSafeKey,
  lines,
  parseJsonLine,
  StatsEncoder,
  toSample,
  UNREADABLE_STATS,
  type FormatRead,
  type ImportedEvent,
  type Warnings,
} from './common';
import { decompressMethod, decompressStatsNames } from './rtcstats-compression';

export const RTCSTATS_MAGIC = 'RTCStatsDump';
export const RTCSTATS_FILE_FORMAT = 3;
/**
 * Correlation id on a getStats line whose value is a complete sample rather
 * than a delta (with `null` for the reports of the previous sample that are
 * gone). rtcstats readers ignore the mark and merge the line into the previous
 * sample: reports that went away go, but a property that disappeared keeps its
 * old value there. Our reader replaces the previous sample, which is exact.
 */
export const FULL_SAMPLE_MARK = 'full';

export interface RtcstatsLine {
  /** decompressed method name */
  method: string;
  pc: string | null;
  value: unknown;
  /** the elements between value and time (correlation ids) */
  extra: unknown[];
  /** ms since epoch */
  time: number;
  /** 1-based line number in the file */
  line: number;
}

/** Whether `text` starts like a file-format-3 dump. */
export function isRtcstatsV3(text: string): boolean {
  return text.startsWith(RTCSTATS_MAGIC + '\n') || text.startsWith(RTCSTATS_MAGIC + '\r\n');
}

/**
 * Walks a file-format-3 dump line by line (values as found: no stats
 * decompression), calling `onLine` for every event line; returns the
 * metadata. Throws a DumpImportError naming the line for anything that is not
 * the format; lines that are JSON but not arrays are passed to `onSkipped`
 * (rtcstats' reader ignores them too).
 */
export function parseRtcstatsV3(
  text: string,
  onLine: (line: RtcstatsLine) => void,
  onSkipped: (line: number) => void = () => {},
): Record<string, unknown> {
  if (!isRtcstatsV3(text)) throw new DumpImportError(`does not start with "${RTCSTATS_MAGIC}"`, 1);
  const start = text.indexOf('\n') + 1;
  let metadata: Record<string, unknown> | null = null;
  let time = 0;
  for (const line of lines(text, start, 2)) {
    if (metadata === null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line.text);
      } catch {
        throw new DumpImportError('metadata is not JSON', 2);
      }
      if (!isPlainObject(parsed)) throw new DumpImportError('metadata is not an object', 2);
      metadata = parsed;
      continue;
    }
    if (line.text.trim().length === 0) continue;
    const parsed = parseJsonLine(line.text, line.number, line.unterminated);
    if (!Array.isArray(parsed)) {
      onSkipped(line.number);
      continue;
    }
    if (parsed.length < 4) throw new DumpImportError('an event needs method, connection, value and time', line.number);
    const delta: unknown = parsed[parsed.length - 1];
    if (!isFiniteNumber(delta)) throw new DumpImportError('time is not a number', line.number);
    time += delta;
    if (!Number.isFinite(time)) throw new DumpImportError('time is out of range', line.number);
    onLine({
      method: decompressMethod(parsed[0]),
      pc: connectionId(parsed[1], line.number),
      value: parsed[2],
      extra: parsed.slice(3, -1),
      time,
      line: line.number,
    });
  }
  if (metadata === null) throw new DumpImportError('metadata is not JSON', 2);
  return metadata;
}

/**
 * Whether a getStats value is a complete sample although unmarked: no common
 * timestamp ("t") and every report with its own timestamp — what Chrome's own
 * rtcstats download writes. rtcstats' compression and our export never write
 * a delta like that: both move the newest report timestamp to "t" whenever a
 * report has one.
 */
export function looksComplete(value: Record<string, unknown>): boolean {
  if ('t' in value) return false;
  let reports = 0;
  for (const report of Object.values(value)) {
    if (!isPlainObject(report) || !isFiniteNumber(report.timestamp)) return false;
    reports++;
  }
  return reports > 0;
}

/**
 * Per connection, the complete sample of each getStats line: property names
 * and types decompressed, then the delta applied to the previous sample (or,
 * on a line marked FULL_SAMPLE_MARK, the sample taken as it is). With
 * `unmarkedComplete`, a line that looksComplete() replaces the previous sample
 * too (importDump: exact for Chrome's dumps, where merging would keep reports
 * that went away); readRtcstats merges those, as rtcstats' reader does.
 */
export class RtcstatsSampleReader {
  private readonly last = new Map<string, StatsSample>();
  constructor(
    private readonly warnings: Warnings | null,
    private readonly unmarkedComplete = false,
  ) {}
  read(pc: string, value: Record<string, unknown>, marked: boolean): StatsSample {
    return this.readLine(pc, value, marked).sample;
  }
  /**
   * The complete sample of a line and, when the line was a delta against a
   * previous sample of the connection, that delta (names decompressed).
   */
  readLine(pc: string, value: Record<string, unknown>, marked: boolean): { sample: StatsSample; delta: StatsDelta | null } {
    const named = decompressStatsNames(value);
    const full = marked || (this.unmarkedComplete && looksComplete(named));
    const previous = this.last.get(pc);
    const sample = full ? this.sample(named) : applyStatsDelta(previous, named as StatsDelta);
    this.last.set(pc, sample);
    return { sample, delta: full || previous === undefined ? null : (named as StatsDelta) };
  }
  /** A complete sample: the reports, without the `null`s that mark those gone since the previous one. */
  private sample(value: Record<string, unknown>): StatsSample {
    const reports = Object.fromEntries(Object.entries(value).filter(([, report]) => report !== null));
    if (this.warnings) return toSample(reports, this.warnings);
    return reports as StatsSample;
  }
}

/** Reads a file-format-3 dump into events (getStats re-encoded as stored deltas / complete samples). */
export function readRtcstatsV3(text: string, warnings: Warnings): FormatRead {
  const events: ImportedEvent[] = [];
  const samples = new RtcstatsSampleReader(warnings, true);
  const encoder = new StatsEncoder();
  const metadata = parseRtcstatsV3(
    text,
    (l) => {
      let extra = l.extra;
      if (l.method === 'getStats') {
        if (l.pc === null || !isPlainObject(l.value)) {
          warnings.add(`getStats lines that ${l.pc === null ? 'have no connection' : 'hold no stats object'} were kept as "${UNREADABLE_STATS}" events`);
          events.push(event(l.time, UNREADABLE_STATS, l.pc, l.value, extra));
          return;
        }
        const full = extra.includes(FULL_SAMPLE_MARK);
        if (full) extra = extra.filter((x) => x !== FULL_SAMPLE_MARK);
        const { sample, delta } = samples.readLine(l.pc, l.value, full);
        const encoded = encoder.encode(l.pc, sample, delta);
        const e = event(l.time, 'getStats', l.pc, encoded.value, extra);
        if (encoded.full) e.full = true;
        events.push(e);
        return;
      }
      events.push(event(l.time, l.method, l.pc, l.value, extra));
    },
    (line) => warnings.add(`lines that are not event arrays were skipped (first: line ${line})`),
  );
  if (metadata.fileFormat !== RTCSTATS_FILE_FORMAT) {
    warnings.add(`the metadata says fileFormat ${JSON.stringify(metadata.fileFormat) ?? 'undefined'}; read as file format 3`);
  }
  const read: FormatRead = { events, metadata };
  if (typeof metadata.url === 'string') read.url = metadata.url;
  if (typeof metadata.origin === 'string') read.origin = metadata.origin;
  if (typeof metadata.userAgent === 'string') read.userAgent = metadata.userAgent;
  if (typeof metadata.title === 'string') read.title = metadata.title;
  if (isFiniteNumber(metadata.startTime)) read.startTime = metadata.startTime;
  if (isFiniteNumber(metadata.endTime)) read.endTime = metadata.endTime;
  if (isPlainObject(metadata.tags)) {
    read.tags = {};
    for (const [k, v] of Object.entries(metadata.tags)) if (typeof v === 'string' && isSafeKey(k)) read.tags[k] = v;
  }
  const producer = metadata.producer;
  if (isPlainObject(producer) && producer.name === 'webrtc-lens' && typeof producer.version === 'string') {
    read.extensionVersion = producer.version;
  }
  return read;
}

function event(t: number, method: string, pc: string | null, value: unknown, extra: unknown[]): ImportedEvent {
  const e: ImportedEvent = { t, method, pc, value: value === undefined ? null : value };
  if (extra.length > 0) e.extra = extraIds(extra);
  return e;
}
