// The hook's private channel to the isolated content script.
//
// The hook makes a MessageChannel and hands one port to the content script in
// a synchronously dispatched, cancelable event on window. Both scripts run at
// document_start, before any page script exists, in whichever order the
// browser picks: if the content script is already listening it takes the port
// (and cancels the event, which tells the hook); otherwise the hook waits for
// the content script's "ready" event and offers the port again. The port is
// handed out once; nothing goes over window.postMessage.
//
// Messages on a port are delivered in later tasks: a page that closes its
// connections and navigates away in one task would take its last entries with
// it. So the hook keeps what it posted until the content script confirms
// receipt, and when the page is being hidden the content script asks for the
// rest synchronously (DRAIN_EVENT), answered in a synchronously dispatched
// PENDING_EVENT whose data is the unconfirmed entries as JSON.

import { natives, call, getterOf, protoOf } from './natives';
import { PROTOCOL_VERSION, type PageEntry, type PageToContent } from '../core/trace';

export const HOOK_OFFER_EVENT = 'webrtc-lens:hook-port';
export const CONTENT_READY_EVENT = 'webrtc-lens:content-ready';
export const DRAIN_EVENT = 'webrtc-lens:drain';
export const PENDING_EVENT = 'webrtc-lens:pending';

const MAX_BUFFERED = 20000;
/** Posted entries kept until confirmed; beyond this the oldest are forgotten (a content script that stopped confirming). */
const MAX_UNCONFIRMED = 20000;

export interface Channel {
  send(entry: PageEntry): void;
  onConfig(listener: (pollIntervalMs: number) => void): void;
}

export function openChannel(win: Window): Channel {
  const { port1, port2 } = new natives.MessageChannel();
  let connected = false;
  let buffer: PageEntry[] = [];
  const configListeners: ((ms: number) => void)[] = [];
  // posted, not yet confirmed: entries numbered firstUnconfirmed, firstUnconfirmed + 1, ...
  let unconfirmed: PageEntry[] = [];
  let firstUnconfirmed = 1;

  const forget = (upTo: number) => {
    const drop = upTo - firstUnconfirmed + 1;
    if (drop <= 0) return;
    const kept: PageEntry[] = [];
    for (let i = drop; i < unconfirmed.length; i++) kept[kept.length] = unconfirmed[i]!;
    unconfirmed = kept;
    firstUnconfirmed = upTo + 1;
  };

  const data = getterOf(protoOf(globalThis, 'MessageEvent'), 'data');
  call(natives.addEventListener, port1, 'message', (event: MessageEvent) => {
    // checked here rather than with core/trace's parser, which uses built-ins a page could patch
    const msg = data(event) as { v?: unknown; kind?: unknown; pollIntervalMs?: unknown; upTo?: unknown } | null;
    if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION) return;
    if (msg.kind === 'received') {
      if (typeof msg.upTo === 'number' && natives.isFinite(msg.upTo)) forget(msg.upTo);
      return;
    }
    if (msg.kind !== 'config') return;
    const ms = msg.pollIntervalMs;
    if (typeof ms !== 'number' || !natives.isFinite(ms)) return;
    for (let i = 0; i < configListeners.length; i++) configListeners[i]!(ms);
  });
  call(natives.portStart, port1);

  const post = (entries: PageEntry[]) => {
    const first = firstUnconfirmed + unconfirmed.length;
    for (let i = 0; i < entries.length; i++) unconfirmed[unconfirmed.length] = entries[i]!;
    if (unconfirmed.length > MAX_UNCONFIRMED) forget(firstUnconfirmed + unconfirmed.length - MAX_UNCONFIRMED - 1);
    call(natives.portPostMessage, port1, { v: PROTOCOL_VERSION, kind: 'trace', first, entries } satisfies PageToContent);
  };

  // The content script's synchronous request for what it may not have received yet.
  // A capture listener added before any page script: it answers before any page listener can.
  const answerDrain = () => {
    if (!connected || unconfirmed.length === 0) return;
    const pending: PageToContent = { v: PROTOCOL_VERSION, kind: 'trace', first: firstUnconfirmed, entries: unconfirmed };
    call(natives.dispatchEvent, win, new natives.MessageEvent(PENDING_EVENT, { data: natives.stringify(pending) }));
  };
  call(natives.addEventListener, win, DRAIN_EVENT, answerDrain, true);

  const offer = (): boolean => {
    if (connected) return true;
    const event = new natives.MessageEvent(HOOK_OFFER_EVENT, { ports: [port2], cancelable: true });
    connected = !call(natives.dispatchEvent, win, event);
    if (connected && buffer.length > 0) {
      const queued = buffer;
      buffer = [];
      post(queued);
    }
    return connected;
  };

  if (!offer()) {
    const onReady = () => {
      offer();
    };
    call(natives.addEventListener, win, CONTENT_READY_EVENT, onReady);
  }

  return {
    send(entry) {
      if (connected) post([entry]);
      else if (buffer.length < MAX_BUFFERED) buffer[buffer.length] = entry;
    },
    onConfig(listener) {
      configListeners[configListeners.length] = listener;
    },
  };
}
