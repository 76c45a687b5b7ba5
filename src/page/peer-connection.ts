// RTCPeerConnection: the constructor, its methods and its events, and the
// data channels it makes or receives.
//
// Data channel events (entries of the channel's connection):
//   RTCDataChannel.onopen / .onclose   {id, label, protocol}
//   RTCDataChannel.onerror             {id, label, protocol, error: "Name: message"}
// (never message contents)

import {
  natives,
  scrubStack,
  callOriginal,
  callAndFollow,
  constructOriginal,
  described,
  call,
  defineData,
  getterOf,
  protoOf,
  snapshot,
  describeError,
  addDescriber,
  primitiveText,
  WeakTable,
  isObject,
} from './natives';
import { cloak, wrapProperty } from './cloak';
import { safely, type Recorder } from './recorder';
import { startStatsPolling, type Poller } from './stats-poller';
import type { Tracks } from './tracks';
import type { Rtp } from './rtp';

type AnyFn = (...args: unknown[]) => unknown;

const PC_EVENTS = [
  'icecandidate',
  'icecandidateerror',
  'track',
  'signalingstatechange',
  'iceconnectionstatechange',
  'icegatheringstatechange',
  'connectionstatechange',
  'negotiationneeded',
  'datachannel',
] as const;

const CHANNEL_EVENTS = ['open', 'close', 'error'];

/** Methods whose legacy form takes callbacks, and where those callbacks sit. */
const LEGACY_CALLBACKS: Record<string, { success: number; failure: number }> = {
  createOffer: { success: 0, failure: 1 },
  createAnswer: { success: 0, failure: 1 },
  setLocalDescription: { success: 1, failure: 2 },
  setRemoteDescription: { success: 1, failure: 2 },
  addIceCandidate: { success: 1, failure: 2 },
};

/** The configuration without any TURN credential. */
export function sanitizeConfiguration(config: unknown): unknown {
  const copy = snapshot(config);
  const servers = isObject(copy) ? (copy as { iceServers?: unknown }).iceServers : undefined;
  if (natives.isArray(servers)) {
    for (let i = 0; i < servers.length; i++) {
      const server = servers[i] as Record<string, unknown> | null;
      if (server && typeof server === 'object') {
        delete server.credential;
        delete server.username;
        delete server.credentialType;
      }
    }
  }
  return copy;
}

