// The page hook: runs in the page's own world (MAIN), in every frame, at
// document_start, before any page script. Built as one self-contained IIFE
// with no extension API (see docs/page-hook.md).

import { installToStringCloak } from './cloak';
import { openChannel } from './channel';
import { createRecorder, safely } from './recorder';
import { hookPeerConnection } from './peer-connection';
import { hookMedia } from './media';
import { hookTracks } from './tracks';
import { hookRtp } from './rtp';
import { hookIdentity } from './identity';
import { getterOf, protoOf, natives } from './natives';

safely(() => {
  const win = globalThis;
  const channel = openChannel(win as unknown as Window);
  // Page-level facts, as rtcstats' first `create` line carries them; read
  // through the native getters (a page may have replaced window.innerWidth & co.).
  const navigatorProto = protoOf(win, 'Navigator');
  const screenProto = protoOf(win, 'Screen');
  const windowProto = protoOf(win, 'Window');
  const own = (name: string) => getterOf(natives.getOwnPropertyDescriptor(win, name) ? win : windowProto, name);
  const get = {
    hardwareConcurrency: getterOf(navigatorProto, 'hardwareConcurrency'),
    deviceMemory: getterOf(navigatorProto, 'deviceMemory'),
    screen: own('screen'),
    screenWidth: getterOf(screenProto, 'width'),
    screenHeight: getterOf(screenProto, 'height'),
    devicePixelRatio: own('devicePixelRatio'),
    innerWidth: own('innerWidth'),
    innerHeight: own('innerHeight'),
  };
  const nav = win.navigator;
  const pageInfo = () => {
    const scr = get.screen(win);
    return {
      hardwareConcurrency: get.hardwareConcurrency(nav) ?? null,
      deviceMemory: get.deviceMemory(nav) ?? null,
      screen: { width: get.screenWidth(scr) ?? null, height: get.screenHeight(scr) ?? null, devicePixelRatio: get.devicePixelRatio(win) ?? null },
      window: { width: get.innerWidth(win) ?? null, height: get.innerHeight(win) ?? null },
      url: location.href, // unforgeable
    };
  };
  const recorder = createRecorder(channel, pageInfo);
  installToStringCloak();
  const tracks = hookTracks(win, recorder);
  const rtp = hookRtp(win, recorder, tracks);
  safely(() => hookPeerConnection(win, recorder, tracks, rtp));
  safely(() => hookMedia(win, recorder, tracks));
  safely(() => hookIdentity(win, recorder));
});
