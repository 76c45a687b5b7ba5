// A realistic synthetic session for benchmarks and tests: a page that asks
// for camera and microphone and runs N audio+video calls, each with the
// offer/answer/ICE/state events and Chrome-like getStats samples (inbound
// and outbound audio and video, remote-inbound/outbound, media sources,
// playout, codecs, certificates, candidates, candidate pair, transport) with
// counters that move, polled every `pollMs` and stored as the capture stores
// them: deltas, with a complete sample every FULL_SAMPLE_EVERY samples.
// Deterministic for a given seed.

import { seededRandom } from './random';
import type { SessionDump } from './dump';
import { applyEventsToSession, type SessionRecord } from './session';
import { statsDelta, type StatsReport, type StatsSample } from './stats-delta';
import type { StoredEvent } from './trace';

export interface SyntheticOptions {
  /** number of peer connections (default 4) */
  connections?: number;
  /** length of the calls in minutes (default 60) */
  minutes?: number;
  /** getStats interval in ms (default 1000) */
  pollMs?: number;
  /** random seed (default 1) */
  seed?: number;
  /** session start, ms since epoch (default 2025-09-23T04:35:15Z) */
  startTime?: number;
}

/** As the page hook: a complete sample first and then every 30 samples. */
export const SYNTHETIC_FULL_SAMPLE_EVERY = 30;

const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36';


