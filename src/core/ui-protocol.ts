// Messages between the background and the extension's own pages (popup,
// devtools panel, viewer, options). Requests and answers go through the
// automation API (src/core/automation.ts); live data flows over one runtime
// port per page, named UI_PORT_NAME, from the background to the page only.

import type { SessionRecord, SessionSummary } from './session';
import type { StoredEvent } from './trace';
import type { AnalysisResult } from './analysis';

export const UI_PORT_NAME = 'webrtc-ui';

export type UiToBackground =
  /** the sessions of a tab (devtools panel): answered with `tabSessions`, again whenever one starts or ends */
  | { v: 1; kind: 'watchTab'; tabId: number }
  /** one session: answered with a `snapshot`, then `events` as they are stored */
  | { v: 1; kind: 'watchSession'; sessionId: string }
  | { v: 1; kind: 'unwatchSession'; sessionId: string };

export type BackgroundToUi =
  | { v: 1; kind: 'tabSessions'; tabId: number; sessions: SessionSummary[] }
  | { v: 1; kind: 'snapshot'; session: SessionRecord; events: StoredEvent[] }
  /** events stored after the snapshot (a page drops any it already has: same frame and seq) */
  | { v: 1; kind: 'events'; session: SessionRecord; events: StoredEvent[] }
  /** the session's analysis: after the snapshot, then at most once a second while it is live */
  | { v: 1; kind: 'analysis'; sessionId: string; result: AnalysisResult }
  | { v: 1; kind: 'error'; message: string };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function parseUiToBackground(msg: unknown): UiToBackground | null {
  if (!isRecord(msg) || msg.v !== 1) return null;
  if (msg.kind === 'watchTab') return Number.isSafeInteger(msg.tabId) ? (msg as UiToBackground) : null;
  if (msg.kind === 'watchSession' || msg.kind === 'unwatchSession') {
    return typeof msg.sessionId === 'string' && msg.sessionId.length > 0 && msg.sessionId.length < 200 ? (msg as UiToBackground) : null;
  }
  return null;
}

export function parseBackgroundToUi(msg: unknown): BackgroundToUi | null {
  if (!isRecord(msg) || msg.v !== 1) return null;
  switch (msg.kind) {
    case 'tabSessions':
      return Array.isArray(msg.sessions) ? (msg as BackgroundToUi) : null;
    case 'snapshot':
    case 'events':
      return isRecord(msg.session) && Array.isArray(msg.events) ? (msg as BackgroundToUi) : null;
    case 'error':
      return typeof msg.message === 'string' ? (msg as BackgroundToUi) : null;
    case 'analysis':
      return typeof msg.sessionId === 'string' && isRecord(msg.result) && Array.isArray(msg.result.observations) ? (msg as BackgroundToUi) : null;
    default:
      return null;
  }
}
