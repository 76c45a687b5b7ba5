// getStats polling: one schedule per connection, each sample sent complete.
// Delta compression happens in the content script (src/core/stats-compressor.ts), in
// the isolated world, where no page-patched built-in can see it.
//
// The schedule holds the connection only through a weak reference (and reads
// its state through that reference), so a connection the page dropped is not
// kept alive. It stops for good once the connection is closed or gone, and
// pauses once the connection has been `failed` for FAILED_STOP_MS; a
// connectionstatechange (an ICE restart) wakes it again.

import { natives, call, weakRef } from './natives';
import { safely, type Recorder } from './recorder';
import type { StatsSample } from '../core/stats-delta';

export const FAILED_STOP_MS = 30000;

type AnyFn = (...args: unknown[]) => unknown;

export interface Poller {
  /** Resumes a schedule paused on a failed connection (no effect otherwise). */
  wake(): void;
}

const statsReportForEach = (globalThis as { RTCStatsReport?: { prototype: { forEach: AnyFn } } }).RTCStatsReport?.prototype
  .forEach;
const mapForEach = Map.prototype.forEach;

/**
 * A plain copy of a report this hook's own getStats call produced (the page
 * never saw it, so its properties are the browser's own data properties).
 * The copies have no prototype, so a setter the page put on Object.prototype
 * never sees an assignment; this runs every second per connection, so it
 * avoids a descriptor per property.
 */
function toSample(report: unknown): StatsSample {
  const sample = natives.create(null) as StatsSample;
  const each = (stat: Record<string, unknown>, id: string) => {
    const copy = natives.create(null) as Record<string, unknown>;
    const keys = natives.keys(stat);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key !== 'id') copy[key] = stat[key];
    }
    sample[id] = copy;
  };
  call((statsReportForEach ?? mapForEach) as AnyFn, report, each);
  return sample;
}

export function startStatsPolling(
  pc: object,
  id: string,
  getStats: AnyFn,
  connectionState: (pc: object) => string,
  recorder: Recorder,
): Poller {
  const target = weakRef(pc);
  let failedSince: number | null = null;
  /** 'running': a tick is scheduled or a getStats is under way; 'paused': failed too long; 'stopped': for good */
  let state: 'running' | 'paused' | 'stopped' = 'running';

  const tick = () => {
    const conn = target();
    const connState = conn ? connectionState(conn) : 'closed';
    if (connState === 'closed') {
      state = 'stopped';
      return;
    }
    if (connState === 'failed') {
      const now = natives.now();
      if (failedSince === null) failedSince = now;
      else if (now - failedSince >= FAILED_STOP_MS) {
        state = 'paused';
        return;
      }
    } else {
      failedSince = null;
    }
    let pending: unknown;
    try {
      pending = call(getStats, conn);
    } catch {
      state = 'stopped';
      return; // a connection that cannot report any more
    }
    call(natives.then as AnyFn, pending,
      (report: unknown) => {
        safely(() => {
          const now = target();
          if (!now || connectionState(now) === 'closed') return;
          recorder.emit('getStats', id, toSample(report), undefined, true);
        });
        schedule();
      },
      () => schedule());
  };
  const schedule = () => {
    natives.setTimeout(() => {
      try {
        tick();
      } catch {
        state = 'stopped';
      }
    }, recorder.pollIntervalMs());
  };
  schedule();
  return {
    wake() {
      if (state !== 'paused') return;
      const conn = target();
      const connState = conn ? connectionState(conn) : 'closed';
      if (connState === 'closed' || connState === 'failed') return;
      state = 'running';
      failedSince = null;
      schedule();
    },
  };
}
