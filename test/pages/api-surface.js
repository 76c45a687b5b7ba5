// Exercises every API the page hook records, on two connections of one page
// connected to each other. What the page itself observes is kept in
// window.surface, for the test to compare with the stored trace.
/* global CustomEvent, Event, RTCRtpReceiver */
'use strict';

const params = new URLSearchParams(location.search);
const stunPort = Number(params.get('stun'));
const seen = (window.surface = { state: 'idle', error: null, trackEvents: [], channelEvents: [], candidateErrors: [] });

function setState(state) {
  seen.state = state;
  document.getElementById('status').textContent = state;
}

const name = (track) => `${track.kind}:${track.id}`;
const errorOf = (e) => ({ name: e.name, message: e.message, constraint: e.constraint });
const copy = (value) => JSON.parse(JSON.stringify(value));

/** Resolves with the first `type` event of `target` for which `test` holds (checked now, too, with no event). */
function until(target, type, test) {
  return new Promise((resolve) => {
    if (test(null)) return resolve();
    const listener = (e) => {
      if (test(e)) {
        target.removeEventListener(type, listener);
        resolve();
      }
    };
    target.addEventListener(type, listener);
  });
}

// Conditions on what the page has seen, checked again whenever it sees more.
const waiting = [];
function when(test) {
  return new Promise((resolve) => {
    if (test()) resolve();
    else waiting.push({ test, resolve });
  });
}
function saw() {
  for (const w of [...waiting]) {
    if (w.test()) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  }
}

function watchTrack(track) {
  for (const type of ['ended', 'mute', 'unmute']) {
    track.addEventListener(type, () => {
      seen.trackEvents.push([type, name(track)]);
      saw();
    });
  }
}

function watchChannel(side, channel) {
  for (const type of ['open', 'close', 'error']) {
    channel.addEventListener(type, (e) => {
      seen.channelEvents.push([side, type, { id: channel.id, label: channel.label, protocol: channel.protocol }, e.error ? `${e.error.name}: ${e.error.message}` : null]);
      saw();
    });
  }
}

const remoteEvents = (type) => seen.trackEvents.filter(([t, n]) => t === type && seen.remoteTracks.includes(n)).length;

async function negotiate(pc1, pc2) {
  await pc1.setLocalDescription();
  await pc2.setRemoteDescription(pc1.localDescription);
  await pc2.setLocalDescription();
  await pc1.setRemoteDescription(pc2.localDescription);
}

function legacyGetUserMedia(fn, constraints) {
  return new Promise((resolve, reject) => fn.call(navigator, constraints, resolve, reject));
}

