// Senders and transceivers: replaceTrack, setParameters, setCodecPreferences,
// direction changes, stop. Entries belong to the sender's / transceiver's
// connection (pc null when the hook has not seen that connection); `mid` is
// the transceiver's mid (null before negotiation), tracks are `kind:id`.
//
//   RTCRtpSender.replaceTrack                 {mid, track, newTrack}
//   RTCRtpSender.replaceTrackOnSuccess        {mid, track}          ...OnFailure "Name: message"
//   RTCRtpSender.setParameters                {mid, track, parameters}   (as passed, plus `options` when given)
//   RTCRtpSender.setParametersOnSuccess       {mid}                 ...OnFailure "Name: message"
//   RTCRtpTransceiver.setCodecPreferences     {mid, codecs}         ...OnFailure "Name: message"
//   RTCRtpTransceiver.direction               {mid, direction, previous}   (only when it changes)
//   RTCRtpTransceiver.directionOnFailure      "Name: message"
//   RTCRtpTransceiver.stop                    {mid}                 ...OnFailure "Name: message"
//
// Which connection a sender belongs to is known from addTrack / addTransceiver
// results and `track` events; otherwise it is looked up through the native
// getTransceivers() of the connections the hook knows (never getParameters,
// which would change what the page's next setParameters may pass).

import {
  natives,
  callAndFollow,
  scrubStack,
  described,
  call,
  defineData,
  getterOf,
  protoOf,
  snapshot,
  describeError,
  WeakTable,
  weakRef,
  isObject,
} from './natives';
import { wrapProperty, wrapSetter } from './cloak';
import { safely, type Recorder } from './recorder';
import type { Tracks } from './tracks';

type AnyFn = (...args: unknown[]) => unknown;

interface Owner {
  pc: string;
  transceiver: object | null;
}

export interface Rtp {
  addConnection(pc: object, id: string): void;
  noteTransceiver(transceiver: unknown, pcId: string): void;
  noteSender(sender: unknown, pcId: string): void;
  /** mid of a transceiver (null when not negotiated or not a transceiver) */
  mid(transceiver: unknown): string | null;
}

