// The automation page: every function of the background's automation API on
// this page's global scope, forwarded over runtime messaging (see
// src/core/automation.ts for why it exists and who can open it).

import { AUTOMATION_FUNCTIONS } from '../core/automation';
import { call } from './shared/api';

for (const fn of AUTOMATION_FUNCTIONS) {
  Object.assign(globalThis, { [fn]: (...args: unknown[]) => (call as (f: string, ...a: unknown[]) => Promise<unknown>)(fn, ...args) });
}
