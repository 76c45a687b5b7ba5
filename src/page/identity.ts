// A page may tag its own session (rtcstats' `identity` trace) without any
// page-visible API of the extension: it dispatches an event on its window,
//
//   window.dispatchEvent(new CustomEvent('webrtc-lens:identity', { detail: { conferenceId: 'room-42', userId: 'u-7' } }));
//
// and the hook records `identity` (pc null) with the detail's own string and
// finite-number properties (at most 20 keys of up to 64 characters, values of
// up to 256). The background turns them into session tags. The hook only
// listens (the page cannot tell); like enumerateDevices the entry waits until
// the page uses WebRTC, so tagging alone opens no session.

import { natives, call, getterOf, protoOf, defineData, isObject } from './natives';
import { safely, type Recorder } from './recorder';

export const IDENTITY_EVENT = 'webrtc-lens:identity';
const MAX_KEYS = 20;
const MAX_KEY_LENGTH = 64;
const MAX_VALUE_LENGTH = 256;

/** The tags an identity event's detail carries, or null when there are none. */
export function identityTags(detail: unknown): Record<string, string | number> | null {
  if (!isObject(detail) || typeof detail === 'function') return null;
  const tags = {} as Record<string, string | number>;
  let count = 0;
  const keys = natives.ownKeys(detail);
  for (let i = 0; i < keys.length && count < MAX_KEYS; i++) {
    const key = keys[i]!;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) continue;
    const d = natives.getOwnPropertyDescriptor(detail, key);
    if (!d || !d.enumerable || !natives.hasOwn(d, 'value')) continue;
    const v: unknown = d.value;
    if ((typeof v === 'string' && v.length <= MAX_VALUE_LENGTH) || (typeof v === 'number' && natives.isFinite(v))) {
      defineData(tags, key, v);
      count++;
    }
  }
  return count > 0 ? tags : null;
}

export function hookIdentity(win: typeof globalThis, recorder: Recorder): void {
  const detailOf = getterOf(protoOf(win, 'CustomEvent'), 'detail');
  call(natives.addEventListener, win, IDENTITY_EVENT, (event: Event) =>
    safely(() => {
      const tags = identityTags(detailOf(event));
      if (tags) recorder.emitDeferred('identity', null, tags);
    }));
}
