// navigator.mediaDevices.getUserMedia / getDisplayMedia: constraints, resulting tracks, errors.

import { natives, call, plain, describeError } from './natives';
import { wrapProperty } from './cloak';
import { safely, type Recorder } from './recorder';

type AnyFn = (...args: unknown[]) => unknown;

/** `[kind, id, label, settings]` per track, as rtcstats records them. */
function describeStream(stream: unknown): unknown {
  const tracks = (stream as MediaStream).getTracks();
  return tracks.map((t) => [t.kind, t.id, t.label, plain(t.getSettings())]);
}

export function hookMedia(win: typeof globalThis, recorder: Recorder): void {
  const proto = (win as { MediaDevices?: { prototype: object } }).MediaDevices?.prototype;
  if (!proto) return;
  let counter = 0;
  for (const name of ['getUserMedia', 'getDisplayMedia']) {
    const method = `navigator.mediaDevices.${name}`;
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        const requestId = `${name === 'getUserMedia' ? 'gum' : 'gdm'}-${counter++}`;
        safely(() => recorder.emit(method, null, plain(args[0] ?? null), [requestId]));
        const fail = (e: unknown) => safely(() => recorder.emit(`${method}OnFailure`, null, describeError(e), [requestId]));
        let result: unknown;
        try {
          result = natives.apply(target, thisArg, args);
        } catch (e) {
          fail(e);
          throw e;
        }
        if (!(result instanceof Promise)) return result;
        return call(natives.then as AnyFn, result,
          (stream: unknown) => {
            safely(() => recorder.emit(`${method}OnSuccess`, null, describeStream(stream), [requestId]));
            return stream;
          },
          (e: unknown) => {
            fail(e);
            throw e;
          });
      },
    });
  }
}
