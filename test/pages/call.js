// A two-party call on one page: pc1 (caller) and pc2 (callee), both sending
// the fake camera and microphone. window.call reports progress to tests.
'use strict';

const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') ?? 20);

window.call = { state: 'idle', connectedAt: null, endedAt: null, candidates: { pc1: 0, pc2: 0 }, error: null };

function setStatus(state) {
  window.call.state = state;
  document.getElementById('status').textContent = state;
}

async function startCall() {
  setStatus('starting');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
  document.getElementById('local').srcObject = stream;
  // ?turn=1: a TURN server with credentials in the configuration (nothing listens there; host candidates connect)
  const iceServers = params.get('turn') ? [{ urls: 'turn:127.0.0.1:9?transport=udp', username: 'turn-user-7f3a', credential: 'turn-secret-9c2e' }] : [];
  const pc1 = new RTCPeerConnection({ iceServers });
  const pc2 = new RTCPeerConnection({ iceServers: [] });
  window.pcs = [pc1, pc2];
  const forward = (from, to, name) => {
    from.addEventListener('icecandidate', (e) => {
      if (!e.candidate) return;
      window.call.candidates[name]++;
      to.addIceCandidate(e.candidate).catch((err) => { window.call.error = String(err); });
    });
  };
  forward(pc1, pc2, 'pc1');
  forward(pc2, pc1, 'pc2');
  pc2.addEventListener('track', (e) => { document.getElementById('remote').srcObject = e.streams[0]; });
  for (const track of stream.getTracks()) {
    pc1.addTrack(track, stream);
    pc2.addTrack(track, stream);
  }
  const connected = new Promise((resolve) => {
    const check = () => {
      if (pc1.connectionState === 'connected' && pc2.connectionState === 'connected') resolve();
    };
    pc1.addEventListener('connectionstatechange', check);
    pc2.addEventListener('connectionstatechange', check);
  });
  const offer = await pc1.createOffer();
  await pc1.setLocalDescription(offer);
  await pc2.setRemoteDescription(offer);
  const answer = await pc2.createAnswer();
  await pc2.setLocalDescription(answer);
  await pc1.setRemoteDescription(answer);
  await connected;
  window.call.connectedAt = Date.now();
  setStatus('connected');
  // ?poll=1: the page polls getStats itself every second (what any stats client costs the page)
  if (params.get('poll')) {
    const timer = setInterval(() => window.pcs.forEach((pc) => pc.getStats()), 1000);
    window.pcs[0].addEventListener('connectionstatechange', () => clearInterval(timer));
  }
  setTimeout(() => hangUp(stream), seconds * 1000);
}

function hangUp(stream) {
  for (const pc of window.pcs) pc.close();
  for (const track of stream.getTracks()) track.stop();
  window.call.endedAt = Date.now();
  setStatus('ended');
}

if (params.get('autostart') !== '0') {
  startCall().catch((err) => {
    window.call.error = String(err);
    setStatus('failed');
  });
}