const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function hex(random: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function uuid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function fingerprint(random: () => number): string {
  return Array.from({ length: 32 }, () => hex(random, 2).toUpperCase()).join(':');
}

function sdp(kind: 'offer' | 'answer', session: string, ufrag: string, fp: string, msid: string, audioTrack: string, videoTrack: string): string {
  const setup = kind === 'offer' ? 'actpass' : 'active';
  const media = (m: 'audio' | 'video', mid: number, track: string, pts: string, rtpmaps: string[]) =>
    [
      `m=${m} 9 UDP/TLS/RTP/SAVPF ${pts}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      `a=ice-ufrag:${ufrag}`,
      'a=ice-pwd:c5fGp0ZsH8qK2vTnW4yLx9aB',
      'a=ice-options:trickle',
      `a=fingerprint:sha-256 ${fp}`,
      `a=setup:${setup}`,
      `a=mid:${mid}`,
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=sendrecv',
      `a=msid:${msid} ${track}`,
      'a=rtcp-mux',
      ...rtpmaps,
    ].join('\r\n');
  return [
    'v=0',
    `o=- ${session} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    `a=msid-semantic: WMS ${msid}`,
    media('audio', 0, audioTrack, '111 63 9 0 8 13 110 126', [
      'a=rtpmap:111 opus/48000/2',
      'a=rtcp-fb:111 transport-cc',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:63 red/48000/2',
      'a=rtpmap:126 telephone-event/8000',
    ]),
    media('video', 1, videoTrack, '96 97 98 99 45 46', [
      'a=rtpmap:96 VP8/90000',
      'a=rtcp-fb:96 goog-remb',
      'a=rtcp-fb:96 transport-cc',
      'a=rtcp-fb:96 ccm fir',
      'a=rtcp-fb:96 nack',
      'a=rtcp-fb:96 nack pli',
      'a=rtpmap:97 rtx/90000',
      'a=fmtp:97 apt=96',
      'a=rtpmap:98 VP9/90000',
      'a=fmtp:98 profile-id=0',
      'a=rtpmap:45 AV1/90000',
    ]),
    '',
  ].join('\r\n');
}

/** The counters of one call, moved forward tick by tick. */
class Call {
  readonly audioSsrc: number;
  readonly videoSsrc: number;
  readonly rtxSsrc: number;
  readonly remoteAudioSsrc: number;
  readonly remoteVideoSsrc: number;
  readonly localCandidate: string;
  readonly remoteCandidate: string;
  readonly localFp: string;
  readonly remoteFp: string;
  readonly localUfrag: string;
  readonly remoteUfrag: string;
  readonly audioTrack: string;
  readonly videoTrack: string;
  readonly remoteAudioTrack: string;
  readonly remoteVideoTrack: string;
  readonly stream: string;
  readonly port: number;
  readonly remotePort: number;

  private c: Record<string, number> = {};
  private lastRtcp = { ai: 0, vi: 0, ao: 0, vo: 0 };
  private remote: Record<string, StatsReport> = {};
  private kbps = 1200;
  private qualityLimitation = { bandwidth: 0, cpu: 0, none: 0, other: 0 };
  private width = 1280;
  private height = 720;

  constructor(private readonly random: () => number) {
    const r = random;
    this.audioSsrc = Math.floor(r() * 4e9);
    this.videoSsrc = Math.floor(r() * 4e9);
    this.rtxSsrc = Math.floor(r() * 4e9);
    this.remoteAudioSsrc = Math.floor(r() * 4e9);
    this.remoteVideoSsrc = Math.floor(r() * 4e9);
    this.localCandidate = `I${hex(r, 8)}`;
    this.remoteCandidate = `I${hex(r, 8)}`;
    this.localFp = fingerprint(r);
    this.remoteFp = fingerprint(r);
    this.localUfrag = hex(r, 4);
    this.remoteUfrag = hex(r, 4);
    this.audioTrack = uuid(r);
    this.videoTrack = uuid(r);
    this.remoteAudioTrack = uuid(r);
    this.remoteVideoTrack = uuid(r);
    this.stream = uuid(r);
    this.port = 50000 + Math.floor(r() * 10000);
    this.remotePort = 50000 + Math.floor(r() * 10000);
  }

  private add(name: string, x: number): number {
    this.c[name] = (this.c[name] ?? 0) + x;
    return this.c[name]!;
  }

  private get(name: string): number {
    return this.c[name] ?? 0;
  }

  /** Moves the call forward by `dt` seconds and returns the getStats sample at `now` (ms). */
  tick(dt: number, now: number): StatsSample {
    const r = this.random;
    const ts = round3(now - r() * 2);
    // sender: audio 50 packets/s of ~80 bytes; video at a slowly wandering bitrate
    this.kbps = Math.min(2500, Math.max(300, this.kbps + (r() - 0.5) * 120));
    const aPackets = Math.round(50 * dt + (r() - 0.5) * 2);
    const vFrames = Math.max(0, Math.round(30 * dt + (r() - 0.5) * 2));
    const vBytes = Math.round((this.kbps * 1000 * dt) / 8);
    const vPackets = Math.max(vFrames, Math.ceil(vBytes / 1150));
    this.add('aPacketsSent', aPackets);
    this.add('aBytesSent', aPackets * (70 + Math.floor(r() * 30)));
    this.add('aHeaderBytesSent', aPackets * 32);
    this.add('aSendDelay', aPackets * 0.0004 * r());
    this.add('vPacketsSent', vPackets);
    this.add('vBytesSent', vBytes);
    this.add('vHeaderBytesSent', vPackets * 36);
    this.add('vSendDelay', vPackets * 0.002 * r());
    this.add('framesEncoded', vFrames);
    this.add('framesSent', vFrames);
    this.add('keyFramesEncoded', r() < 0.01 ? 1 : 0);
    this.add('totalEncodeTime', vFrames * (0.003 + r() * 0.004));
    this.add('totalEncodedBytesTarget', vBytes);
    this.add('qpSumOut', vFrames * (20 + Math.floor(r() * 15)));
    this.add('retransmittedPacketsSent', r() < 0.1 ? 1 : 0);
    this.add('retransmittedBytesSent', this.get('retransmittedPacketsSent') * 1100 - this.get('retransmittedBytesSent'));
    this.add('nackReceived', r() < 0.1 ? 1 : 0);
    this.add('qlNone', dt);
    this.qualityLimitation = { bandwidth: 0, cpu: 0, none: round3(this.get('qlNone')), other: 0 };
    this.add('sourceFrames', Math.round(30 * dt));
    this.add('sourceAudioEnergy', dt * 0.002 * r());
    this.add('sourceSamplesDuration', dt);
    // receiver: the other side sends about the same
    const raPackets = Math.round(50 * dt + (r() - 0.5) * 2);
    const raLost = r() < 0.05 ? 1 : 0;
    const rvFrames = Math.max(0, Math.round(30 * dt + (r() - 0.5) * 2));
    const rvBytes = Math.round(((this.kbps * 0.9 + (r() - 0.5) * 100) * 1000 * dt) / 8);
    const rvPackets = Math.max(rvFrames, Math.ceil(rvBytes / 1150));
    this.add('aPacketsReceived', raPackets);
    this.add('aPacketsLost', raLost);
    this.add('aBytesReceived', raPackets * (70 + Math.floor(r() * 30)));
    this.add('aHeaderBytesReceived', raPackets * 32);
    const samples = Math.round(48000 * dt);
    this.add('totalSamplesReceived', samples);
    const concealed = raLost * 960 + (r() < 0.2 ? Math.floor(r() * 480) : 0);
    this.add('concealedSamples', concealed);
    this.add('silentConcealedSamples', Math.floor(concealed * 0.3));
    this.add('concealmentEvents', concealed > 0 ? 1 : 0);
    this.add('insertedSamplesForDeceleration', r() < 0.1 ? Math.floor(r() * 400) : 0);
    this.add('removedSamplesForAcceleration', r() < 0.1 ? Math.floor(r() * 400) : 0);
    this.add('aJitterBufferEmitted', samples);
    this.add('aJitterBufferDelay', samples * (0.04 + r() * 0.02));
    this.add('aJitterBufferTargetDelay', samples * 0.05);
    this.add('aJitterBufferMinimumDelay', samples * 0.03);
    this.add('aProcessingDelay', samples * (0.045 + r() * 0.02));
    this.add('aAudioEnergy', dt * 0.001 * r());
    this.add('aSamplesDuration', dt);
    this.add('aFecPackets', r() < 0.3 ? 1 : 0);
    this.add('vPacketsReceived', rvPackets);
    this.add('vPacketsLost', r() < 0.03 ? 1 : 0);
    this.add('vBytesReceived', rvBytes);
    this.add('vHeaderBytesReceived', rvPackets * 36);
    this.add('framesReceived', rvFrames);
    const dropped = r() < 0.02 ? 1 : 0;
    this.add('framesDropped', dropped);
    const decoded = Math.max(0, rvFrames - dropped);
    this.add('framesDecoded', decoded);
    this.add('keyFramesDecoded', r() < 0.01 ? 1 : 0);
    this.add('totalDecodeTime', decoded * (0.001 + r() * 0.002));
    this.add('totalProcessingDelay', decoded * (0.02 + r() * 0.01));
    this.add('totalAssemblyTime', decoded * 0.0004);
    this.add('framesAssembled', Math.floor(decoded * 0.8));
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < decoded; i++) {
      const d = (1 / 30) * (0.8 + r() * 0.4);
      sum += d;
      squares += d * d;
    }
    this.add('totalInterFrameDelay', sum);
    this.add('totalSquaredInterFrameDelay', squares);
    this.add('qpSumIn', decoded * (20 + Math.floor(r() * 15)));
    this.add('vJitterBufferEmitted', decoded);
    this.add('vJitterBufferDelay', decoded * (0.02 + r() * 0.02));
    this.add('vJitterBufferTargetDelay', decoded * 0.03);
    this.add('vJitterBufferMinimumDelay', decoded * 0.01);
    this.add('nackSent', r() < 0.05 ? 1 : 0);
    this.add('playoutSynthesized', concealed / 48000);
    this.add('playoutDuration', dt);
    this.add('playoutDelay', samples * 0.07);
    this.add('playoutSamples', samples);
    // transport and candidate pair: all media plus a little overhead
    const sentPackets = this.get('aPacketsSent') + this.get('vPacketsSent') + this.get('retransmittedPacketsSent');
    const receivedPackets = this.get('aPacketsReceived') + this.get('vPacketsReceived');
    const sentBytes = this.get('aBytesSent') + this.get('vBytesSent') + this.get('aHeaderBytesSent') + this.get('vHeaderBytesSent');
    const receivedBytes = this.get('aBytesReceived') + this.get('vBytesReceived') + this.get('aHeaderBytesReceived') + this.get('vHeaderBytesReceived');
    const stunChecks = r() < 0.4 ? 1 : 0;
    this.add('requests', stunChecks);
    this.add('rtt', stunChecks * (0.02 + r() * 0.01));
    if (r() < 0.01) {
      this.width = this.width === 1280 ? 960 : 1280;
      this.height = this.width === 1280 ? 720 : 540;
      this.add('resolutionChanges', 1);
    }

    // RTCP: remote reports change about once a second, their own timestamps
    const rtcp = (key: keyof typeof this.lastRtcp, make: () => StatsReport, id: string) => {
      if (!this.remote[id] || now - this.lastRtcp[key] >= 1000 * (0.8 + r() * 0.6)) {
        this.lastRtcp[key] = now;
        this.remote[id] = make();
      }
      return this.remote[id]!;
    };
    const rtt = 0.02 + r() * 0.01;
    const remoteInbound = (kind: 'audio' | 'video', key: 'ai' | 'vi', ssrc: number, codecId: string, local: string): StatsReport => {
      const m = this.add(`${key}Measurements`, 1);
      const total = this.add(`${key}TotalRtt`, rtt);
      return {
        timestamp: round3(now - 5 - r() * 20),
        type: 'remote-inbound-rtp',
        ssrc,
        kind,
        transportId: 'T01',
        codecId,
        packetsLost: this.get(kind === 'audio' ? 'aPacketsLost' : 'vPacketsLost'),
        jitter: round6(0.001 + r() * 0.004),
        localId: local,
        roundTripTime: round6(rtt),
        totalRoundTripTime: round6(total),
        fractionLost: 0,
        roundTripTimeMeasurements: m,
      };
    };
    const remoteOutbound = (kind: 'audio' | 'video', key: 'ao' | 'vo', ssrc: number, codecId: string, local: string): StatsReport => {
      const reports = this.add(`${key}Reports`, 1);
      const time = round3(now - 10 - r() * 20);
      return {
        timestamp: time,
        type: 'remote-outbound-rtp',
        ssrc,
        kind,
        transportId: 'T01',
        codecId,
        packetsSent: this.get(kind === 'audio' ? 'aPacketsReceived' : 'vPacketsReceived') + 3,
        bytesSent: this.get(kind === 'audio' ? 'aBytesReceived' : 'vBytesReceived') + 2000,
        localId: local,
        remoteTimestamp: round3(time - 1.2),
        reportsSent: reports,
        roundTripTimeMeasurements: 0,
        totalRoundTripTime: 0,
      };
    };

    const OA = `OT01A${this.audioSsrc}`;
    const OV = `OT01V${this.videoSsrc}`;
    const IA = `IT01A${this.remoteAudioSsrc}`;
    const IV = `IT01V${this.remoteVideoSsrc}`;
    const CP = `CP${this.localCandidate.slice(1)}_${this.remoteCandidate.slice(1)}`;
    const sample: StatsSample = {
      P: { timestamp: ts, type: 'peer-connection', dataChannelsOpened: 0, dataChannelsClosed: 0 },
      AP: {
        timestamp: ts,
        type: 'media-playout',
        kind: 'audio',
        synthesizedSamplesDuration: round6(this.get('playoutSynthesized')),
        synthesizedSamplesEvents: this.get('concealmentEvents'),
        totalSamplesDuration: round3(this.get('playoutDuration')),
        totalPlayoutDelay: round6(this.get('playoutDelay')),
        totalSamplesCount: this.get('playoutSamples'),
      },
      [`CF${this.localFp}`]: { timestamp: ts, type: 'certificate', fingerprint: this.localFp, fingerprintAlgorithm: 'sha-256', base64Certificate: 'MIIBFjCBvaADAgECAgkA4Su+dhz/rRswCgYIKoZIzj0EAwIwETEPMA0GA1UEAwwGV2ViUlRD' },
      [`CF${this.remoteFp}`]: { timestamp: ts, type: 'certificate', fingerprint: this.remoteFp, fingerprintAlgorithm: 'sha-256', base64Certificate: 'MIIBFzCBvaADAgECAgkAwBR6KaqdznkwCgYIKoZIzj0EAwIwETEPMA0GA1UEAwwGV2ViUlRD' },
      COT01_111: { timestamp: ts, type: 'codec', transportId: 'T01', payloadType: 111, mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
      COT01_96: { timestamp: ts, type: 'codec', transportId: 'T01', payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 },
      CIT01_111: { timestamp: ts, type: 'codec', transportId: 'T01', payloadType: 111, mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
      CIT01_96: { timestamp: ts, type: 'codec', transportId: 'T01', payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 },
      [CP]: {
        timestamp: ts,
        type: 'candidate-pair',
        transportId: 'T01',
        localCandidateId: this.localCandidate,
        remoteCandidateId: this.remoteCandidate,
        state: 'succeeded',
        priority: 9114756780654345000,
        nominated: true,
        writable: true,
        packetsSent: sentPackets + this.get('requests'),
        packetsReceived: receivedPackets + this.get('requests'),
        bytesSent: sentBytes + this.get('requests') * 100,
        bytesReceived: receivedBytes + this.get('requests') * 100,
        totalRoundTripTime: round3(this.get('rtt') + 0.025),
        currentRoundTripTime: round3(rtt),
        availableOutgoingBitrate: Math.round(this.kbps * 1100),
        requestsReceived: this.get('requests') + 1,
        requestsSent: this.get('requests') + 1,
        responsesReceived: this.get('requests') + 1,
        responsesSent: this.get('requests') + 1,
        consentRequestsSent: this.get('requests'),
        packetsDiscardedOnSend: 0,
        bytesDiscardedOnSend: 0,
        lastPacketReceivedTimestamp: Math.round(now - 15),
        lastPacketSentTimestamp: Math.round(now - 10),
      },
      [this.localCandidate]: {
        timestamp: ts,
        type: 'local-candidate',
        transportId: 'T01',
        isRemote: false,
        networkType: 'ethernet',
        ip: '192.168.1.23',
        address: '192.168.1.23',
        port: this.port,
        protocol: 'udp',
        candidateType: 'host',
        priority: 2122260223,
        foundation: '1948716337',
        usernameFragment: this.localUfrag,
        networkAdapterType: 'ethernet',
        vpn: false,
      },
      [this.remoteCandidate]: {
        timestamp: ts,
        type: 'remote-candidate',
        transportId: 'T01',
        isRemote: true,
        ip: '203.0.113.7',
        address: '203.0.113.7',
        port: this.remotePort,
        protocol: 'udp',
        candidateType: 'srflx',
        priority: 1686052607,
        foundation: '842163049',
        usernameFragment: this.remoteUfrag,
      },
      [OA]: {
        timestamp: ts,
        type: 'outbound-rtp',
        ssrc: this.audioSsrc,
        kind: 'audio',
        transportId: 'T01',
        codecId: 'COT01_111',
        packetsSent: this.get('aPacketsSent'),
        bytesSent: this.get('aBytesSent'),
        mid: '0',
        mediaSourceId: 'SA1',
        remoteId: `RIA${this.audioSsrc}`,
        headerBytesSent: this.get('aHeaderBytesSent'),
        retransmittedPacketsSent: 0,
        retransmittedBytesSent: 0,
        targetBitrate: 32000,
        totalPacketSendDelay: round6(this.get('aSendDelay')),
        nackCount: 0,
        active: true,
        packetsSentWithEct1: 0,
      },
      [OV]: {
        timestamp: ts,
        type: 'outbound-rtp',
        ssrc: this.videoSsrc,
        kind: 'video',
        transportId: 'T01',
        codecId: 'COT01_96',
        packetsSent: this.get('vPacketsSent'),
        bytesSent: this.get('vBytesSent'),
        mid: '1',
        mediaSourceId: 'SV2',
        remoteId: `RIV${this.videoSsrc}`,
        headerBytesSent: this.get('vHeaderBytesSent'),
        retransmittedPacketsSent: this.get('retransmittedPacketsSent'),
        retransmittedBytesSent: this.get('retransmittedBytesSent'),
        rtxSsrc: this.rtxSsrc,
        targetBitrate: Math.round(this.kbps * 1000),
        totalEncodedBytesTarget: this.get('totalEncodedBytesTarget'),
        frameWidth: this.width,
        frameHeight: this.height,
        framesPerSecond: vFrames / dt > 0 ? Math.round(vFrames / dt) : 0,
        framesSent: this.get('framesSent'),
        hugeFramesSent: 0,
        framesEncoded: this.get('framesEncoded'),
        keyFramesEncoded: this.get('keyFramesEncoded') + 1,
        qpSum: this.get('qpSumOut'),
        totalEncodeTime: round3(this.get('totalEncodeTime')),
        totalPacketSendDelay: round6(this.get('vSendDelay')),
        qualityLimitationReason: 'none',
        qualityLimitationDurations: this.qualityLimitation,
        qualityLimitationResolutionChanges: this.get('resolutionChanges'),
        nackCount: this.get('nackReceived'),
        firCount: 0,
        pliCount: Math.floor(this.get('keyFramesEncoded') / 2),
        encoderImplementation: 'libvpx',
        powerEfficientEncoder: false,
        active: true,
        scalabilityMode: 'L1T1',
        encodingIndex: 0,
        packetsSentWithEct1: 0,
      },
      [IA]: {
        timestamp: ts,
        type: 'inbound-rtp',
        ssrc: this.remoteAudioSsrc,
        kind: 'audio',
        transportId: 'T01',
        codecId: 'CIT01_111',
        jitter: round6(0.001 + r() * 0.006),
        packetsLost: this.get('aPacketsLost'),
        trackIdentifier: this.remoteAudioTrack,
        mid: '0',
        remoteId: `ROA${this.remoteAudioSsrc}`,
        packetsReceived: this.get('aPacketsReceived'),
        packetsDiscarded: 0,
        fecPacketsReceived: this.get('aFecPackets'),
        fecBytesReceived: this.get('aFecPackets') * 80,
        fecPacketsDiscarded: 0,
        bytesReceived: this.get('aBytesReceived'),
        headerBytesReceived: this.get('aHeaderBytesReceived'),
        lastPacketReceivedTimestamp: round3(now - 12),
        jitterBufferDelay: round6(this.get('aJitterBufferDelay')),
        jitterBufferTargetDelay: round6(this.get('aJitterBufferTargetDelay')),
        jitterBufferMinimumDelay: round6(this.get('aJitterBufferMinimumDelay')),
        jitterBufferEmittedCount: this.get('aJitterBufferEmitted'),
        totalSamplesReceived: this.get('totalSamplesReceived'),
        concealedSamples: this.get('concealedSamples'),
        silentConcealedSamples: this.get('silentConcealedSamples'),
        concealmentEvents: this.get('concealmentEvents'),
        insertedSamplesForDeceleration: this.get('insertedSamplesForDeceleration'),
        removedSamplesForAcceleration: this.get('removedSamplesForAcceleration'),
        audioLevel: round6(r() * 0.05),
        totalAudioEnergy: round6(this.get('aAudioEnergy')),
        totalSamplesDuration: round3(this.get('aSamplesDuration')),
        totalProcessingDelay: round6(this.get('aProcessingDelay')),
        estimatedPlayoutTimestamp: Math.round(now - 60),
        playoutId: 'AP',
        nackCount: 0,
        packetsReceivedWithEct1: 0,
        packetsReceivedWithCe: 0,
      },
      [IV]: {
        timestamp: ts,
        type: 'inbound-rtp',
        ssrc: this.remoteVideoSsrc,
        kind: 'video',
        transportId: 'T01',
        codecId: 'CIT01_96',
        jitter: round6(0.002 + r() * 0.01),
        packetsLost: this.get('vPacketsLost'),
        trackIdentifier: this.remoteVideoTrack,
        mid: '1',
        remoteId: `ROV${this.remoteVideoSsrc}`,
        packetsReceived: this.get('vPacketsReceived'),
        bytesReceived: this.get('vBytesReceived'),
        headerBytesReceived: this.get('vHeaderBytesReceived'),
        lastPacketReceivedTimestamp: round3(now - 8),
        jitterBufferDelay: round6(this.get('vJitterBufferDelay')),
        jitterBufferTargetDelay: round6(this.get('vJitterBufferTargetDelay')),
        jitterBufferMinimumDelay: round6(this.get('vJitterBufferMinimumDelay')),
        jitterBufferEmittedCount: this.get('vJitterBufferEmitted'),
        framesReceived: this.get('framesReceived'),
        frameWidth: 1280,
        frameHeight: 720,
        framesPerSecond: rvFrames / dt > 0 ? Math.round(rvFrames / dt) : 0,
        framesDecoded: this.get('framesDecoded'),
        keyFramesDecoded: this.get('keyFramesDecoded') + 1,
        framesDropped: this.get('framesDropped'),
        totalDecodeTime: round6(this.get('totalDecodeTime')),
        totalProcessingDelay: round6(this.get('totalProcessingDelay')),
        totalAssemblyTime: round6(this.get('totalAssemblyTime')),
        framesAssembledFromMultiplePackets: this.get('framesAssembled'),
        totalInterFrameDelay: round6(this.get('totalInterFrameDelay')),
        totalSquaredInterFrameDelay: round6(this.get('totalSquaredInterFrameDelay')),
        pauseCount: 0,
        totalPausesDuration: 0,
        freezeCount: 0,
        totalFreezesDuration: 0,
        decoderImplementation: 'libvpx',
        powerEfficientDecoder: false,
        qpSum: this.get('qpSumIn'),
        firCount: 0,
        pliCount: 0,
        nackCount: this.get('nackSent'),
        minPlayoutDelay: 0,
        rtxSsrc: this.rtxSsrc + 1,
        packetsReceivedWithEct1: 0,
        packetsReceivedWithCe: 0,
      },
      [`RIA${this.audioSsrc}`]: rtcp('ai', () => remoteInbound('audio', 'ai', this.audioSsrc, 'COT01_111', OA), `RIA${this.audioSsrc}`),
      [`RIV${this.videoSsrc}`]: rtcp('vi', () => remoteInbound('video', 'vi', this.videoSsrc, 'COT01_96', OV), `RIV${this.videoSsrc}`),
      [`ROA${this.remoteAudioSsrc}`]: rtcp('ao', () => remoteOutbound('audio', 'ao', this.remoteAudioSsrc, 'CIT01_111', IA), `ROA${this.remoteAudioSsrc}`),
      [`ROV${this.remoteVideoSsrc}`]: rtcp('vo', () => remoteOutbound('video', 'vo', this.remoteVideoSsrc, 'CIT01_96', IV), `ROV${this.remoteVideoSsrc}`),
      SA1: {
        timestamp: ts,
        type: 'media-source',
        trackIdentifier: this.audioTrack,
        kind: 'audio',
        audioLevel: round6(r() * 0.1),
        totalAudioEnergy: round6(this.get('sourceAudioEnergy')),
        totalSamplesDuration: round3(this.get('sourceSamplesDuration')),
        echoReturnLoss: -100,
        echoReturnLossEnhancement: 0.17,
      },
      SV2: {
        timestamp: ts,
        type: 'media-source',
        trackIdentifier: this.videoTrack,
        kind: 'video',
        width: 1280,
        height: 720,
        frames: this.get('sourceFrames'),
        framesPerSecond: 30,
      },
      T01: {
        timestamp: ts,
        type: 'transport',
        bytesSent: sentBytes + this.get('requests') * 100,
        bytesReceived: receivedBytes + this.get('requests') * 100,
        packetsSent: sentPackets + this.get('requests'),
        packetsReceived: receivedPackets + this.get('requests'),
        dtlsState: 'connected',
        dtlsRole: 'server',
        iceRole: 'controlling',
        iceState: 'connected',
        iceLocalUsernameFragment: this.localUfrag,
        selectedCandidatePairId: CP,
        selectedCandidatePairChanges: 1,
        localCertificateId: `CF${this.localFp}`,
        remoteCertificateId: `CF${this.remoteFp}`,
        tlsVersion: 'FEFD',
        dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
        srtpCipher: 'AES_CM_128_HMAC_SHA1_80',
      },
    };
    return sample;
  }
}

/**
 * A page with `connections` audio+video calls of `minutes` minutes, getStats
 * every `pollMs`, stored as the capture stores it.
 */
export function syntheticSession(options: SyntheticOptions = {}): SessionDump {
  const connections = options.connections ?? 4;
  const minutes = options.minutes ?? 60;
  const pollMs = options.pollMs ?? 1000;
  const random = seededRandom(options.seed ?? 1);
  const start = options.startTime ?? Date.UTC(2025, 8, 23, 4, 35, 15);
  const sessionId = `synthetic-${options.seed ?? 1}-${connections}x${minutes}m`;
  const url = 'https://meet.example.com/room/synthetic';
  const raw: Omit<StoredEvent, 'seq'>[] = [];
  const ev = (t: number, method: string, pc: string | null, value: unknown, extra?: (string | number)[], full?: boolean) => {
    const e: Omit<StoredEvent, 'seq'> = { sessionId, frame: 0, t: Math.round(t), method, pc, value };
    if (extra) e.extra = extra;
    if (full) e.full = true;
    raw.push(e);
  };

  ev(start + 20, 'create', null, {
    hardwareConcurrency: 8,
    deviceMemory: 8,
    screen: { width: 1920, height: 1080, devicePixelRatio: 1 },
    window: { width: 1280, height: 720 },
    url,
  });
  const micId = uuid(random);
  const camId = uuid(random);
  ev(start + 150, 'navigator.mediaDevices.getUserMedia', null, { audio: true, video: { width: 1280, height: 720 } }, ['gum-0']);
  ev(start + 420, 'navigator.mediaDevices.getUserMediaOnSuccess', null, [
    ['audio', micId, 'Default - Microphone (USB Audio)', { deviceId: 'default', sampleRate: 48000, channelCount: 1, echoCancellation: true }],
    ['video', camId, 'HD Webcam (046d:0825)', { deviceId: 'a1b2c3', width: 1280, height: 720, frameRate: 30 }],
  ], ['gum-0']);

  const callMs = minutes * 60000;
  for (let i = 0; i < connections; i++) {
    const pc = `PC_${i}`;
    const call = new Call(random);
    let t = start + 500 + i * 700;
    const step = (ms: number) => (t += ms);
    const offerSdp = sdp('offer', String(Math.floor(random() * 1e18)), call.localUfrag, call.localFp, call.stream, call.audioTrack, call.videoTrack);
    const answerSdp = sdp('answer', String(Math.floor(random() * 1e18)), call.remoteUfrag, call.remoteFp, uuid(random), call.remoteAudioTrack, call.remoteVideoTrack);
    const candidate = (port: number, ufrag: string, typ: string, ip: string) => ({
      candidate: `candidate:1948716337 1 udp 2122260223 ${ip} ${port} typ ${typ} generation 0 ufrag ${ufrag} network-id 1`,
      sdpMid: '0',
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
    });
    ev(t, 'create', pc, { iceServers: [{ urls: 'stun:stun.l.google.com:19302' }], bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    ev(step(2), 'addTrack', pc, { track: call.audioTrack, kind: 'audio', streams: [call.stream] });
    ev(step(0), 'addTrackOnSuccess', pc, { mid: null });
    ev(step(1), 'addTrack', pc, { track: call.videoTrack, kind: 'video', streams: [call.stream] });
    ev(step(0), 'addTrackOnSuccess', pc, { mid: null });
    ev(step(1), 'onnegotiationneeded', pc, null);
    ev(step(3), 'createOffer', pc, null);
    ev(step(6), 'createOfferOnSuccess', pc, { type: 'offer', sdp: offerSdp });
    ev(step(1), 'setLocalDescription', pc, { type: 'offer', sdp: offerSdp });
    ev(step(5), 'setLocalDescriptionOnSuccess', pc, { type: 'offer', sdp: offerSdp });
    ev(step(0), 'onsignalingstatechange', pc, 'have-local-offer');
    ev(step(1), 'onicegatheringstatechange', pc, 'gathering');
    ev(step(2), 'onicecandidate', pc, candidate(call.port, call.localUfrag, 'host', '192.168.1.23'));
    ev(step(40), 'onicecandidate', pc, candidate(call.port + 1, call.localUfrag, 'srflx', '198.51.100.4'));
    ev(step(30), 'onicecandidateerror', pc, { address: '[0:0:0:x:x:x:x:x]', port: call.port + 2, url: 'stun:stun.l.google.com:19302', errorCode: 701, errorText: 'STUN host lookup received error.' });
    ev(step(5), 'onicecandidate', pc, null);
    ev(step(0), 'onicegatheringstatechange', pc, 'complete');
    ev(step(120), 'setRemoteDescription', pc, { type: 'answer', sdp: answerSdp });
    ev(step(0), 'ontrack', pc, { kind: 'audio', id: call.remoteAudioTrack, streams: [call.stream] });
    ev(step(0), 'ontrack', pc, { kind: 'video', id: call.remoteVideoTrack, streams: [call.stream] });
    ev(step(4), 'setRemoteDescriptionOnSuccess', pc, { type: 'answer', sdp: answerSdp });
    ev(step(0), 'onsignalingstatechange', pc, 'stable');
    ev(step(30), 'addIceCandidate', pc, candidate(call.remotePort, call.remoteUfrag, 'srflx', '203.0.113.7'));
    ev(step(1), 'addIceCandidateOnSuccess', pc, null);
    ev(step(2), 'oniceconnectionstatechange', pc, 'checking');
    ev(step(0), 'onconnectionstatechange', pc, 'connecting');
    ev(step(25), 'oniceconnectionstatechange', pc, 'connected');
    ev(step(8), 'onconnectionstatechange', pc, 'connected');

    // getStats from the first poll after creation, as the page hook does:
    // minutes · 60000 / pollMs samples, each pollMs ± 4 ms after the previous
    const samples = Math.floor(callMs / pollMs);
    let now = raw.find((e) => e.pc === pc)!.t + pollMs;
    let last = now - pollMs;
    let previous: StatsSample | undefined;
    for (let count = 0; count < samples; count++) {
      const sample = call.tick((now - last) / 1000, now);
      const delta = count % SYNTHETIC_FULL_SAMPLE_EVERY === 0 ? null : statsDelta(previous, sample);
      ev(now, 'getStats', pc, delta ?? sample, undefined, delta === null);
      previous = sample;
      last = now;
      now += pollMs + Math.round((random() - 0.5) * 8);
    }
    const end = last;
    ev(end + 5, 'close', pc, null);
  }

  // one frame: sequence numbers in time order (ties keep the order made)
  const order = raw.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const events: StoredEvent[] = order.map(({ e }, i) => ({ ...e, seq: i + 1 }));

  const session: SessionRecord = {
    id: sessionId,
    tabId: 1,
    url,
    origin: 'https://meet.example.com',
    title: 'Synthetic call',
    startTime: start,
    endTime: events[events.length - 1]!.t + 1000,
    userAgent: USER_AGENT,
    extensionVersion: '0.1.0',
    frames: [{ key: 'synthetic-top', frameId: 0, url, origin: 'https://meet.example.com', isTop: true, firstSeen: start }],
    connections: [],
    tags: {},
    eventCount: 0,
    statsCount: 0,
    lastEventTime: start,
    bytes: 0,
    rawBytes: 0,
  };
  applyEventsToSession(session, events);
  return { session, events };
}
