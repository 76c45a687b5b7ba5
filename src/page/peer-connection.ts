// RTCPeerConnection: the constructor, its methods and its events.

import { natives, call, plain, describeError } from './natives';
import { cloak, wrapProperty } from './cloak';
import { safely, type Recorder } from './recorder';
import { startStatsPolling } from './stats-poller';

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

/** Methods whose legacy form takes callbacks, and where those callbacks sit. */
const LEGACY_CALLBACKS: Record<string, { success: number; failure: number }> = {
  createOffer: { success: 0, failure: 1 },
  createAnswer: { success: 0, failure: 1 },
  setLocalDescription: { success: 1, failure: 2 },
  setRemoteDescription: { success: 1, failure: 2 },
  addIceCandidate: { success: 1, failure: 2 },
};

function trackSummary(track: unknown, streams: readonly unknown[] = []): string {
  const t = track as MediaStreamTrack | null;
  const head = t ? `${t.kind}:${t.id}` : 'null';
  return [head, ...streams.map((s) => `stream:${(s as MediaStream).id}`)].join(' ');
}

/** The configuration without any TURN credential. */
export function sanitizeConfiguration(config: unknown): unknown {
  const copy = plain(config);
  if (copy && typeof copy === 'object' && Array.isArray((copy as RTCConfiguration).iceServers)) {
    for (const server of (copy as { iceServers: Record<string, unknown>[] }).iceServers) {
      if (server && typeof server === 'object') {
        delete server.credential;
        delete server.username;
        delete server.credentialType;
      }
    }
  }
  return copy;
}

function describeTransceiver(t: RTCRtpTransceiver): unknown {
  return { mid: t.mid, direction: t.direction, kind: t.receiver?.track?.kind ?? null, track: t.sender?.track ? trackSummary(t.sender.track) : null };
}

