// Settings live in storage.local under one key; the content script reads the
// poll interval from there, the background the rest.

import browser from 'webextension-polyfill';
import { SETTINGS_KEY, normalizeSettings, type Settings } from '../core/settings';

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return normalizeSettings(stored[SETTINGS_KEY]);
}

/** Merges a change into the stored settings; returns what was stored. */
export async function saveSettings(change: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await loadSettings()), ...change });
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}

export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_KEY in changes) listener(normalizeSettings(changes[SETTINGS_KEY]!.newValue));
  });
}
