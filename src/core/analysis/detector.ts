// The building blocks of the detectors: a hysteresis with minimum durations,
// a sliding window over cumulative counters, and the log of observations.

import type { Category, Observation, Severity } from './types';

export interface HysteresisSpec {
  /** how long the on-condition must hold before the observation starts */
  minOnMs: number;
  /** how long the off-condition must hold before it ends (default 0: at once) */
  minOffMs?: number;
}

/**
 * A two-threshold switch: it turns on when `on` held for minOnMs, and off
 * when `off` held for minOffMs; in between it keeps its state. `update`
 * returns what happened at this step.
 */
export class Hysteresis {
  active = false;
  /** when the on-condition started holding (pending or active) */
  since: number | null = null;
  private offSince: number | null = null;

  constructor(private readonly spec: HysteresisSpec) {}

  update(t: number, on: boolean, off: boolean): 'start' | 'stay' | 'end' | 'idle' {
    if (!this.active) {
      if (!on) {
        this.since = null;
        return 'idle';
      }
      this.since ??= t;
      if (t - this.since >= this.spec.minOnMs) {
        this.active = true;
        this.offSince = null;
        return 'start';
      }
      return 'idle';
    }
    if (off) {
      this.offSince ??= t;
      if (t - this.offSince >= (this.spec.minOffMs ?? 0)) return this.reset();
    } else {
      this.offSince = null;
    }
    return 'stay';
  }

  /** Silences it (muted track, no data, connection down): an active one ends, a pending one forgets. */
  reset(): 'end' | 'idle' {
    const was = this.active;
    this.active = false;
    this.since = null;
    this.offSince = null;
    return was ? 'end' : 'idle';
  }
}

/**
 * Cumulative counters over the last `spanMs`: push the values of each sample,
 * read the deltas against the oldest one kept (at least spanMs old when
 * history allows). Keeps about spanMs / interval entries.
 */
export class CounterWindow {
  private readonly times: number[] = [];
  private readonly rows: number[][] = [];

  constructor(private readonly spanMs: number) {}

  push(t: number, values: number[]): void {
    const last = this.times[this.times.length - 1];
    if (last !== undefined && t <= last) return;
    this.times.push(t);
    this.rows.push(values);
    // keep one entry at or before t − spanMs
    while (this.times.length > 2 && this.times[1]! <= t - this.spanMs) {
      this.times.shift();
      this.rows.shift();
    }
  }

  /** time covered by the window */
  span(): number {
    return this.times.length < 2 ? 0 : this.times[this.times.length - 1]! - this.times[0]!;
  }

  /** newest − oldest of value i */
  delta(i: number): number {
    if (this.rows.length < 2) return 0;
    return this.rows[this.rows.length - 1]![i]! - this.rows[0]![i]!;
  }

  clear(): void {
    this.times.length = 0;
    this.rows.length = 0;
  }
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
export const severityRank = (s: Severity): number => SEVERITY_RANK[s];

export interface ObservationInput {
  type: string;
  severity: Severity;
  category: Category;
  pcId: string | null;
  trackId?: string;
  evidence: Record<string, number | string | boolean>;
}

/** Past episodes kept per (type, connection, track): older ones are merged into the oldest kept, so memory stays bounded. */
const MAX_EPISODES = 50;

/** The observations of a session: one entry per episode of a condition. */
export class ObservationLog {
  readonly list: Observation[] = [];
  private readonly open = new Map<string, Observation>();
  private readonly episodes = new Map<string, number>();
  private readonly lastOf = new Map<string, Observation>();

  constructor(private readonly describe: (o: Omit<Observation, 'text'>) => string) {}

  private key(type: string, pcId: string | null, trackId?: string): string {
    return `${type}\u0000${pcId ?? ''}\u0000${trackId ?? ''}`;
  }

  /** Starts (or continues) an episode; severity only goes up within an episode; evidence is merged. */
  raise(at: number, firstSeenAt: number, input: ObservationInput): Observation {
    const k = this.key(input.type, input.pcId, input.trackId);
    let o = this.open.get(k);
    if (o) {
      o.lastSeenAt = Math.max(o.lastSeenAt, at);
      if (severityRank(input.severity) > severityRank(o.severity)) o.severity = input.severity;
      Object.assign(o.evidence, input.evidence);
    } else {
      const n = (this.episodes.get(k) ?? 0) + 1;
      this.episodes.set(k, n);
      if (n > MAX_EPISODES) {
        // too many episodes: keep extending the last one instead of adding entries
        o = this.lastOf.get(k)!;
        o.lastSeenAt = at;
        o.active = true;
        o.evidence.episodes = n;
        if (severityRank(input.severity) > severityRank(o.severity)) o.severity = input.severity;
      } else {
        o = { ...input, evidence: { ...input.evidence }, firstSeenAt, lastSeenAt: at, active: true, text: '' };
        if (input.trackId === undefined) delete o.trackId;
        this.list.push(o);
        this.lastOf.set(k, o);
      }
      this.open.set(k, o);
    }
    o.text = this.describe(o);
    return o;
  }

  /** Updates the evidence of an open episode without extending it. */
  note(type: string, pcId: string | null, trackId: string | undefined, evidence: Record<string, number | string | boolean>): void {
    const o = this.open.get(this.key(type, pcId, trackId));
    if (!o) return;
    Object.assign(o.evidence, evidence);
    o.text = this.describe(o);
  }

  /** Ends the open episode, if any. */
  settle(type: string, pcId: string | null, trackId?: string): void {
    const k = this.key(type, pcId, trackId);
    const o = this.open.get(k);
    if (!o) return;
    o.active = false;
    this.open.delete(k);
  }

  /** Takes back the open episode, if any: another observation says it better. */
  withdraw(type: string, pcId: string | null, trackId?: string): void {
    const k = this.key(type, pcId, trackId);
    const o = this.open.get(k);
    if (!o) return;
    this.open.delete(k);
    const i = this.list.indexOf(o);
    if (i >= 0) this.list.splice(i, 1);
    if (this.lastOf.get(k) === o) this.lastOf.delete(k);
    this.episodes.set(k, (this.episodes.get(k) ?? 1) - 1);
  }

  /** A one-off observation (an event, not a condition): raised and settled at once. */
  record(at: number, input: ObservationInput, firstSeenAt = at): Observation {
    const o = this.raise(at, firstSeenAt, input);
    this.settle(input.type, input.pcId, input.trackId);
    return o;
  }

  isOpen(type: string, pcId: string | null, trackId?: string): boolean {
    return this.open.has(this.key(type, pcId, trackId));
  }
}
