// Reading stored sessions through the extension's automation API, for tests and the demo.

import type { Worker } from 'playwright-core';
import type { SessionRecord, SessionSummary } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';
import { waitFor } from './wait';

type Api = {
  listSessions(): Promise<SessionSummary[]>;
  exportSession(id: string, format?: string, scope?: { wholeTab?: boolean }): Promise<string>;
  getSessionTrace(id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }>;
};

export function listSessions(bg: Worker): Promise<SessionSummary[]> {
  return bg.evaluate(() => (globalThis as unknown as Api).listSessions());
}

export function exportSession(bg: Worker, id: string, format = 'rtcstats', wholeTab = false): Promise<string> {
  return bg.evaluate(([i, f, w]) => (globalThis as unknown as Api).exportSession(i as string, f as string, { wholeTab: w as boolean }), [id, format, wholeTab]);
}

export function getSessionTrace(bg: Worker, id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }> {
  return bg.evaluate((i) => (globalThis as unknown as Api).getSessionTrace(i), id);
}

/** Number of events per `pc method`, e.g. {"PC_0 createOffer": 1}. */
export function countMethods(events: { pc: string | null; method: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    const key = `${e.pc ?? '-'} ${e.method}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The sessions of `url` (its page loads), oldest first, once there are `count` and all have ended. */
export function endedPageLoads(bg: Worker, url: string, count: number): Promise<SessionSummary[]> {
  return waitFor(async () => {
    const loads = (await listSessions(bg)).filter((s) => s.url === url);
    return loads.length === count && loads.every((s) => s.endTime !== null) ? loads.sort((a, b) => a.startTime - b.startTime) : null;
  }, `${count} page loads of ${url} to end`);
}
