// Compacted storage of a trace: a run of one frame's events as gzip-compressed
// JSON. getStats samples are stored column-wise per connection — for every
// stats id and property the series of its values over the run — because
// like values next to each other compress about a third better than row
// deltas; constant series are stored once. Lossless: decoding gives back
// every event, and every getStats event as its complete sample.

import { webStreamsGzip } from './gzip';
import { applyStatsDelta, type StatsDelta, type StatsSample } from './stats-delta';
import type { StoredEvent } from './trace';

interface ChunkEvent {
  seq: number;
  t: number;
  method: string;
  pc: string | null;
  value: unknown;
  extra?: (string | number)[];
  full?: true;
}

/** A property's values over the samples where its report exists; `p` marks where the property is present. */
type Column = { v: unknown[]; p?: string } | { c: unknown; p?: string };

interface StatsColumns {
  seq: number[];
  t: number[];
  /** correlation ids per sample, only when some sample has them */
  extra?: ((string | number)[] | null)[];
  /** per stats id: `p` marks the samples where the report exists; `props` its columns over those samples */
  reports: Record<string, { p?: string; props: Record<string, Column> }>;
}

interface ChunkBody {
  format: 1;
  events: ChunkEvent[];
  stats: Record<string, StatsColumns>;
}

/** '1'/'0' per position, or undefined when all are present (the common case). */
function presence(flags: boolean[]): string | undefined {
  return flags.every(Boolean) ? undefined : flags.map((f) => (f ? '1' : '0')).join('');
}

function toColumn(values: unknown[], present: boolean[]): Column {
  const p = presence(present);
  const json = values.map((v) => JSON.stringify(v));
  const column: Column = json.every((j) => j === json[0]) && values.length > 0 ? { c: values[0] } : { v: values };
  if (p !== undefined) column.p = p;
  return column;
}

type TimedSample = { seq: number; t: number; extra?: (string | number)[]; sample: StatsSample };

function toColumns(samples: TimedSample[]): StatsColumns {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const { sample } of samples) {
    for (const id of Object.keys(sample)) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  const reports: StatsColumns['reports'] = {};
  for (const id of ids) {
    const rows = samples.map((s) => s.sample[id]).filter((r) => r !== undefined);
    const props: string[] = [];
    const seenProps = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r)) {
        if (!seenProps.has(k)) {
          seenProps.add(k);
          props.push(k);
        }
      }
    }
    const columns: Record<string, Column> = {};
    for (const prop of props) {
      const present = rows.map((r) => prop in r);
      columns[prop] = toColumn(rows.filter((r) => prop in r).map((r) => r[prop]), present);
    }
    const entry: StatsColumns['reports'][string] = { props: columns };
    const p = presence(samples.map((s) => id in s.sample));
    if (p !== undefined) entry.p = p;
    reports[id] = entry;
  }
  const columns: StatsColumns = { seq: samples.map((s) => s.seq), t: samples.map((s) => s.t), reports };
  if (samples.some((s) => s.extra)) columns.extra = samples.map((s) => s.extra ?? null);
  return columns;
}

function fromColumns(cols: StatsColumns): StatsSample[] {
  const samples: StatsSample[] = cols.seq.map(() => ({}));
  for (const [id, { p, props }] of Object.entries(cols.reports)) {
    const where = samples.map((_, i) => (p === undefined ? i : p[i] === '1' ? i : -1)).filter((i) => i >= 0);
    const rows = where.map(() => ({}) as Record<string, unknown>);
    for (const [prop, column] of Object.entries(props)) {
      let k = 0;
      rows.forEach((row, r) => {
        if (column.p !== undefined && column.p[r] !== '1') return;
        row[prop] = 'c' in column ? column.c : column.v[k];
        k++;
      });
    }
    where.forEach((i, r) => {
      samples[i]![id] = rows[r]!;
    });
  }
  return samples;
}

/**
 * Encodes one frame's consecutive events. `before` gives each connection's
 * complete sample just before the run, so that stored deltas at its start can
 * be undone.
 */
export async function encodeChunk(events: StoredEvent[], before = new Map<string, StatsSample>()): Promise<Uint8Array> {
  const complete = new Map(before);
  const series = new Map<string, TimedSample[]>();
  const others: ChunkEvent[] = [];
  for (const e of events) {
    if (e.method === 'getStats' && e.pc !== null) {
      const sample = e.full ? (e.value as StatsSample) : applyStatsDelta(complete.get(e.pc), e.value as StatsDelta);
      complete.set(e.pc, sample);
      const list = series.get(e.pc) ?? [];
      list.push(e.extra ? { seq: e.seq, t: e.t, extra: e.extra, sample } : { seq: e.seq, t: e.t, sample });
      series.set(e.pc, list);
      continue;
    }
    const out: ChunkEvent = { seq: e.seq, t: e.t, method: e.method, pc: e.pc, value: e.value };
    if (e.extra) out.extra = e.extra;
    if (e.full) out.full = true;
    others.push(out);
  }
  const body: ChunkBody = { format: 1, events: others, stats: {} };
  for (const [pc, samples] of series) body.stats[pc] = toColumns(samples);
  return webStreamsGzip.gzip([new TextEncoder().encode(JSON.stringify(body))]);
}

/**
 * What encodeChunk needs as `before` for `run`: the complete sample just
 * before it of each connection whose first getStats in the run is a delta.
 * They are read from the frame's chunks newest first (`newestFirst` decodes
 * each as it is asked for), stopping once every one is found: a live call's
 * compaction then decodes about one chunk, where reading every chunk of the
 * frame made each compaction cost more the longer the call had run.
 */
export async function samplesBefore(run: readonly StoredEvent[], newestFirst: AsyncIterable<StoredEvent[]>): Promise<Map<string, StatsSample>> {
  const needed = new Set<string>();
  const seen = new Set<string>();
  for (const e of run) {
    if (e.method !== 'getStats' || e.pc === null || seen.has(e.pc)) continue;
    seen.add(e.pc);
    if (!e.full) needed.add(e.pc);
  }
  const found = new Map<string, StatsSample>();
  if (needed.size === 0) return found;
  for await (const events of newestFirst) {
    // the last sample in this chunk of each connection not found in a newer one (a decoded chunk's samples are complete)
    const last = new Map<string, StatsSample>();
    for (const e of events) if (e.method === 'getStats' && e.pc !== null && needed.has(e.pc) && !found.has(e.pc)) last.set(e.pc, e.value as StatsSample);
    for (const [pc, sample] of last) found.set(pc, sample);
    if (found.size === needed.size) break;
  }
  return found;
}

/** The events of a chunk, in sequence order; getStats values as complete samples. */
export async function decodeChunk(bytes: Uint8Array, sessionId: string, frame: number): Promise<StoredEvent[]> {
  const body = JSON.parse(new TextDecoder().decode(await webStreamsGzip.gunzip(bytes, Infinity))) as ChunkBody;
  if (body.format !== 1) throw new Error(`unknown chunk format ${String(body.format)}`);
  const events: StoredEvent[] = body.events.map((e) => ({ sessionId, frame, ...e }));
  for (const [pc, cols] of Object.entries(body.stats)) {
    fromColumns(cols).forEach((sample, i) => {
      const event: StoredEvent = { sessionId, frame, seq: cols.seq[i]!, t: cols.t[i]!, method: 'getStats', pc, value: sample, full: true };
      const extra = cols.extra?.[i];
      if (extra) event.extra = extra;
      events.push(event);
    });
  }
  return events.sort((a, b) => a.seq - b.seq);
}
