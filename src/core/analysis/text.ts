// One human sentence per observation, from its evidence.

import type { Observation } from './types';

const s = (ms: unknown): string => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '?');
const n = (x: unknown, digits = 0): string => (typeof x === 'number' ? x.toFixed(digits) : String(x));

export function describe(o: Omit<Observation, 'text'>): string {
  const e = o.evidence;
  const on = o.pcId ? ` on ${o.pcId}` : '';
  const track = o.trackId ? ` (${String(e.kind ?? 'track')} ${o.trackId})` : e.kind ? ` (${String(e.kind)})` : '';
  const dir = e.direction === 'outbound' ? 'Outgoing' : 'Incoming';
  switch (o.type) {
    case 'connection-failed':
      return `The connection${on} failed (the trace does not show whether it had connected before).`;
    case 'setup-failed':
      return `The connection${on} failed ${s(e.afterMs)} after it was created, without ever connecting.`;
    case 'connection-dropped':
      return `The connection${on} failed after having been connected for ${s(e.connectedForMs)}.`;
    case 'slow-connect':
      return `The connection${on} was connecting for ${s(e.connectingForMs)} (more than 5 s).`;
    case 'ice-disconnected':
      return e.recovered
        ? `The connection${on} was interrupted for ${s(e.durationMs)} and recovered.`
        : `The connection${on} has been interrupted for ${s(e.durationMs)}.`;
    case 'high-rtt':
      return `Round-trip time${on} was high: ${n(e.rttMs)} ms (worst ${n(e.maxRttMs)} ms, ${String(e.source)}).`;
    case 'high-loss':
      return `${dir} packet loss${on}${track} was high: ${n(e.lossPct, 1)} % (worst ${n(e.maxLossPct, 1)} %).`;
    case 'high-jitter':
      return `Incoming jitter${on}${track} was high: ${n(e.jitterMs)} ms (worst ${n(e.maxJitterMs)} ms).`;
    case 'cpu-limited-video':
      return `Outgoing video${on} was limited by the CPU (${n(e.cpuSharePct)} % of the time so far; encoding ${n(e.encodeMsPerFrame, 1)} ms per frame).`;
    case 'bandwidth-limited-video':
      return `Outgoing video${on} was limited by bandwidth (${n(e.bandwidthSharePct)} % of the time so far; available ${n(e.availableOutgoingKbps)} kbit/s).`;
    case 'frozen-video':
      return `Incoming video${on}${track} froze: ${n(e.freezePct)} % of the time in ${n(e.freezes)} freezes (mean ${n(e.meanFreezeMs)} ms).`;
    case 'long-video-pause':
      return `Incoming video${on}${track} was paused for ${s(e.totalPausesMs)} in total (${n(e.pauses)} pauses).`;
    case 'stuck-decoder':
      return `Incoming video${on}${track} arrives (${n(e.kbps)} kbit/s) but no frame is decoded.`;
    case 'dry-track':
      return `${dir} ${String(e.kind ?? 'media')}${on}${o.trackId ? ` (${o.trackId})` : ''} carried no data for ${s(e.dryForMs)} although the track is live.`;
    case 'silent-microphone':
      return `The microphone${o.trackId ? ` (${o.trackId})` : ''} captured silence (RMS ${n(e.rms, 4)}) for ${s(e.silentForMs)} while live and unmuted.`;
    case 'audio-concealment':
      return `Incoming audio${on}${track} was concealed (audible) ${n(e.concealedPct, 1)} % of the time over 15 s.`;
    case 'jitter-buffer-stress':
      return `Incoming audio${on}${track}: the jitter buffer targets ${n(e.targetDelayMs)} ms and stretches time ${n(e.timeStretchPct, 1)} %.`;
    case 'slow-stun-turn':
      return `The first ${String(e.candidateType)} candidate${on} came ${s(e.afterMs)} after gathering started (STUN/TURN server slow).`;
    case 'relay-only-policy':
      return `The connection${on} is configured to use only TURN relays (iceTransportPolicy "relay").`;
    case 'turn-used':
      return `Media${on} goes through a TURN relay (${String(e.relayProtocol)}).`;
    case 'turn-over-tcp-tls':
      return `Media${on} is relayed over TURN/${String(e.relayProtocol).toUpperCase()}, which adds delay and suffers from head-of-line blocking.`;
    case 'ice-over-tcp':
      return `Media${on} goes over ICE-TCP.`;
    case 'ice-candidate-error':
      return `An ICE server${on} returned an error: ${String(e.errorCode)} ${String(e.errorText)} (${String(e.url)}).`;
    case 'echo-cancellation-off':
      return 'getUserMedia asked for audio with echo cancellation turned off.';
    case 'getusermedia-failed':
      return `getUserMedia failed: ${String(e.error)}.`;
    case 'getdisplaymedia-failed':
      return `getDisplayMedia failed: ${String(e.error)}.`;
    case 'negotiation-failed':
      return `${String(e.method)}${on} failed: ${String(e.error)}.`;
    case 'munged-sdp':
      return `The page changed the ${String(e.descriptionType)} SDP${on} before setLocalDescription.`;
    case 'stats-gap':
      return `No getStats sample${on} for ${s(e.gapMs)} (usual interval ${s(e.intervalMs)}).`;
    default:
      return `${o.type}${on}.`;
  }
}
