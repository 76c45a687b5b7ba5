// The page's end of the live port (src/background/live.ts). The background
// may be stopped at any time, which closes the port: we reconnect and ask
// again for what we watch, and the answers replace what we had.

import browser from 'webextension-polyfill';
import { UI_PORT_NAME, parseBackgroundToUi, type BackgroundToUi, type UiToBackground } from '../../core/ui-protocol';

export type LiveListener = (msg: BackgroundToUi) => void;

export class LiveConnection {
  private port: browser.Runtime.Port | null = null;
  private readonly watching: UiToBackground[] = [];
  private closed = false;

  constructor(private readonly listener: LiveListener) {
    this.connect();
  }

  watch(msg: UiToBackground): void {
    this.watching.push(msg);
    this.port?.postMessage(msg);
  }

  unwatchSession(sessionId: string): void {
    const i = this.watching.findIndex((w) => w.kind === 'watchSession' && w.sessionId === sessionId);
    if (i >= 0) this.watching.splice(i, 1);
    this.port?.postMessage({ v: 1, kind: 'unwatchSession', sessionId } satisfies UiToBackground);
  }

  close(): void {
    this.closed = true;
    this.port?.disconnect();
  }

  private connect(): void {
    const port = browser.runtime.connect({ name: UI_PORT_NAME });
    this.port = port;
    port.onMessage.addListener((raw: unknown) => {
      const msg = parseBackgroundToUi(raw);
      if (msg) this.listener(msg);
    });
    port.onDisconnect.addListener(() => {
      this.port = null;
      if (!this.closed) setTimeout(() => this.connect(), 500); // the background restarts on connect
    });
    for (const w of this.watching) port.postMessage(w);
  }
}
