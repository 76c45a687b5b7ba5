// The hook's shared state: where entries go, and the guard that keeps any
// bug of the hook away from the page.

import { natives, defineData, described } from './natives';
import type { Channel } from './channel';
import type { PageEntry } from '../core/trace';

export const DEFAULT_POLL_INTERVAL_MS = 1000;
/** Deferred entries kept at most, the oldest dropped first. */
export const MAX_DEFERRED = 50;

export interface Recorder {
  emit(method: string, pc: string | null, value: unknown, extra?: (string | number)[], full?: boolean): void;
  /**
   * For what many pages do without any call (enumerateDevices, identity
   * tags): kept until the page otherwise uses WebRTC, then sent in order
   * with their own times. A page that never does sends nothing.
   */
  emitDeferred(method: string, pc: string | null, value: unknown, extra?: (string | number)[]): void;
  /** Runs `listener` once the page has used WebRTC (now, if it has). */
  whenStarted(listener: () => void): void;
  pollIntervalMs(): number;
}

/**
 * `pageInfo` is sent as a page-level `create` before the first entry, so a
 * page that never touches WebRTC sends nothing at all.
 */
export function createRecorder(channel: Channel, pageInfo: () => unknown): Recorder {
  let interval = DEFAULT_POLL_INTERVAL_MS;
  let started = false;
  let deferred: PageEntry[] = [];
  const startListeners: (() => void)[] = [];
  channel.onConfig((ms) => {
    interval = ms < 250 ? 250 : ms > 60000 ? 60000 : ms;
  });
  const entry = (m: string, pc: string | null, v: unknown, extra?: (string | number)[], full?: boolean): PageEntry => {
    const e: PageEntry = { m, pc, v, t: natives.now() };
    // defined, not assigned: no setter a page put on Object.prototype runs
    if (extra) defineData(e, 'x', extra);
    if (full) defineData(e, 'full', true);
    return e;
  };
  const start = (now: number) => {
    started = true;
    const first = deferred.length > 0 ? deferred[0]!.t : now;
    channel.send({ m: 'create', pc: null, v: described(pageInfo), t: first });
    const queued = deferred;
    deferred = [];
    for (let i = 0; i < queued.length; i++) channel.send(queued[i]!);
    for (let i = 0; i < startListeners.length; i++) safely(startListeners[i]!);
  };
  return {
    emit(method, pc, value, extra, full) {
      const e = entry(method, pc, value, extra, full);
      if (!started) start(e.t);
      channel.send(e);
    },
    emitDeferred(method, pc, value, extra) {
      const e = entry(method, pc, value, extra);
      if (started) {
        channel.send(e);
        return;
      }
      if (deferred.length >= MAX_DEFERRED) {
        const kept: PageEntry[] = [];
        for (let i = 1; i < deferred.length; i++) kept[kept.length] = deferred[i]!;
        deferred = kept;
      }
      deferred[deferred.length] = e;
    },
    whenStarted(listener) {
      if (started) safely(listener);
      else startListeners[startListeners.length] = listener;
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
