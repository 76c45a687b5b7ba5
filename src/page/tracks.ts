// MediaStreamTrack: events and changes of the tracks a call uses.
//
// A track is watched once the hook has seen it: a result of getUserMedia /
// getDisplayMedia (also the legacy callback forms), a track received through
// `track` events, or one the page hands to addTrack / addTransceiver /
// addStream / replaceTrack. Other tracks (canvas, clones, ...) are not
// recorded. All entries are page-level (pc null); the track is named
// `kind:id` as in addTrack and ontrack.
//
//   MediaStreamTrack.onended / .onmute / .onunmute   "video:<id>"
//   MediaStreamTrack.stop                             "video:<id>"
//   MediaStreamTrack.enabled                          {track, enabled}     (only when it changes)
//   MediaStreamTrack.applyConstraints                 {track, constraints}  x: [ac-N]
//   MediaStreamTrack.applyConstraintsOnSuccess        {track, settings}     x: [ac-N]
//   MediaStreamTrack.applyConstraintsOnFailure        "Name: message"       x: [ac-N]

import {
  natives,
  callOriginal,
  callAndFollow,
  call,
  getterOf,
  protoOf,
  snapshot,
  describeError,
  addDescriber,
  WeakTable,
  isObject,
} from './natives';
import { wrapProperty, wrapSetter } from './cloak';
import { safely, type Recorder } from './recorder';

type AnyFn = (...args: unknown[]) => unknown;

const TRACK_EVENTS = ['ended', 'mute', 'unmute'];

export interface Tracks {
  /** Starts watching `track` (ignored when it is not a MediaStreamTrack). */
  watch(track: unknown): void;
  /** Watches every track of a MediaStream. */
  watchStream(stream: unknown): void;
  /** `kind:id`, or null for anything but a track. */
  name(track: unknown): string | null;
  /** `stream:<id>` */
  streamName(stream: unknown): string | null;
  /** The tracks of a MediaStream (native getTracks). */
  tracksOf(stream: unknown): unknown[];
  /** getSettings() of a track, as data. */
  settings(track: unknown): unknown;
}

export function hookTracks(win: typeof globalThis, recorder: Recorder): Tracks {
  const proto = protoOf(win, 'MediaStreamTrack');
  const streamProto = protoOf(win, 'MediaStream');
  const kindOf = getterOf(proto, 'kind');
  const idOf = getterOf(proto, 'id');
  const enabledOf = getterOf(proto, 'enabled');
  const getSettings = proto ? (natives.getOwnPropertyDescriptor(proto, 'getSettings')?.value as AnyFn | undefined) : undefined;
  const streamId = getterOf(streamProto, 'id');
  const getTracks = streamProto ? (natives.getOwnPropertyDescriptor(streamProto, 'getTracks')?.value as AnyFn | undefined) : undefined;
  const watched = new WeakTable<object, true>();
  let requests = 0;

  const name = (track: unknown): string | null => {
    if (!isObject(track)) return null;
    try {
      return `${kindOf(track) as string}:${idOf(track) as string}`;
    } catch {
      return null;
    }
  };
  const streamName = (stream: unknown): string | null => {
    if (!isObject(stream)) return null;
    try {
      return `stream:${streamId(stream) as string}`;
    } catch {
      return null;
    }
  };
  const tracksOf = (stream: unknown): unknown[] => {
    if (!getTracks || !isObject(stream)) return [];
    try {
      return call(getTracks, stream) as unknown[];
    } catch {
      return [];
    }
  };
  const settings = (track: unknown): unknown => (getSettings ? snapshot(call(getSettings, track)) : null);

  // tracks and streams inside recorded values (e.g. addTransceiver's init) read as their names
  addDescriber((value) => name(value) ?? streamName(value) ?? undefined);

  const watch = (track: unknown) => {
    if (!isObject(track) || watched.has(track) || name(track) === null) return;
    watched.set(track, true);
    const label = name(track);
    for (let i = 0; i < TRACK_EVENTS.length; i++) {
      const type = TRACK_EVENTS[i]!;
      call(natives.addEventListener, track, type, () => safely(() => recorder.emit(`MediaStreamTrack.on${type}`, null, label)));
    }
  };
  const watchStream = (stream: unknown) => {
    const tracks = tracksOf(stream);
    for (let i = 0; i < tracks.length; i++) watch(tracks[i]);
  };
  const isWatched = (track: unknown): track is object => isObject(track) && watched.has(track);

  if (proto) {
    wrapProperty(proto, 'stop', {
      apply(target, thisArg, args) {
        safely(() => {
          if (isWatched(thisArg)) recorder.emit('MediaStreamTrack.stop', null, name(thisArg));
        });
        return callOriginal(target, thisArg, args);
      },
    });

    wrapProperty(proto, 'applyConstraints', {
      apply(target, thisArg, args) {
        let requestId: string | null = null;
        let track: string | null = null;
        safely(() => {
          if (!isWatched(thisArg)) return;
          requestId = `ac-${requests++}`;
          track = name(thisArg);
          recorder.emit('MediaStreamTrack.applyConstraints', null, { track, constraints: args.length > 0 ? snapshot(args[0]) : null }, [requestId]);
        });
        const fail = (e: unknown) =>
          safely(() => {
            if (requestId) recorder.emit('MediaStreamTrack.applyConstraintsOnFailure', null, describeError(e), [requestId]);
          });
        const ok = () => {
          if (requestId) safely(() => recorder.emit('MediaStreamTrack.applyConstraintsOnSuccess', null, { track, settings: settings(thisArg) }, [requestId!]));
        };
        return callAndFollow(target, thisArg, args, ok, fail);
      },
    });

    wrapSetter(proto, 'enabled', {
      apply(target, thisArg, args) {
        let before: unknown;
        const watchedTrack = isWatched(thisArg);
        if (watchedTrack) {
          safely(() => {
            before = enabledOf(thisArg);
          });
        }
        const result = callOriginal(target, thisArg, args);
        if (watchedTrack) {
          safely(() => {
            const after = enabledOf(thisArg);
            if (after !== before) recorder.emit('MediaStreamTrack.enabled', null, { track: name(thisArg), enabled: after });
          });
        }
        return result;
      },
    });
  }

  return { watch, watchStream, name, streamName, tracksOf, settings };
}
