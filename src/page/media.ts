// Capture devices: getUserMedia / getDisplayMedia (constraints, resulting
// tracks, errors), the legacy callback forms, enumerateDevices and devicechange.
//
//   navigator.mediaDevices.getUserMedia / getDisplayMedia   constraints               x: [gum-N] / [gdm-N]
//     ...OnSuccess   [[kind, id, label, settings], ...]   ...OnFailure   "Name: message"
//   getUserMedia (navigator.getUserMedia, webkitGetUserMedia, mozGetUserMedia; rtcstats' name for the legacy forms)
//     constraints, OnSuccess / OnFailure as above, x: [gum-N]
//   navigator.mediaDevices.enumerateDevices            null        x: [enum-N]   (deferred, see Recorder)
//     ...OnSuccess   {audioinput: 2, videoinput: 1, audiooutput: 2}   (counts per kind; labels are personal data)
//     ...OnFailure   "Name: message"
//   navigator.mediaDevices.ondevicechange              null        (watched once the page uses WebRTC; also
//                                                                  an event the page dispatches itself)

import {
  natives,
  scrubStack,
  callOriginal,
  callAndFollow,
  call,
  getterOf,
  protoOf,
  snapshot,
  describeError,
  defineData,
  isObject,
} from './natives';
import { wrapProperty } from './cloak';
import { safely, type Recorder } from './recorder';
import type { Tracks } from './tracks';

export function hookMedia(win: typeof globalThis, recorder: Recorder, tracks: Tracks): void {
  const trackProto = protoOf(win, 'MediaStreamTrack');
  const kindOf = getterOf(trackProto, 'kind');
  const idOf = getterOf(trackProto, 'id');
  const labelOf = getterOf(trackProto, 'label');
  const deviceKind = getterOf(protoOf(win, 'MediaDeviceInfo'), 'kind');
  let gum = 0;
  let gdm = 0;
  let enumerations = 0;

  /** `[kind, id, label, settings]` per track, as rtcstats records them. */
  const describeStream = (stream: unknown): unknown => {
    const list = tracks.tracksOf(stream);
    const out: unknown[] = [];
    for (let i = 0; i < list.length; i++) {
      const t = list[i];
      out[out.length] = [kindOf(t), idOf(t), labelOf(t), tracks.settings(t)];
    }
    return out;
  };
  const succeeded = (method: string, requestId: string, stream: unknown) =>
    safely(() => {
      recorder.emit(`${method}OnSuccess`, null, describeStream(stream), [requestId]);
      tracks.watchStream(stream);
    });
  const failed = (method: string, requestId: string, e: unknown) =>
    safely(() => recorder.emit(`${method}OnFailure`, null, describeError(e), [requestId]));

  /** Wraps a promise-returning method: `before` records the call and names the request. */
  const wrapAsync = (
    target: object,
    name: string,
    method: string,
    before: (args: unknown[]) => string,
    after: (requestId: string, result: unknown) => void,
    emitFailure: (requestId: string, e: unknown) => void,
  ) =>
    wrapProperty(target, name, {
      apply(original, thisArg, args) {
        let requestId = '';
        safely(() => {
          requestId = before(args);
        });
        return callAndFollow(original, thisArg, args,
          (r) => {
            if (requestId) after(requestId, r);
          },
          (e) => {
            if (requestId) emitFailure(requestId, e);
          });
      },
    });

  const devicesProto = protoOf(win, 'MediaDevices');
  if (devicesProto) {
    for (const name of ['getUserMedia', 'getDisplayMedia']) {
      const method = `navigator.mediaDevices.${name}`;
      wrapAsync(devicesProto, name, method,
        (args) => {
          const requestId = name === 'getUserMedia' ? `gum-${gum++}` : `gdm-${gdm++}`;
          recorder.emit(method, null, args.length > 0 ? snapshot(args[0]) : null, [requestId]);
          return requestId;
        },
        (requestId, stream) => succeeded(method, requestId, stream),
        (requestId, e) => failed(method, requestId, e));
    }

    const enumerate = 'navigator.mediaDevices.enumerateDevices';
    wrapAsync(devicesProto, 'enumerateDevices', enumerate,
      () => {
        const requestId = `enum-${enumerations++}`;
        recorder.emitDeferred(enumerate, null, null, [requestId]);
        return requestId;
      },
      (requestId, devices) =>
        safely(() => {
          const counts = {} as Record<string, number>;
          const list = devices as unknown[];
          for (let i = 0; i < list.length; i++) {
            const kind = deviceKind(list[i]);
            if (typeof kind === 'string') defineData(counts, kind, (natives.hasOwn(counts, kind) ? counts[kind]! : 0) + 1);
          }
          recorder.emitDeferred(`${enumerate}OnSuccess`, null, counts, [requestId]);
        }),
      (requestId, e) => safely(() => recorder.emitDeferred(`${enumerate}OnFailure`, null, describeError(e), [requestId])));

    // devicechange: listened to only once the page uses WebRTC (listening makes the browser watch devices)
    const mediaDevicesOf = getterOf(protoOf(win, 'Navigator'), 'mediaDevices');
    recorder.whenStarted(() => {
      const devices = mediaDevicesOf(win.navigator);
      if (!isObject(devices)) return;
      call(natives.addEventListener, devices, 'devicechange', () =>
        safely(() => recorder.emit('navigator.mediaDevices.ondevicechange', null, null)));
    });
  }

  // Legacy callback forms: navigator.getUserMedia(constraints, success, failure) and its prefixed name.
  const navigatorProto = protoOf(win, 'Navigator');
  if (navigatorProto) {
    for (const name of ['getUserMedia', 'webkitGetUserMedia', 'mozGetUserMedia']) {
      wrapProperty(navigatorProto, name, {
        apply(original, thisArg, args) {
          let requestId = '';
          safely(() => {
            requestId = `gum-${gum++}`;
            recorder.emit('getUserMedia', null, args.length > 0 ? snapshot(args[0]) : null, [requestId]);
          });
          const success = args[1];
          const failure = args[2];
          if (!requestId || typeof success !== 'function' || typeof failure !== 'function') {
            // not the callback form the browser accepts: it throws, exactly as without the hook
            try {
              return natives.apply(original, thisArg, args);
            } catch (e) {
              if (requestId) failed('getUserMedia', requestId, e);
              scrubStack(e);
              throw e;
            }
          }
          const callArgs: unknown[] = [];
          for (let i = 0; i < args.length; i++) callArgs[i] = args[i];
          callArgs[1] = function (this: unknown, ...r: unknown[]) {
            succeeded('getUserMedia', requestId, r[0]);
            return callOriginal(success, this, r);
          };
          callArgs[2] = function (this: unknown, ...r: unknown[]) {
            failed('getUserMedia', requestId, r[0]);
            return callOriginal(failure, this, r);
          };
          try {
            return natives.apply(original, thisArg, callArgs);
          } catch (e) {
            failed('getUserMedia', requestId, e);
            scrubStack(e);
            throw e;
          }
        },
      });
    }
  }
}
