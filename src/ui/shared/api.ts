// The background's automation API, called from the extension's own pages.

import browser from 'webextension-polyfill';
import type { AutomationApi, AutomationCall, AutomationFunction } from '../../core/automation';
import { isPartedReply, type ReplyPartRequest } from '../../core/message-parts';

export function call<F extends AutomationFunction>(fn: F, ...args: Parameters<AutomationApi[F]>): ReturnType<AutomationApi[F]> {
  // Trailing undefined arguments are left out: Chrome's messages are JSON, where they would turn into null.
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const msg: AutomationCall = { v: 1, kind: 'automation', fn, args: args.slice(0, n) };
  return browser.runtime.sendMessage(msg).then(whole) as ReturnType<AutomationApi[F]>;
}

/** The answer itself, or, for one too large for a message, its parts fetched and joined (see src/core/message-parts.ts). */
async function whole(reply: unknown): Promise<unknown> {
  if (!isPartedReply(reply)) return reply;
  const parts: string[] = [];
  for (let index = 0; index < reply.parts; index++) {
    const request: ReplyPartRequest = { v: 1, kind: 'replyPart', token: reply.token, index };
    parts.push((await browser.runtime.sendMessage(request)) as string);
  }
  return JSON.parse(parts.join('')) as unknown;
}
