// Sessions and their traces in IndexedDB. Everything needed later is here,
// never only in the service worker's memory (it can be stopped at any time).

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { browserRun } from './browser-run';
import type { FrameInfo, SessionRecord } from '../core/session';
import { applyEventsToSession } from '../core/session';
import { decodeChunk, encodeChunk, samplesBefore } from '../core/chunk';
import { qualifiedPcId, type FrameEntry, type FrameHello, type StoredEvent } from '../core/trace';

interface StoredFrame extends FrameInfo {
  /** highest sequence number written for this frame: resent entries at or below it are skipped */
  lastSeq: number;
  /** entries that arrived after a gap in the sequence (should stay 0) */
  gaps: number;
}

export interface StoredSession extends SessionRecord {
  frames: StoredFrame[];
}

/** A compacted run of one frame's events (see src/core/chunk.ts). */
interface StoredChunk {
  sessionId: string;
  frame: number;
  fromSeq: number;
  toSeq: number;
  data: Uint8Array;
}

interface LensDB extends DBSchema {
  sessions: { key: string; value: StoredSession; indexes: { byTab: number; byStart: number } };
  /** events as they arrive; compacted into chunks once they are older */
  events: { key: [string, number, number]; value: StoredEvent };
  chunks: { key: [string, number, number]; value: StoredChunk };
}

const sessionRange = (id: string) => IDBKeyRange.bound([id, -Infinity, -Infinity], [id, Infinity, Infinity]);
const eventBytes = (e: StoredEvent) => JSON.stringify(e).length;

export interface SessionOrigin {
  sessionId: string;
  tabId: number;
  browserRun: string;
  frameId: number;
  url: string;
  origin: string;
  title: string;
  /** when the page load started */
  startTime: number;
  userAgent: string;
  extensionVersion: string;
}

let dbPromise: Promise<IDBPDatabase<LensDB>> | null = null;

function db(): Promise<IDBPDatabase<LensDB>> {
  dbPromise ??= openDB<LensDB>('webrtc-lens', 1, {
    upgrade(database) {
      const sessions = database.createObjectStore('sessions', { keyPath: 'id' });
      sessions.createIndex('byTab', 'tabId');
      sessions.createIndex('byStart', 'startTime');
      database.createObjectStore('events', { keyPath: ['sessionId', 'frame', 'seq'] });
      database.createObjectStore('chunks', { keyPath: ['sessionId', 'frame', 'fromSeq'] });
    },
  });
  return dbPromise;
}

/** Finds or creates the session and the frame in it; returns the frame's index. */
export async function attachFrame(where: SessionOrigin, hello: FrameHello): Promise<number> {
  const tx = (await db()).transaction('sessions', 'readwrite');
  const now = Date.now();
  let session = await tx.store.get(where.sessionId);
  if (!session) {
    session = {
      id: where.sessionId,
      tabId: where.tabId,
      browserRun: where.browserRun,
      url: where.url,
      origin: where.origin,
      title: where.title,
      startTime: Math.min(where.startTime, now),
      endTime: null,
      userAgent: where.userAgent,
      extensionVersion: where.extensionVersion,
      frames: [],
      connections: [],
      tags: {},
      eventCount: 0,
      statsCount: 0,
      lastEventTime: now,
      bytes: 0,
      rawBytes: 0,
    };
  }
  let index = session.frames.findIndex((f) => f.key === hello.frameKey);
  if (index < 0) {
    index = session.frames.length;
    session.frames.push({
      key: hello.frameKey,
      frameId: where.frameId,
      url: hello.url,
      origin: hello.origin,
      isTop: hello.isTop,
      firstSeen: now,
      lastSeq: 0,
      gaps: 0,
    });
  }
  if (hello.isTop && hello.title) session.title = hello.title;
  session.endTime = null; // the page is (still) there
  await tx.store.put(session);
  await tx.done;
  return index;
}

/** Writes a batch; resolves with the frame's highest written sequence number (to acknowledge). */
/** Writes a frame's new entries; returns the highest sequence number written, the session and the events stored now. */
export async function appendEntries(
  sessionId: string,
  frameIndex: number,
  entries: FrameEntry[],
): Promise<{ upTo: number; session: StoredSession; fresh: StoredEvent[] }> {
  const tx = (await db()).transaction(['sessions', 'events'], 'readwrite');
  const sessions = tx.objectStore('sessions');
  const events = tx.objectStore('events');
  const session = await sessions.get(sessionId);
  if (!session || !session.frames[frameIndex]) throw new Error(`unknown session ${sessionId} frame ${frameIndex}`);
  const frame = session.frames[frameIndex];
  const fresh: StoredEvent[] = [];
  for (const e of entries) {
    if (e.s <= frame.lastSeq) continue; // already written before a restart
    if (e.s !== frame.lastSeq + 1) frame.gaps++;
    frame.lastSeq = e.s;
    const event: StoredEvent = {
      sessionId,
      frame: frameIndex,
      seq: e.s,
      t: e.t,
      method: e.m,
      pc: e.pc === null ? null : qualifiedPcId(frameIndex, e.pc),
      value: e.v,
    };
    if (e.x) event.extra = e.x;
    if (e.full) event.full = true;
    fresh.push(event);
  }
  for (const event of fresh) {
    void events.put(event);
    const size = eventBytes(event);
    session.bytes += size;
    session.rawBytes += size;
  }
  applyEventsToSession(session, fresh);
  await sessions.put(session);
  await tx.done;
  return { upTo: frame.lastSeq, session, fresh };
}

