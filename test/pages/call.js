// A two-party call on one page: pc1 (caller) and pc2 (callee), both sending
// the fake camera and microphone. window.call reports progress to tests.
'use strict';

const params = new URLSearchParams(location.search);
const seconds = Number(params.get('seconds') ?? 20);

window.call = { state: 'idle', createdAt: null, connectedAt: null, failedAt: null, endedAt: null, candidates: { pc1: 0, pc2: 0 }, error: null };

function setStatus(state) {
  window.call.state = state;
  document.getElementById('status').textContent = state;
}

async function startCall() {
  setStatus('starting');
  // ?video=WxH: the camera's size (default 640x480)
  const [width, height] = (params.get('video') ?? '640x480').split('x').map(Number);
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width, height } });
  document.getElementById('local').srcObject = stream;
  // ?turn=1: a TURN server with credentials in the configuration (nothing listens there; host candidates connect);
  // ?turn=<host:port>: that TURN server (same credentials)
  const turn = params.get('turn');
  const iceServers = turn ? [{ urls: `turn:${turn === '1' ? '127.0.0.1:9' : turn}?transport=udp`, username: 'turn-user-7f3a', credential: 'turn-secret-9c2e' }] : [];
  // ?policy=relay: the caller uses relayed candidates only
  const pc1 = new RTCPeerConnection(params.get('policy') ? { iceServers, iceTransportPolicy: params.get('policy') } : { iceServers });
  const pc2 = new RTCPeerConnection({ iceServers: [] });
  window.pcs = [pc1, pc2];
  window.call.createdAt = Date.now();
  // ?relay=1: candidates go through the test's UDP relay (test/support/udp-relay.ts), which
  // rewrites each to one of its own sockets; the ones it does not carry are not passed on.
  const relayed = async (candidate) => {
    if (!params.get('relay')) return candidate;
    const response = await fetch(`/relay/candidate?c=${encodeURIComponent(candidate.candidate)}`);
    if (!response.ok) throw new Error(`relay: ${await response.text()}`);
    const rewritten = (await response.json()).candidate;
    return rewritten && { candidate: rewritten, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
  };
  const forward = (from, to, name) => {
    from.addEventListener('icecandidate', (e) => {
      if (!e.candidate) return;
      window.call.candidates[name]++;
      relayed(e.candidate)
        .then((candidate) => candidate && to.addIceCandidate(candidate))
        .catch((err) => { window.call.error = String(err); });
    });
  };
  forward(pc1, pc2, 'pc1');
  forward(pc2, pc1, 'pc2');
  pc2.addEventListener('track', (e) => { document.getElementById('remote').srcObject = e.streams[0]; });
  for (const track of stream.getTracks()) {
    pc1.addTrack(track, stream);
    pc2.addTrack(track, stream);
  }
  const connected = new Promise((resolve, reject) => {
    const check = () => {
      if (pc1.connectionState === 'connected' && pc2.connectionState === 'connected') resolve();
      if (pc1.connectionState === 'failed' || pc2.connectionState === 'failed') reject(new Error('connection failed'));
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
  try {
    await connected;
  } catch (err) {
    window.call.failedAt = Date.now();
    hangUp(stream);
    throw err;
  }
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
  if (!window.call.failedAt) setStatus('ended');
}

if (params.get('autostart') !== '0') {
  startCall().catch((err) => {
    window.call.error = String(err);
    setStatus('failed');
  });
}
