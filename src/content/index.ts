// The isolated content script: the only bridge between a page and the extension.
// Takes the hook's port, numbers every entry with a per-frame sequence number,
// batches, and forwards to the background over a runtime port. Entries stay
// here until the background acknowledges them as written, and are sent again
// after the background restarts. The runtime port is opened only once the page
// uses WebRTC, so other pages cost the background nothing.

import browser from 'webextension-polyfill';
import {
  PROTOCOL_VERSION,
  TRACE_PORT_NAME,
  isTopFrameQuery,
  parseBackgroundToContent,
  parsePageToContent,
  type ContentToBackground,
  type ContentToPage,
  type FrameEntry,
  type FrameHello,
  type TopFrameAnswer,
} from '../core/trace';
import { CONTENT_READY_EVENT, DRAIN_EVENT, HOOK_OFFER_EVENT, PENDING_EVENT } from '../page/channel';
import { OPEN_AUTOMATION_EVENT, type OpenAutomationPage } from '../core/automation';
import { SETTINGS_KEY, normalizeSettings } from '../core/settings';
import { StatsCompressor } from '../core/stats-compressor';

/** getStats samples wait this long for others to go with them; every other entry goes in the next task */
const FLUSH_DELAY_MS = 250;
const MAX_BATCH = 500;
const MAX_UNACKED = 50000;
const RECONNECT_DELAY_MS = 100;

const isTop = window === window.top;
const frameKey = crypto.randomUUID();
const pageId = isTop ? frameKey : null;
const startTime = Math.round(performance.timeOrigin);

let seq = 0;
const stats = new StatsCompressor();
let unacked: FrameEntry[] = [];
let unsent = 0; // how many of the newest unacked entries have not been posted on the current port
let port: browser.Runtime.Port | null = null;
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let extensionGone = false;
let received = 0; // the hook's number of the last entry taken from it
let confirmed = 0; // ... and of the last one the hook was told about

function hello(): ContentToBackground {
  const frame: FrameHello = { frameKey, pageId, url: location.href, origin: location.origin, title: document.title, isTop, startTime };
  return { v: PROTOCOL_VERSION, kind: 'hello', frame };
}

function connect(): void {
  if (port || extensionGone) return;
  try {
    port = browser.runtime.connect({ name: TRACE_PORT_NAME });
  } catch {
    extensionGone = true; // the extension was removed or reloaded: this frame can no longer report
    return;
  }
  port.onMessage.addListener((msg: unknown) => {
    const ack = parseBackgroundToContent(msg);
    if (ack) unacked = unacked.filter((e) => e.s > ack.upTo);
  });
  port.onDisconnect.addListener(() => {
    // The background stopped (or restarted): resend everything not yet acknowledged.
    port = null;
    unsent = unacked.length;
    setTimeout(() => {
      if (unacked.length > 0) {
        connect();
        scheduleFlush(0);
      }
    }, RECONNECT_DELAY_MS);
  });
  port.postMessage(hello());
  unsent = unacked.length;
}

function flush(): void {
  flushTimer = null;
  if (hookPort && received > confirmed) {
    hookPort.postMessage({ v: PROTOCOL_VERSION, kind: 'received', upTo: received } satisfies ContentToPage);
    confirmed = received;
  }
  if (unsent === 0) return;
  connect();
  if (!port) return;
  while (unsent > 0) {
    const start = unacked.length - unsent;
    const entries = unacked.slice(start, start + MAX_BATCH);
    try {
      port.postMessage({ v: PROTOCOL_VERSION, kind: 'batch', entries } satisfies ContentToBackground);
    } catch {
      return; // disconnected; onDisconnect resends
    }
    unsent -= entries.length;
  }
}

let flushDue = 0; // when the pending flush runs (performance.now())

function scheduleFlush(delay = FLUSH_DELAY_MS): void {
  const due = performance.now() + delay;
  if (flushTimer !== null) {
    if (flushDue <= due) return;
    clearTimeout(flushTimer); // sooner than the pending one
  }
  flushDue = due;
  flushTimer = setTimeout(flush, delay);
}