export function hookPeerConnection(win: typeof globalThis, recorder: Recorder, tracks: Tracks, rtp: Rtp): void {
  const NativePC = win.RTCPeerConnection as unknown as (new (...a: unknown[]) => RTCPeerConnection) | undefined;
  if (typeof NativePC !== 'function') return;
  const proto = NativePC.prototype as unknown as Record<string, unknown>;

  const ids = new WeakTable<object, string>();
  const pollers = new WeakTable<object, Poller>();
  const channels = new WeakTable<object, true>();
  let counter = 0;

  const signalingState = getterOf(proto, 'signalingState');
  const iceConnectionState = getterOf(proto, 'iceConnectionState');
  const iceGatheringState = getterOf(proto, 'iceGatheringState');
  const connectionState = getterOf(proto, 'connectionState');
  const localDescription = getterOf(proto, 'localDescription');
  const method = (p: object | undefined, name: string) =>
    p ? (natives.getOwnPropertyDescriptor(p, name)?.value as AnyFn | undefined) : undefined;
  const getConfiguration = method(proto, 'getConfiguration');
  const nativeGetStats = method(proto, 'getStats') as AnyFn;

  const transceiverProto = protoOf(win, 'RTCRtpTransceiver');
  const transceiverDirection = getterOf(transceiverProto, 'direction');
  const transceiverSender = getterOf(transceiverProto, 'sender');
  const transceiverReceiver = getterOf(transceiverProto, 'receiver');
  const senderTrack = getterOf(protoOf(win, 'RTCRtpSender'), 'track');
  const trackKind = getterOf(protoOf(win, 'MediaStreamTrack'), 'kind');
  const receiverTrack = getterOf(protoOf(win, 'RTCRtpReceiver'), 'track');
  const channelProto = protoOf(win, 'RTCDataChannel');
  const channelGetters = {
    id: getterOf(channelProto, 'id'),
    label: getterOf(channelProto, 'label'),
    protocol: getterOf(channelProto, 'protocol'),
    ordered: getterOf(channelProto, 'ordered'),
    negotiated: getterOf(channelProto, 'negotiated'),
  };
  const iceEvent = protoOf(win, 'RTCPeerConnectionIceEvent');
  const eventCandidate = getterOf(iceEvent, 'candidate');
  const iceErrorEvent = protoOf(win, 'RTCPeerConnectionIceErrorEvent');
  const iceError = {
    address: getterOf(iceErrorEvent, 'address'),
    port: getterOf(iceErrorEvent, 'port'),
    url: getterOf(iceErrorEvent, 'url'),
    errorCode: getterOf(iceErrorEvent, 'errorCode'),
    errorText: getterOf(iceErrorEvent, 'errorText'),
  };
  const trackEvent = protoOf(win, 'RTCTrackEvent');
  const trackEventTrack = getterOf(trackEvent, 'track');
  const trackEventStreams = getterOf(trackEvent, 'streams');
  const trackEventTransceiver = getterOf(trackEvent, 'transceiver');
  const channelEventChannel = getterOf(protoOf(win, 'RTCDataChannelEvent'), 'channel');
  const errorEventError = getterOf(protoOf(win, 'RTCErrorEvent'), 'error');

  // Descriptions and candidates, as their native toJSON gives them.
  for (const name of ['RTCSessionDescription', 'RTCIceCandidate']) {
    const toJSON = method(protoOf(win, name), 'toJSON');
    if (toJSON) {
      addDescriber((value) => {
        try {
          return call(toJSON, value);
        } catch {
          return undefined;
        }
      });
    }
  }

  const read = (get: (o: unknown) => unknown, pc: object): unknown => get(pc) ?? null;

  const trackSummary = (track: unknown, streams: unknown[] = []): string => {
    let text = tracks.name(track) ?? 'null';
    for (let i = 0; i < streams.length; i++) text = `${text} ${tracks.streamName(streams[i]) ?? 'null'}`;
    return text;
  };
  const streamSummary = (stream: unknown): string => {
    let text = tracks.streamName(stream) ?? 'null';
    const list = tracks.tracksOf(stream);
    for (let i = 0; i < list.length; i++) text = `${text} ${tracks.name(list[i]) ?? 'null'}`;
    return text;
  };
  const describeTransceiver = (t: unknown): unknown => ({
    mid: rtp.mid(t),
    direction: transceiverDirection(t),
    kind: trackKind(receiverTrack(transceiverReceiver(t))) ?? null,
    track: tracks.name(senderTrack(transceiverSender(t))),
  });
  const describeChannel = (dc: unknown): { id: unknown; label: unknown; protocol: unknown; ordered?: unknown; negotiated?: unknown } => ({
    id: channelGetters.id(dc) ?? null,
    label: channelGetters.label(dc),
    protocol: channelGetters.protocol(dc),
  });

  const watchChannel = (dc: unknown, id: string) => {
    if (!isObject(dc) || channels.has(dc)) return;
    channels.set(dc, true);
    for (let i = 0; i < CHANNEL_EVENTS.length; i++) {
      const type = CHANNEL_EVENTS[i]!;
      call(natives.addEventListener, dc, type, (e: Event) =>
        safely(() => {
          const value: Record<string, unknown> = describeChannel(dc);
          if (type === 'error') {
            let error: unknown;
            try {
              error = errorEventError(e);
            } catch {
              error = null;
            }
            defineData(value, 'error', error ? describeError(error) : null);
          }
          recorder.emit(`RTCDataChannel.on${type}`, id, value);
        }));
    }
  };

  const register = (pc: RTCPeerConnection, args: unknown[] | null): string => {
    const id = `PC_${counter++}`;
    ids.set(pc, id);
    if (args) {
      recorder.emit('create', id, sanitizeConfiguration(args.length > 0 && args[0] !== undefined ? args[0] : null));
      if (args.length > 1 && args[1] !== undefined && args[1] !== null) recorder.emit('constraints', id, snapshot(args[1]));
    } else {
      // created before the hook or in another realm: adopted on first use
      recorder.emit('create', id, sanitizeConfiguration(getConfiguration ? call(getConfiguration, pc) : null), ['adopted']);
    }
    rtp.addConnection(pc, id);
    listen(pc, id);
    // the state is read from the poller's weak reference: the schedule holds no strong one
    pollers.set(pc, startStatsPolling(pc, id, nativeGetStats, (target) => connectionState(target) as string, recorder));
    return id;
  };

  /** The id of a connection; adopts one the hook has not seen yet. */
  const idOf = (pc: unknown): string | null => {
    if (!isObject(pc)) return null;
    const known = ids.get(pc);
    if (known) return known;
    try {
      signalingState(pc); // throws unless pc is a real RTCPeerConnection
    } catch {
      return null;
    }
    return register(pc as RTCPeerConnection, null);
  };

  const listen = (pc: RTCPeerConnection, id: string) => {
    const on = (type: string, describe: (e: Event) => unknown) =>
      call(natives.addEventListener, pc, type, (e: Event) => safely(() => recorder.emit(`on${type}`, id, describe(e))));
    for (let i = 0; i < PC_EVENTS.length; i++) {
      const type = PC_EVENTS[i]!;
      switch (type) {
        case 'icecandidate':
          on(type, (e) => snapshot(eventCandidate(e)));
          break;
        case 'icecandidateerror':
          on(type, (e) => ({
            address: iceError.address(e) ?? null,
            port: iceError.port(e) ?? null,
            url: iceError.url(e),
            errorCode: iceError.errorCode(e),
            errorText: iceError.errorText(e),
          }));
          break;
        case 'track':
          on(type, (e) => {
            const track = trackEventTrack(e);
            safely(() => tracks.watch(track));
            safely(() => rtp.noteTransceiver(trackEventTransceiver(e), id));
            const streams = trackEventStreams(e);
            return trackSummary(track, natives.isArray(streams) ? streams : []);
          });
          break;
        case 'signalingstatechange':
          on(type, () => read(signalingState, pc));
          break;
        case 'iceconnectionstatechange':
          on(type, () => read(iceConnectionState, pc));
          break;
        case 'icegatheringstatechange':
          on(type, () => read(iceGatheringState, pc));
          break;
        case 'connectionstatechange':
          on(type, () => {
            safely(() => pollers.get(pc)?.wake());
            return read(connectionState, pc);
          });
          break;
        case 'negotiationneeded':
          on(type, () => null);
          break;
        case 'datachannel':
          on(type, (e) => {
            const dc = channelEventChannel(e);
            safely(() => watchChannel(dc, id));
            return {
              ...describeChannel(dc),
              ordered: channelGetters.ordered(dc),
              negotiated: channelGetters.negotiated(dc),
            };
          });
          break;
      }
    }
  };

  // Promise-returning methods, with their legacy callback forms.
  const asyncMethods: Record<string, { args: (a: unknown[]) => unknown; result?: (r: unknown, pc: object) => unknown }> = {
    createOffer: { args: (a) => snapshot(typeof a[0] === 'function' ? a[2] : a[0]), result: (r) => snapshot(r) },
    createAnswer: { args: (a) => snapshot(typeof a[0] === 'function' ? a[2] : a[0]), result: (r) => snapshot(r) },
    setLocalDescription: { args: (a) => snapshot(a[0]), result: (_r, pc) => snapshot(localDescription(pc)) },
    setRemoteDescription: { args: (a) => snapshot(a[0]) },
    addIceCandidate: { args: (a) => snapshot(a[0]) },
  };
  for (const [name, describe] of Object.entries(asyncMethods)) {
    const legacy = LEGACY_CALLBACKS[name]!;
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        let id: string | null = null;
        safely(() => {
          id = idOf(thisArg);
          if (id) recorder.emit(name, id, described(() => describe.args(args)));
        });
        const ok = (r: unknown) => safely(() => id && recorder.emit(`${name}OnSuccess`, id, describe.result ? described(() => describe.result!(r, thisArg as object)) : null));
        const fail = (e: unknown) => safely(() => id && recorder.emit(`${name}OnFailure`, id, describeError(e)));
        const success = args[legacy.success];
        const failure = args[legacy.failure];
        if (typeof success === 'function' && typeof failure === 'function') {
          // the legacy form: the browser calls back, and its own return value is the page's
          const callArgs: unknown[] = [];
          for (let i = 0; i < args.length; i++) callArgs[i] = args[i];
          callArgs[legacy.success] = function (this: unknown, ...r: unknown[]) {
            ok(r[0]);
            return callOriginal(success, this, r);
          };
          callArgs[legacy.failure] = function (this: unknown, ...r: unknown[]) {
            fail(r[0]);
            return callOriginal(failure, this, r);
          };
          try {
            return natives.apply(target, thisArg, callArgs);
          } catch (e) {
            fail(e);
            scrubStack(e);
            throw e;
          }
        }
        return callAndFollow(target, thisArg, args, ok, fail);
      },
    });
  }

  // Synchronous methods; `result` describes the return value for `<name>OnSuccess`.
  const syncMethods: Record<string, { args: (a: unknown[]) => unknown; result?: (r: unknown, id: string) => unknown }> = {
    addTrack: {
      args: (a) => {
        const streams: unknown[] = [];
        for (let i = 1; i < a.length; i++) streams[streams.length] = a[i];
        safely(() => tracks.watch(a[0]));
        return trackSummary(a[0], streams);
      },
      result: (r, id) => {
        safely(() => rtp.noteSender(r, id));
        return trackSummary(senderTrack(r));
      },
    },
    removeTrack: { args: (a) => trackSummary(isObject(a[0]) ? senderTrack(a[0]) : null) },
    addTransceiver: {
      args: (a) => {
        if (typeof a[0] !== 'string') safely(() => tracks.watch(a[0]));
        return {
          trackOrKind: typeof a[0] === 'string' ? a[0] : trackSummary(a[0]),
          init: isObject(a[1]) ? snapshot(a[1]) : null,
        };
      },
      result: (r, id) => {
        safely(() => rtp.noteTransceiver(r, id));
        return describeTransceiver(r);
      },
    },
    createDataChannel: {
      args: (a) => [primitiveText(a[0]) ?? '[object]', a.length > 1 && a[1] !== undefined ? snapshot(a[1]) : null],
      result: (r, id) => {
        safely(() => watchChannel(r, id));
        return { ...describeChannel(r), ordered: channelGetters.ordered(r), negotiated: channelGetters.negotiated(r) };
      },
    },
    restartIce: { args: () => null },
    setConfiguration: { args: (a) => sanitizeConfiguration(a.length > 0 && a[0] !== undefined ? a[0] : null) },
    addStream: {
      args: (a) => {
        safely(() => tracks.watchStream(a[0]));
        return streamSummary(a[0]);
      },
    },
    removeStream: { args: (a) => streamSummary(a[0]) },
    close: { args: () => null },
  };
  for (const [name, describe] of Object.entries(syncMethods)) {
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        let id: string | null = null;
        safely(() => {
          id = idOf(thisArg);
          if (id) recorder.emit(name, id, described(() => describe.args(args)));
        });
        let result: unknown;
        try {
          result = natives.apply(target, thisArg, args);
        } catch (e) {
          safely(() => id && recorder.emit(`${name}OnFailure`, id, describeError(e)));
          scrubStack(e);
          throw e;
        }
        if (describe.result) safely(() => id && recorder.emit(`${name}OnSuccess`, id, described(() => describe.result!(result, id!))));
        return result;
      },
    });
  }

  // The constructor: a Proxy keeps subclassing (new.target), statics, name, length.
  const WrappedPC = cloak(NativePC, {
    construct(target, args, newTarget) {
      const pc = constructOriginal(target, args, newTarget) as RTCPeerConnection;
      safely(() => {
        register(pc, args);
      });
      return pc;
    },
  });
  const replaceGlobal = (name: string) => {
    const d = natives.getOwnPropertyDescriptor(win, name);
    if (d && d.value === NativePC) natives.defineProperty(win, name, { ...d, value: WrappedPC });
  };
  replaceGlobal('RTCPeerConnection');
  replaceGlobal('webkitRTCPeerConnection');
  const ctor = natives.getOwnPropertyDescriptor(proto, 'constructor');
  if (ctor) natives.defineProperty(proto, 'constructor', { ...ctor, value: WrappedPC });
}
