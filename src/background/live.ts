// Live data for the extension's pages: each page opens one port (UI_PORT_NAME)
// and asks to watch a tab's sessions or one session; the background sends a
// snapshot from storage, then every event as it is stored. Nothing here is
// needed after a restart of the background: pages reconnect and ask again.

import browser from 'webextension-polyfill';
import { UI_PORT_NAME, parseUiToBackground, type BackgroundToUi } from '../core/ui-protocol';
import { summarizeSession, type SessionRecord } from '../core/session';
import { orderEvents, type StoredEvent } from '../core/trace';
import { partsByJsonSize } from '../core/message-parts';
import { getSession, sessionEvents, sessionsOfTab } from './store';
import { analyzeDump } from '../core/analysis';
import { liveAnalysis } from './live-summary';
import { onStoredBatch, onTabChange } from './live-summary';

const sessionWatchers = new Map<string, Set<browser.Runtime.Port>>();
const tabWatchers = new Map<number, Set<browser.Runtime.Port>>();

function add<K>(map: Map<K, Set<browser.Runtime.Port>>, key: K, port: browser.Runtime.Port): void {
  const set = map.get(key) ?? new Set();
  set.add(port);
  map.set(key, set);
}

function remove<K>(map: Map<K, Set<browser.Runtime.Port>>, port: browser.Runtime.Port, key?: K): void {
  for (const [k, set] of map) {
    if (key !== undefined && k !== key) continue;
    set.delete(port);
    if (set.size === 0) map.delete(k);
  }
}

function send(port: browser.Runtime.Port, msg: BackgroundToUi): void {
  try {
    port.postMessage(msg);
  } catch {
    remove(sessionWatchers, port);
    remove(tabWatchers, port);
  }
}

/** Only the extension's own pages may watch; content scripts use their own port name. */
function fromExtensionPage(port: browser.Runtime.Port): boolean {
  const url = port.sender?.url ?? '';
  return port.sender?.tab === undefined || url.startsWith(browser.runtime.getURL(''));
}

function handlePort(port: browser.Runtime.Port): void {
  if (port.name !== UI_PORT_NAME) return;
  if (!fromExtensionPage(port)) {
    port.disconnect();
    return;
  }
  port.onMessage.addListener((raw: unknown) => {
    const msg = parseUiToBackground(raw);
    if (!msg) return;
    if (msg.kind === 'watchTab') {
      add(tabWatchers, msg.tabId, port);
      void sendTabSessions(msg.tabId, [port]);
    } else if (msg.kind === 'watchSession') {
      // Watch first, then read: events stored meanwhile arrive twice at worst, and the page drops repeats.
      add(sessionWatchers, msg.sessionId, port);
      void sendSnapshot(msg.sessionId, port);
    } else {
      remove(sessionWatchers, port, msg.sessionId);
    }
  });
  port.onDisconnect.addListener(() => {
    remove(sessionWatchers, port);
    remove(tabWatchers, port);
  });
}

async function sendSnapshot(sessionId: string, port: browser.Runtime.Port): Promise<void> {
  try {
    const session = await getSession(sessionId);
    if (!session) return send(port, { v: 1, kind: 'error', message: `no stored session ${sessionId}` });
    const events = orderEvents(await sessionEvents(sessionId));
    // a long session's trace is larger than a message may be: the rest follows as stored events do
    const [first, ...rest] = partsByJsonSize(events);
    send(port, { v: 1, kind: 'snapshot', session, events: first! });
    for (const part of rest) send(port, { v: 1, kind: 'events', session, events: part });
    const result = (session.endTime === null ? liveAnalysis(sessionId) : null) ?? analyzeDump({ session, events });
    send(port, { v: 1, kind: 'analysis', sessionId, result });
  } catch (e) {
    send(port, { v: 1, kind: 'error', message: `could not read session ${sessionId}: ${String(e)}` });
  }
}

async function sendTabSessions(tabId: number, ports: Iterable<browser.Runtime.Port>): Promise<void> {
  const sessions = (await sessionsOfTab(tabId)).map(summarizeSession);
  for (const port of ports) send(port, { v: 1, kind: 'tabSessions', tabId, sessions });
}

const knownConnections = new Map<string, number>();

/** Called by capture after each stored batch. */
export function publishEvents(session: SessionRecord, events: StoredEvent[]): void {
  onStoredBatch(session, events); // the popup's summary and the badge
  // the tab's list shows connection counts: tell its watchers when one appears
  if (knownConnections.get(session.id) !== session.connections.length) {
    knownConnections.set(session.id, session.connections.length);
    publishTabChange(session.tabId);
  }
  const ports = sessionWatchers.get(session.id);
  if (!ports || events.length === 0) return;
  for (const port of ports) send(port, { v: 1, kind: 'events', session, events });
  const now = Date.now();
  if (now - (lastAnalysisSent.get(session.id) ?? 0) >= ANALYSIS_EVERY_MS) {
    const result = liveAnalysis(session.id);
    if (result) {
      lastAnalysisSent.set(session.id, now);
      for (const port of ports) send(port, { v: 1, kind: 'analysis', sessionId: session.id, result });
    }
  }
}

const ANALYSIS_EVERY_MS = 1000;
const lastAnalysisSent = new Map<string, number>();

/** Called by capture when a session of the tab starts or ends. */
export function publishTabChange(tabId: number): void {
  void onTabChange(tabId).catch(() => undefined);
  const ports = tabWatchers.get(tabId);
  if (ports) void sendTabSessions(tabId, ports);
}

export function startLive(): void {
  browser.runtime.onConnect.addListener(handlePort);
}
