// The automation API for QA teams who drive browsers with Playwright or
// Puppeteer: functions on the background's global scope (see README).

import { summarizeSession, type SessionRecord, type SessionSummary } from '../core/session';
import { orderEvents, type StoredEvent } from '../core/trace';
import { exportRtcstats } from '../core/rtcstats';
import { allSessions, getSession, sessionEvents } from './store';

export type ExportFormat = 'rtcstats';

export interface AutomationApi {
  /** Resolves once the capture scripts are registered (pages loaded from then on are captured). */
  whenReady(): Promise<void>;
  listSessions(): Promise<SessionSummary[]>;
  exportSession(id: string, format?: ExportFormat): Promise<string>;
  /** The stored session and its trace in order (getStats values as stored: deltas or full samples). */
  getSessionTrace(id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }>;
}

export function installAutomationApi(ready: Promise<unknown>): void {
  const api: AutomationApi = {
    whenReady: () => ready.then(() => undefined),
    async listSessions() {
      return (await allSessions()).map(summarizeSession);
    },
    async exportSession(id, format = 'rtcstats') {
      if (format !== 'rtcstats') throw new Error(`unknown export format "${String(format)}" (known: rtcstats)`);
      const session = await getSession(id);
      if (!session) throw new Error(`no session with id "${id}"`);
      return exportRtcstats(session, await sessionEvents(id));
    },
    async getSessionTrace(id) {
      const session = await getSession(id);
      if (!session) throw new Error(`no session with id "${id}"`);
      return { session, events: orderEvents(await sessionEvents(id)) };
    },
  };
  Object.assign(globalThis, api);
}
