// The automation page: every function of the background's automation API on
// this page's global scope, forwarded over runtime messaging (see
// src/core/automation.ts for why it exists and who can open it).

import browser from 'webextension-polyfill';
import { AUTOMATION_FUNCTIONS, type AutomationCall, type AutomationFunction } from '../core/automation';

function forward(fn: AutomationFunction, args: unknown[]): Promise<unknown> {
  // Trailing undefined arguments are left out: Chrome's messages are JSON, where they would turn into null.
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const call: AutomationCall = { v: 1, kind: 'automation', fn, args: args.slice(0, n) };
  return browser.runtime.sendMessage(call);
}

for (const fn of AUTOMATION_FUNCTIONS) {
  Object.assign(globalThis, { [fn]: (...args: unknown[]) => forward(fn, args) });
}
