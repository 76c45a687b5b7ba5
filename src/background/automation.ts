// The automation API for QA teams who drive browsers with Playwright or
// Puppeteer: functions on the background's global scope (see README), and the
// same functions for the extension's automation page (src/ui/automation.ts),
// which forwards them here over runtime messaging.

import browser from 'webextension-polyfill';
import { summarizeSession } from '../core/session';
import { orderEvents } from '../core/trace';
import { exportText, type ExportFormat } from '../core/export';
import { makeSupportBundle } from '../core/bundle';
import type { SessionDump } from '../core/dump';
import { redactDump, type RedactionOptions } from '../core/redact';
import { mergeTabSessions, sessionsOfSameTab } from '../core/tab';
import { MESSAGE_PART_CHARS, parseReplyPartRequest, textParts, type PartedReply, type ReplyPartRequest } from '../core/message-parts';
import { allSessions, deleteSessions, getSession, sessionEvents } from './store';
import { forgetSessions, liveSummaries } from './live-summary';
import { loadSettings, saveSettings } from './settings';
import { applyCaptureRegistration } from './registration';
import { AUTOMATION_PAGE, isOpenAutomationPage, parseAutomationCall, type AutomationApi, type AutomationFunction, type SessionScope } from '../core/automation';

const EXPORT_FORMATS: readonly ExportFormat[] = ['rtcstats', 'internals', 'csv'];


export function installAutomationApi(ready: Promise<unknown>): void {
  const api: AutomationApi = {
    whenReady: () => ready.then(() => undefined),
    async listSessions() {
      return (await allSessions()).map(summarizeSession);
    },
    async exportSession(id, format = 'rtcstats', scope) {
      if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown export format "${String(format)}" (known: ${EXPORT_FORMATS.join(', ')})`);
      return exportText(await loadScope(id, scope), format);
    },
    async saveForSupport(id, redaction, scope) {
      const bundle = await makeSupportBundle(await loadScope(id, scope), await redactionOptions(redaction));
      return { fileName: bundle.fileName, base64: toBase64(bundle.bytes), files: bundle.files, report: bundle.report };
    },
    getSessionTrace: loadDump,
    getTabTrace: (id) => loadScope(id, { wholeTab: true }),
    async deleteSession(id) {
      await deleteSessions([id]);
      forgetSessions([id]);
    },
    liveTabs: () => liveSummaries(ready),
    async previewRedaction(id, redaction, scope) {
      return redactDump(await loadScope(id, scope), await redactionOptions(redaction)).report;
    },
    async deleteSessions(ids) {
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('deleteSessions takes an array of session ids');
      const ended = (await allSessions()).filter((s) => s.endTime !== null && ids.includes(s.id)).map((s) => s.id);
      await deleteSessions(ended);
      forgetSessions(ended);
      return ended;
    },
    async deleteAllSessions() {
      const ended = (await allSessions()).filter((s) => s.endTime !== null).map((s) => s.id);
      await deleteSessions(ended);
      forgetSessions(ended);
      return ended;
    },
    async storageUsage() {
      const sessions = await allSessions();
      const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
      return {
        sessions: sessions.length,
        bytes: sessions.reduce((sum, s) => sum + (s.bytes ?? 0), 0),
        usage: estimate?.usage ?? null,
        quota: estimate?.quota ?? null,
      };
    },
    getSettings: loadSettings,
    async setSettings(change) {
      const settings = await saveSettings(change);
      await applyCaptureRegistration(settings); // before resolving, so the next page load sees it
      return settings;
    },
  };
  Object.assign(globalThis, api);
  // The automation page (src/core/automation.ts). Calls are answered only for the
  // extension's own pages: content scripts (and so web pages) never get an answer.
  browser.runtime.onMessage.addListener((msg: unknown, sender: browser.Runtime.MessageSender) => {
    if (isOpenAutomationPage(msg)) {
      void openAutomationPage(sender).catch(() => undefined);
      return undefined;
    }
    const part = parseReplyPartRequest(msg);
    if (part) return fromExtensionPage(sender) ? replyPart(part) : undefined;
    const call = parseAutomationCall(msg);
    if (!call || !fromExtensionPage(sender)) return undefined;
    return (api[call.fn] as (...args: unknown[]) => Promise<unknown>)(...call.args).then(inParts);
  });
}

/** Answers too large for one message (see src/core/message-parts.ts), by token, until their last part is fetched. */
const partedReplies = new Map<string, string[]>();
/** How long a parted answer waits for its parts to be fetched. */
const PARTED_REPLY_KEEP_MS = 5 * 60_000;

function inParts(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= MESSAGE_PART_CHARS) return value;
  const parts = textParts(text);
  const token = crypto.randomUUID();
  partedReplies.set(token, parts);
  setTimeout(() => partedReplies.delete(token), PARTED_REPLY_KEEP_MS);
  return { v: 1, kind: 'partedReply', token, parts: parts.length } satisfies PartedReply;
}

async function replyPart({ token, index }: ReplyPartRequest): Promise<string> {
  const parts = partedReplies.get(token);
  if (!parts || index >= parts.length) throw new Error('that answer is no longer kept (a background restart, or too late): ask again');
  if (index === parts.length - 1) partedReplies.delete(token);
  return parts[index]!;
}

// AUTOMATION_FUNCTIONS (src/core/automation.ts) and AutomationApi must name the same functions.
type Unlisted = Exclude<keyof AutomationApi, AutomationFunction> | Exclude<AutomationFunction, keyof AutomationApi>;
const _sameFunctions: [Unlisted] extends [never] ? true : false = true;

function fromExtensionPage(sender: browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL('/'));
}

/** Development installs only: the asking tab (its top frame) is navigated to the automation page. */
async function openAutomationPage(sender: browser.Runtime.MessageSender): Promise<void> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId !== 0) return;
  if ((await browser.management.getSelf()).installType !== 'development') return;
  await browser.tabs.update(tabId, { url: browser.runtime.getURL(AUTOMATION_PAGE) });
}

/** The options asked for, over the settings' redaction defaults. */
async function redactionOptions(asked: RedactionOptions | undefined): Promise<RedactionOptions> {
  const defaults = (await loadSettings()).redaction;
  return asked && typeof asked === 'object' ? { ...defaults, ...asked } : defaults;
}

/** A stored session and its ordered trace. */
async function loadDump(id: string): Promise<SessionDump> {
  const session = await getSession(id);
  if (!session) throw new Error(`no session with id "${id}"`);
  return { session, events: orderEvents(await sessionEvents(id)) };
}

/** The session, or with `wholeTab` every page load of its tab as one dump (src/core/tab.ts). */
async function loadScope(id: string, scope?: SessionScope): Promise<SessionDump> {
  if (scope?.wholeTab !== true) return loadDump(id);
  const tab = sessionsOfSameTab(await allSessions(), id);
  if (tab.length <= 1) return loadDump(id);
  return mergeTabSessions(await Promise.all(tab.map((s) => loadDump(s.id))));
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
