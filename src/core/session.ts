// A session: one page load of one tab, with its frames, connections and trace.

import type { StoredEvent } from './trace';
import { applyStatsDelta, type StatsDelta, type StatsSample } from './stats-delta';

export interface FrameInfo {
  /** the content script's id of the document */
  key: string;
  /** the browser's frame id (0 = top) */
  frameId: number;
  url: string;
  origin: string;
  isTop: boolean;
  firstSeen: number;
}

export interface ConnectionInfo {
  /** session-wide id (see qualifiedPcId) */
  id: string;
  frame: number;
  createdAt: number;
  closedAt: number | null;
  configuration: unknown;
}

export interface SessionRecord {
  id: string;
  tabId: number;
  /** the run of the browser it was recorded in (tab ids are reused after a restart); none in imported dumps and sessions stored before it was kept */
  browserRun?: string;
  url: string;
  origin: string;
  title: string;
  startTime: number;
  endTime: number | null;
  userAgent: string;
  extensionVersion: string;
  frames: FrameInfo[];
  connections: ConnectionInfo[];
  /** identity hints (rtcStatsClientId, ...) and page-set tags */
  tags: Record<string, string>;
  eventCount: number;
  statsCount: number;
  /** time of the newest stored event */
  lastEventTime: number;
  /** size on disk in bytes: raw events (as JSON) plus compacted chunks */
  bytes: number;
  /** the part of `bytes` still in raw events, not yet compacted */
  rawBytes: number;
}

/** The summary the automation API's listSessions() returns. */
export type SessionSummary = Pick<
  SessionRecord,
  | 'id'
  | 'tabId'
  | 'browserRun'
  | 'url'
  | 'origin'
  | 'title'
  | 'startTime'
  | 'endTime'
  | 'eventCount'
  | 'statsCount'
  | 'userAgent'
  | 'extensionVersion'
  | 'bytes'
  | 'rawBytes'
> & { connections: string[]; frames: number; tags: Record<string, string> };

export function summarizeSession(s: SessionRecord): SessionSummary {
  return {
    id: s.id,
    tabId: s.tabId,
    ...(s.browserRun === undefined ? {} : { browserRun: s.browserRun }),
    url: s.url,
    origin: s.origin,
    title: s.title,
    startTime: s.startTime,
    endTime: s.endTime,
    eventCount: s.eventCount,
    statsCount: s.statsCount,
    userAgent: s.userAgent,
    extensionVersion: s.extensionVersion,
    bytes: s.bytes,
    rawBytes: s.rawBytes,
    connections: s.connections.map((c) => c.id),
    frames: s.frames.length,
    tags: { ...s.tags },
  };
}

/** Folds a batch of new events into the session record (connections, counts, tags). */
export function applyEventsToSession(session: SessionRecord, events: StoredEvent[]): void {
  for (const e of events) {
    session.eventCount++;
    session.lastEventTime = Math.max(session.lastEventTime, e.t);
    if (e.method === 'getStats') session.statsCount++;
    if (e.pc === null) {
      if (e.method === 'identity' && e.value && typeof e.value === 'object') addTags(session, e.value);
      continue;
    }
    let conn = session.connections.find((c) => c.id === e.pc);
    if (!conn) {
      conn = { id: e.pc, frame: e.frame, createdAt: e.t, closedAt: null, configuration: null };
      session.connections.push(conn);
    }
    if (e.method === 'create') {
      conn.createdAt = e.t;
      conn.configuration = e.value;
    } else if (e.method === 'constraints' && e.value && typeof e.value === 'object') {
      addTags(session, identityHints(e.value));
    } else if (e.method === 'close' && conn.closedAt === null) {
      conn.closedAt = e.t;
    }
  }
}

function addTags(session: SessionRecord, tags: object): void {
  for (const [k, v] of Object.entries(tags)) {
    if (typeof v === 'string' || typeof v === 'number') session.tags[k] = String(v);
  }
}

/** rtcStatsClientId / rtcStatsPeerId / rtcStatsConferenceId from legacy constraints `{optional: [...]}`. */
export function identityHints(constraints: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const optional = (constraints as { optional?: unknown }).optional;
  if (!Array.isArray(optional)) return out;
  for (const item of optional) {
    if (!item || typeof item !== 'object') continue;
    for (const key of ['rtcStatsClientId', 'rtcStatsPeerId', 'rtcStatsConferenceId']) {
      const v = (item as Record<string, unknown>)[key];
      if (typeof v === 'string' || typeof v === 'number') out[key] = String(v);
    }
  }
  return out;
}

/**
 * Walks getStats events in order and yields each one with its complete sample,
 * undoing the delta compression per connection.
 */
export function* completeStatsSamples(events: Iterable<StoredEvent>): Generator<{ event: StoredEvent; sample: StatsSample }> {
  const last = new Map<string, StatsSample>();
  for (const event of events) {
    if (event.method !== 'getStats' || event.pc === null) continue;
    const value = event.value as StatsSample | StatsDelta;
    const sample = event.full ? (value as StatsSample) : applyStatsDelta(last.get(event.pc), value as StatsDelta);
    last.set(event.pc, sample);
    yield { event, sample };
  }
}
