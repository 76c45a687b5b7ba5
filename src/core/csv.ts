// CSV of a session's getStats samples, for spreadsheets and scripts: one row
// per sample, report and property (the long, "tidy" layout), RFC 4180.
//
//   timestamp,pcId,statsId,type,kind,property,value
//   1758602116000.5,PC_0,OT01V1,outbound-rtp,video,bytesSent,64000
//
// - timestamp: the report's own timestamp, in ms since 1970 as recorded
//   (fractions included); the time of the getStats call when a report has
//   none. One time column, exact: an ISO copy of it was a quarter of the
//   bytes of every row (a spreadsheet shows it as a date with
//   =A2/86400000+DATE(1970,1,1)).
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
import { CurrentStats, type StatsDelta, type StatsReport, type StatsSample } from './stats-delta';
import { orderEvents, type StoredEvent } from './trace';

export const CSV_COLUMNS = ['timestamp', 'pcId', 'statsId', 'type', 'kind', 'property', 'value'] as const;
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

const encoder = new TextEncoder();

const CRLF_LENGTH = 2;
/** the longest safe integer written: a sign and 16 digits */
const MAX_INTEGER_LENGTH = 17;
/** the longest String(n) of a number (`-0.0000012345678901234567`) and more */
const MAX_NUMBER_LENGTH = 32;
/** the longest `timestamp,` */
const MAX_TIMESTAMP_LENGTH = MAX_NUMBER_LENGTH + 1;

/**
 * How long the caller of an export needs each piece: that decides whether the
 * writer can reuse its memory.
 * - 'kept': as long as it holds it (a gzip queues pieces);
 * - 'joined': it keeps every piece to join them (the pieces are consecutive views of one block);
 * - 'copied': it copies a piece before it asks for the next (into a Blob, a
 *   file): the next piece is written over it, in the same memory. For a long
 *   session's CSV, first writes to hundreds of megabytes of new memory were
 *   much of the time of its export.
 */
export type PieceUse = 'kept' | 'joined' | 'copied';

/**
 * Bytes appended into large blocks, handed out in pieces that are views of
 * a block (no piece is copied, and there are few blocks for the garbage
 * collector to see). A block is written once and never reused, unless
 * `reused`: then every piece starts at the block's start, over the last.
 */
export class ByteWriter {
  private block: Uint8Array<ArrayBuffer>;
  /** where the current piece starts in the block, and where it ends */
  private start = 0;
  private end = 0;

  /** `blockSize`: bytes of a block (a row larger than that gets a block of its own size) */
  constructor(
    private readonly blockSize: number,
    private readonly reused = false,
  ) {
    this.block = new Uint8Array(blockSize);
  }

  /** Bytes in the current piece. */
  get length(): number {
    return this.end - this.start;
  }

  /** Makes room for `bytes` more bytes in the block, moving the current piece to a new block if need be. */
  reserve(bytes: number): void {
    if (this.end + bytes <= this.block.length) return;
    this.moveTo(Math.max(this.blockSize, 2 * (this.length + bytes)));
  }

  /** Moves the current piece to a new block of `size` bytes (at least the piece's). */
  moveTo(size: number): void {
    const block = new Uint8Array(Math.max(size, this.length));
    block.set(this.block.subarray(this.start, this.end));
    this.end -= this.start;
    this.start = 0;
    this.block = block;
  }

  /** Appends `bytes` (room reserved). */
  bytes(bytes: Uint8Array): void {
    this.block.set(bytes, this.end);
    this.end += bytes.length;
  }

