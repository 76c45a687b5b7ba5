// The hook's shared state: where entries go, and the guard that keeps any
// bug of the hook away from the page.

import { natives } from './natives';
import type { Channel } from './channel';
import type { PageEntry } from '../core/trace';

export const DEFAULT_POLL_INTERVAL_MS = 1000;

export interface Recorder {
  emit(method: string, pc: string | null, value: unknown, extra?: (string | number)[], full?: boolean): void;
  pollIntervalMs(): number;
}

/**
 * `pageInfo` is sent as a page-level `create` before the first entry, so a
 * page that never touches WebRTC sends nothing at all.
 */
export function createRecorder(channel: Channel, pageInfo: () => unknown): Recorder {
  let interval = DEFAULT_POLL_INTERVAL_MS;
  let started = false;
  channel.onConfig((ms) => {
    interval = Math.min(60000, Math.max(250, ms));
  });
  return {
    emit(method, pc, value, extra, full) {
      if (!started) {
        started = true;
        channel.send({ m: 'create', pc: null, v: pageInfo(), t: natives.now() });
      }
      const entry: PageEntry = { m: method, pc, v: value, t: natives.now() };
      if (extra) entry.x = extra;
      if (full) entry.full = true;
      channel.send(entry);
    },
    pollIntervalMs: () => interval,
  };
}

let hookErrors = 0;

/** Runs hook code; whatever it throws stays here. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    hookErrors++;
  }
}

export function hookErrorCount(): number {
  return hookErrors;
}
