// What every dump reader shares: the events it produces, warnings, line
// iteration with line numbers, JSON parsing that names the problem, and the
// re-encoding of complete getStats samples into the stored form.

import { DumpImportError, type DerivedSeriesMap } from '../dump';
import { statsDelta, type StatsDelta, type StatsReport, type StatsSample } from '../stats-delta';

/** An event as a reader produces it (import.ts numbers it and places it in the session). */
export interface ImportedEvent {
  /** ms since epoch */
  t: number;
  method: string;
  pc: string | null;
  value: unknown;
  extra?: (string | number)[];
  /** getStats: the value is a complete sample (else a delta, see stats-delta.ts) */
  full?: true;
}

/** What a reader gives back: the events in dump order and what it learned about the session. */
export interface FormatRead {
  events: ImportedEvent[];
  url?: string;
  origin?: string;
  userAgent?: string;
  title?: string;
  startTime?: number;
  endTime?: number | null;
  extensionVersion?: string;
  tags?: Record<string, string>;
  /** connections the dump declares, in its order (also those without events) */
  connections?: string[];
  /** configuration per connection, where the dump has one outside a `create` event */
  configurations?: Map<string, unknown>;
  metadata: Record<string, unknown>;
  derived?: DerivedSeriesMap;
}

/** Warnings, each kind counted once and reported with how often it happened. */
export class Warnings {
  private readonly counts = new Map<string, number>();
  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }
  list(): string[] {
    const out: string[] = [];
    for (const [message, count] of this.counts) out.push(count > 1 ? `${message} (${count} times)` : message);
    return out;
  }
}

/**
 * Keys that must never be assigned with `obj[key] = ...`: `__proto__` would
 * set the object's prototype (or, on an object reached through it, pollute
 * Object.prototype). Dumps are untrusted input; readers skip such reports and
 * properties and store other fields with setOwn().
 */
export const isSafeKey = (key: string): boolean => key !== '__proto__';

/** obj[key] = value as an own data property, whatever the key. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (isSafeKey(key)) obj[key] = value;
  else Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

export const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A short, single-line description of what went wrong in JSON.parse. */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unexpected end/i.test(message)) return 'it ends in the middle of a value';
  const short = message.replace(/\s+/g, ' ');
  return short.length > 80 ? short.slice(0, 77) + '...' : short;
}

/** JSON.parse of one line; a DumpImportError naming the line otherwise. */
export function parseJsonLine(text: string, line: number, lastLineWithoutNewline: boolean): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const hint = lastLineWithoutNewline ? '; the file seems to be cut off' : '';
    throw new DumpImportError(`not JSON (${jsonProblem(e)})${hint}`, line);
  }
}

/** JSON.parse of a whole document; the error names the line and column. */
export function parseJsonDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = jsonErrorOffset(text);
    if (/unexpected end/i.test(message) || at >= text.trimEnd().length) {
      throw new DumpImportError('the JSON document is incomplete: the file seems to be cut off');
    }
    if (at >= 0) {
      let line = 1;
      let lineStart = 0;
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = i + 1;
      }
      throw new DumpImportError(`not JSON at column ${at - lineStart + 1} (${jsonProblem(e)})`, line);
    }
    throw new DumpImportError(`not JSON (${jsonProblem(e)})`);
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Where JSON text stops being valid (its length when it ends too early), or -1
 * when it is valid: JSON.parse does not always say where. Iterative, so any
 * nesting depth is fine.
 */
export function jsonErrorOffset(s: string): number {
  const stack: number[] = []; // 123 '{' or 91 '['
  let i = 0;
  const skip = (): void => {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  };
  const string = (): boolean => {
    if (s.charCodeAt(i) !== 34) return false;
    for (i++; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92) {
        const n = s[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return false;
          i += 5;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i++;
        else return false;
      }
    }
    return false;
  };
  const key = (): boolean => {
    skip();
    if (!string()) return false;
    skip();
    if (s.charCodeAt(i) !== 58) return false; // ':'
    i++;
    return true;
  };
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let expectValue = true;
  for (;;) {
    skip();
    if (expectValue) {
      const c = s.charCodeAt(i);
      if (c === 123 || c === 91) {
        i++;
        skip();
        if (s.charCodeAt(i) === c + 2) {
          i++; // {} or []
          expectValue = false;
          continue;
        }
        stack.push(c);
        if (c === 123 && !key()) return i;
        continue;
      }
      if (c === 34) {
        if (!string()) return i;
      } else if (s.startsWith('true', i)) i += 4;
      else if (s.startsWith('false', i)) i += 5;
      else if (s.startsWith('null', i)) i += 4;
      else {
        number.lastIndex = i;
        if (!number.test(s)) return i;
        i = number.lastIndex;
      }
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i === s.length ? -1 : i;
    const c = s.charCodeAt(i);
    if (c === 44) {
      i++; // ','
      if (top === 123 && !key()) return i;
      expectValue = true;
    } else if (c === top + 2) {
      i++;
      stack.pop();
    } else return i;
  }
}

export interface Line {
  text: string;
  /** 1-based line number in the file */
  number: number;
  /** the last line of the file, not followed by a newline (a file cut off in the middle of a line) */
  unterminated: boolean;
}

/** The lines of `text` from `offset` (whose line number is `firstNumber`), without their `\r\n` / `\n`. */
export function* lines(text: string, offset: number, firstNumber: number): Generator<Line> {
  let number = firstNumber;
  let start = offset;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    const raw = text.charCodeAt(stop - 1) === 13 ? text.slice(start, stop - 1) : text.slice(start, stop);
    yield { text: raw, number, unterminated: end === -1 };
    number++;
    if (end === -1) break;
    start = end + 1;
  }
}