  /** Appends a safe integer as String(n) writes it (room for MAX_INTEGER_LENGTH reserved). */
  integer(n: number): void {
    const block = this.block;
    let at = this.end;
    if (n < 0) {
      block[at++] = 0x2d; // -
      n = -n;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    at += digits;
    this.end = at;
    do {
      const next = Math.floor(n / 10);
      block[--at] = 0x30 + (n - next * 10); // (n - next * 10 first: 0x30 + n may be past 2^53)
      n = next;
    } while (n > 0);
  }

  /**
   * Appends a number as String(n) writes it (room for MAX_NUMBER_LENGTH
   * reserved). String(n) of a fraction costs about half a microsecond; most
   * in stats have few digits (0.025, 1758602116670.412) and are written by
   * hand: for 1e-6 <= |n| < 1e15, the fewest decimals d such that
   * m = round(|n| * 10^d) gives back |n| as m / 10^d (what parsing the
   * decimal gives) are String(n)'s digits, as long as m has at most 15 digits:
   * then m is unique (decimals 10^-d apart are more than n's precision
   * apart) and a * 10^d is within 0.25 of it. Any other number goes to String.
   */
  number(n: number): void {
    if (Number.isSafeInteger(n)) return this.integer(n);
    const a = Math.abs(n);
    if (a >= 1e-6 && a < 1e15) {
      let scale = 10;
      for (let decimals = 1; ; decimals++, scale *= 10) {
        const m = Math.round(a * scale);
        if (m >= 1e15) break;
        if (m / scale !== a) continue;
        const whole = Math.floor(m / scale);
        if (n < 0) this.block[this.end++] = 0x2d; // -
        this.integer(whole);
        const block = this.block;
        block[this.end++] = 0x2e; // .
        let rest = m - whole * scale;
        for (let at = this.end + decimals - 1; at >= this.end; at--) {
          const next = Math.floor(rest / 10);
          block[at] = 0x30 + (rest - next * 10);
          rest = next;
        }
        this.end += decimals;
        return;
      }
    }
    this.text(String(n));
  }

  /** Appends a text as UTF-8 (room for 3 bytes a character reserved). */
  text(text: string): void {
    const block = this.block;
    let at = this.end;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        at += encoder.encodeInto(text.slice(i), block.subarray(at)).written;
        break;
      }
      block[at++] = c;
    }
    this.end = at;
  }

  /** The bytes written since `from` (a position from where()): a view, valid for good (a block is written once). */
  since(from: number): Uint8Array {
    return this.block.subarray(from, this.end);
  }

  /** The position of the next byte, for copy(); valid until the next reserve(). */
  where(): number {
    return this.end;
  }

  /** Appends one byte (room reserved). */
  byte(byte: number): void {
    this.block[this.end++] = byte;
  }

  /** Appends CR LF (room reserved). */
  crlf(): void {
    this.block[this.end++] = 0x0d;
    this.block[this.end++] = 0x0a;
  }

  /** The current piece; the next one starts empty after it (or over it, when reused: this one is then valid until the next is written). */
  take(): Uint8Array<ArrayBuffer> {
    const piece = this.block.subarray(this.start, this.end);
    this.start = this.end = this.reused ? 0 : this.end;
    return piece;
  }
}

/** What the rows of one report (connection and stats id) had last time, to reuse their bytes. */
interface ReportRows {
  /** the report's keys as last seen */
  keys: string[];
  /** per key: `pcId,statsId,type,kind,property,` as UTF-8, or null for a key that is a column */
  heads: (Uint8Array | null)[];
  /** per key: the value of its last row (not a safe integer), and when that value came twice in a row, the rest of its row after the timestamp (head, cell, CRLF) */
  values: unknown[];
  tails: (Uint8Array | null)[];
  /** the type and kind the heads were made for */
  type: unknown;
  kind: unknown;
}

/** Writes the rows of the samples, one connection's getStats after another. */
class CsvWriter {
  readonly out: ByteWriter;
  /** per connection: its samples replayed from the stored deltas, and its reports' rows */
  private readonly connections = new Map<string, { stats: CurrentStats; reports: Map<string, ReportRows> }>();
  /** the last `timestamp,` written, as UTF-8 (most reports of a sample share it) */
  private lastTs = NaN;
  private timestamp: Uint8Array = new Uint8Array(0);
  /** where the bytes kept across rows are written (times, tails): small blocks, so that a kept tail does not hold an output block */
  private readonly kept = new ByteWriter(1 << 16);

  constructor(blockSize: number, reused: boolean) {
    this.out = new ByteWriter(blockSize, reused);
    const header = encoder.encode(CSV_COLUMNS.join(',') + '\r\n');
    this.out.reserve(header.length);
    this.out.bytes(header);
  }

  /** The rows of one getStats event of a connection. */
  sample(event: StoredEvent & { pc: string }): void {
    const pc = event.pc;
    let connection = this.connections.get(pc);
    if (!connection) this.connections.set(pc, (connection = { stats: new CurrentStats(), reports: new Map() }));
    const sample = connection.stats.add(event.value as StatsSample | StatsDelta, event.full === true);
    for (const statsId in sample) {
      const report = sample[statsId]!;
      let rows = connection.reports.get(statsId);
      if (!rows) connection.reports.set(statsId, (rows = { keys: [], heads: [], values: [], tails: [], type: undefined, kind: undefined }));
      const keys = Object.keys(report);
      if (rows.heads.length === 0 || !sameKeys(keys, rows.keys) || report.type !== rows.type || report.kind !== rows.kind) {
        setHeads(rows, keys, pc, statsId, report.type, report.kind);
      }
      const ts = typeof report.timestamp === 'number' ? report.timestamp : event.t;
      if (ts !== this.lastTs) {
        this.lastTs = ts;
        const kept = this.kept;
        kept.reserve(MAX_TIMESTAMP_LENGTH);
        kept.number(ts);
        kept.byte(0x2c); // ,
        this.timestamp = kept.take();
      }
      this.rows(report, rows);
    }
  }