function accept(data: unknown): void {
  const msg = parsePageToContent(data);
  if (!msg) return;
  // A drained entry may arrive again on the port (a page restored from the back/forward cache): take each once.
  const skip = Math.max(0, received - msg.first + 1);
  received = Math.max(received, msg.first + msg.entries.length - 1);
  let samplesOnly = true;
  for (const entry of msg.entries.slice(skip)) {
    if (unacked.length >= MAX_UNACKED) {
      stats.reset(); // background unreachable for long: keep the oldest; later samples go complete
      continue;
    }
    unacked.push({ ...stats.compress(entry), s: ++seq });
    unsent++;
    samplesOnly &&= entry.m === 'getStats';
  }
  // An API call or event goes in the next task: Firefox closes a closing tab's ports before its
  // pagehide, and a hang-up (close) followed by closing the tab would lose the batch it waits in.
  scheduleFlush(samplesOnly ? FLUSH_DELAY_MS : 0);
}

// Take the hook's port once (see src/page/channel.ts for the handshake).
let hookPort: MessagePort | null = null;
window.addEventListener(HOOK_OFFER_EVENT, (event) => {
  const port = (event as MessageEvent).ports?.[0];
  if (hookPort || !port) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  hookPort = port;
  hookPort.onmessage = (e) => accept(e.data);
  void sendConfig(port);
});

/** The hook's settings (its poll interval), from storage. */
async function sendConfig(to: MessagePort): Promise<void> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  const config: ContentToPage = { v: PROTOCOL_VERSION, kind: 'config', pollIntervalMs: normalizeSettings(stored[SETTINGS_KEY]).pollIntervalMs };
  to.postMessage(config);
}
window.dispatchEvent(new Event(CONTENT_READY_EVENT));

/**
 * Takes, synchronously, the hook's entries still on their way over the port
 * (see src/page/channel.ts). Only the answer to our own request counts: a
 * page dispatching the event at another time is ignored.
 */
let draining = false;
function drainHook(): void {
  if (!hookPort) return;
  draining = true;
  try {
    window.dispatchEvent(new Event(DRAIN_EVENT));
  } finally {
    draining = false;
  }
}
// Capture listeners, added before any page script: the hook's answer comes first,
// and a page cannot keep it from us; anything after it is ignored.
window.addEventListener(
  PENDING_EVENT,
  (event) => {
    if (!draining) return;
    draining = false; // one answer per request
    const data = (event as MessageEvent).data;
    if (typeof data !== 'string') return;
    try {
      accept(JSON.parse(data));
    } catch {
      // not JSON: not the hook's answer
    }
  },
  true,
);

// Send what is pending when the page goes away, then close the port: that tells
// the background the page was left. Chrome closes the ports of a page entering
// the back/forward cache by itself; Firefox keeps them open until the cached
// page is evicted. A page restored from the cache reconnects with its next entries.
function leave(): void {
  drainHook();
  flush();
  if (!port) return;
  port.disconnect();
  port = null;
  unsent = unacked.length; // not acknowledged on this port: sent again (and skipped by the background) on the next
}

// Our pagehide listener runs before the page's own, and pages close their
// connections there. A visible document turns hidden after every pagehide
// listener has run: the page is left then, with what its listeners did. Pages
// close connections in their own visibilitychange listeners too: the event
// goes from the document up to the window, so a listener on the window in the
// bubbling phase runs after the document's (a page that stops the event there
// still has what was pending sent, by the document listener).
let leaving = false;
window.addEventListener('pagehide', () => {
  if (document.visibilityState !== 'visible') return leave(); // (no visibilitychange comes)
  drainHook();
  flush();
  leaving = true;
});
document.addEventListener('visibilitychange', () => {
  if (!leaving || document.visibilityState !== 'hidden') return;
  drainHook();
  flush();
});
window.addEventListener('visibilitychange', () => {
  if (!leaving || document.visibilityState !== 'hidden') return;
  leaving = false;
  leave();
});
window.addEventListener('pageshow', () => {
  leaving = false;
});

if (isTop) {
  browser.runtime.onMessage.addListener((msg: unknown) => {
    if (!isTopFrameQuery(msg)) return undefined;
    const answer: TopFrameAnswer = { pageId: frameKey, url: location.href, origin: location.origin, title: document.title, startTime };
    return Promise.resolve(answer);
  });
}

// A test driver's request for the automation page (honoured in development installs only, see src/core/automation.ts).
if (isTop) {
  window.addEventListener(OPEN_AUTOMATION_EVENT, () => {
    browser.runtime.sendMessage({ v: PROTOCOL_VERSION, kind: 'openAutomationPage' } satisfies OpenAutomationPage).catch(() => undefined);
  });
}