async function run() {
  // Before any other WebRTC use: the hook keeps these until the page uses WebRTC.
  window.dispatchEvent(new CustomEvent('webrtc-lens:identity', { detail: { conferenceId: 'room-9', userId: 'user-3', nested: { no: 1 } } }));
  const devices = await navigator.mediaDevices.enumerateDevices();
  seen.devices = {};
  for (const d of devices) seen.devices[d.kind] = (seen.devices[d.kind] ?? 0) + 1;

  const screen = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: 5 } });
  const screenTrack = screen.getVideoTracks()[0];
  seen.screen = name(screenTrack);
  const cam = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  const [camAudio] = cam.getAudioTracks();
  const [camVideo] = cam.getVideoTracks();
  seen.cam = cam.getTracks().map((t) => [t.kind, t.id, t.label]);
  try {
    await navigator.mediaDevices.getUserMedia({ video: { width: { exact: 99999 } } });
  } catch (e) {
    seen.gumError = errorOf(e);
  }
  const legacyAudio = await legacyGetUserMedia(navigator.getUserMedia, { audio: true });
  seen.legacy = legacyAudio.getTracks().map(name);
  const prefixedVideo = await legacyGetUserMedia(navigator.webkitGetUserMedia, { video: true });
  seen.prefixed = prefixedVideo.getTracks().map(name);
  try {
    await legacyGetUserMedia(navigator.getUserMedia, { video: { width: { exact: 99999 } } });
  } catch (e) {
    seen.legacyError = errorOf(e);
  }
  for (const track of [screenTrack, ...cam.getTracks(), ...legacyAudio.getTracks(), ...prefixedVideo.getTracks()]) watchTrack(track);
  // the fake devices never change: the page announces a change itself
  navigator.mediaDevices.dispatchEvent(new Event('devicechange'));

  const pc1 = new RTCPeerConnection({ iceServers: [{ urls: `stun:127.0.0.1:${stunPort}` }] });
  const pc2 = new RTCPeerConnection();
  window.pcs = [pc1, pc2];
  pc1.addEventListener('icecandidateerror', (e) => {
    seen.candidateErrors.push({ address: e.address, port: e.port, url: e.url, errorCode: e.errorCode, errorText: e.errorText });
  });
  for (const [from, to] of [[pc1, pc2], [pc2, pc1]]) {
    from.addEventListener('icecandidate', (e) => {
      if (e.candidate) to.addIceCandidate(e.candidate).catch((err) => { seen.error = String(err); });
    });
  }
  seen.remoteTracks = [];
  pc2.addEventListener('track', (e) => {
    seen.remoteTracks.push(name(e.track));
    watchTrack(e.track);
    saw();
  });

  const chat = pc1.createDataChannel('chat', { protocol: 'lens-proto', ordered: false });
  watchChannel('pc1', chat);
  const doomed = pc1.createDataChannel('doomed');
  watchChannel('pc1', doomed);
  const remoteChannels = {};
  pc2.addEventListener('datachannel', (e) => {
    watchChannel('pc2', e.channel);
    remoteChannels[e.channel.label] = e.channel;
    saw();
  });

  const audioSender = pc1.addTrack(camAudio, cam);
  const video = pc1.addTransceiver(camVideo, { direction: 'sendrecv', streams: [cam] });
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/VP8' || c.mimeType === 'video/rtx');
  video.setCodecPreferences(codecs);
  seen.codecs = copy(codecs);
  try {
    video.setCodecPreferences([{ mimeType: 'video/x-none', clockRate: 90000 }]);
  } catch (e) {
    seen.codecError = errorOf(e);
  }
  seen.hasAddStream = typeof pc1.addStream === 'function';
  seen.legacyStream = legacyAudio.id;
  if (seen.hasAddStream) pc1.addStream(legacyAudio);
  const spare = pc1.addTransceiver('audio', { direction: 'recvonly' });

  await negotiate(pc1, pc2);
  const connected = (pc) => until(pc, 'connectionstatechange', () => pc.connectionState === 'connected');
  await Promise.all([connected(pc1), connected(pc2)]);
  const opened = (side, label) => seen.channelEvents.some(([s, type, c]) => s === side && type === 'open' && c.label === label);
  await when(() => ['chat', 'doomed'].every((label) => opened('pc1', label) && opened('pc2', label)));
  chat.send('a message whose content must never be recorded');
  seen.mids = { audio: pc1.getTransceivers()[0].mid, video: video.mid, spare: spare.mid };
  // remote tracks unmute once media flows
  await when(() => seen.remoteTracks.length === 3 && remoteEvents('unmute') === 3);

  seen.replaced = { from: name(camVideo), to: seen.screen };
  await video.sender.replaceTrack(screenTrack);
  try {
    await audioSender.replaceTrack(camVideo);
  } catch (e) {
    seen.replaceError = errorOf(e);
  }

  const parameters = video.sender.getParameters();
  parameters.encodings[0].maxBitrate = 250000;
  parameters.encodings[0].scaleResolutionDownBy = 2;
  await video.sender.setParameters(parameters);
  seen.parameters = copy(parameters);
  try {
    await video.sender.setParameters(parameters); // the transaction was used
  } catch (e) {
    seen.parametersError = errorOf(e);
  }

  camAudio.enabled = false;
  camAudio.enabled = false; // no change
  await camVideo.applyConstraints({ width: 160, height: 120 });
  seen.appliedSettings = copy(camVideo.getSettings());
  try {
    await camVideo.applyConstraints({ width: { exact: 99999 } });
  } catch (e) {
    seen.constraintsError = errorOf(e);
  }

  video.direction = 'recvonly';
  video.direction = 'recvonly'; // no change
  spare.stop();
  pc1.restartIce();
  await negotiate(pc1, pc2);
  // pc1 no longer sends video: the remote video track mutes
  await when(() => remoteEvents('mute') === 1);

  pc1.setConfiguration({ iceServers: [{ urls: 'turn:turn.example.org:3478', username: 'alice', credential: 's3cret' }] });
  try {
    pc1.setConfiguration({ bundlePolicy: 'max-compat' });
  } catch (e) {
    seen.configurationError = errorOf(e);
  }

  const closed = (side, label) => seen.channelEvents.some(([s, type, c]) => s === side && type === 'close' && c.label === label);
  chat.close();
  await when(() => closed('pc1', 'chat') && closed('pc2', 'chat'));
  if (seen.hasAddStream) pc1.removeStream(legacyAudio);

  // pc2 goes first: pc1's open channel 'doomed' is closed from the far end
  pc2.close();
  await when(() => remoteEvents('ended') === 3 && closed('pc1', 'doomed'));
  pc1.close();
  for (const track of [screenTrack, ...cam.getTracks(), ...legacyAudio.getTracks(), ...prefixedVideo.getTracks()]) track.stop();
  seen.stopped = [screenTrack, ...cam.getTracks(), ...legacyAudio.getTracks(), ...prefixedVideo.getTracks()].map(name);
}

document.getElementById('start').addEventListener('click', () => {
  setState('running');
  run().then(
    () => setState('done'),
    (e) => {
      seen.error = String((e && e.stack) || e);
      setState('failed');
    },
  );
});
