// A synthetic call for the analysis tests: one connection with incoming and
// outgoing audio and video whose conditions (loss, RTT, jitter, freezes,
// limitations, flows...) are set second by second, turned into Chrome-like
// cumulative getStats samples.

import type { SessionDump } from '../../../src/core/dump';
import type { SessionRecord } from '../../../src/core/session';
import type { StatsSample } from '../../../src/core/stats-delta';
import type { StoredEvent } from '../../../src/core/trace';

export interface Knobs {
  /** incoming loss, % of the packets */
  lossPct: number;
  /** outgoing loss the far end reports (fractionLost), % */
  remoteLossPct: number;
  /** RTCP round-trip time, ms */
  rttMs: number;
  /** STUN round-trip time, ms */
  stunRttMs: number;
  jitterMs: number;
  /** audible concealment of incoming audio, % of the samples */
  concealPct: number;
  jbTargetMs: number;
  /** (inserted + removed) samples, % */
  stretchPct: number;
  /** share of the second the incoming video was frozen, 0..1 (one freeze) */
  freezeShare: number;
  /** seconds of video pause that ended this second */
  pauseS: number;
  decoding: boolean;
  inAudio: boolean;
  inVideo: boolean;
  outAudio: boolean;
  outVideo: boolean;
  micRms: number;
  qualityLimitationReason: 'none' | 'cpu' | 'bandwidth' | 'other';
  availableKbps: number;
  encodeMsPerFrame: number;
  /** frames per second of the incoming and the outgoing video */
  fps: number;
  /** when the sample is taken, ms after the previous one */
  stepMs: number;
  /** bytes received this step outside RTP (STUN consent checks, RTCP): on the transport and pair only */
  linkBytes: number;
}

export const CLEAN: Knobs = {
  lossPct: 0, remoteLossPct: 0, rttMs: 40, stunRttMs: 38, jitterMs: 5, concealPct: 0, jbTargetMs: 40, stretchPct: 0,
  freezeShare: 0, pauseS: 0, decoding: true, inAudio: true, inVideo: true, outAudio: true, outVideo: true, micRms: 0.05,
  qualityLimitationReason: 'none', availableKbps: 2500, encodeMsPerFrame: 4, fps: 30, stepMs: 1000, linkBytes: 0,
};

export const START = 1_700_000_000_000;
export const PC = 'PC_0';

export function sessionRecord(): SessionRecord {
  return {
    id: 's1', tabId: 1, url: 'https://example.com/call', origin: 'https://example.com', title: 'Call', startTime: START, endTime: null,
    userAgent: 'UA', extensionVersion: '0.1.0', frames: [], connections: [{ id: PC, frame: 0, createdAt: START, closedAt: null, configuration: {} }],
    tags: {}, eventCount: 0, statsCount: 0, lastEventTime: 0, bytes: 0, rawBytes: 0,
  };
}

let seq = 0;
export const ev = (t: number, pc: string | null, method: string, value: unknown = null): StoredEvent =>
  ({ sessionId: 's1', frame: 0, seq: ++seq, t: START + t, method, pc, value });

/** Connection setup: created at 0, connected at 500 ms. */
export function setupEvents(): StoredEvent[] {
  return [
    ev(0, PC, 'create', {}),
    ev(100, PC, 'onconnectionstatechange', 'connecting'),
    ev(500, PC, 'onconnectionstatechange', 'connected'),
  ];
}

/**
 * getStats events (complete samples) from 1 s on, one per step, the knobs of
 * step i given by `at(i)` (from CLEAN). Counters are cumulative as in a browser.
 */
