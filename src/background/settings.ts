// Settings live in storage.local under one key; the content script reads the
// poll interval from there, the background the rest.

import browser from 'webextension-polyfill';
import { SETTINGS_KEY, normalizeSettings, type Settings, type SettingsChange } from '../core/settings';

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return normalizeSettings(stored[SETTINGS_KEY]);
}

/** Merges a change into the stored settings; returns what was stored. */
export async function saveSettings(change: SettingsChange): Promise<Settings> {
  const current = await loadSettings();
  // redaction merges per kind, so that a change of one kind keeps the others
  const redaction = change.redaction ? { ...current.redaction, ...change.redaction } : current.redaction;
  const next = normalizeSettings({ ...current, ...change, redaction });
  await browser.storage.local.set({ [SETTINGS_KEY]: next });
  return next;
}

export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && SETTINGS_KEY in changes) listener(normalizeSettings(changes[SETTINGS_KEY]!.newValue));
  });
}