export function hookRtp(win: typeof globalThis, recorder: Recorder, tracks: Tracks): Rtp {
  const senderProto = protoOf(win, 'RTCRtpSender');
  const transceiverProto = protoOf(win, 'RTCRtpTransceiver');
  const pcProto = protoOf(win, 'RTCPeerConnection');
  const senderTrack = getterOf(senderProto, 'track');
  const transceiverMid = getterOf(transceiverProto, 'mid');
  const transceiverSender = getterOf(transceiverProto, 'sender');
  const transceiverDirection = getterOf(transceiverProto, 'direction');
  const getTransceivers = pcProto ? (natives.getOwnPropertyDescriptor(pcProto, 'getTransceivers')?.value as AnyFn | undefined) : undefined;

  const owners = new WeakTable<object, Owner>();
  let connections: { pc: () => object | undefined; id: string }[] = [];

  const noteTransceiver = (transceiver: unknown, pcId: string) => {
    if (!isObject(transceiver)) return;
    const owner = { pc: pcId, transceiver };
    owners.set(transceiver, owner);
    const sender = transceiverSender(transceiver);
    if (isObject(sender)) owners.set(sender, owner);
  };

  /** Learns the transceivers of every known connection. */
  const scan = () => {
    if (!getTransceivers) return;
    const alive: typeof connections = [];
    for (let i = 0; i < connections.length; i++) {
      const c = connections[i]!;
      const pc = c.pc();
      if (!pc) continue;
      alive[alive.length] = c;
      try {
        const list = call(getTransceivers, pc) as unknown[];
        for (let j = 0; j < list.length; j++) noteTransceiver(list[j], c.id);
      } catch {
        // a connection that cannot list its transceivers: the others still can
      }
    }
    connections = alive;
  };

  const locate = (obj: object): Owner | null => {
    const known = owners.get(obj);
    if (known && known.transceiver) return known;
    scan();
    return owners.get(obj) ?? known ?? null;
  };
  const mid = (transceiver: unknown): string | null => {
    if (!isObject(transceiver)) return null;
    const m = transceiverMid(transceiver);
    return typeof m === 'string' ? m : null;
  };

  /** Wraps a method; `describe` gives the call's value, `success` the OnSuccess value (sync methods: none). */
  const wrap = (
    proto: object,
    name: string,
    method: string,
    describe: (self: object, owner: Owner | null, args: unknown[]) => unknown,
    success?: (self: object, owner: Owner | null) => unknown,
  ) =>
    wrapProperty(proto, name, {
      apply(target, thisArg, args) {
        let owner: Owner | null = null;
        let recorded = false;
        safely(() => {
          if (!isObject(thisArg)) return;
          owner = locate(thisArg);
          recorder.emit(method, owner?.pc ?? null, described(() => describe(thisArg as object, owner, args)));
          recorded = true;
        });
        const fail = (e: unknown) => safely(() => recorded && recorder.emit(`${method}OnFailure`, owner?.pc ?? null, describeError(e)));
        const ok = () => {
          if (success && recorded) safely(() => recorder.emit(`${method}OnSuccess`, owner?.pc ?? null, described(() => success(thisArg as object, owner))));
        };
        return callAndFollow(target, thisArg, args, ok, fail);
      },
    });

  if (senderProto) {
    wrap(senderProto, 'replaceTrack', 'RTCRtpSender.replaceTrack',
      (sender, owner, args) => {
        safely(() => tracks.watch(args[0]));
        return { mid: mid(owner?.transceiver), track: tracks.name(senderTrack(sender)), newTrack: tracks.name(args[0]) };
      },
      (sender, owner) => ({ mid: mid(owner?.transceiver), track: tracks.name(senderTrack(sender)) }));
    wrap(senderProto, 'setParameters', 'RTCRtpSender.setParameters',
      (sender, owner, args) => {
        const value: Record<string, unknown> = {
          mid: mid(owner?.transceiver),
          track: tracks.name(senderTrack(sender)),
          parameters: args.length > 0 ? snapshot(args[0]) : null,
        };
        if (args.length > 1 && args[1] !== undefined) defineData(value, 'options', snapshot(args[1]));
        return value;
      },
      (_sender, owner) => ({ mid: mid(owner?.transceiver) }));
  }

  if (transceiverProto) {
    wrap(transceiverProto, 'setCodecPreferences', 'RTCRtpTransceiver.setCodecPreferences',
      (t, _owner, args) => ({ mid: mid(t), codecs: args.length > 0 ? snapshot(args[0]) : null }));
    wrap(transceiverProto, 'stop', 'RTCRtpTransceiver.stop', (t) => ({ mid: mid(t) }));

    wrapSetter(transceiverProto, 'direction', {
      apply(target, thisArg, args) {
        let before: unknown;
        let owner: Owner | null = null;
        let known = false;
        safely(() => {
          if (!isObject(thisArg)) return;
          before = transceiverDirection(thisArg);
          owner = locate(thisArg);
          known = true;
        });
        let result: unknown;
        try {
          result = natives.apply(target, thisArg, args);
        } catch (e) {
          safely(() => known && recorder.emit('RTCRtpTransceiver.directionOnFailure', owner?.pc ?? null, describeError(e)));
          scrubStack(e);
          throw e;
        }
        safely(() => {
          if (!known) return;
          const after = transceiverDirection(thisArg);
          if (after !== before) recorder.emit('RTCRtpTransceiver.direction', owner?.pc ?? null, { mid: mid(thisArg), direction: after, previous: before });
        });
        return result;
      },
    });
  }

  return {
    addConnection(pc, id) {
      connections[connections.length] = { pc: weakRef(pc), id };
    },
    noteTransceiver,
    noteSender(sender, pcId) {
      if (isObject(sender) && !owners.has(sender)) owners.set(sender, { pc: pcId, transceiver: null });
    },
    mid,
  };
}
