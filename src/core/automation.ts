// The automation page (src/ui/automation.ts): the background's automation API
// on an extension page, for WebDriver BiDi drivers, which cannot evaluate code
// in a Firefox event page. The page forwards each call to the background
// (src/background/automation.ts) over runtime messaging.
//
// Opening it: in a development install only (about:debugging, or installed by
// a test driver), a top-level page may dispatch OPEN_AUTOMATION_EVENT on window;
// its content script asks the background, which then navigates that tab to the
// automation page. Web pages can trigger nothing else: the automation page is
// not web-accessible, takes no input from web content, and the background
// answers automation calls only from the extension's own pages.

import type { SessionRecord, SessionSummary } from './session';
import type { StoredEvent } from './trace';
import type { ExportFormat } from './export';
import type { RedactionOptions, RedactionReport } from './redact';
import type { Settings, SettingsChange } from './settings';
import type { LiveSessionSummary } from './live-summary';

export const AUTOMATION_PAGE = 'src/ui/automation.html';
export const OPEN_AUTOMATION_EVENT = 'webrtc-lens:open-automation';

/** What of a session's tab a call takes: the session alone (the default), or every page load of its tab (see getTabTrace). */
export interface SessionScope {
  wholeTab?: boolean;
}

/** The functions of AutomationApi (src/background/automation.ts checks that the lists agree). */
export const AUTOMATION_FUNCTIONS = [
  'whenReady',
  'listSessions',
  'exportSession',
  'saveForSupport',
  'getSessionTrace',
  'getTabTrace',
  'deleteSession',
  'getSettings',
  'setSettings',
  'liveTabs',
  'previewRedaction',
  'deleteSessions',
  'deleteAllSessions',
  'storageUsage',
] as const;
export type AutomationFunction = (typeof AUTOMATION_FUNCTIONS)[number];

/** automation page → background */
export type AutomationCall = { v: 1; kind: 'automation'; fn: AutomationFunction; args: unknown[] };
/** content script (top frame) → background */
export type OpenAutomationPage = { v: 1; kind: 'openAutomationPage' };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

export function parseAutomationCall(msg: unknown): AutomationCall | null {
  if (!isRecord(msg) || msg.v !== 1 || msg.kind !== 'automation' || !Array.isArray(msg.args)) return null;
  if (!(AUTOMATION_FUNCTIONS as readonly unknown[]).includes(msg.fn)) return null;
  return msg as AutomationCall;
}

export function isOpenAutomationPage(msg: unknown): msg is OpenAutomationPage {
  return isRecord(msg) && msg.v === 1 && msg.kind === 'openAutomationPage';
}

/** What the background answers (src/background/automation.ts), for test drivers and the extension's pages. */
export interface AutomationApi {
  /** Resolves once the capture scripts are registered (pages loaded from then on are captured). */
  whenReady(): Promise<void>;
  listSessions(): Promise<SessionSummary[]>;
  /** The session as a dump: 'rtcstats' (file format 3), 'internals' (webrtc-internals JSON) or 'csv'; not redacted. */
  exportSession(id: string, format?: ExportFormat, scope?: SessionScope): Promise<string>;
  /**
   * The "Save for support" zip (redacted with the settings' redaction
   * defaults unless told otherwise): its file name, its bytes in base64, what was masked.
   */
  saveForSupport(
    id: string,
    redaction?: RedactionOptions,
    scope?: SessionScope,
  ): Promise<{ fileName: string; base64: string; files: string[]; report: RedactionReport }>;
  /** The stored session and its trace in order (getStats values as stored: deltas or full samples). */
  getSessionTrace(id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }>;
  /**
   * Every page load of the session's tab (in the same run of the browser) as
   * one session, oldest first (see src/core/tab.ts): the first page load's
   * connections keep their ids, the later ones' are qualified by frame
   * (`f1-PC_0`). With one page load, the same as getSessionTrace.
   */
  getTabTrace(id: string): Promise<{ session: SessionRecord; events: StoredEvent[] }>;
  deleteSession(id: string): Promise<void>;
  getSettings(): Promise<Settings>;
  /** Merges the change (values are clamped to their bounds); applies from the next page load on. */
  setSettings(change: SettingsChange): Promise<Settings>;
  /** The live sessions (one per tab with WebRTC activity), newest first: connections, live ones, bitrate, worst state. */
  liveTabs(): Promise<LiveSessionSummary[]>;
  /** What saveForSupport would mask with these options (the settings' defaults where not given), without making the zip. */
  previewRedaction(id: string, redaction?: RedactionOptions, scope?: SessionScope): Promise<RedactionReport>;
  /** Deletes these sessions, except live ones (still being recorded); resolves with the ids deleted. */
  deleteSessions(ids: string[]): Promise<string[]>;
  /** Deletes every session except live ones; resolves with the ids deleted. */
  deleteAllSessions(): Promise<string[]>;
  /** Stored sessions and their size on disk (bytes), and the browser's estimate of the extension's storage use and quota. */
  storageUsage(): Promise<{ sessions: number; bytes: number; usage: number | null; quota: number | null }>;
}
