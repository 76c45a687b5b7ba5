// The page hook and the content script are registered at run time
// (scripting.registerContentScripts) rather than declared in the manifest, so
// that settings such as per-site enable/disable can decide which pages get a
// hook at all, from the next page load on.

import browser from 'webextension-polyfill';

export const PAGE_HOOK_FILE = 'page-hook.js';
export const CONTENT_SCRIPT_FILE = 'content.js';

const COMMON = {
  matches: ['<all_urls>'],
  runAt: 'document_start' as const,
  allFrames: true,
  matchOriginAsFallback: true,
  persistAcrossSessions: true,
};

export async function registerCaptureScripts(): Promise<void> {
  const scripting = browser.scripting;
  const existing = await scripting.getRegisteredContentScripts();
  const ids = existing.map((s) => s.id).sort().join();
  if (ids === 'webrtc-lens-content,webrtc-lens-hook') return; // registrations persist across restarts
  if (existing.length > 0) await scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  // The isolated script first: it then listens before the hook offers its port.
  await scripting.registerContentScripts([
    { id: 'webrtc-lens-content', js: [CONTENT_SCRIPT_FILE], world: 'ISOLATED', ...COMMON },
    { id: 'webrtc-lens-hook', js: [PAGE_HOOK_FILE], world: 'MAIN', ...COMMON },
  ] as browser.Scripting.RegisteredContentScript[]);
}