export function hookPeerConnection(win: typeof globalThis, recorder: Recorder): void {
  const NativePC = win.RTCPeerConnection as unknown as (new (...a: unknown[]) => RTCPeerConnection) | undefined;
  if (typeof NativePC !== 'function') return;
  const proto = NativePC.prototype as unknown as Record<string, unknown>;

  const ids = new natives.WeakMap<object, string>();
  let counter = 0;

  const getter = (name: string): AnyFn | undefined => {
    const d = natives.getOwnPropertyDescriptor(proto, name);
    return d?.get as AnyFn | undefined;
  };
  const signalingState = getter('signalingState');
  const iceConnectionState = getter('iceConnectionState');
  const iceGatheringState = getter('iceGatheringState');
  const connectionState = getter('connectionState');
  const localDescription = getter('localDescription');
  const getConfiguration = proto.getConfiguration as AnyFn | undefined;
  const nativeGetStats = proto.getStats as AnyFn;

  const read = (fn: AnyFn | undefined, pc: object): unknown => (fn ? call(fn, pc) : null);

  const register = (pc: RTCPeerConnection, args: unknown[] | null): string => {
    const id = `PC_${counter++}`;
    ids.set(pc, id);
    if (args) {
      recorder.emit('create', id, sanitizeConfiguration(args[0] ?? null));
      if (args[1] !== undefined && args[1] !== null) recorder.emit('constraints', id, plain(args[1]));
    } else {
      // created before the hook or in another realm: adopted on first use
      recorder.emit('create', id, sanitizeConfiguration(read(getConfiguration, pc)), ['adopted']);
    }
    listen(pc, id);
    startStatsPolling(pc, id, nativeGetStats, () => read(connectionState, pc) as string, recorder);
    return id;
  };

  /** The id of a connection; adopts one the hook has not seen yet. */
  const idOf = (pc: unknown): string | null => {
    if (!pc || typeof pc !== 'object') return null;
    const known = ids.get(pc);
    if (known) return known;
    try {
      call(signalingState!, pc); // throws unless pc is a real RTCPeerConnection
    } catch {
      return null;
    }
    return register(pc as RTCPeerConnection, null);
  };

  const listen = (pc: RTCPeerConnection, id: string) => {
    const on = (type: string, describe: (e: Event) => unknown) =>
      call(natives.addEventListener, pc, type, (e: Event) => safely(() => recorder.emit(`on${type}`, id, describe(e))));
    for (const type of PC_EVENTS) {
      switch (type) {
        case 'icecandidate':
          on(type, (e) => plain((e as RTCPeerConnectionIceEvent).candidate));
          break;
        case 'icecandidateerror':
          on(type, (e) => {
            const err = e as RTCPeerConnectionIceErrorEvent;
            return { address: err.address, port: err.port, url: err.url, errorCode: err.errorCode, errorText: err.errorText };
          });
          break;
        case 'track':
          on(type, (e) => trackSummary((e as RTCTrackEvent).track, (e as RTCTrackEvent).streams));
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
          on(type, () => read(connectionState, pc));
          break;
        case 'negotiationneeded':
          on(type, () => null);
          break;
        case 'datachannel':
          on(type, (e) => {
            const dc = (e as RTCDataChannelEvent).channel;
            return { id: dc.id, label: dc.label, protocol: dc.protocol, ordered: dc.ordered, negotiated: dc.negotiated };
          });
          break;
      }
    }
  };

  // Promise-returning methods, with their legacy callback forms.
  const asyncMethods: Record<string, { args: (a: unknown[]) => unknown; result?: (r: unknown, pc: object) => unknown }> = {
    createOffer: { args: (a) => plain(typeof a[0] === 'function' ? a[2] : a[0]), result: (r) => plain(r) },
    createAnswer: { args: (a) => plain(typeof a[0] === 'function' ? a[2] : a[0]), result: (r) => plain(r) },
    setLocalDescription: { args: (a) => plain(a[0]), result: (_r, pc) => plain(read(localDescription, pc)) },
    setRemoteDescription: { args: (a) => plain(a[0]) },
    addIceCandidate: { args: (a) => plain(a[0]) },
  };
  for (const [name, describe] of Object.entries(asyncMethods)) {
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        let id: string | null = null;
        safely(() => {
          id = idOf(thisArg);
          if (id) recorder.emit(name, id, describe.args(args));
        });
        const ok = (r: unknown) => safely(() => id && recorder.emit(`${name}OnSuccess`, id, describe.result ? describe.result(r, thisArg as object) : null));
        const fail = (e: unknown) => safely(() => id && recorder.emit(`${name}OnFailure`, id, describeError(e)));
        const legacy = LEGACY_CALLBACKS[name]!;
        if (typeof args[legacy.success] === 'function' || typeof args[legacy.failure] === 'function') {
          const callArgs = [...args];
          const success = args[legacy.success];
          const failure = args[legacy.failure];
          if (typeof success === 'function') {
            callArgs[legacy.success] = function (this: unknown, ...r: unknown[]) {
              ok(r[0]);
              return natives.apply(success as AnyFn, this, r);
            };
          }
          if (typeof failure === 'function') {
            callArgs[legacy.failure] = function (this: unknown, ...r: unknown[]) {
              fail(r[0]);
              return natives.apply(failure as AnyFn, this, r);
            };
          }
          return natives.apply(target, thisArg, callArgs);
        }
        let result: unknown;
        try {
          result = natives.apply(target, thisArg, args);
        } catch (e) {
          fail(e);
          throw e;
        }
        if (!(result instanceof Promise)) return result;
        return call(natives.then as AnyFn, result,
          (r: unknown) => {
            ok(r);
            return r;
          },
          (e: unknown) => {
            fail(e);
            throw e;
          });
      },
    });
  }

  // Synchronous methods.
  const syncMethods: Record<string, { args: (a: unknown[]) => unknown; result?: (r: unknown) => unknown }> = {
    addTrack: { args: (a) => trackSummary(a[0], a.slice(1)), result: (r) => trackSummary((r as RTCRtpSender).track) },
    removeTrack: { args: (a) => trackSummary((a[0] as RTCRtpSender | null)?.track ?? null) },
    addTransceiver: {
      args: (a) => ({
        trackOrKind: typeof a[0] === 'string' ? a[0] : trackSummary(a[0]),
        init: a[1] && typeof a[1] === 'object'
          ? { ...(plain({ ...(a[1] as object), streams: undefined }) as object), streams: ((a[1] as RTCRtpTransceiverInit).streams ?? []).map((s) => s.id) }
          : null,
      }),
      result: (r) => describeTransceiver(r as RTCRtpTransceiver),
    },
    createDataChannel: {
      args: (a) => [String(a[0]), plain(a[1] ?? null)],
      result: (r) => {
        const dc = r as RTCDataChannel;
        return { id: dc.id, label: dc.label, protocol: dc.protocol, ordered: dc.ordered, negotiated: dc.negotiated };
      },
    },
    close: { args: () => null },
  };
  for (const [name, describe] of Object.entries(syncMethods)) {
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        let id: string | null = null;
        safely(() => {
          id = idOf(thisArg);
          if (id) recorder.emit(name, id, describe.args(args));
        });
        let result: unknown;
        try {
          result = natives.apply(target, thisArg, args);
        } catch (e) {
          safely(() => id && recorder.emit(`${name}OnFailure`, id, describeError(e)));
          throw e;
        }
        if (describe.result) safely(() => id && recorder.emit(`${name}OnSuccess`, id, describe.result!(result)));
        return result;
      },
    });
  }

  // The constructor: a Proxy keeps subclassing (new.target), statics, name, length.
  const WrappedPC = cloak(NativePC, {
    construct(target, args, newTarget) {
      const pc = natives.construct(target, args, newTarget) as RTCPeerConnection;
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
