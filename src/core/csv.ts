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

/**
 * The CSV in pieces of about `chunkChars` characters (header first), so that
 * a long session never has to be one string: a 4-connection hour at 1 s is
 * some 400 MB of CSV, near the largest string a JavaScript engine makes.
 */
export function* csvChunks(dump: SessionDump, chunkChars = 1 << 20): Generator<string> {
  let chunk = CSV_COLUMNS.join(',') + '\r\n';
  const names = new Map<string, string>();
  const name = (property: string) => {
    let q = names.get(property);
    if (q === undefined) names.set(property, (q = csvField(property)));
    return q;
  };
  for (const { event, sample } of completeStatsSamples(orderEvents(dump.events))) {
    const pc = csvField(event.pc!);
    for (const statsId in sample) {
      const report = sample[statsId]!;
      const ts = typeof report.timestamp === 'number' ? report.timestamp : event.t;
      const prefix =
        `${isoTime(ts)},${String(ts)},${pc},${csvField(statsId)},` +
        `${csvField(typeof report.type === 'string' ? report.type : '')},${csvField(typeof report.kind === 'string' ? report.kind : '')},`;
      for (const property in report) {
        const value = report[property];
        if (IN_COLUMNS.has(property) || value === undefined) continue;
        chunk += `${prefix}${name(property)},${cell(value)}\r\n`;
      }
    }
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The whole CSV as one string (for a long session, use csvChunks). */
export function exportCsv(dump: SessionDump): string {
  let out = '';
  for (const chunk of csvChunks(dump)) out += chunk;
  return out;
}