  /** A copy of `bytes` that stays. */
  private keep(bytes: Uint8Array): Uint8Array {
    this.kept.reserve(bytes.length);
    this.kept.bytes(bytes);
    return this.kept.take();
  }

  /** A report's rows: the timestamp, then the head and the value's cell, or the rest of the row as cached. */
  private rows(report: StatsReport, rows: ReportRows): void {
    const { out, timestamp } = this;
    const { keys, heads, values, tails } = rows;
    for (let i = 0; i < keys.length; i++) {
      const head = heads[i]!;
      if (head === null) continue;
      const value = report[keys[i]!];
      if (value === undefined) continue;
      const tail = tails[i]!;
      if (tail !== null && value === values[i]) {
        out.reserve(timestamp.length + tail.length);
        out.bytes(timestamp);
        out.bytes(tail);
      } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
        // counters change in most samples: writing their digits is cheaper than caching them
        out.reserve(timestamp.length + head.length + MAX_INTEGER_LENGTH + CRLF_LENGTH);
        out.bytes(timestamp);
        out.bytes(head);
        out.integer(value);
        out.crlf();
      } else {
        const text = typeof value === 'number' ? '' : csvField(csvValue(value));
        out.reserve(timestamp.length + head.length + (typeof value === 'number' ? MAX_NUMBER_LENGTH : 3 * text.length) + CRLF_LENGTH);
        out.bytes(timestamp);
        const from = out.where();
        out.bytes(head);
        if (typeof value === 'number') out.number(value);
        else out.text(text);
        out.crlf();
        // the rest of the row is kept once the value has come twice: a value that changes every time is never copied
        tails[i] = value === values[i] ? this.keep(out.since(from)) : null;
        values[i] = value;
      }
    }
  }
}

/** The heads of a report's rows for its (new) keys, type or kind; forgets the cached tails. */
function setHeads(rows: ReportRows, keys: string[], pc: string, statsId: string, type: unknown, kind: unknown): void {
  const columns = `${csvField(pc)},${csvField(statsId)},${csvField(typeof type === 'string' ? type : '')},${csvField(typeof kind === 'string' ? kind : '')},`;
  rows.keys = keys;
  rows.type = type;
  rows.kind = kind;
  rows.heads = keys.map((k) => (IN_COLUMNS.has(k) ? null : encoder.encode(`${columns}${csvField(k)},`)));
  rows.values = keys.map(() => undefined);
  rows.tails = keys.map(() => null);
}

/**
 * The CSV as UTF-8 in pieces of about `pieceBytes` bytes (header first,
 * whole rows each), so that a long session never has to be one string: a
 * 4-connection hour at 1 s is some 320 MB of CSV, and two hours are more
 * than the largest string a JavaScript engine makes. Written as bytes, not
 * strings then encoded: 4 million rows of which most parts are the same
 * from one sample to the next, kept as bytes (the timestamp, the columns
 * and property name, the cell of a value until it changes) and copied.
 * `use`: see PieceUse.
 */
export function* csvPieces(dump: SessionDump, pieceBytes = 1 << 20, use: PieceUse = 'kept'): Generator<Uint8Array<ArrayBuffer>> {
  // blocks of 16 pieces: few enough for the garbage collector, small enough for a short CSV
  const writer = new CsvWriter(16 * pieceBytes, use === 'copied');
  let samples = 0;
  let sized = use !== 'joined';
  for (const event of orderEvents(dump.events)) {
    if (!isSample(event)) continue;
    writer.sample(event);
    samples++;
    if (writer.out.length < pieceBytes) continue;
    if (!sized) {
      // The pieces are to be kept and joined: before the first one leaves, the rows go
      // to one block for the whole CSV as the rows so far tell (and a quarter more), so that the
      // pieces are consecutive views that join without a copy (concatBytes). Copying the CSV once
      // more into new memory cost as much as a third of writing it.
      sized = true;
      const total = dump.events.filter(isSample).length;
      try {
        writer.out.moveTo(Math.ceil(1.25 * (writer.out.length / samples) * total) + pieceBytes);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e; // larger than an ArrayBuffer can be here: the pieces stay in blocks
      }
    }
    yield writer.out.take();
  }
  if (writer.out.length > 0) yield writer.out.take();
}

function isSample(event: StoredEvent): event is StoredEvent & { pc: string } {
  return event.method === 'getStats' && event.pc !== null;
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
