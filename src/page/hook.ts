// The page hook: runs in the page's own world (MAIN), in every frame, at
// document_start, before any page script. Built as one self-contained IIFE
// with no extension API (see docs/page-hook.md).

import { installToStringCloak } from './cloak';
import { openChannel } from './channel';
import { createRecorder, safely } from './recorder';
import { hookPeerConnection } from './peer-connection';
import { hookMedia } from './media';

safely(() => {
  const win = globalThis;
  const channel = openChannel(win as unknown as Window);
  const nav = navigator as Navigator & { deviceMemory?: number };
  // Page-level facts, as rtcstats' first `create` line carries them.
  const pageInfo = () => ({
    hardwareConcurrency: nav.hardwareConcurrency,
    deviceMemory: nav.deviceMemory ?? null,
    screen: { width: screen.width, height: screen.height, devicePixelRatio: devicePixelRatio },
    window: { width: innerWidth, height: innerHeight },
    url: location.href,
  });
  const recorder = createRecorder(channel, pageInfo);
  installToStringCloak();
  hookPeerConnection(win, recorder);
  hookMedia(win, recorder);
});