/** Ends a session; returns its tab, or null when it was unknown or already ended. */
export async function endSession(sessionId: string, endTime: number): Promise<number | null> {
  const tx = (await db()).transaction('sessions', 'readwrite');
  const session = await tx.store.get(sessionId);
  let ended: number | null = null;
  if (session && session.endTime === null) {
    session.endTime = endTime;
    ended = session.tabId;
    await tx.store.put(session);
  }
  await tx.done;
  return ended;
}

export async function getSession(sessionId: string): Promise<StoredSession | undefined> {
  return (await db()).get('sessions', sessionId);
}

export async function allSessions(): Promise<StoredSession[]> {
  return (await db()).getAllFromIndex('sessions', 'byStart');
}

export async function openSessionsOfTab(tabId: number): Promise<StoredSession[]> {
  const all = await (await db()).getAllFromIndex('sessions', 'byTab', tabId);
  return all.filter((s) => s.endTime === null);
}

/** Every session of a tab in this run of the browser (see browserRun), oldest first. */
export async function sessionsOfTab(tabId: number): Promise<StoredSession[]> {
  const [all, run] = await Promise.all([(await db()).getAllFromIndex('sessions', 'byTab', tabId), browserRun()]);
  return all.filter((s) => s.browserRun === run).sort((a, b) => a.startTime - b.startTime);
}

/** All events of a session, compacted or not, unordered (see orderEvents). */
export async function sessionEvents(sessionId: string): Promise<StoredEvent[]> {
  const database = await db();
  const [raw, chunks] = await Promise.all([database.getAll('events', sessionRange(sessionId)), database.getAll('chunks', sessionRange(sessionId))]);
  const decoded = await Promise.all(chunks.map((c) => decodeChunk(c.data, c.sessionId, c.frame)));
  return [...decoded.flat(), ...raw];
}

/** Deletes sessions with all their events. */
export async function deleteSessions(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const tx = (await db()).transaction(['sessions', 'events', 'chunks'], 'readwrite');
  for (const id of ids) {
    void tx.objectStore('sessions').delete(id);
    void tx.objectStore('events').delete(sessionRange(id));
    void tx.objectStore('chunks').delete(sessionRange(id));
  }
  await tx.done;
}

/**
 * Moves a session's raw events older than `before` into gzip-compressed
 * chunks, one per frame. Safe to interrupt: the chunk and the removal of the
 * raw events it holds are written in one transaction.
 */
export function compactSession(sessionId: string, before: number): Promise<void> {
  // One compaction of a session at a time (in this background's lifetime): two
  // would start from the same raw events, and the second would find them gone.
  const run = (compacting.get(sessionId) ?? Promise.resolve()).then(() => compactNow(sessionId, before));
  const settled = run.catch(() => undefined);
  compacting.set(sessionId, settled);
  void settled.then(() => {
    if (compacting.get(sessionId) === settled) compacting.delete(sessionId);
  });
  return run;
}

const compacting = new Map<string, Promise<void>>();

async function compactNow(sessionId: string, before: number): Promise<void> {
  const database = await db();
  const session = await database.get('sessions', sessionId);
  if (!session || session.rawBytes === 0) return;
  const raw = await database.getAll('events', sessionRange(sessionId)); // in key order: frame, then seq
  for (let frame = 0; frame < session.frames.length; frame++) {
    const own = raw.filter((e) => e.frame === frame);
    const cut = own.findIndex((e) => e.t >= before);
    const run = cut < 0 ? own : own.slice(0, cut);
    if (run.length === 0) continue;
    const data = await encodeChunk(run, await samplesBefore(run, chunksNewestFirst(sessionId, frame)));
    const from = run[0]!.seq;
    const to = run.at(-1)!.seq;
    const size = run.reduce((sum, e) => sum + eventBytes(e), 0);
    const range = IDBKeyRange.bound([sessionId, frame, from], [sessionId, frame, to]);
    const tx = database.transaction(['sessions', 'events', 'chunks'], 'readwrite');
    const current = await tx.objectStore('sessions').get(sessionId);
    // Deleted meanwhile, or (after a restart of the background) another compaction took
    // these events first: leave them to that one, nothing is lost or written twice.
    if (!current || (await tx.objectStore('events').count(range)) !== run.length) {
      await tx.done;
      continue;
    }
    void tx.objectStore('chunks').put({ sessionId, frame, fromSeq: from, toSeq: to, data });
    void tx.objectStore('events').delete(range);
    current.rawBytes -= size;
    current.bytes += data.byteLength - size;
    await tx.objectStore('sessions').put(current);
    await tx.done;
  }
}

/** A frame's chunks, newest first, each decoded when it is asked for. */
async function* chunksNewestFirst(sessionId: string, frame: number): AsyncGenerator<StoredEvent[]> {
  const database = await db();
  const keys = await database.getAllKeys('chunks', IDBKeyRange.bound([sessionId, frame, -Infinity], [sessionId, frame, Infinity])); // (in fromSeq order)
  for (let i = keys.length - 1; i >= 0; i--) {
    const chunk = await database.get('chunks', keys[i]!);
    if (chunk) yield decodeChunk(chunk.data, sessionId, frame);
  }
}
