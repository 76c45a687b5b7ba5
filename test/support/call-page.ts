// The test call page (test/pages/call.html): waiting for its call to reach a state.

import type { Page } from 'playwright-core';

/** Resolves once the call of the page (or frame) showing call.html is in `state` (window.call.state). */
export async function callReaches(page: Pick<Page, 'waitForFunction'>, state: 'connected' | 'ended', timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction((s) => (window as unknown as { call: { state: string } }).call.state === s, state, { timeout: timeoutMs });
}
