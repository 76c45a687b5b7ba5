// Receives the trace of every hooked frame over runtime ports and stores it.

import browser from 'webextension-polyfill';
import { browserRun } from './browser-run';
import {
  PROTOCOL_VERSION,
  TRACE_PORT_NAME,
  parseContentToBackground,
  type BackgroundToContent,
  type FrameHello,
  type TopFrameAnswer,
  type TopFrameQuery,
} from '../core/trace';
import { appendEntries, attachFrame, endSession, openSessionsOfTab, allSessions, deleteSessions, compactSession } from './store';
import { sessionsToEvict, type Settings } from '../core/settings';
import { loadSettings } from './settings';
import { publishEvents, publishTabChange } from './live';

export const stats = { malformedMessages: 0, writeErrors: 0 };

/** The page load currently shown in a tab, as its top frame's content script tells it. */
async function askTopFrame(tabId: number): Promise<TopFrameAnswer | null> {
  try {
    const query: TopFrameQuery = { v: PROTOCOL_VERSION, kind: 'whoIsTop' };
    const answer = (await browser.tabs.sendMessage(tabId, query, { frameId: 0 })) as TopFrameAnswer | undefined;
    return answer && typeof answer.pageId === 'string' ? answer : null;
  } catch {
    return null; // no such tab, or its top frame has no content script (e.g. capture disabled there)
  }
}

/** Which page load a frame belongs to: its own if it is the top frame, else the top frame's. */
async function pageOf(tabId: number, hello: FrameHello): Promise<TopFrameAnswer | null> {
  if (hello.isTop && hello.pageId) {
    return { pageId: hello.pageId, url: hello.url, origin: hello.origin, title: hello.title, startTime: hello.startTime };
  }
  return askTopFrame(tabId);
}

function handlePort(port: browser.Runtime.Port): void {
  const tabId = port.sender?.tab?.id;
  const frameId = port.sender?.frameId ?? 0;
  if (port.name !== TRACE_PORT_NAME) return; // another listener's (the extension pages' live port)
  if (tabId === undefined) {
    port.disconnect();
    return;
  }
  let attached: Promise<{ sessionId: string; frameIndex: number; isTop: boolean }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let connected = true;

  port.onMessage.addListener((raw: unknown) => {
    const msg = parseContentToBackground(raw);
    if (!msg) {
      stats.malformedMessages++;
      return;
    }
    if (msg.kind === 'hello') {
      if (attached) return; // one hello per port
      attached = (async () => {
        const page = await pageOf(tabId, msg.frame);
        const sessionId = page?.pageId ?? msg.frame.frameKey;
        if (msg.frame.isTop) await endEarlierSessions(tabId, sessionId);
        const frameIndex = await attachFrame(
          {
            sessionId,
            tabId,
            browserRun: await browserRun(),
            frameId,
            url: page?.url ?? port.sender?.tab?.url ?? msg.frame.url,
            origin: page?.origin ?? msg.frame.origin,
            title: page?.title ?? msg.frame.title,
            startTime: page?.startTime ?? msg.frame.startTime,
            userAgent: navigator.userAgent,
            extensionVersion: browser.runtime.getManifest().version,
          },
          msg.frame,
        );
        livePorts.set(sessionId, (livePorts.get(sessionId) ?? 0) + 1);
        if (msg.frame.isTop) publishTabChange(tabId);
        return { sessionId, frameIndex, isTop: msg.frame.isTop };
      })();
      return;
    }
    const current = attached;
    if (!current) {
      stats.malformedMessages++; // a batch before hello
      return;
    }
    const entries = msg.entries;
    queue = queue
      .then(async () => {
        const { sessionId, frameIndex } = await current;
        const { upTo, session, fresh } = await appendEntries(sessionId, frameIndex, entries);
        publishEvents(session, fresh);
        maybeEnforceRetention();
        maybeCompact(sessionId);
        if (connected) port.postMessage({ v: PROTOCOL_VERSION, kind: 'ack', upTo } satisfies BackgroundToContent);
      })
      .catch(() => {
        // not acknowledged: the content script keeps the entries and sends them again
        stats.writeErrors++;
      });
  });

  port.onDisconnect.addListener(() => {
    connected = false;
    const current = attached;
    if (!current) return;
    void queue.then(async () => {
      const { sessionId, isTop } = await current;
      const remaining = (livePorts.get(sessionId) ?? 1) - 1;
      livePorts.set(sessionId, remaining);
      // The page was left (top frame), or its last reporting frame went away.
      if (isTop || remaining <= 0) {
        livePorts.delete(sessionId);
        await finishSession(sessionId, Date.now());
        await enforceRetention();
      }
    });
  });
}

