// An id of this run of the browser: tab ids start again after a restart, so a
// session's tab id alone does not tell which sessions were page loads of the
// same tab. Kept in storage.session, which outlives a stopped background
// (service worker, event page) but not the browser.

import browser from 'webextension-polyfill';

const KEY = 'browserRun';
let run: Promise<string> | null = null;

export function browserRun(): Promise<string> {
  run ??= (async () => {
    const area = browser.storage.session as browser.Storage.StorageArea | undefined;
    if (!area) return crypto.randomUUID(); // (a browser without storage.session: this background's lifetime)
    const stored = (await area.get(KEY))[KEY];
    if (typeof stored === 'string') return stored;
    const id = crypto.randomUUID();
    await area.set({ [KEY]: id });
    return id;
  })().catch((e: unknown) => {
    run = null; // try again next time
    throw e;
  });
  return run;
}
