// A call whose strings carry markup: if an extension page renders any of them
// as HTML, an <img> or <script> element appears there and alert() fires.
'use strict';

const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
window.HOSTILE = HOSTILE;
window.call = { state: 'idle' };

async function start() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const pc1 = new RTCPeerConnection();
  const pc2 = new RTCPeerConnection();
  window.pcs = [pc1, pc2];
  pc1.addEventListener('icecandidate', (e) => e.candidate && pc2.addIceCandidate(e.candidate));
  pc2.addEventListener('icecandidate', (e) => e.candidate && pc1.addIceCandidate(e.candidate));
  pc1.createDataChannel(HOSTILE);
  for (const track of stream.getTracks()) pc1.addTrack(track, stream);
  const offer = await pc1.createOffer();
  // an unknown session-level attribute: browsers ignore it, but it is in the recorded SDP
  const munged = offer.sdp.replace(/\r\nt=0 0\r\n/, `\r\nt=0 0\r\na=x-note:${HOSTILE}\r\n`);
  await pc1.setLocalDescription({ type: 'offer', sdp: munged });
  await pc2.setRemoteDescription({ type: 'offer', sdp: munged });
  const answer = await pc2.createAnswer();
  await pc2.setLocalDescription(answer);
  await pc1.setRemoteDescription(answer);
  window.call.state = 'started';
  document.getElementById('status').textContent = 'started';
}

start().catch((err) => {
  window.call.state = 'failed';
  window.call.error = String(err);
});
