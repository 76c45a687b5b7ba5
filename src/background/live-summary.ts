// A small summary of every live session, kept in memory as batches are stored
// (capture → publishEvents → here), so that the popup opens at once and the
// badge follows the live connections. After a restart of the background it is
// rebuilt from the store, once per live session.

import { LiveSessionTracker, type LiveSessionSummary } from '../core/live-summary';
import type { SessionRecord } from '../core/session';
import { orderEvents, type StoredEvent } from '../core/trace';
import { allSessions, getSession, openSessionsOfTab, sessionEvents } from './store';
import { clearBadge, setBadgeCount, setBadgeLevel, type BadgeLevel } from './badge';
import type { AnalysisResult } from '../core/analysis';

const trackers = new Map<string, LiveSessionTracker>();
/** Sessions being rebuilt from the store, with the batches stored meanwhile. */
const rebuilding = new Map<string, StoredEvent[][]>();
let scanned: Promise<void> | null = null;

function updateBadge(tabId: number): void {
  const live = [...trackers.values()].filter((t) => t.tabId === tabId).map((t) => t.summary());
  if (live.length === 0) {
    void clearBadge(tabId);
    return;
  }
  void setBadgeCount(tabId, live.reduce((n, s) => n + s.liveConnections, 0));
  const levels: BadgeLevel[] = live.map((s) => s.level);
  void setBadgeLevel(tabId, levels.includes('critical') ? 'critical' : levels.includes('warning') ? 'warning' : 'none');
}

/** After each stored batch (src/background/live.ts publishEvents). */
export function onStoredBatch(session: SessionRecord, events: StoredEvent[]): void {
  if (session.endTime !== null || events.length === 0) return;
  const tracker = trackers.get(session.id);
  if (tracker) {
    tracker.update(session, events);
    updateBadge(session.tabId);
  } else if (rebuilding.has(session.id)) {
    rebuilding.get(session.id)!.push(events);
  } else if (session.eventCount === events.length) {
    // the session's first batch: it is the whole trace so far
    const fresh = new LiveSessionTracker(session);
    fresh.update(session, events);
    trackers.set(session.id, fresh);
    updateBadge(session.tabId);
  } else {
    void rebuild(session.id); // what was stored before this background started (the batch is in the store already)
  }
}

/** A session of the tab started or ended (src/background/live.ts publishTabChange). */
export async function onTabChange(tabId: number): Promise<void> {
  const open = new Set((await openSessionsOfTab(tabId)).map((s) => s.id));
  for (const [id, tracker] of trackers) {
    if (tracker.tabId === tabId && !open.has(id)) trackers.delete(id);
  }
  updateBadge(tabId);
}

async function rebuild(sessionId: string): Promise<void> {
  if (trackers.has(sessionId) || rebuilding.has(sessionId)) return;
  rebuilding.set(sessionId, []);
  try {
    const session = await getSession(sessionId);
    if (!session || session.endTime !== null) return;
    const tracker = new LiveSessionTracker(session);
    tracker.update(session, orderEvents(await sessionEvents(sessionId)));
    // batches stored while reading: those already read are skipped by their sequence numbers
    for (const batch of rebuilding.get(sessionId) ?? []) tracker.update(null, batch);
    trackers.set(sessionId, tracker);
    updateBadge(session.tabId);
  } finally {
    rebuilding.delete(sessionId);
  }
}

/** Every live session's summary, newest first; the first call after a start of the background reads the store once. */
export async function liveSummaries(ready: Promise<unknown>): Promise<LiveSessionSummary[]> {
  scanned ??= ready.then(async () => {
    const live = (await allSessions()).filter((s) => s.endTime === null);
    await Promise.all(live.map((s) => rebuild(s.id)));
  }).catch((e: unknown) => {
    scanned = null; // try again at the next call
    throw e;
  });
  await scanned;
  return [...trackers.values()].map((t) => t.summary()).sort((a, b) => b.startTime - a.startTime);
}

/** Forgets deleted sessions. */
export function forgetSessions(ids: readonly string[]): void {
  for (const id of ids) {
    const tracker = trackers.get(id);
    if (!tracker) continue;
    trackers.delete(id);
    updateBadge(tracker.tabId);
  }
}

/** The live analysis of a session, when the background follows it (null for ended or unknown sessions). */
export function liveAnalysis(sessionId: string): AnalysisResult | null {
  return trackers.get(sessionId)?.result() ?? null;
}
