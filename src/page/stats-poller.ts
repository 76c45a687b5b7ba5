// getStats polling: one schedule per connection, deltas against the previous
// sample, a full sample every FULL_SAMPLE_EVERY samples so that a lost message
// cannot corrupt the rest. Holds the connection only weakly, so a connection
// the page dropped is not kept alive; stops once the connection is closed.

import { natives, call } from './natives';
import { safely, type Recorder } from './recorder';
import { statsDelta, type StatsSample } from '../core/stats-delta';

export const FULL_SAMPLE_EVERY = 30;

type AnyFn = (...args: unknown[]) => unknown;

const statsReportForEach = (globalThis as { RTCStatsReport?: { prototype: { forEach: AnyFn } } }).RTCStatsReport?.prototype
  .forEach;

function toSample(report: unknown): StatsSample {
  const sample: StatsSample = {};
  const each = (stat: Record<string, unknown>, id: string) => {
    const copy: Record<string, unknown> = {};
    for (const key in stat) if (key !== 'id') copy[key] = stat[key];
    sample[id] = copy;
  };
  if (statsReportForEach) call(statsReportForEach, report, each);
  else (report as Map<string, Record<string, unknown>>).forEach(each);
  return sample;
}

export function startStatsPolling(
  pc: RTCPeerConnection,
  id: string,
  getStats: AnyFn,
  connectionState: () => string,
  recorder: Recorder,
): void {
  const ref = new natives.WeakRef(pc);
  let previous: StatsSample | undefined;
  let count = 0;

  const tick = () => {
    const target = ref.deref();
    if (!target || connectionState() === 'closed') return;
    let pending: unknown;
    try {
      pending = call(getStats, target);
    } catch {
      return; // a connection that cannot report any more
    }
    call(natives.then as AnyFn, pending,
      (report: unknown) => {
        safely(() => {
          if (connectionState() === 'closed') return;
          const sample = toSample(report);
          const delta = count % FULL_SAMPLE_EVERY === 0 ? null : statsDelta(previous, sample);
          recorder.emit('getStats', id, delta ?? sample, undefined, delta === null);
          previous = sample;
          count++;
        });
        schedule();
      },
      () => schedule());
  };
  const schedule = () => {
    natives.setTimeout(() => safely(tick), recorder.pollIntervalMs());
  };
  schedule();
}
