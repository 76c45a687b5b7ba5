// Scenarios of the page hook's transparency checklist (docs/page-hook.md).
// Each returns what the page observes, as JSON data that must be the same
// with and without the extension (so: no random ids, no times).
/* global RTCCertificate, RTCSessionDescription, RTCRtpSender, RTCRtpReceiver, RTCRtpTransceiver, RTCDataChannel,
   MediaStreamTrack, MessagePort, EventTarget, DOMException, MessageChannel, MessageEvent, Event */
'use strict';

// ---------------------------------------------------------------- helpers

/** An error as the page can tell it apart: its class, name, message and stack. */
function describeError(e) {
  if (!e || typeof e !== 'object') return `non-object: ${String(e)}`;
  return {
    constructor: e.constructor === undefined ? null : e.constructor.name,
    name: e.name,
    message: e.message,
    domException: e instanceof DOMException,
    typeError: e instanceof TypeError,
    stack: e.stack,
  };
}

/** A value as the page can tell it apart, without ids that differ between runs. */
function describeValue(v) {
  if (v === undefined || v === null || typeof v !== 'object') return v === undefined ? 'undefined' : v;
  return Object.prototype.toString.call(v);
}

/** What calling `fn` does: throws, returns, or returns a promise that resolves or rejects. */
async function outcome(fn) {
  let result;
  try {
    result = fn();
  } catch (e) {
    return ['threw', describeError(e)];
  }
  if (result instanceof Promise) {
    try {
      return ['resolved', describeValue(await result)];
    } catch (e) {
      return ['rejected', describeError(e)];
    }
  }
  return ['returned', describeValue(result)];
}

/**
 * Resolves once `test` holds, checked now and on each `type` event of `target`. Always adds (and
 * then removes) one listener, so that the page's own calls do not depend on timing.
 */
function until(target, type, test) {
  return new Promise((resolve) => {
    const listener = () => {
      if (test()) {
        target.removeEventListener(type, listener);
        resolve();
      }
    };
    target.addEventListener(type, listener);
    listener();
  });
}

/** Offer/answer and ICE between two connections of this page; resolves once both are connected. */
async function connect(pc1, pc2) {
  pc1.addEventListener('icecandidate', (e) => e.candidate && pc2.addIceCandidate(e.candidate));
  pc2.addEventListener('icecandidate', (e) => e.candidate && pc1.addIceCandidate(e.candidate));
  await pc1.setLocalDescription();
  await pc2.setRemoteDescription(pc1.localDescription);
  await pc2.setLocalDescription();
  await pc1.setRemoteDescription(pc2.localDescription);
  await Promise.all([pc1, pc2].map((pc) => until(pc, 'connectionstatechange', () => pc.connectionState === 'connected')));
}

function descriptor(o, k) {
  const d = Object.getOwnPropertyDescriptor(o, k);
  if (!d) return null;
  return {
    value: 'value' in d ? typeof d.value : undefined,
    get: typeof d.get,
    set: typeof d.set,
    writable: d.writable,
    enumerable: d.enumerable,
    configurable: d.configurable,
  };
}

function ownKeys(o) {
  return Reflect.ownKeys(o).map(String).sort();
}

const INTERFACES = [
  'RTCPeerConnection', 'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCDataChannel', 'RTCSessionDescription',
  'RTCIceCandidate', 'RTCCertificate', 'MediaStreamTrack', 'MediaStream', 'MediaDevices', 'Navigator', 'EventTarget',
  'MessagePort', 'CustomEvent', 'Function', 'Object', 'Array', 'Promise', 'WeakMap', 'WeakRef', 'JSON', 'Reflect',
];

// The prototypes and methods the hook wraps.
const WRAPPED = {
  RTCPeerConnection: ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate', 'addTrack',
    'removeTrack', 'addTransceiver', 'createDataChannel', 'restartIce', 'setConfiguration', 'addStream', 'removeStream', 'close'],
  RTCRtpSender: ['replaceTrack', 'setParameters'],
  RTCRtpTransceiver: ['setCodecPreferences', 'stop'],
  MediaStreamTrack: ['stop', 'applyConstraints'],
  MediaDevices: ['getUserMedia', 'getDisplayMedia', 'enumerateDevices'],
  Navigator: ['getUserMedia', 'webkitGetUserMedia'],
  Function: ['toString'],
};

/** Every function of the hooked interfaces: methods, getters and setters, and the constructors. */
function allFunctions() {
  const list = [];
  for (const name of INTERFACES) {
    const ctor = window[name];
    if (!ctor) continue;
    if (typeof ctor === 'function') list.push([name, ctor]);
    const proto = typeof ctor === 'function' ? ctor.prototype : ctor;
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      const label = `${name}.${String(key)}`;
      if (typeof d.value === 'function' && key !== 'constructor') list.push([label, d.value]);
      if (d.get) list.push([`${label} get`, d.get]);
      if (d.set) list.push([`${label} set`, d.set]);
    }
  }
  list.push(['webkitRTCPeerConnection', window.webkitRTCPeerConnection]);
  return list;
}

