// The page loads of one tab as one dump: a call that went wrong is often
// reloaded, and the support engineer needs both page loads, not the last.
//
// A merged dump is one session whose frames are the frames of every page
// load, in order (each page load's top frame is a top frame of the merged
// session, with its own URL). Connection ids are qualified by their frame in
// the merged session as the capture qualifies a sub-frame's (qualifiedPcId):
// the first page load keeps `PC_0`, the second's `PC_0` becomes `f1-PC_0`
// when the first had one frame. Every format then writes it as it writes a
// session with sub-frames: webrtc-internals gives each page load's
// connections their own process key, as Chrome does after a reload.

import type { SessionDump } from './dump';
import type { ConnectionInfo, SessionRecord } from './session';
import { orderEvents, qualifiedPcId, type StoredEvent } from './trace';

/**
 * The sessions recorded in the same tab as session `id` (itself included),
 * oldest first. Tab ids are reused after the browser restarts, so the
 * sessions must also come from the same run of the browser.
 */
export function sessionsOfSameTab<S extends Pick<SessionRecord, 'id' | 'tabId' | 'browserRun' | 'startTime'>>(all: readonly S[], id: string): S[] {
  const session = all.find((s) => s.id === id);
  if (!session) return [];
  return all.filter((s) => s.tabId === session.tabId && s.browserRun === session.browserRun).sort((a, b) => a.startTime - b.startTime);
}

/** Page loads of one tab (oldest first) as one dump; one dump is returned as it is. */
export function mergeTabSessions(dumps: readonly SessionDump[]): SessionDump {
  if (dumps.length === 0) throw new Error('no session to merge');
  if (dumps.length === 1) return dumps[0]!;
  const sessions = dumps.map((d) => d.session);
  const first = sessions[0]!;
  const id = `${first.id}+${dumps.length - 1}`;
  const frames: SessionRecord['frames'] = [];
  const connections: ConnectionInfo[] = [];
  const events: StoredEvent[] = [];
  for (const { session, events: own } of dumps) {
    const offset = frames.length;
    frames.push(...session.frames);
    // a session whose events name frames it does not list (an import): room for them
    const highestFrame = own.reduce((max, e) => Math.max(max, e.frame), session.frames.length - 1);
    for (let f = session.frames.length; f <= highestFrame; f++) frames.push({ key: `${session.id}/${f}`, frameId: f, url: session.url, origin: session.origin, isTop: f === 0, firstSeen: session.startTime });
    for (const c of session.connections) connections.push({ ...c, id: requalified(c.id, c.frame, offset), frame: c.frame + offset });
    for (const e of own) events.push({ ...e, sessionId: id, frame: e.frame + offset, pc: e.pc === null ? null : requalified(e.pc, e.frame, offset) });
  }
  const ends = sessions.map((s) => s.endTime);
  const session: SessionRecord = {
    ...first,
    id,
    startTime: Math.min(...sessions.map((s) => s.startTime)),
    endTime: ends.includes(null) ? null : Math.max(...(ends as number[])),
    frames,
    connections,
    tags: Object.assign({}, ...sessions.map((s) => s.tags)) as Record<string, string>,
    eventCount: sum(sessions, (s) => s.eventCount),
    statsCount: sum(sessions, (s) => s.statsCount),
    lastEventTime: Math.max(...sessions.map((s) => s.lastEventTime)),
    bytes: sum(sessions, (s) => s.bytes),
    rawBytes: sum(sessions, (s) => s.rawBytes),
  };
  return { session, events: orderEvents(events) }; // (each frame's events in sequence order, frames by time)
}

/** A connection id of frame `frame` of its session, as the id of that frame moved by `offset` frames. */
function requalified(id: string, frame: number, offset: number): string {
  const prefix = `f${frame}-`;
  const own = frame !== 0 && id.startsWith(prefix) ? id.slice(prefix.length) : id;
  return qualifiedPcId(frame + offset, own);
}

const sum = <T>(list: readonly T[], of: (item: T) => number): number => list.reduce((total, item) => total + (of(item) || 0), 0);
