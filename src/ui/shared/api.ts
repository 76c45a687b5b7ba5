// The background's automation API, called from the extension's own pages.

import browser from 'webextension-polyfill';
import type { AutomationApi, AutomationCall, AutomationFunction } from '../../core/automation';

export function call<F extends AutomationFunction>(fn: F, ...args: Parameters<AutomationApi[F]>): ReturnType<AutomationApi[F]> {
  // Trailing undefined arguments are left out: Chrome's messages are JSON, where they would turn into null.
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const msg: AutomationCall = { v: 1, kind: 'automation', fn, args: args.slice(0, n) };
  return browser.runtime.sendMessage(msg) as ReturnType<AutomationApi[F]>;
}