/** Connected frames per session, in this background's lifetime (only used to notice the last one leaving). */
const livePorts = new Map<string, number>();

/** Ends a session and compacts what it stored. */
async function finishSession(sessionId: string, endTime: number): Promise<void> {
  const tabId = await endSession(sessionId, endTime);
  if (tabId !== null) publishTabChange(tabId);
  lastCompaction.delete(sessionId);
  await compactSession(sessionId, Infinity);
}

/** A new top-level page in a tab ends the sessions of its earlier page loads. */
async function endEarlierSessions(tabId: number, currentId: string): Promise<void> {
  for (const s of await openSessionsOfTab(tabId)) {
    if (s.id !== currentId) await finishSession(s.id, s.lastEventTime);
  }
}

/**
 * After the background was stopped, sessions whose page went away meanwhile
 * are still open: end them at their last event.
 */
export async function endStaleSessions(): Promise<void> {
  for (const s of await allSessions()) {
    if (s.endTime !== null) continue;
    const live = (await askTopFrame(s.tabId))?.pageId === s.id;
    // a frame that reconnected meanwhile proves it live, whatever the tab answered
    if (!live && !livePorts.has(s.id)) await finishSession(s.id, s.lastEventTime);
  }
}

export function startCapture(): void {
  browser.runtime.onConnect.addListener(handlePort);
  browser.tabs.onRemoved.addListener((tabId) => {
    void openSessionsOfTab(tabId).then((open) => Promise.all(open.map((s) => finishSession(s.id, Date.now()))));
  });
}

/** Evicts the oldest whole ended sessions beyond the retention limits. */
export async function enforceRetention(settings?: Settings): Promise<string[]> {
  const limits = settings ?? (await loadSettings());
  const sessions = (await allSessions()).map((s) => ({ id: s.id, startTime: s.startTime, bytes: s.bytes ?? 0, live: s.endTime === null }));
  const evict = sessionsToEvict(sessions, limits);
  await deleteSessions(evict);
  return evict;
}

const RETENTION_CHECK_EVERY_MS = 30_000;
let lastRetentionCheck = 0;

/** Retention while sessions grow: at most every 30 s. */
function maybeEnforceRetention(): void {
  const now = Date.now();
  if (now - lastRetentionCheck < RETENTION_CHECK_EVERY_MS) return;
  lastRetentionCheck = now;
  void enforceRetention().catch(() => undefined);
}

const COMPACT_EVERY_MS = 60_000;
/** Raw events younger than this stay raw (the live view reads them cheaply). */
const COMPACT_OLDER_THAN_MS = 15_000;
const lastCompaction = new Map<string, number>();

/** Compaction of a live session's older events: at most once a minute per session. */
function maybeCompact(sessionId: string): void {
  const now = Date.now();
  const last = lastCompaction.get(sessionId);
  if (last === undefined) {
    lastCompaction.set(sessionId, now); // the first minute stays raw
    return;
  }
  if (now - last < COMPACT_EVERY_MS) return;
  lastCompaction.set(sessionId, now);
  void compactSession(sessionId, now - COMPACT_OLDER_THAN_MS).catch(() => undefined);
}

/** Compacts ended sessions that still hold raw events (e.g. the background stopped before it could). */
export async function compactEndedSessions(): Promise<void> {
  for (const s of await allSessions()) {
    if (s.endTime !== null && s.rawBytes > 0) await compactSession(s.id, Infinity);
  }
}
