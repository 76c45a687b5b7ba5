// The hook's private channel to the isolated content script.
//
// The hook makes a MessageChannel and hands one port to the content script in
// a synchronously dispatched, cancelable event on window. Both scripts run at
// document_start, before any page script exists, in whichever order the
// browser picks: if the content script is already listening it takes the port
// (and cancels the event, which tells the hook); otherwise the hook waits for
// the content script's "ready" event and offers the port again. The port is
// handed out once; nothing goes over window.postMessage.

import { natives, call, getterOf, protoOf } from './natives';
import { PROTOCOL_VERSION, type ContentToPage, type PageEntry } from '../core/trace';

export const HOOK_OFFER_EVENT = 'webrtc-lens:hook-port';
export const CONTENT_READY_EVENT = 'webrtc-lens:content-ready';

const MAX_BUFFERED = 20000;

export interface Channel {
  send(entry: PageEntry): void;
  onConfig(listener: (pollIntervalMs: number) => void): void;
}

export function openChannel(win: Window): Channel {
  const { port1, port2 } = new natives.MessageChannel();
  let connected = false;
  let buffer: PageEntry[] = [];
  const configListeners: ((ms: number) => void)[] = [];

  const data = getterOf(protoOf(globalThis, 'MessageEvent'), 'data');
  call(natives.addEventListener, port1, 'message', (event: MessageEvent) => {
    // checked here rather than with core/trace's parser, which uses built-ins a page could patch
    const msg = data(event) as Partial<ContentToPage> | null;
    if (!msg || typeof msg !== 'object' || msg.v !== PROTOCOL_VERSION || msg.kind !== 'config') return;
    const ms = msg.pollIntervalMs;
    if (typeof ms !== 'number' || !natives.isFinite(ms)) return;
    for (let i = 0; i < configListeners.length; i++) configListeners[i]!(ms);
  });
  call(natives.portStart, port1);

  const post = (entries: PageEntry[]) => call(natives.portPostMessage, port1, { v: PROTOCOL_VERSION, kind: 'trace', entries });

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