function face(fn) {
  const f = {
    typeof: typeof fn,
    name: fn.name,
    length: fn.length,
    toString: Function.prototype.toString.call(fn),
    ownToString: fn.toString(),
    string: String(fn),
    template: `${fn}`,
    tag: Object.prototype.toString.call(fn),
    keys: ownKeys(fn),
    prototypeIsFunction: Object.getPrototypeOf(fn) === Function.prototype,
    hasPrototype: Object.prototype.hasOwnProperty.call(fn, 'prototype'),
    bound: Function.prototype.toString.call(fn.bind(null)),
  };
  return f;
}

// A registry whose callback shares no scope with the connection it watches.
const gcRegistry = new FinalizationRegistry(() => {
  window.gcState.collected = true;
});

/** A connection that has gathered, watched by gcRegistry; returns the only reference to it: a function that closes it. */
async function droppableConnection() {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('gc');
  await pc.setLocalDescription();
  await until(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete');
  gcRegistry.register(pc, 'pc');
  return () => pc.close();
}

// ---------------------------------------------------------------- scenarios

const scenarios = {
  /** `new RTCPeerConnection(config, legacyConstraints)` passes both arguments through. */
  async constructorArguments() {
    const cert = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
    const pc = new RTCPeerConnection(
      {
        iceServers: [{ urls: 'stun:stun.example.org:3478' }, { urls: 'turn:turn.example.org', username: 'u', credential: 'c' }],
        iceTransportPolicy: 'relay',
        bundlePolicy: 'max-bundle',
        rtcpMuxPolicy: 'require',
        iceCandidatePoolSize: 1,
        certificates: [cert],
      },
      { optional: [{ rtcStatsClientId: 'client-1' }, { rtcStatsPeerId: 'peer-2' }] },
    );
    const c = pc.getConfiguration();
    const configuration = { ...c, certificates: c.certificates.map((x) => x === cert) };
    pc.close();
    const make = (...args) => () => {
      const made = new RTCPeerConnection(...args);
      made.close();
      return made;
    };
    const attempts = {
      badUrl: await outcome(make({ iceServers: [{ urls: 'bogus:x' }] })),
      badPolicy: await outcome(make({ iceTransportPolicy: 'nope' })),
      turnWithoutCredential: await outcome(make({ iceServers: [{ urls: 'turn:turn.example.org' }] })),
      legacyNumber: await outcome(make({}, 5)),
      legacyNull: await outcome(make(undefined, null)),
      withoutNew: await outcome(() => RTCPeerConnection()),
      withoutNewCall: await outcome(() => RTCPeerConnection.call({}, {})),
    };
    return { configuration, attempts };
  },

  /** `class X extends RTCPeerConnection` keeps working. */
  async subclassing() {
    class X extends RTCPeerConnection {
      constructor(config) {
        super(config);
        this.tag = 'x';
        this.newTargetIsX = new.target === X;
        this.offers = 0;
      }
      hello() {
        return `hello from ${this.signalingState}`;
      }
      createOffer(...args) {
        this.offers++;
        return super.createOffer(...args);
      }
      static make() {
        return new X();
      }
    }
    const x = new X({ iceServers: [] });
    x.createDataChannel('sub');
    const offer = await x.createOffer();
    const y = Reflect.construct(RTCPeerConnection, [], X);
    const z = X.make();
    const result = {
      instanceOfX: x instanceof X,
      instanceOfRTCPeerConnection: x instanceof RTCPeerConnection,
      prototypeIsX: Object.getPrototypeOf(x) === X.prototype,
      hello: x.hello(),
      tag: x.tag,
      newTargetIsX: x.newTargetIsX,
      constructorIsX: x.constructor === X,
      ownKeys: ownKeys(x),
      offer: offer.type,
      offers: x.offers,
      reflect: [y instanceof X, y instanceof RTCPeerConnection, y.hello(), y.tag === undefined],
      made: [z instanceof X, z.tag, z.newTargetIsX],
      statics: [X.generateCertificate === RTCPeerConnection.generateCertificate, Object.getPrototypeOf(X) === RTCPeerConnection],
      name: X.name,
      length: X.length,
      ctorFace: [RTCPeerConnection.name, RTCPeerConnection.length],
    };
    for (const pc of [x, y, z]) pc.close();
    return result;
  },

  /** Statics and the prototype chain stay intact. */
  async staticsAndPrototype() {
    const cert = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
    const pc = new RTCPeerConnection();
    const prototypes = {};
    for (const name of INTERFACES) {
      const ctor = window[name];
      if (!ctor) continue;
      const proto = typeof ctor === 'function' ? ctor.prototype : ctor;
      prototypes[name] = Reflect.ownKeys(proto).map((k) => [String(k), descriptor(proto, k)]);
    }
    const result = {
      certificate: [cert instanceof RTCCertificate, typeof cert.expires, cert.expires > Date.now(), cert.getFingerprints().length],
      badCertificate: await outcome(() => RTCPeerConnection.generateCertificate({ name: 'nope' })),
      constructorLink: RTCPeerConnection.prototype.constructor === RTCPeerConnection,
      webkitAlias: window.webkitRTCPeerConnection === RTCPeerConnection,
      chain: [
        Object.getPrototypeOf(RTCPeerConnection) === EventTarget,
        Object.getPrototypeOf(RTCPeerConnection.prototype) === EventTarget.prototype,
        Object.getPrototypeOf(pc) === RTCPeerConnection.prototype,
        pc instanceof EventTarget,
        pc.constructor === RTCPeerConnection,
        RTCPeerConnection.prototype instanceof EventTarget,
      ],
      statics: Reflect.ownKeys(RTCPeerConnection).map((k) => [String(k), descriptor(RTCPeerConnection, k)]),
      globals: ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCRtpSender', 'MediaStreamTrack', 'Function']
        .map((k) => [k, descriptor(window, k)]),
      prototypes,
    };
    pc.close();
    return result;
  },

  /** Wrapped methods keep name, length and a native-looking toString, also seen from another frame. */
  async functionFaces() {
    const faces = allFunctions().map(([label, fn]) => [label, face(fn)]);
    const probes = {};
    for (const [name, methods] of Object.entries(WRAPPED)) {
      const proto = window[name].prototype;
      for (const method of methods) {
        const fn = proto[method];
        if (typeof fn !== 'function') continue;
        probes[`${name}.${method}`] = {
          construct: await outcome(() => Reflect.construct(fn, [])),
          wrongThis: await outcome(() => fn.call({})),
        };
      }
    }
    for (const [name, key] of [['MediaStreamTrack', 'enabled'], ['RTCRtpTransceiver', 'direction']]) {
      const { set } = Object.getOwnPropertyDescriptor(window[name].prototype, key);
      probes[`${name}.${key} set`] = { construct: await outcome(() => Reflect.construct(set, [])), wrongThis: await outcome(() => set.call({}, 'x')) };
    }
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const other = frame.contentWindow;
    const crossRealm = {
      hereOfThere: Function.prototype.toString.call(other.RTCPeerConnection),
      hereOfThereMethod: Function.prototype.toString.call(other.RTCPeerConnection.prototype.createOffer),
      hereOfThereGetUserMedia: Function.prototype.toString.call(other.MediaDevices.prototype.getUserMedia),
      thereOfHere: other.Function.prototype.toString.call(RTCPeerConnection),
      thereOfHereMethod: other.Function.prototype.toString.call(RTCPeerConnection.prototype.setLocalDescription),
      thereOfThere: other.Function.prototype.toString.call(other.RTCPeerConnection),
      pageProxyHere: Function.prototype.toString.call(new Proxy(RTCPeerConnection.prototype.close, {})),
      pageProxyOfThere: Function.prototype.toString.call(new other.Proxy(other.RTCPeerConnection.prototype.close, {})),
      toStringOfToString: Function.prototype.toString.call(other.Function.prototype.toString),
      nonFunction: await outcome(() => Function.prototype.toString.call({})),
      nonFunctionThere: await outcome(() => other.Function.prototype.toString.call({})),
      sameFaceThere: JSON.stringify(face(other.RTCPeerConnection)) === JSON.stringify(face(RTCPeerConnection)),
    };
    frame.remove();
    return { faces, probes, crossRealm };
  },

  /** Legacy callback forms work; return values and errors are the original ones. */
  async legacyAndErrors() {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio');
    const out = {};
    let returned;
    const offer = await new Promise((resolve) => {
      returned = pc.createOffer(
        function (...args) {
          resolve({ args: args.length, type: args[0].type, sdp: args[0].sdp, isDescription: args[0] instanceof RTCSessionDescription, thisIsUndefined: this === undefined });
        },
        (e) => resolve({ error: describeError(e) }),
        { offerToReceiveVideo: true },
      );
    });
    out.createOffer = { ...offer, sdp: /m=video/.test(offer.sdp), returned: describeValue(returned), settled: await outcome(() => returned) };
    out.setLocalDescription = await new Promise((resolve) => {
      const r = pc.setLocalDescription(
        { type: 'offer', sdp: offer.sdp },
        (...args) => resolve({ args: args.length, state: pc.signalingState, returned: describeValue(r) }),
        (e) => resolve({ error: describeError(e) }),
      );
    });
    out.setRemoteDescription = await new Promise((resolve) => {
      pc.setRemoteDescription({ type: 'answer', sdp: 'garbage' }, () => resolve('succeeded'), (...args) => resolve({ args: args.length, error: describeError(args[0]) }));
    });
    out.addIceCandidate = await new Promise((resolve) => {
      pc.addIceCandidate({ candidate: 'garbage', sdpMid: '0' }, () => resolve('succeeded'), (e) => resolve(describeError(e)));
    });
    out.onlySuccessCallback = await outcome(() => pc.createOffer(() => {}));
    out.failureNotFunction = await outcome(() => pc.createOffer(() => {}, 'no'));
    out.getStatsCallback = await outcome(() => pc.getStats(() => {}));
    out.getStatsNull = await outcome(() => pc.getStats(null));
    // a page callback that throws is reported as the page's error, once
    const reported = [];
    const onError = (e) => {
      reported.push(e.message, e.error.stack);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    await new Promise((resolve) => {
      pc.createOffer(() => {
        setTimeout(resolve, 0);
        throw new Error('thrown by the page');
      }, resolve);
    });
    window.removeEventListener('error', onError);
    out.reported = reported;

    // promise forms
    out.createAnswerInWrongState = await outcome(() => new RTCPeerConnection().createAnswer());
    out.addIceCandidateGarbage = await outcome(() => pc.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: '0' }));
    out.addIceCandidateNoMid = await outcome(() => pc.addIceCandidate({ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' }));
    out.setRemoteBadType = await outcome(() => pc.setRemoteDescription({ type: 'bogus', sdp: '' }));
    out.setLocalNoArgument = await outcome(() => new RTCPeerConnection().setLocalDescription());
    // synchronous methods: identity of results, errors
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const [track] = stream.getTracks();
    const other = new RTCPeerConnection();
    const sender = other.addTrack(track, stream);
    const transceiver = other.addTransceiver('video');
    const channel = other.createDataChannel('identity');
    out.identity = {
      sender: other.getSenders().includes(sender) && sender instanceof RTCRtpSender,
      transceiver: other.getTransceivers().includes(transceiver) && transceiver instanceof RTCRtpTransceiver,
      channel: channel instanceof RTCDataChannel && channel.label,
      restartIce: describeValue(other.restartIce()),
      close: describeValue(other.close()),
    };
    out.addTrackNotTrack = await outcome(() => pc.addTrack('not a track'));
    out.addTrackTwice = await outcome(() => {
      pc.addTrack(track, stream);
      return pc.addTrack(track, stream);
    });
    out.addTransceiverBadKind = await outcome(() => pc.addTransceiver('bogus'));
    out.createDataChannelBadInit = await outcome(() => pc.createDataChannel('x', { maxRetransmits: 1, maxPacketLifeTime: 1 }));
    out.removeTrackNotSender = await outcome(() => pc.removeTrack({}));
    out.setConfigurationChange = await outcome(() => pc.setConfiguration({ bundlePolicy: 'max-compat' }));
    out.afterClose = await outcome(() => {
      pc.close();
      return pc.createDataChannel('late');
    });
    out.closeTwice = await outcome(() => pc.close());
    track.stop();
    return out;
  },

  /** No property is added to any page-visible object. */
  async ownProperties() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const [audio] = stream.getAudioTracks();
    const [video] = stream.getVideoTracks();
    const pc1 = new RTCPeerConnection();
    const pc2 = new RTCPeerConnection();
    const channel = pc1.createDataChannel('props');
    const sender = pc1.addTrack(audio, stream);
    const transceiver = pc1.addTransceiver(video, { streams: [stream] });
    const received = [];
    pc2.addEventListener('track', (e) => received.push(e));
    await pc1.setLocalDescription();
    await pc2.setRemoteDescription(pc1.localDescription);
    audio.enabled = false;
    await video.applyConstraints({ width: 160 });
    await sender.replaceTrack(audio);
    await sender.setParameters(sender.getParameters());
    transceiver.direction = 'sendonly';
    await navigator.mediaDevices.enumerateDevices();
    const objects = {
      window, document, navigator, mediaDevices: navigator.mediaDevices, pc1, pc2, channel, sender, transceiver,
      receiver: transceiver.receiver, audio, video, stream, localDescription: pc1.localDescription,
      remoteTrack: received[0].track, remoteStreams: received[0].streams[0], trackEvent: received[0],
      remoteTransceiver: received[0].transceiver,
    };
    const result = {};
    for (const [name, o] of Object.entries(objects)) {
      const forIn = [];
      for (const k in o) forIn.push(k);
      result[name] = { own: ownKeys(o), forIn: name === 'window' ? forIn.length : forIn.sort(), extensible: Object.isExtensible(o) };
    }
    for (const name of INTERFACES) {
      const ctor = window[name];
      if (typeof ctor === 'function') result[`${name} (constructor)`] = ownKeys(ctor);
    }
    result.json = [JSON.stringify(pc1), JSON.stringify(channel), JSON.stringify(audio)];
    pc1.close();
    pc2.close();
    for (const t of stream.getTracks()) t.stop();
    return result;
  },

  /** No on* handler of the page is overwritten, and the page's handlers are called. */
  async handlers() {
    const added = {};
    const nativeAdd = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (...args) {
      const key = `${this.constructor.name} ${args[0]}`;
      added[key] = (added[key] ?? 0) + 1;
      return nativeAdd.apply(this, args);
    };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const [track] = stream.getTracks();
      // max-bundle: one transport, so the candidates are the same in every run
      const pc1 = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      const pc2 = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      const names = ['onicecandidate', 'onicecandidateerror', 'ontrack', 'onsignalingstatechange', 'oniceconnectionstatechange',
        'onicegatheringstatechange', 'onconnectionstatechange', 'onnegotiationneeded', 'ondatachannel'];
      const initially = names.map((n) => [n, pc1[n], pc2[n]]);
      const seen = { candidates: [], nullCandidates: 0, signaling: [], connection: [], gathering: [], negotiationneeded: 0, tracks: [], channel: [], messages: [], unmuted: 0 };
      const trackHandlers = [track.onended, track.onmute, track.onunmute];
      pc1.onicecandidate = (e) => {
        if (!e.candidate) seen.nullCandidates++;
        else {
          seen.candidates.push(e.candidate.candidate.split(' ').slice(2, 3).concat(e.candidate.sdpMid).join(' '));
          pc2.addIceCandidate(e.candidate);
        }
      };
      pc2.onicecandidate = (e) => e.candidate && pc1.addIceCandidate(e.candidate);
      pc1.onsignalingstatechange = () => seen.signaling.push(pc1.signalingState);
      pc1.onconnectionstatechange = () => seen.connection.push(pc1.connectionState);
      pc1.onicegatheringstatechange = () => seen.gathering.push(pc1.iceGatheringState);
      let negotiationNeeded;
      const needed = new Promise((resolve) => {
        negotiationNeeded = resolve;
      });
      pc1.onnegotiationneeded = () => {
        seen.negotiationneeded++;
        negotiationNeeded();
      };
      let remoteTrack;
      pc2.ontrack = (e) => {
        seen.tracks.push(e.track.kind);
        remoteTrack = e.track;
        e.track.onunmute = () => seen.unmuted++;
      };
      const opened = new Promise((resolve) => {
        pc2.ondatachannel = (e) => {
          seen.channel.push(e.channel.label);
          e.channel.onmessage = (m) => {
            seen.messages.push(m.data);
            resolve();
          };
        };
      });
      const channel = pc1.createDataChannel('handlers');
      const channelHandlers = [channel.onopen, channel.onclose, channel.onerror, channel.onmessage];
      channel.onopen = () => channel.send('hello');
      const handlersBefore = [pc1.onicecandidate, pc1.onconnectionstatechange, pc2.ontrack];
      pc1.addTrack(track, stream);
      await needed;
      await pc1.setLocalDescription();
      await pc2.setRemoteDescription(pc1.localDescription);
      await pc2.setLocalDescription();
      await pc1.setRemoteDescription(pc2.localDescription);
      await opened;
      await until(pc1, 'connectionstatechange', () => pc1.connectionState === 'connected');
      await until(pc1, 'icegatheringstatechange', () => pc1.iceGatheringState === 'complete');
      await until(remoteTrack, 'unmute', () => seen.unmuted > 0);
      const handlersAfter = [pc1.onicecandidate, pc1.onconnectionstatechange, pc2.ontrack];
      const result = {
        initially,
        trackHandlers,
        channelHandlers,
        deviceChange: navigator.mediaDevices.ondevicechange,
        sameHandlers: handlersAfter.every((h, i) => h === handlersBefore[i]),
        seen,
        added,
      };
      pc1.close();
      pc2.close();
      track.stop();
      return result;
    } finally {
      EventTarget.prototype.addEventListener = nativeAdd;
    }
  },

  /** No behaviour forced on the page: no insertable streams, no extra tracks or contexts, parameters untouched. */
  async forcedBehaviour() {
    const counts = { AudioContext: 0, clone: 0 };
    const NativeAudioContext = window.AudioContext;
    window.AudioContext = new Proxy(NativeAudioContext, {
      construct(target, args, newTarget) {
        counts.AudioContext++;
        return Reflect.construct(target, args, newTarget);
      },
    });
    const nativeClone = MediaStreamTrack.prototype.clone;
    MediaStreamTrack.prototype.clone = function (...args) {
      counts.clone++;
      return nativeClone.apply(this, args);
    };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const pc1 = new RTCPeerConnection({ encodedInsertableStreams: true });
      const pc2 = new RTCPeerConnection({ encodedInsertableStreams: true });
      const senders = stream.getTracks().map((t) => pc1.addTrack(t, stream));
      const receivers = [];
      pc2.addEventListener('track', (e) => receivers.push(e.receiver));
      const parameters = senders[1].getParameters();
      await connect(pc1, pc2);
      // the parameters read before the call are still the ones setParameters accepts
      parameters.encodings[0].maxBitrate = 100000;
      const setParameters = await outcome(() => senders[1].setParameters(parameters));
      const encoded = [];
      for (const s of senders) {
        encoded.push([s.transform, await outcome(() => Object.keys(s.createEncodedStreams()).sort().join())]);
      }
      const encodedReceivers = [];
      for (const r of receivers) encodedReceivers.push([r.transform, await outcome(() => Object.keys(r.createEncodedStreams()).sort().join())]);
      const result = {
        setParameters,
        encoded,
        encodedReceivers,
        senders: pc1.getSenders().length,
        receivers: [pc1.getReceivers().length, pc2.getReceivers().length],
        transceivers: [pc1.getTransceivers().length, pc2.getTransceivers().length],
        tracks: stream.getTracks().length,
        counts,
      };
      pc1.close();
      pc2.close();
      for (const t of stream.getTracks()) t.stop();
      return result;
    } finally {
      window.AudioContext = NativeAudioContext;
      MediaStreamTrack.prototype.clone = nativeClone;
    }
  },

  /** A call whose getStats calls the page counts (the hook polls with the native method, unseen). */
  async statsStart() {
    const counter = { calls: 0 };
    const nativeGetStats = RTCPeerConnection.prototype.getStats;
    RTCPeerConnection.prototype.getStats = function (...args) {
      counter.calls++;
      return nativeGetStats.apply(this, args);
    };
    window.statsCounter = counter;
    const pc1 = new RTCPeerConnection();
    const pc2 = new RTCPeerConnection();
    pc1.createDataChannel('stats');
    window.statsPcs = [pc1, pc2];
    await connect(pc1, pc2);
    const reports = [await pc1.getStats(), await pc2.getStats()];
    return { counted: counter.calls, reports: reports.map((r) => r.size > 0) };
  },
  statsEnd() {
    for (const pc of window.statsPcs) pc.close();
    return window.statsCounter.calls;
  },

  /** A closed connection the page dropped is garbage collected; `window.gcState.collected` tells. */
  async gcStart() {
    window.gcState = { collected: false };
    window.gcClose = await droppableConnection();
    const keeper = new RTCPeerConnection();
    keeper.createDataChannel('kept');
    window.gcKeeper = keeper;
    return true;
  },
  gcClose() {
    window.gcClose();
    delete window.gcClose;
    return true;
  },

  /** The hook never throws into the page, never runs page code, and calls each original exactly once. */
  async hookBodies() {
    const counter = {};
    const bump = (k) => {
      counter[k] = (counter[k] ?? 0) + 1;
    };
    // page code the hook could run: getters, toJSON, toString of arguments
    const config = {
      get iceServers() { bump('config.iceServers'); return []; },
      get bundlePolicy() { bump('config.bundlePolicy'); return 'balanced'; },
      toJSON() { bump('config.toJSON'); return {}; },
    };
    const legacy = { get optional() { bump('legacy.optional'); return [{ rtcStatsClientId: 'getter' }]; }, toJSON() { bump('legacy.toJSON'); return {}; } };
    const pc = new RTCPeerConnection(config, legacy);
    const label = { toString() { bump('label.toString'); return 'label'; } };
    const channel = pc.createDataChannel(label, { get protocol() { bump('channel.protocol'); return 'p'; }, toJSON() { bump('channel.toJSON'); return {}; } });
    const options = { get offerToReceiveAudio() { bump('options.audio'); return true; }, toJSON() { bump('options.toJSON'); return {}; } };
    const offer = await pc.createOffer(options);
    await pc.setLocalDescription({
      get type() { bump('description.type'); return offer.type; },
      get sdp() { bump('description.sdp'); return offer.sdp; },
      toJSON() { bump('description.toJSON'); return {}; },
    });
    const stream = await navigator.mediaDevices.getUserMedia({
      get audio() { bump('constraints.audio'); return true; },
      get video() { bump('constraints.video'); return { get width() { bump('constraints.width'); return 320; } }; },
      toJSON() { bump('constraints.toJSON'); return {}; },
    });
    const [audio] = stream.getAudioTracks();
    const [video] = stream.getVideoTracks();
    await video.applyConstraints({ get width() { bump('apply.width'); return 160; }, toJSON() { bump('apply.toJSON'); return {}; } });
    const transceiver = pc.addTransceiver(video, { get direction() { bump('init.direction'); return 'sendonly'; }, toJSON() { bump('init.toJSON'); return {}; } });
    const vp8 = RTCRtpReceiver.getCapabilities('video').codecs.find((c) => c.mimeType === 'video/VP8');
    transceiver.setCodecPreferences([{ ...vp8, get mimeType() { bump('codec.mimeType'); return 'video/VP8'; }, toJSON() { bump('codec.toJSON'); return {}; } }]);
    pc.addTrack(audio, stream);
    pc.setConfiguration({ get iceServers() { bump('setConfiguration.iceServers'); return []; }, toJSON() { bump('setConfiguration.toJSON'); return {}; } });
    const candidate = await outcome(() => pc.addIceCandidate({ get candidate() { bump('candidate.candidate'); return ''; }, sdpMid: '0', toJSON() { bump('candidate.toJSON'); return {}; } }));

    // arguments that would trip a careless description: a revoked proxy, cycles, deep nesting
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const cyclic = { audio: true };
    cyclic.self = cyclic;
    let deep = {};
    for (let i = 0; i < 5000; i++) deep = { nested: deep };
    const hostile = {
      revokedConstructor: await outcome(() => new RTCPeerConnection(proxy)),
      revokedOffer: await outcome(() => pc.createOffer(proxy)),
      revokedChannel: await outcome(() => pc.createDataChannel('r', proxy)),
      revokedGetUserMedia: await outcome(() => navigator.mediaDevices.getUserMedia(proxy)),
      cyclicGetUserMedia: await outcome(() => navigator.mediaDevices.getUserMedia(cyclic).then((s) => s.getTracks().length)),
      deepOffer: await outcome(() => pc.createOffer(deep).then((o) => o.type)),
      symbolLabel: await outcome(() => pc.createDataChannel(Symbol('s'))),
      bigintOptions: await outcome(() => pc.createOffer({ offerToReceiveAudio: 10n }).then((o) => o.type)),
    };

    // each original is called exactly once: a second call would fail where the first succeeds
    const once = new RTCPeerConnection();
    const negotiated = [await outcome(() => once.createDataChannel('n', { negotiated: true, id: 5 })), await outcome(() => once.createDataChannel('n', { negotiated: true, id: 5 }))];
    const added = [await outcome(() => once.addTrack(audio, stream)), await outcome(() => once.addTrack(audio, stream))];
    once.addTransceiver('video');
    const versions = [];
    for (let i = 0; i < 3; i++) versions.push(/^o=\S+ \S+ (\d+)/m.exec((await once.createOffer()).sdp)[1]);
    await once.setLocalDescription();
    versions.push(/^o=\S+ \S+ (\d+)/m.exec(once.localDescription.sdp)[1]);
    const legacyCalls = await new Promise((resolve) => {
      let calls = 0;
      navigator.getUserMedia({ audio: true }, (s) => {
        calls++;
        s.getTracks().forEach((t) => t.stop());
        setTimeout(() => resolve(calls), 0);
      }, () => resolve(-1));
    });
    const exactlyOnce = { negotiated, added, transceivers: once.getTransceivers().length, versions, legacyCalls, channel: [channel.label, channel.protocol] };

    pc.close();
    once.close();
    for (const t of stream.getTracks()) t.stop();
    return { counter, candidate, hostile, exactlyOnce };
  },

  /** Built-ins the page patched see no calls from the hook, and broken ones do not break the page. */
  async patchedBuiltins() {
    const calls = {};
    const restore = [];
    const { apply, construct, defineProperty, getOwnPropertyDescriptor } = Reflect;
    const patch = (owner, key, label) => {
      const original = owner[key];
      if (typeof original !== 'function') return;
      const counted = function (...args) {
        calls[label] = (calls[label] ?? 0) + 1;
        return new.target ? construct(original, args, new.target) : apply(original, this, args);
      };
      defineProperty(owner, key, { ...getOwnPropertyDescriptor(owner, key), value: counted });
      restore.push(() => defineProperty(owner, key, { ...getOwnPropertyDescriptor(owner, key), value: original }));
    };
    const targets = [
      [WeakMap.prototype, ['get', 'set', 'has', 'delete'], 'WeakMap'],
      [WeakSet.prototype, ['add', 'has'], 'WeakSet'],
      [WeakRef.prototype, ['deref'], 'WeakRef'],
      [Map.prototype, ['get', 'set', 'forEach'], 'Map'],
      [Set.prototype, ['add', 'has'], 'Set'],
      [Promise.prototype, ['then', 'catch', 'finally'], 'Promise'],
      [Function.prototype, ['call', 'apply', 'bind'], 'Function'],
      [Reflect, ['apply', 'construct', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty', 'getPrototypeOf'], 'Reflect'],
      [Object, ['defineProperty', 'getOwnPropertyDescriptor', 'hasOwn', 'getPrototypeOf', 'create', 'assign'], 'Object'],
      [Array, ['isArray', 'from'], 'Array'],
      [Array.prototype, ['push', 'map', 'join', 'slice', 'splice', 'forEach', 'filter', 'concat', 'indexOf'], 'Array.prototype'],
      [String.prototype, ['split', 'slice', 'startsWith', 'indexOf', 'toString'], 'String.prototype'],
      [RegExp.prototype, ['exec', 'test'], 'RegExp.prototype'],
      [Number, ['isFinite'], 'Number'],
      [Math, ['min', 'max'], 'Math'],
      [Date, ['now'], 'Date'],
      [JSON, ['parse'], 'JSON'],
      [window, ['setTimeout', 'clearTimeout'], 'window'],
      [EventTarget.prototype, ['addEventListener', 'removeEventListener', 'dispatchEvent'], 'EventTarget'],
      [MessagePort.prototype, ['postMessage'], 'MessagePort'],
    ];
    // setters on Object.prototype run when code assigns a property an object does not have
    const setters = ['x', 'full', 'error', 'options', 'previous', 'settings', 'enabled', 'track', 'mid'];
    for (const key of setters) {
      Object.defineProperty(Object.prototype, key, {
        configurable: true,
        set(value) {
          calls[`set ${key}`] = (calls[`set ${key}`] ?? 0) + 1;
          defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
        },
      });
      restore.push(() => delete Object.prototype[key]);
    }
    const forget = () => {
      for (const key of Object.keys(calls)) delete calls[key];
    };
    let result;
    try {
      for (const [owner, keys, label] of targets) for (const key of keys) patch(owner, key, `${label}.${key}`);
      forget(); // count from here
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const [audio] = stream.getAudioTracks();
      const [video] = stream.getVideoTracks();
      await navigator.mediaDevices.enumerateDevices();
      const pc1 = new RTCPeerConnection({ iceServers: [] }, { optional: [{ rtcStatsClientId: 'patched' }] });
      const pc2 = new RTCPeerConnection();
      const channel = pc1.createDataChannel('patched', { protocol: 'p' });
      const sender = pc1.addTrack(audio, stream);
      const transceiver = pc1.addTransceiver(video, { direction: 'sendrecv', streams: [stream] });
      let remoteTrack = null;
      pc2.ontrack = (e) => {
        remoteTrack = e.track;
      };
      pc2.ondatachannel = () => {};
      await connect(pc1, pc2);
      await sender.replaceTrack(audio);
      await transceiver.sender.setParameters(transceiver.sender.getParameters());
      transceiver.direction = 'sendonly';
      audio.enabled = false;
      await video.applyConstraints({ width: 160 });
      await new Promise((resolve, reject) => pc1.createOffer(resolve, reject));
      channel.close();
      pc1.close();
      pc2.close();
      for (const t of stream.getTracks()) t.stop();
      result = { calls: { ...calls }, remoteTrack: remoteTrack !== null };
    } finally {
      for (let i = restore.length - 1; i >= 0; i--) restore[i]();
    }
    return result;
  },

  /** A connection made with a fresh about:blank iframe's constructor works, and one adopted through this realm's methods. */
  async iframeRealm() {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const Other = frame.contentWindow.RTCPeerConnection;
    const pc = new Other({ iceServers: [] });
    const channel = pc.createDataChannel('from-iframe');
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const adopted = new Other();
    adopted.createDataChannel('adopted');
    const adoptedOffer = await RTCPeerConnection.prototype.createOffer.call(adopted);
    const result = {
      sameConstructor: Other === RTCPeerConnection,
      instanceOfOuter: pc instanceof RTCPeerConnection,
      instanceOfInner: pc instanceof Other,
      protoIsInner: Object.getPrototypeOf(pc) === Other.prototype,
      offer: offer.type,
      state: pc.signalingState,
      adoptedOffer: adoptedOffer.type,
      label: channel.label,
      face: [Other.name, Other.length, Function.prototype.toString.call(Other), frame.contentWindow.Function.prototype.toString.call(Other)],
    };
    pc.close();
    adopted.close();
    return result;
  },

  /**
   * On channel.html: the page offers itself a port and dispatches the content script's ready event, posts
   * trace-shaped messages on window and on a port it offers as the hook would; none of it may reach the trace.
   */
  async channelProbe() {
    const probe = window.channelProbe;
    window.dispatchEvent(new Event('webrtc-lens:content-ready'));
    const injected = (m) => ({ v: 1, kind: 'trace', entries: [{ m, pc: null, v: 1, t: Date.now() }] });
    const delivered = new Promise((resolve) => window.addEventListener('message', resolve, { once: true }));
    window.postMessage(injected('injected-window'), '*');
    const { port1, port2 } = new MessageChannel();
    const taken = !window.dispatchEvent(new MessageEvent('webrtc-lens:hook-port', { ports: [port2], cancelable: true }));
    port1.postMessage(injected('injected-port'));
    // a real entry after the injected ones
    const pc = new RTCPeerConnection();
    pc.createDataChannel('after-injection');
    pc.close();
    await delivered;
    return { ...probe, taken };
  },
};

window.scenarios = scenarios;
