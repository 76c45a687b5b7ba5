// Delta compression of getStats samples on their way to the background: the
// hook sends complete samples, the content script (isolated world, out of the
// page's reach) sends deltas against the previous sample of the same
// connection, and a complete sample every FULL_SAMPLE_EVERY samples or
// whenever entries had to be dropped, so a gap can never corrupt later samples.

import { statsDelta, type StatsSample } from './stats-delta';
import type { PageEntry } from './trace';

export const FULL_SAMPLE_EVERY = 30;

export class StatsCompressor {
  private readonly last = new Map<string, StatsSample>();
  private readonly count = new Map<string, number>();

  /** The entry to send: a getStats entry as a delta where possible, anything else as it is. */
  compress(entry: PageEntry): PageEntry {
    if (entry.m !== 'getStats' || entry.pc === null || !entry.full || typeof entry.v !== 'object' || entry.v === null) return entry;
    const sample = entry.v as StatsSample;
    const n = this.count.get(entry.pc) ?? 0;
    const delta = n % FULL_SAMPLE_EVERY === 0 ? null : statsDelta(this.last.get(entry.pc), sample);
    this.last.set(entry.pc, sample);
    this.count.set(entry.pc, n + 1);
    if (delta === null) return entry;
    const { full: _full, ...rest } = entry;
    return { ...rest, v: delta };
  }

  /** After entries were dropped: the next sample of every connection goes complete. */
  reset(): void {
    this.last.clear();
    this.count.clear();
  }
}