/** A connection id as stored: strings as they are, numbers as strings, null for page-level events. */
export function connectionId(pc: unknown, line: number): string | null {
  if (pc === null || pc === undefined) return null;
  if (typeof pc === 'string') return pc;
  if (typeof pc === 'number' && Number.isFinite(pc)) return String(pc);
  throw new DumpImportError('the connection id (second element) is neither a string nor null', line);
}

/** Correlation ids as stored: strings and numbers as they are, anything else as its JSON text. */
export function extraIds(extra: readonly unknown[]): (string | number)[] {
  return extra.map((x) => (typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)) ? x : (JSON.stringify(x) ?? 'undefined')));
}

/** Method names that are not strings (a damaged file): their JSON text. */
export function methodName(method: unknown): string {
  return typeof method === 'string' ? method : (JSON.stringify(method) ?? 'undefined');
}

/**
 * A stats sample from a value that should be one: the reports that are
 * objects (others are counted as a warning), without an `id` field equal to
 * the report's key (older formats repeat the id inside the report).
 */
export function toSample(value: Record<string, unknown>, warnings: Warnings): StatsSample {
  const sample: StatsSample = {};
  for (const [id, report] of Object.entries(value)) {
    if (!isPlainObject(report)) {
      warnings.add('getStats reports that were not objects were skipped');
      continue;
    }
    if (!isSafeKey(id)) {
      warnings.add('stats reports or properties named "__proto__" were skipped');
      continue;
    }
    sample[id] = safeReport(report, report.id === id, warnings);
  }
  return sample;
}

/** A report without `__proto__` (warned) and, with `dropId`, without its `id`; the same object when nothing goes. */
export function safeReport(report: Record<string, unknown>, dropId: boolean, warnings: Warnings): StatsReport {
  const unsafe = Object.prototype.hasOwnProperty.call(report, '__proto__');
  if (!unsafe && !dropId) return report as StatsReport;
  if (unsafe) warnings.add('stats reports or properties named "__proto__" were skipped');
  const out: StatsReport = {};
  for (const [name, v] of Object.entries(report)) if (isSafeKey(name) && !(dropId && name === 'id')) out[name] = v;
  return out;
}

/**
 * Stores complete samples the way the live capture does: per connection, a
 * delta against the previous sample where one can say the change exactly, the
 * complete sample (marked `full`) otherwise — so a long dump takes about as
 * much memory as its own (delta-compressed) text, not one copy per sample.
 */
export class StatsEncoder {
  private readonly last = new Map<string, StatsSample>();
  /**
   * `dumpDelta`: the delta the dump itself has from the previous sample to
   * this one (applyStatsDelta gave `sample`); stored as it is, not made again.
   * Such a delta is in rtcstats' scheme, as the ones statsDelta makes, so an
   * export writes it back unchanged and every rtcstats reader reads it as it
   * read the original.
   */
  encode(pc: string, sample: StatsSample, dumpDelta: StatsDelta | null = null): { value: unknown; full?: true } {
    const delta = dumpDelta ?? statsDelta(this.last.get(pc), sample);
    this.last.set(pc, sample);
    return delta === null ? { value: sample, full: true } : { value: delta };
  }
}

/** Method name for a getStats line whose value cannot be read as stats (kept, as a custom event). */
export const UNREADABLE_STATS = ':getStats-unreadable';

/**
 * A date string in whatever form old webrtc-internals dumps wrote it
 * (`toLocaleString()` of the recording machine: "6/2/2020, 10:25:33 AM",
 * "2.6.2020, 10:25:33", "2020/6/2 下午10:25:33", or ISO). Times without a zone
 * are read as local time here. NaN when nothing date-like is found.
 */
export function parseDateString(s: string): number {
  // ISO 8601 (with its zone) as it is; numeric dates by our own reading (Date.parse takes
  // "02.06.2020" for February 6th); anything else (month names, zones) by Date.parse.
  if (/^\s*\d{4}-\d{2}-\d{2}T/.test(s)) return Date.parse(s);
  const m = /(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\D+?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?/.exec(s);
  if (!m) return Date.parse(s);
  const separator = m[2];
  const [a, b, c, hh, mi, ss, ms] = [m[1], m[3], m[4], m[5], m[6], m[7], m[8]].map((x) => (x === undefined ? 0 : Number(x))) as number[];
  let year: number, month: number, day: number;
  if (m[1]!.length === 4) [year, month, day] = [a!, b!, c!];
  else if (separator === '.' || a! > 12) [day, month, year] = [a!, b!, c!];
  else [month, day, year] = [a!, b!, c!];
  if (year < 100) year += 2000;
  let hour = hh!;
  const pm = /\bp\.?\s?m\b|下午|午後|오후/i.test(s);
  const am = /\ba\.?\s?m\b|上午|午前|오전/i.test(s);
  if (pm && hour < 12) hour += 12;
  if (am && hour === 12) hour = 0;
  const t = new Date(year, month - 1, day, hour, mi!, ss!, ms!).getTime();
  return Number.isFinite(t) ? t : NaN;
}
