// A call on top of adapter.js (see adapter.html); returns what the page observes.
/* global RTCIceCandidate, MediaStreamTrack */
'use strict';

window.adapterCall = async function adapterCall() {
  const { adapter, before, after } = window;
  const proto = RTCPeerConnection.prototype;
  const shimmed = Object.keys(before.proto)
    .filter((key) => {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      return d && (d.value || d.get || d.set) !== before.proto[key];
    })
    .sort();
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
  // max-bundle: one transport, so the candidates are the same in every run
  const pc1 = new before.RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  const pc2 = new after.RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  const seen = { candidates: { pc1: 0, pc2: 0 }, candidateIsShimmed: [], tracks: [], states: [], message: null };
  pc1.onicecandidate = (e) => {
    if (!e.candidate) return;
    seen.candidates.pc1++;
    seen.candidateIsShimmed.push(e.candidate instanceof RTCIceCandidate);
    pc2.addIceCandidate(e.candidate);
  };
  pc2.addEventListener('icecandidate', (e) => {
    if (!e.candidate) return;
    seen.candidates.pc2++;
    pc1.addIceCandidate(e.candidate);
  });
  pc1.onconnectionstatechange = () => seen.states.push(pc1.connectionState);
  const tracks = new Promise((resolve) => {
    pc2.ontrack = (e) => {
      seen.tracks.push([e.track.kind, e.streams.length, e.track instanceof MediaStreamTrack]);
      if (seen.tracks.length === 2) resolve();
    };
  });
  const message = new Promise((resolve) => {
    pc2.ondatachannel = (e) => {
      e.channel.onmessage = (m) => resolve(m.data);
    };
  });
  const channel = pc1.createDataChannel('adapter');
  channel.onopen = () => channel.send('through adapter');
  for (const track of stream.getTracks()) pc1.addTrack(track, stream);
  const offer = await new Promise((resolve, reject) => pc1.createOffer(resolve, reject)); // legacy form, shimmed or not
  await pc1.setLocalDescription(offer);
  await pc2.setRemoteDescription(offer);
  const answer = await pc2.createAnswer();
  await pc2.setLocalDescription(answer);
  await pc1.setRemoteDescription(answer);
  await tracks;
  seen.message = await message;
  const until = (pc, type, test) => new Promise((resolve) => (test() ? resolve() : pc.addEventListener(type, () => test() && resolve())));
  await until(pc1, 'connectionstatechange', () => pc1.connectionState === 'connected');
  // every candidate gathered, so that the counts do not depend on timing
  await Promise.all([pc1, pc2].map((pc) => until(pc, 'icegatheringstatechange', () => pc.iceGatheringState === 'complete')));
  const stats = await pc1.getStats();
  const senders = pc1.getSenders();
  const result = {
    adapter: [typeof adapter, adapter.browserDetails.browser, typeof adapter.browserDetails.version],
    constructors: [before.RTCPeerConnection === after.RTCPeerConnection, after.RTCPeerConnection === window.RTCPeerConnection, before.RTCIceCandidate === window.RTCIceCandidate],
    shimmed,
    toString: Function.prototype.toString.call(window.RTCPeerConnection),
    offer: offer.type,
    seen,
    dtmf: senders.map((s) => s.track.kind === 'audio' ? typeof s.dtmf : 'video'),
    stats: [...stats.values()].some((r) => r.type === 'transport'),
    maxMessageSize: typeof pc1.sctp?.maxMessageSize,
    signaling: [pc1.signalingState, pc2.signalingState],
  };
  pc1.close();
  pc2.close();
  for (const t of stream.getTracks()) t.stop();
  return result;
};
