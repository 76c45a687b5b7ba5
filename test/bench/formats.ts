// Export and import of a synthetic 1-hour session with 4 connections at 1 s
// polling, per format: the same measurement in Node (the command line's
// path, with its zlib) and in a Chromium page (the viewer's path: the export
// into the Blob it saves). Runs in both. Every figure is the median of RUNS runs.

import { syntheticSession } from '../../src/core/synthetic';
import { exportDump, type ExportFormat } from '../../src/core/export';
import { importDump } from '../../src/core/import';
import type { SessionDump } from '../../src/core/dump';
import type { GzipCodec } from '../../src/core/gzip';

export interface FormatRow {
  format: ExportFormat;
  gzip: boolean;
  exportMs: number;
  bytes: number;
  /** null for CSV, which is not an import format */
  importMs: number | null;
}

export interface FormatFigures {
  events: number;
  generateMs: number;
  /** the yardstick of the same run: JSON.stringify of the session's events, and JSON.parse of that text */
  stringifyMs: number;
  parseMs: number;
  textBytes: number;
  /** the floor of the largest export: the first write to each page of new memory of the CSV's size */
  touchMs: number;
  rows: FormatRow[];
}

export const FORMAT_CASES: [ExportFormat, boolean][] = [['rtcstats', false], ['rtcstats', true], ['internals', false], ['internals', true], ['csv', false]];

/** runs of each measurement; the median is given */
const RUNS = 3;

/**
 * The median time of RUNS runs of `fn`, and its last value. Each run starts
 * from a collected heap (where gc is exposed: node --expose-gc, Chromium
 * --js-flags=--expose-gc), so that one row's garbage is not charged to the next.
 */
async function timed<T>(fn: () => Promise<T> | T, runs = RUNS): Promise<{ value: T; ms: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const times: number[] = [];
  const run = async (): Promise<T> => {
    gc?.();
    const start = performance.now();
    const value = await fn();
    times.push(performance.now() - start);
    return value;
  };
  for (let i = 1; i < runs; i++) await run(); // (their values are garbage by the next run's start)
  const value = await run();
  times.sort((a, b) => a - b);
  return { value, ms: times[(runs - 1) >> 1]! };
}

/** Writes one byte in each 4 KB page of `bytes` bytes of new memory (what any export of that size pays at least once). */
function touchNewMemory(bytes: number): number {
  const memory = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += 4096) memory[at] = 1;
  return memory.length;
}

/**
 * How an environment exports: the bytes of exportDump, or the viewer's
 * Blob, whole (see src/ui/shared/download.ts: wholeBlob).
 */
export type Exporter = (dump: SessionDump, format: ExportFormat, gzip: boolean) => Promise<Uint8Array | Blob>;

export async function measureFormats(codec: GzipCodec, exportFile: Exporter = (dump, format, gzip) => exportDump(dump, format, { gzip, codec })): Promise<FormatFigures> {
  const generated = await timed(() => syntheticSession({ connections: 4, minutes: 60, pollMs: 1000 }), 1);
  const dump = generated.value;
  const text = await timed(() => JSON.stringify(dump.events));
  // the parsed copy is not kept: a second session-sized heap would slow every garbage collection of the rows below
  const parsed = await timed(() => void (JSON.parse(text.value) as unknown));
  const figures: FormatFigures = {
    events: dump.events.length,
    generateMs: generated.ms,
    stringifyMs: text.ms,
    parseMs: parsed.ms,
    textBytes: text.value.length,
    touchMs: NaN,
    rows: [],
  };
  text.value = '';
  for (const [format, gzip] of FORMAT_CASES) {
    const exported = await timed(() => exportFile(dump, format, gzip));
    const bytes = exported.value instanceof Blob ? exported.value.size : exported.value.length;
    // (a Blob's bytes read as the viewer's Open dump reads a file; neither the Blob nor the import's result is kept)
    const input = format === 'csv' ? null : exported.value instanceof Blob ? new Uint8Array(await exported.value.arrayBuffer()) : exported.value;
    exported.value = new Uint8Array(0);
    const imported = input === null ? null : await timed(async () => void (await importDump(input, { codec })));
    figures.rows.push({ format, gzip, exportMs: exported.ms, bytes, importMs: imported?.ms ?? null });
  }
  const csvBytes = figures.rows.find((r) => r.format === 'csv')!.bytes;
  figures.touchMs = (await timed(() => touchNewMemory(csvBytes))).ms;
  return figures;
}