export function statsEvents(steps: number, at: (i: number) => Partial<Knobs>, startMs = 1000): StoredEvent[] {
  const c = {
    inA: { packets: 0, lost: 0, bytes: 0, samples: 0, concealed: 0, silent: 0, jbDelay: 0, jbTarget: 0, emitted: 0, stretch: 0 },
    inV: { packets: 0, lost: 0, bytes: 0, frames: 0, decoded: 0, dropped: 0, freezes: 0, freezeS: 0, pauses: 0, pauseS: 0 },
    outA: { packets: 0, bytes: 0 },
    outV: { packets: 0, bytes: 0, frames: 0, encodeS: 0, ql: { none: 0, cpu: 0, bandwidth: 0, other: 0 } as Record<string, number> },
    rtt: { total: 0, n: 0 },
    mic: { energy: 0, duration: 0 },
    linkBytes: 0,
  };
  const out: StoredEvent[] = [];
  let t = startMs;
  for (let i = 0; i < steps; i++) {
    const k = { ...CLEAN, ...at(i) };
    const s = k.stepMs / 1000;
    t += i === 0 ? 0 : k.stepMs;
    if (k.inAudio) {
      const expected = 50 * s;
      const lost = Math.round((expected * k.lossPct) / 100);
      c.inA.packets += expected - lost;
      c.inA.lost += lost;
      c.inA.bytes += (expected - lost) * 100;
      const samples = 48_000 * s;
      c.inA.samples += samples;
      c.inA.concealed += (samples * k.concealPct) / 100;
      c.inA.stretch += (samples * k.stretchPct) / 100;
      c.inA.emitted += samples;
      c.inA.jbDelay += (samples * 60) / 1000;
      c.inA.jbTarget += (samples * k.jbTargetMs) / 1000;
    }
    if (k.inVideo) {
      const expected = 100 * s;
      const lost = Math.round((expected * k.lossPct) / 100);
      c.inV.packets += expected - lost;
      c.inV.lost += lost;
      c.inV.bytes += (expected - lost) * 1000;
      c.inV.frames += k.fps * s;
      if (k.decoding) c.inV.decoded += k.fps * s;
      if (k.freezeShare > 0) {
        c.inV.freezes += 1;
        c.inV.freezeS += k.freezeShare * s;
      }
      if (k.pauseS > 0) {
        c.inV.pauses += 1;
        c.inV.pauseS += k.pauseS;
      }
    }
    if (k.outAudio) {
      c.outA.packets += 50 * s;
      c.outA.bytes += 50 * s * 100;
    }
    if (k.outVideo) {
      c.outV.packets += 100 * s;
      c.outV.bytes += 100 * s * 1000;
      c.outV.frames += k.fps * s;
      c.outV.encodeS += (k.fps * s * k.encodeMsPerFrame) / 1000;
    }
    c.outV.ql[k.qualityLimitationReason] = (c.outV.ql[k.qualityLimitationReason] ?? 0) + s;
    c.rtt.total += (k.rttMs / 1000) * 2;
    c.rtt.n += 2;
    c.mic.energy += k.micRms * k.micRms * s;
    c.mic.duration += s;
    c.linkBytes += k.linkBytes;
    const received = c.inA.bytes + c.inV.bytes + c.linkBytes;

    const ts = START + t;
    const sample: StatsSample = {
      T: { type: 'transport', timestamp: ts, selectedCandidatePairId: 'CP', bytesSent: c.outA.bytes + c.outV.bytes, bytesReceived: received },
      CP: {
        type: 'candidate-pair', timestamp: ts, localCandidateId: 'L', remoteCandidateId: 'R', state: 'succeeded', nominated: true,
        currentRoundTripTime: k.stunRttMs / 1000, responsesReceived: i + 1, availableOutgoingBitrate: k.availableKbps * 1000,
        bytesReceived: received, bytesSent: c.outA.bytes + c.outV.bytes,
      },
      L: { type: 'local-candidate', timestamp: ts, candidateType: 'host', protocol: 'udp' },
      R: { type: 'remote-candidate', timestamp: ts, candidateType: 'host', protocol: 'udp' },
      CA: { type: 'codec', timestamp: ts, mimeType: 'audio/opus', payloadType: 111 },
      IA: {
        type: 'inbound-rtp', kind: 'audio', timestamp: ts, trackIdentifier: 'remote-audio', codecId: 'CA', ssrc: 1,
        packetsReceived: c.inA.packets, packetsLost: c.inA.lost, bytesReceived: c.inA.bytes, jitter: k.jitterMs / 1000,
        totalSamplesReceived: c.inA.samples, concealedSamples: c.inA.concealed, silentConcealedSamples: c.inA.silent,
        insertedSamplesForDeceleration: c.inA.stretch, removedSamplesForAcceleration: 0,
        jitterBufferDelay: c.inA.jbDelay, jitterBufferTargetDelay: c.inA.jbTarget, jitterBufferEmittedCount: c.inA.emitted,
      },
      IV: {
        type: 'inbound-rtp', kind: 'video', timestamp: ts, trackIdentifier: 'remote-video', ssrc: 2,
        packetsReceived: c.inV.packets, packetsLost: c.inV.lost, bytesReceived: c.inV.bytes, jitter: k.jitterMs / 1000,
        framesReceived: c.inV.frames, framesDecoded: c.inV.decoded, framesDropped: c.inV.dropped,
        freezeCount: c.inV.freezes, totalFreezesDuration: c.inV.freezeS, pauseCount: c.inV.pauses, totalPausesDuration: c.inV.pauseS,
      },
      SA: { type: 'media-source', kind: 'audio', timestamp: ts, trackIdentifier: 'mic', totalAudioEnergy: c.mic.energy, totalSamplesDuration: c.mic.duration },
      SV: { type: 'media-source', kind: 'video', timestamp: ts, trackIdentifier: 'cam' },
      OA: { type: 'outbound-rtp', kind: 'audio', timestamp: ts, mediaSourceId: 'SA', ssrc: 3, packetsSent: c.outA.packets, bytesSent: c.outA.bytes },
      OV: {
        type: 'outbound-rtp', kind: 'video', timestamp: ts, mediaSourceId: 'SV', ssrc: 4, packetsSent: c.outV.packets, bytesSent: c.outV.bytes,
        framesEncoded: c.outV.frames, totalEncodeTime: c.outV.encodeS, framesPerSecond: k.fps, targetBitrate: 800_000,
        qualityLimitationReason: k.qualityLimitationReason, qualityLimitationDurations: { ...c.outV.ql },
      },
      RA: { type: 'remote-inbound-rtp', kind: 'audio', timestamp: ts, localId: 'OA', ssrc: 3, fractionLost: k.remoteLossPct / 100, totalRoundTripTime: c.rtt.total / 2, roundTripTimeMeasurements: c.rtt.n / 2 },
      RV: { type: 'remote-inbound-rtp', kind: 'video', timestamp: ts, localId: 'OV', ssrc: 4, fractionLost: k.remoteLossPct / 100, totalRoundTripTime: c.rtt.total / 2, roundTripTimeMeasurements: c.rtt.n / 2 },
    };
    out.push({ ...ev(t, PC, 'getStats', sample), full: true });
  }
  return out;
}

/** A whole dump: setup, then the stats, then `extra` events merged by time. */
export function callDump(steps: number, at: (i: number) => Partial<Knobs>, extra: StoredEvent[] = []): SessionDump {
  const events = [...setupEvents(), ...statsEvents(steps, at), ...extra].sort((a, b) => a.t - b.t);
  return { session: sessionRecord(), events };
}
