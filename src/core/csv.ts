// CSV of a session's getStats samples, for spreadsheets and scripts: one row
// per sample, report and property (the long, "tidy" layout), RFC 4180.
//
//   time,timestamp,pcId,statsId,type,kind,property,value
//   2025-09-23T04:35:16.000Z,1758602116000,PC_0,OT01V1,outbound-rtp,video,bytesSent,64000
//
// - time / timestamp: the report's own timestamp (ISO, and ms since epoch as
//   recorded); the time of the getStats call when a report has none.
// - pcId: our connection id; statsId: the report id; type and kind of the
//   report (kind empty when it has none). `id`, `timestamp`, `type` and
//   `kind` are columns, not rows.
// - value: numbers and booleans as JavaScript writes them, strings as they
//   are, null as an empty cell, objects and arrays as JSON in one cell.
// - Quoting (RFC 4180): a field with a comma, a double quote, CR or LF is
//   put in double quotes, quotes doubled; lines end with CRLF.
// - A string value that a spreadsheet would run as a formula (starting with
//   = + - @, tab or CR) gets a leading apostrophe: the strings come from the
//   captured page (e.g. a data channel's label).
// - Only the raw samples: no derived series, no other events.

import type { SessionDump } from './dump';
import { completeStatsSamples } from './session';
import { orderEvents } from './trace';

export const CSV_COLUMNS = ['time', 'timestamp', 'pcId', 'statsId', 'type', 'kind', 'property', 'value'] as const;
const IN_COLUMNS = new Set(['id', 'timestamp', 'type', 'kind']);

/** One field, quoted when it must be (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text of a stats value in a cell (before quoting). */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** The cell of a value, quoted when needed. */
function cell(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return csvField(csvValue(value));
}

/** What the rows of one report (connection and stats id) had last time, to reuse their text. */
interface ReportRows {
  /** the report's keys as last seen */
  keys: string[];
  /** per key: its last value and the end of its row (`property,value\r\n`), or null for a key that is a column */
  values: unknown[];
  tails: (string | null)[];
  /** `pcId,statsId,type,kind,` and the type and kind it was made for */
  columns: string;
  type: unknown;
  kind: unknown;
}

/**
 * The CSV in pieces of about `chunkChars` characters (header first), so that
 * a long session never has to be one string: a 4-connection hour at 1 s is
 * some 400 MB of CSV, near the largest string a JavaScript engine makes.
 * Most values are the same from one sample to the next: a row's text is
 * made again only when its value changed.
 */
export function* csvChunks(dump: SessionDump, chunkChars = 1 << 20): Generator<string> {
  let parts: string[] = [CSV_COLUMNS.join(',') + '\r\n'];
  let length = 0;
  const reports = new Map<string, Map<string, ReportRows>>();
  let lastTs = NaN;
  let lastTime = '';
  for (const { event, sample } of completeStatsSamples(orderEvents(dump.events))) {
    const pc = event.pc!;
    let ofPc = reports.get(pc);
    if (!ofPc) reports.set(pc, (ofPc = new Map()));
    for (const statsId in sample) {
      const report = sample[statsId]!;
      let rows = ofPc.get(statsId);
      if (!rows) ofPc.set(statsId, (rows = { keys: [], values: [], tails: [], columns: '', type: undefined, kind: undefined }));
      const keys = Object.keys(report);
      if (!sameKeys(keys, rows.keys)) {
        rows.keys = keys;
        rows.values = keys.map(() => undefined);
        rows.tails = keys.map((k) => (IN_COLUMNS.has(k) ? null : ''));
      }
      if (rows.columns === '' || report.type !== rows.type || report.kind !== rows.kind) {
        rows.type = report.type;
        rows.kind = report.kind;
        rows.columns =
          `${csvField(pc)},${csvField(statsId)},` +
          `${csvField(typeof report.type === 'string' ? report.type : '')},${csvField(typeof report.kind === 'string' ? report.kind : '')},`;
      }
      const ts = typeof report.timestamp === 'number' ? report.timestamp : event.t;
      if (ts !== lastTs) {
        lastTs = ts;
        lastTime = `${isoTime(ts)},${String(ts)},`;
      }
      const prefix = lastTime + rows.columns;
      const { values, tails } = rows;
      for (let i = 0; i < keys.length; i++) {
        if (tails[i] === null) continue;
        const value = report[keys[i]!];
        if (value === undefined) continue;
        if (value !== values[i] || tails[i] === '') {
          values[i] = value;
          tails[i] = `${csvField(keys[i]!)},${cell(value)}\r\n`;
        }
        // pushed as two strings: join copies flat strings fast, and a row made by `+` would not be flat
        parts.push(prefix, tails[i]!);
        length += prefix.length + tails[i]!.length;
      }
    }
    if (length >= chunkChars) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The whole CSV as one string (for a long session, use csvChunks). */
export function exportCsv(dump: SessionDump): string {
  let out = '';
  for (const chunk of csvChunks(dump)) out += chunk;
  return out;
}
