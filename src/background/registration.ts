// The page hook and the content script are registered at run time
// (scripting.registerContentScripts) rather than declared in the manifest, so
// that settings decide which pages get a hook at all: a disabled site, or any
// site while capture is paused, gets neither script from its next page load on.

import browser from 'webextension-polyfill';
import { siteMatchPatterns, type Settings } from '../core/settings';

export const PAGE_HOOK_FILE = 'page-hook.js';
export const CONTENT_SCRIPT_FILE = 'content.js';

type Registration = browser.Scripting.RegisteredContentScript;

function wantedScripts(settings: Settings): Registration[] {
  if (settings.paused) return [];
  const common = {
    matches: ['<all_urls>'],
    runAt: 'document_start' as const,
    allFrames: true,
    matchOriginAsFallback: true,
    persistAcrossSessions: true,
    ...(settings.disabledSites.length > 0 ? { excludeMatches: settings.disabledSites.flatMap(siteMatchPatterns) } : {}),
  };
  // The isolated script first: it then listens before the hook offers its port.
  return [
    { id: 'webrtc-lens-content', js: [CONTENT_SCRIPT_FILE], world: 'ISOLATED', ...common },
    { id: 'webrtc-lens-hook', js: [PAGE_HOOK_FILE], world: 'MAIN', ...common },
  ] as Registration[];
}

const signature = (scripts: Registration[]) =>
  JSON.stringify(scripts.map((s) => [s.id, s.world ?? 'ISOLATED', [...(s.excludeMatches ?? [])].sort()]).sort());

let pending: Promise<void> = Promise.resolve();

/**
 * Brings the registered scripts in line with the settings (registrations
 * persist across restarts). Calls run one after the other: two interleaved
 * unregister/register rounds would fail on each other's ids.
 */
export function applyCaptureRegistration(settings: Settings): Promise<void> {
  const run = pending.then(() => reconcile(settings));
  pending = run.catch(() => undefined);
  return run;
}

async function reconcile(settings: Settings): Promise<void> {
  const scripting = browser.scripting;
  const existing = await scripting.getRegisteredContentScripts();
  const wanted = wantedScripts(settings);
  if (signature(existing) === signature(wanted)) return;
  if (existing.length > 0) await scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (wanted.length > 0) await scripting.registerContentScripts(wanted);
}
