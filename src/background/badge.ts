// The action badge: the number of live connections of a tab's live session,
// in a colour that says whether a live observation is on (issue 6).

import browser from 'webextension-polyfill';

export type BadgeLevel = 'none' | 'warning' | 'critical';

const COLOURS: Record<BadgeLevel, string> = { none: '#1a73e8', warning: '#f9ab00', critical: '#d93025' };

/** Per tab: what the badge shows now (to skip calls that change nothing). */
const shown = new Map<number, { text: string; level: BadgeLevel }>();

/** Badge calls in the order they were asked for (a later count must not be overtaken by an earlier one). */
let queue: Promise<void> = Promise.resolve();

function apply(tabId: number, text: string, level: BadgeLevel): Promise<void> {
  const before = shown.get(tabId);
  if (before && before.text === text && before.level === level) return queue;
  shown.set(tabId, { text, level });
  queue = queue.then(async () => {
    try {
      if (!before || before.level !== level) await browser.action.setBadgeBackgroundColor({ tabId, color: COLOURS[level] });
      if (!before || before.text !== text) await browser.action.setBadgeText({ tabId, text });
    } catch {
      shown.delete(tabId); // the tab is gone
    }
  });
  return queue;
}

/** The count of live connections; 0 clears the badge. */
export function setBadgeCount(tabId: number, liveConnections: number): Promise<void> {
  return apply(tabId, liveConnections > 0 ? String(liveConnections) : '', shown.get(tabId)?.level ?? 'none');
}

/** The colour of the badge: amber while a warning is observed, red while a critical one is. */
export function setBadgeLevel(tabId: number, level: BadgeLevel): Promise<void> {
  return apply(tabId, shown.get(tabId)?.text ?? '', level);
}

/** The session of the tab ended: no badge. */
export function clearBadge(tabId: number): Promise<void> {
  return apply(tabId, '', 'none');
}

export function forgetTab(tabId: number): void {
  shown.delete(tabId);
}
