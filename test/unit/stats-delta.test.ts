import { describe, it, expect } from 'vitest';
import { statsDelta, applyStatsDelta, CurrentStats, DELTA_TIMESTAMP_KEY, type StatsSample, type StatsDelta } from '../../src/core/stats-delta';
import { rtcstatsDecompress, whyNoDelta, type Report, type Sample } from './support/rtcstats-reader';
import { ANYTHING, deepCopy, isPlain, randomSequence, type GenOptions, type JsonSample } from './support/random-stats';

// The rtcstats-semantics reader (support/rtcstats-reader.ts) is written from
// rtcstats' description, not from src/: every delta we produce must decode to
// exactly the next sample in rtcstats' own tools. A change it would merge
// wrongly makes statsDelta() return null, and the complete sample is sent.

/** What a receiver does: a null delta means the complete sample was sent. */
function roundTrip(prev: StatsSample | undefined, next: StatsSample): StatsSample {
  const d = statsDelta(prev, next);
  return d === null ? next : applyStatsDelta(prev, d);
}

// ---------------------------------------------------------------------------
// Hand-written Chrome-like samples (Chrome 140 report shapes, ids without `id`).
// ---------------------------------------------------------------------------
const T0 = 1758602116670.412;
const T1 = 1758602117670.587;
const T2 = 1758602118671.003;
const RTCP_T = 1758602116270.162; // remote-inbound-rtp: time of the last RTCP report, older than the rest

const OUT_V = 'OT01V2345678';
const IN_A = 'IT01A3456789';
const PAIR = 'CPa1b2c3d4_e5f6a7b8';
const LOCAL = 'Ia1b2c3d4';
const REMOTE = 'Ie5f6a7b8';
const REMOTE_GONE = 'Ir9r9r9r9';
const LOCAL_NEW = 'Iz1z2z3z4';
const REMOTE_INBOUND = 'RIV2345678';
const CODEC_V = 'COT01_96';
const CODEC_A = 'CIT01_111_minptime=10;useinbandfec=1';

function sample0(): StatsSample {
  return {
    P: { type: 'peer-connection', timestamp: T0, dataChannelsOpened: 0, dataChannelsClosed: 0, activeRids: ['f', 'h'] },
    T01: {
      type: 'transport', timestamp: T0, bytesSent: 51234, bytesReceived: 40321, packetsSent: 420, packetsReceived: 398,
      dtlsState: 'connected', iceRole: 'controlling', iceState: 'connected', selectedCandidatePairId: PAIR,
      localCertificateId: 'CFAB:CD', remoteCertificateId: 'CF12:34', tlsVersion: 'FEFD',
      dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', dtlsRole: 'client', srtpCipher: 'AES_CM_128_HMAC_SHA1_80',
      selectedCandidatePairChanges: 1, iceLocalUsernameFragment: 'aB3d',
    },
    [PAIR]: {
      type: 'candidate-pair', timestamp: T0, transportId: 'T01', localCandidateId: LOCAL, remoteCandidateId: REMOTE,
      state: 'succeeded', priority: 9115038255631187000, nominated: true, writable: true, packetsSent: 420,
      packetsReceived: 398, bytesSent: 51234, bytesReceived: 40321, totalRoundTripTime: 0.012, currentRoundTripTime: 0.001,
      availableOutgoingBitrate: 2500000, requestsReceived: 3, requestsSent: 4, responsesReceived: 4, responsesSent: 3,
      consentRequestsSent: 2, packetsDiscardedOnSend: 0, bytesDiscardedOnSend: 0,
      lastPacketReceivedTimestamp: 1758602116667.1, lastPacketSentTimestamp: 1758602116669.2,
    },
    [LOCAL]: {
      type: 'local-candidate', timestamp: T0, transportId: 'T01', address: '192.168.1.23', port: 54321, protocol: 'udp',
      candidateType: 'host', priority: 2122260223, foundation: '1573945120', usernameFragment: 'aB3d',
      networkType: 'ethernet', isRemote: false,
    },
    [REMOTE]: {
      type: 'remote-candidate', timestamp: T0, transportId: 'T01', address: '192.168.1.42', port: 61234, protocol: 'udp',
      candidateType: 'host', priority: 2122260223, foundation: '2873492817', usernameFragment: 'Zz9y', isRemote: true,
    },
    [REMOTE_GONE]: {
      type: 'remote-candidate', timestamp: T0, transportId: 'T01', address: '203.0.113.7', port: 3478, protocol: 'udp',
      candidateType: 'srflx', priority: 1686052607, foundation: '842163049', usernameFragment: 'Zz9y', isRemote: true,
    },
    [OUT_V]: {
      type: 'outbound-rtp', timestamp: T0, ssrc: 2345678, kind: 'video', transportId: 'T01', codecId: CODEC_V, mid: '1',
      mediaSourceId: 'SV2', remoteId: REMOTE_INBOUND, packetsSent: 310, bytesSent: 301234, headerBytesSent: 7440,
      retransmittedPacketsSent: 0, retransmittedBytesSent: 0, rtxSsrc: 3456780, targetBitrate: 1200000,
      totalEncodedBytesTarget: 0, frameWidth: 640, frameHeight: 480, framesPerSecond: 30, framesSent: 30,
      hugeFramesSent: 0, framesEncoded: 30, keyFramesEncoded: 1, qpSum: 812, totalEncodeTime: 0.123,
      totalPacketSendDelay: 0.5, qualityLimitationReason: 'none',
      qualityLimitationDurations: { bandwidth: 0, cpu: 0, none: 1.002, other: 0 },
      qualityLimitationResolutionChanges: 0, nackCount: 0, firCount: 0, pliCount: 0, encoderImplementation: 'libvpx',
      powerEfficientEncoder: false, active: true, scalabilityMode: 'L1T1',
    },
    [IN_A]: {
      type: 'inbound-rtp', timestamp: T0, ssrc: 3456789, kind: 'audio', transportId: 'T01', codecId: CODEC_A,
      trackIdentifier: '4e4f3d4b-687a-4f10-9994-9bb28748d063', mid: '0', remoteId: 'ROA3456789', packetsReceived: 50,
      packetsLost: 0, jitter: 0.001, bytesReceived: 4321, headerBytesReceived: 1200,
      lastPacketReceivedTimestamp: 1758602116660.5, jitterBufferDelay: 1.2, jitterBufferTargetDelay: 1.3,
      jitterBufferMinimumDelay: 1.1, jitterBufferEmittedCount: 48000, totalSamplesReceived: 48000, concealedSamples: 960,
      silentConcealedSamples: 0, concealmentEvents: 1, insertedSamplesForDeceleration: 0,
      removedSamplesForAcceleration: 0, audioLevel: 0.0123, totalAudioEnergy: 0.0021, totalSamplesDuration: 1.02,
      playoutId: 'AP', fecPacketsReceived: 0, fecPacketsDiscarded: 0, packetsDiscarded: 0, totalProcessingDelay: 0.4,
      nackCount: 0, estimatedPlayoutTimestamp: 3967590916651,
    },
    [REMOTE_INBOUND]: {
      type: 'remote-inbound-rtp', timestamp: RTCP_T, ssrc: 2345678, kind: 'video', transportId: 'T01', codecId: CODEC_V,
      packetsLost: 0, jitter: 0.002, localId: OUT_V, roundTripTime: 0.011, totalRoundTripTime: 0.022, fractionLost: 0,
      roundTripTimeMeasurements: 2,
    },
    [CODEC_V]: { type: 'codec', timestamp: T0, payloadType: 96, transportId: 'T01', mimeType: 'video/VP8', clockRate: 90000 },
    [CODEC_A]: {
      type: 'codec', timestamp: T0, payloadType: 111, transportId: 'T01', mimeType: 'audio/opus', clockRate: 48000,
      channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1',
    },
  };
}

/** One second later: counters move, a candidate goes, one comes, RTCP did not arrive. */
function sample1(): StatsSample {
  const s = sample0();
  for (const r of Object.values(s)) r.timestamp = T1;
  delete s[REMOTE_GONE];
  s[REMOTE_INBOUND]!.timestamp = RTCP_T; // same RTCP report as before
  s.P!.activeRids = ['f', 'h', 'q'];
  Object.assign(s.T01!, { bytesSent: 102511, bytesReceived: 80977, packetsSent: 840, packetsReceived: 801 });
  Object.assign(s[PAIR]!, {
    bytesSent: 102511, bytesReceived: 80977, packetsSent: 840, packetsReceived: 801, totalRoundTripTime: 0.025,
    currentRoundTripTime: 0.013, responsesReceived: 5, requestsSent: 5,
    lastPacketReceivedTimestamp: 1758602117668.9, lastPacketSentTimestamp: 1758602117670.1,
  });
  Object.assign(s[OUT_V]!, {
    packetsSent: 620, bytesSent: 602468, headerBytesSent: 14880, frameWidth: 480, frameHeight: 360, framesSent: 60,
    framesEncoded: 60, qpSum: 1650, totalEncodeTime: 0.251, totalPacketSendDelay: 1.01,
    qualityLimitationReason: 'bandwidth',
    qualityLimitationDurations: { bandwidth: 0.3, cpu: 0, none: 1.704, other: 0 },
    qualityLimitationResolutionChanges: 1,
  });
  Object.assign(s[IN_A]!, {
    packetsReceived: 100, bytesReceived: 8642, headerBytesReceived: 2400, lastPacketReceivedTimestamp: 1758602117660.4,
    jitterBufferDelay: 2.4, jitterBufferEmittedCount: 96000, totalSamplesReceived: 96000, audioLevel: 0.0456,
    totalAudioEnergy: 0.0042, totalSamplesDuration: 2.02, totalProcessingDelay: 0.8, estimatedPlayoutTimestamp: 3967590917651,
  });
  s[LOCAL_NEW] = {
    type: 'local-candidate', timestamp: T1, transportId: 'T01', address: '198.51.100.9', port: 54321, protocol: 'udp',
    candidateType: 'srflx', priority: 1686052607, foundation: '3021476611', usernameFragment: 'aB3d',
    networkType: 'ethernet', isRemote: false, url: 'stun:stun.l.google.com:19302', relatedAddress: '192.168.1.23',
    relatedPort: 54321,
  };
  return s;
}

/** One more second: a new RTCP report arrived (own, older timestamp), little else changed. */
function sample2(): StatsSample {
  const s = sample1();
  for (const r of Object.values(s)) r.timestamp = T2;
  s[REMOTE_INBOUND]!.timestamp = 1758602117871.5;
  Object.assign(s[REMOTE_INBOUND]!, { roundTripTime: 0.014, totalRoundTripTime: 0.036, roundTripTimeMeasurements: 3 });
  Object.assign(s[OUT_V]!, { packetsSent: 930, bytesSent: 903702 });
  s[OUT_V]!.qualityLimitationDurations = { bandwidth: 1.3, cpu: 0, none: 1.704, other: 0 };
  return s;
}

describe('statsDelta / applyStatsDelta on hand-written Chrome-like samples', () => {
  it('round-trips each step of a realistic sequence exactly', () => {
    const seq = [sample0(), sample1(), sample2()];
    for (let i = 1; i < seq.length; i++) {
      const prev = seq[i - 1]!;
      const next = seq[i]!;
      const d = statsDelta(prev, next);
      expect(d).not.toBeNull();
      expect(applyStatsDelta(prev, d!)).toEqual(next);
      // the delta crosses postMessage / IndexedDB / JSON files
      expect(applyStatsDelta(prev, deepCopy(d!))).toEqual(next);
    }
  });

  it('produces exactly the changed properties, null for a vanished report, the new report, and the common timestamp under `t`', () => {
    const d = statsDelta(sample0(), sample1());
    expect(DELTA_TIMESTAMP_KEY).toBe('t');
    expect(d).toEqual({
      t: T1,
      P: { activeRids: ['f', 'h', 'q'] },
      T01: { bytesSent: 102511, bytesReceived: 80977, packetsSent: 840, packetsReceived: 801 },
      [PAIR]: {
        bytesSent: 102511, bytesReceived: 80977, packetsSent: 840, packetsReceived: 801, totalRoundTripTime: 0.025,
        currentRoundTripTime: 0.013, responsesReceived: 5, requestsSent: 5,
        lastPacketReceivedTimestamp: 1758602117668.9, lastPacketSentTimestamp: 1758602117670.1,
      },
      [OUT_V]: {
        packetsSent: 620, bytesSent: 602468, headerBytesSent: 14880, frameWidth: 480, frameHeight: 360, framesSent: 60,
        framesEncoded: 60, qpSum: 1650, totalEncodeTime: 0.251, totalPacketSendDelay: 1.01,
        qualityLimitationReason: 'bandwidth',
        // nested object: only the keys that changed
        qualityLimitationDurations: { bandwidth: 0.3, none: 1.704 },
        qualityLimitationResolutionChanges: 1,
      },
      [IN_A]: {
        packetsReceived: 100, bytesReceived: 8642, headerBytesReceived: 2400, lastPacketReceivedTimestamp: 1758602117660.4,
        jitterBufferDelay: 2.4, jitterBufferEmittedCount: 96000, totalSamplesReceived: 96000, audioLevel: 0.0456,
        totalAudioEnergy: 0.0042, totalSamplesDuration: 2.02, totalProcessingDelay: 0.8,
        estimatedPlayoutTimestamp: 3967590917651,
      },
      // unchanged, but its timestamp is older than `t`: it has to carry it
      [REMOTE_INBOUND]: { timestamp: RTCP_T },
      [REMOTE_GONE]: null,
      [LOCAL_NEW]: {
        type: 'local-candidate', transportId: 'T01', address: '198.51.100.9', port: 54321, protocol: 'udp',
        candidateType: 'srflx', priority: 1686052607, foundation: '3021476611', usernameFragment: 'aB3d',
        networkType: 'ethernet', isRemote: false, url: 'stun:stun.l.google.com:19302', relatedAddress: '192.168.1.23',
        relatedPort: 54321,
      },
    });
  });

  it('omits reports that did not change apart from the common timestamp', () => {
    const d = statsDelta(sample0(), sample1())!;
    for (const id of [LOCAL, REMOTE, CODEC_V, CODEC_A]) expect(d).not.toHaveProperty([id]);
  });

  it('keeps a differing timestamp of a changed report, and omits reports with equal timestamps', () => {
    const d = statsDelta(sample1(), sample2())!;
    expect(d.t).toBe(T2);
    expect(d[REMOTE_INBOUND]).toEqual({
      timestamp: 1758602117871.5, roundTripTime: 0.014, totalRoundTripTime: 0.036, roundTripTimeMeasurements: 3,
    });
    expect(d[OUT_V]).toEqual({ packetsSent: 930, bytesSent: 903702, qualityLimitationDurations: { bandwidth: 1.3 } });
    expect(Object.keys(d).sort()).toEqual(['t', OUT_V, REMOTE_INBOUND].sort());
  });

  it('is much smaller than the full sample when little changed', () => {
    const prev = sample1();
    const next = deepCopy(prev);
    for (const r of Object.values(next)) if (r.timestamp === T1) r.timestamp = T2;
    Object.assign(next[OUT_V]!, { packetsSent: 700, bytesSent: 700000 });
    Object.assign(next[IN_A]!, { packetsReceived: 150, bytesReceived: 12963 });
    const d = statsDelta(prev, next)!;
    expect(d).not.toBeNull();
    const deltaSize = JSON.stringify(d).length;
    const fullSize = JSON.stringify(next).length;
    expect(deltaSize * 10).toBeLessThan(fullSize);
    expect(applyStatsDelta(prev, d)).toEqual(next);
  });

  it('an unchanged sample with only a new common timestamp compresses to little more than `t`', () => {
    const prev = sample0();
    const next = deepCopy(prev);
    for (const r of Object.values(next)) if (r.timestamp === T0) r.timestamp = T1;
    expect(statsDelta(prev, next)).toEqual({ t: T1, [REMOTE_INBOUND]: { timestamp: RTCP_T } });
  });

  it('decodes with the rtcstats reader to the same samples', () => {
    const seq = [sample0(), sample1(), sample2()];
    for (let i = 1; i < seq.length; i++) {
      const d = statsDelta(seq[i - 1], seq[i]!);
      expect(d).not.toBeNull();
      expect(rtcstatsDecompress(seq[i - 1]!, d)).toEqual(seq[i]);
    }
  });

  it('does not modify its inputs', () => {
    const prev = sample0();
    const next = sample1();
    const prevCopy = deepCopy(prev);
    const nextCopy = deepCopy(next);
    const d = statsDelta(prev, next)!;
    const dCopy = deepCopy(d);
    const back = applyStatsDelta(prev, d);
    expect(prev).toEqual(prevCopy);
    expect(next).toEqual(nextCopy);
    expect(d).toEqual(dCopy);
    // the rebuilt sample does not share nested objects with the previous one
    (back[OUT_V]!.qualityLimitationDurations as Record<string, number>).cpu = 99;
    expect(prev).toEqual(prevCopy);
  });

  it('without a previous sample there is no delta (the full sample is sent)', () => {
    expect(statsDelta(undefined, sample0())).toBeNull();
  });

  it('applying a delta to no previous sample yields the reports the delta carries, with the timestamp restored', () => {
    expect(applyStatsDelta(undefined, { t: 5, A: { type: 'codec', x: 1 }, B: { type: 'codec', timestamp: 3 } })).toEqual({
      A: { type: 'codec', x: 1, timestamp: 5 },
      B: { type: 'codec', timestamp: 3 },
    });
  });


  it('the deltas of the realistic sequence hold no literal null apart from reports that went away', () => {
    const d = statsDelta(sample0(), sample1())!;
    const nulls = Object.entries(d).filter(([, v]) => v === null).map(([id]) => id);
    expect(nulls).toEqual([REMOTE_GONE]);
  });

  describe('a property or nested key that disappeared cannot be a delta: statsDelta returns null', () => {
    it('a property disappears (mediaSourceId after replaceTrack(null))', () => {
      const prev = sample1();
      const next = sample1();
      delete next[OUT_V]!.mediaSourceId;
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
      expect(roundTrip(prev, next)[OUT_V]).not.toHaveProperty('mediaSourceId');
      // why: a delta that does not mention it leaves the old value in rtcstats
      expect(rtcstatsDecompress(prev, { t: T1, [REMOTE_INBOUND]: { timestamp: RTCP_T } })[OUT_V]!.mediaSourceId).toBe('SV2');
      // the same property changed instead of gone is a delta
      const changed = sample1();
      changed[OUT_V]!.mediaSourceId = 'SV3';
      expect(statsDelta(prev, changed)).toEqual({ t: T1, [REMOTE_INBOUND]: { timestamp: RTCP_T }, [OUT_V]: { mediaSourceId: 'SV3' } });
    });

    it('a key of a nested object disappears', () => {
      const prev = sample1();
      const next = sample1();
      delete (next[OUT_V]!.qualityLimitationDurations as Record<string, unknown>).other;
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)[OUT_V]!.qualityLimitationDurations).toEqual({ bandwidth: 0.3, cpu: 0, none: 1.704 });
      // why: rtcstats merges nested objects, so the key would stay
      const read = rtcstatsDecompress(prev, { t: T1, [REMOTE_INBOUND]: { timestamp: RTCP_T }, [OUT_V]: { qualityLimitationDurations: {} } });
      expect(read[OUT_V]!.qualityLimitationDurations).toEqual({ bandwidth: 0.3, cpu: 0, none: 1.704, other: 0 });
      // a nested value that changes is a delta
      const changed = sample1();
      (changed[OUT_V]!.qualityLimitationDurations as Record<string, unknown>).other = 0.5;
      expect(statsDelta(prev, changed)).toEqual({
        t: T1, [REMOTE_INBOUND]: { timestamp: RTCP_T }, [OUT_V]: { qualityLimitationDurations: { other: 0.5 } },
      });
    });

    it('an object-valued property disappears', () => {
      const prev = sample1();
      const next = sample1();
      delete next[OUT_V]!.qualityLimitationDurations;
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
    });

    it('an array-valued property disappears', () => {
      const prev = sample1();
      const next = sample1();
      delete next.P!.activeRids;
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
    });

    it('a property holding null disappears', () => {
      const prev: StatsSample = { A: { type: 'x', timestamp: 1, u: null, n: 1 } };
      const next: StatsSample = { A: { type: 'x', timestamp: 2, n: 1 } };
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
    });

    it('the timestamp disappears from every report of a sample', () => {
      const prev: StatsSample = { A: { type: 'x', timestamp: 1, n: 1 } };
      const next: StatsSample = { A: { type: 'x', n: 2 } };
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
    });

    it('a property that disappears and comes back: every step round-trips, the deltas decode in rtcstats', () => {
      // Chrome omits inbound-rtp framesPerSecond while no frames arrive
      const s1: StatsSample = { IT01V1: { type: 'inbound-rtp', kind: 'video', timestamp: 1000, framesDecoded: 30, framesPerSecond: 30 } };
      const s2: StatsSample = { IT01V1: { type: 'inbound-rtp', kind: 'video', timestamp: 2000, framesDecoded: 31 } };
      const s3: StatsSample = { IT01V1: { type: 'inbound-rtp', kind: 'video', timestamp: 3000, framesDecoded: 60, framesPerSecond: 29 } };
      const s4: StatsSample = { IT01V1: { type: 'inbound-rtp', kind: 'video', timestamp: 4000, framesDecoded: 90, framesPerSecond: 30 } };
      const seq = [s1, s2, s3, s4];
      expect(seq.slice(1).map((s, i) => statsDelta(seq[i], s))).toEqual([
        null,
        { t: 3000, IT01V1: { framesDecoded: 60, framesPerSecond: 29 } },
        { t: 4000, IT01V1: { framesDecoded: 90, framesPerSecond: 30 } },
      ]);
      // receivers that replace on a complete sample and merge deltas stay right at every step
      let ours: StatsSample = deepCopy(s1);
      let theirs: Record<string, Report | null> = deepCopy(s1);
      for (let i = 1; i < seq.length; i++) {
        const d = statsDelta(seq[i - 1], seq[i]!);
        ours = d === null ? deepCopy(seq[i]!) : applyStatsDelta(ours, deepCopy(d));
        theirs = d === null ? deepCopy(seq[i]!) : rtcstatsDecompress(theirs as Sample, d);
        expect(ours).toEqual(seq[i]);
        expect(theirs).toEqual(seq[i]);
      }
    });

    it('a nested key that disappears and comes back', () => {
      const mk = (ts: number, q: Record<string, number>): StatsSample => ({ O: { type: 'outbound-rtp', timestamp: ts, q } });
      const seq = [mk(1, { a: 1, b: 2 }), mk(2, { a: 1 }), mk(3, { a: 1, b: 3 }), mk(4, { b: 3, a: 2 })];
      expect(seq.slice(1).map((s, i) => statsDelta(seq[i], s))).toEqual([
        null,
        { t: 3, O: { q: { b: 3 } } },
        { t: 4, O: { q: { a: 2 } } },
      ]);
      for (let i = 1; i < seq.length; i++) {
        const d = statsDelta(seq[i - 1], seq[i]!);
        expect(roundTrip(seq[i - 1], seq[i]!)).toEqual(seq[i]);
        if (d !== null) expect(rtcstatsDecompress(seq[i - 1]!, d)).toEqual(seq[i]);
      }
    });
  });

  describe('literal null values are ordinary values, sent as deltas', () => {
    const cases: [string, (s: StatsSample) => void, Record<string, unknown>][] = [
      ['a value becomes null', (s) => void (s[OUT_V]!.frameWidth = null), { [OUT_V]: { frameWidth: null } }],
      [
        'a nested value becomes null',
        (s) => void ((s[OUT_V]!.qualityLimitationDurations as Record<string, unknown>).cpu = null),
        { [OUT_V]: { qualityLimitationDurations: { cpu: null } } },
      ],
      [
        'a new report holds null values',
        (s) => void (s.NEW = { type: 'codec', timestamp: T0, sdpFmtpLine: null, channels: null }),
        { NEW: { type: 'codec', sdpFmtpLine: null, channels: null } },
      ],
      ['a report gains a null property', (s) => void (s[OUT_V]!.psnrSum = null), { [OUT_V]: { psnrSum: null } }],
      [
        'a report gains an object holding null',
        (s) => void (s[OUT_V]!.psnrSum = { y: null, u: 1 }),
        { [OUT_V]: { psnrSum: { y: null, u: 1 } } },
      ],
      ['an array gains a null', (s) => void (s.P!.activeRids = ['f', null]), { P: { activeRids: ['f', null] } }],
      ['a string becomes null', (s) => void (s[CODEC_A]!.sdpFmtpLine = null), { [CODEC_A]: { sdpFmtpLine: null } }],
    ];
    for (const [name, change, expected] of cases) {
      it(name, () => {
        const prev = sample0();
        const next = sample0();
        change(next);
        const d = statsDelta(prev, next);
        expect(d).toEqual({ t: T0, [REMOTE_INBOUND]: { timestamp: RTCP_T }, ...expected });
        expect(applyStatsDelta(prev, d!)).toEqual(next);
        expect(applyStatsDelta(prev, deepCopy(d!))).toEqual(next);
        expect(rtcstatsDecompress(prev, d)).toEqual(next);
      });
    }

    /** A sample with null values: at the top of a report and nested. */
    const withNull = (): StatsSample => ({ A: { type: 'x', timestamp: 1, u: null, n: 1, q: { a: null, b: 1 } }, B: { type: 'y', timestamp: 1 } });
    const fromNull: [string, (s: StatsSample) => void, StatsDelta][] = [
      ['null turns into an object', (s) => void (s.A!.u = { a: 1 }), { t: 1, A: { u: { a: 1 } } }],
      ['null turns into an empty object', (s) => void (s.A!.u = {}), { t: 1, A: { u: {} } }],
      ['null turns into an array', (s) => void (s.A!.u = [1, null]), { t: 1, A: { u: [1, null] } }],
      ['a nested null turns into a number', (s) => void ((s.A!.q as Record<string, unknown>).a = 5), { t: 1, A: { q: { a: 5 } } }],
      ['a nested null turns into an object', (s) => void ((s.A!.q as Record<string, unknown>).a = { z: 1 }), { t: 1, A: { q: { a: { z: 1 } } } }],
      ['a nested number turns into null', (s) => void ((s.A!.q as Record<string, unknown>).b = null), { t: 1, A: { q: { b: null } } }],
      ['a report with null values disappears', (s) => void delete s.A, { t: 1, A: null }],
      ['a report with null values only gets a new timestamp', (s) => { s.A!.timestamp = 2; s.B!.timestamp = 2; }, { t: 2 }],
      ['a null value stays null while another changes', (s) => void (s.A!.n = 2), { t: 1, A: { n: 2 } }],
    ];
    for (const [name, change, expected] of fromNull) {
      it(name, () => {
        const prev = withNull();
        const next = withNull();
        change(next);
        const d = statsDelta(prev, next);
        expect(d).toEqual(expected);
        expect(applyStatsDelta(prev, deepCopy(d!))).toEqual(next);
        expect(rtcstatsDecompress(prev, d)).toEqual(next);
      });
    }

    it('a value becomes null and back, twice: null → value is a complete sample, value → null a delta', () => {
      const mk = (ts: number, u: unknown): StatsSample => ({ A: { type: 'x', timestamp: ts, u } });
      const seq = [mk(1, 5), mk(2, null), mk(3, 6), mk(4, null), mk(5, null), mk(6, 'x')];
      expect(seq.slice(1).map((s, i) => statsDelta(seq[i], s))).toEqual([
        { t: 2, A: { u: null } },
        null,
        { t: 4, A: { u: null } },
        { t: 5 },
        null,
      ]);
      // why: rtcstats merges a null base with the new value, Object.assign({}, null, 6) = {}
      expect(rtcstatsDecompress(seq[1]!, { t: 3, A: { u: 6 } }).A!.u).toEqual({});
      let receiver: StatsSample = seq[0]!;
      for (let i = 1; i < seq.length; i++) {
        const d = statsDelta(seq[i - 1], seq[i]!);
        receiver = d === null ? deepCopy(seq[i]!) : (rtcstatsDecompress(receiver, d) as StatsSample);
        expect(receiver).toEqual(seq[i]);
        expect(roundTrip(seq[i - 1], seq[i]!)).toEqual(seq[i]);
      }
    });
  });

  describe('changes the rtcstats reader would merge wrongly give null, and the complete sample is used', () => {
    const withNull = (): StatsSample => ({ A: { type: 'x', timestamp: 1, u: null, n: 1 }, B: { type: 'y', timestamp: 1 } });
    const qld = (s: StatsSample): Record<string, unknown> => s[OUT_V]!.qualityLimitationDurations as Record<string, unknown>;
    const cases: [string, () => StatsSample, (s: StatsSample) => void][] = [
      ['an object turns into a number', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = 0)],
      ['an object turns into a string', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = 'none')],
      ['an object turns into a boolean', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = false)],
      ['an object turns into null', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = null)],
      ['a nested object is replaced by one with other keys only', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = { z: 1 })],
      ['a nested object empties', sample0, (s) => void (s[OUT_V]!.qualityLimitationDurations = {})],
      ['a nested key disappears while another changes', sample0, (s) => { delete qld(s).cpu; qld(s).none = 3; }],
      ['an array turns into an object', sample0, (s) => void (s.P!.activeRids = { x: 1 })],
      ['an array turns into a number', sample0, (s) => void (s.P!.activeRids = 5)],
      ['an array turns into a string', sample0, (s) => void (s.P!.activeRids = 'fh')],
      ['an array turns into null', sample0, (s) => void (s.P!.activeRids = null)],
      // conservative: rtcstats would merge [] and {x: 1} right, but statsDelta does not single it out
      ['an empty array turns into an object', () => ({ ...sample0(), P: { ...sample0().P, activeRids: [] } }), (s) => void (s.P!.activeRids = { x: 1 })],
      ['null turns into a number', withNull, (s) => void (s.A!.u = 7)],
      ['null turns into zero', withNull, (s) => void (s.A!.u = 0)],
      ['null turns into a string', withNull, (s) => void (s.A!.u = 'x')],
      ['null turns into an empty string', withNull, (s) => void (s.A!.u = '')],
      ['null turns into a boolean', withNull, (s) => void (s.A!.u = true)],
      ['a null value disappears', withNull, (s) => void delete s.A!.u],
      ['a report loses its timestamp', sample0, (s) => void delete s[CODEC_A]!.timestamp],
      ['a new report has no timestamp', sample0, (s) => void (s.NEW = { type: 'codec', payloadType: 97 })],
      ['a report id equals the timestamp key', sample0, (s) => void (s.t = { type: 'codec', timestamp: T0 })],
      ['a property disappears while the rest changes', sample0, (s) => { delete s[IN_A]!.audioLevel; s[IN_A]!.packetsReceived = 51; }],
    ];
    for (const [name, make, change] of cases) {
      it(name, () => {
        const prev = make();
        const next = make();
        change(next);
        expect(statsDelta(prev, next)).toBeNull();
        expect(roundTrip(prev, next)).toEqual(next);
        expect(roundTrip(prev, deepCopy(next))).toEqual(next);
      });
    }

    it('a report whose id is `t` disappears', () => {
      const prev: StatsSample = { t: { type: 'codec', timestamp: 1000, payloadType: 96 }, A: { type: 'x', timestamp: 1000, n: 1 } };
      const next: StatsSample = { A: { type: 'x', timestamp: 2000, n: 2 } };
      expect(statsDelta(prev, next)).toBeNull();
      expect(roundTrip(prev, next)).toEqual(next);
    });

    it('an array that turns into an object, a number or a string is a complete sample (rtcstats would merge it into the array)', () => {
      for (const value of [{ x: 1 }, 5, 'fh']) {
        const prev = sample0();
        const next = sample0();
        next.P!.activeRids = value;
        expect(statsDelta(prev, next)).toBeNull();
        expect(roundTrip(prev, next)).toEqual(next);
      }
      // why: the naive delta decodes as a merge with the array
      expect(rtcstatsDecompress(sample0(), { t: T0, [REMOTE_INBOUND]: { timestamp: RTCP_T }, P: { activeRids: { x: 1 } } }).P!.activeRids)
        .toEqual({ 0: 'f', 1: 'h', x: 1 });
    });
  });

  describe('changes a delta can express decode exactly with both readers', () => {
    const cases: [string, (s: StatsSample) => void][] = [
      ['a number turns into an object', (s) => void (s[OUT_V]!.frameWidth = { w: 1 })],
      ['a number turns into an array', (s) => void (s[OUT_V]!.frameWidth = [640])],
      ['a string turns into an array', (s) => void (s[OUT_V]!.mid = ['1'])],
      ['a string turns into a number', (s) => void (s[OUT_V]!.mid = 1)],
      ['an object turns into an array', (s) => void (s[OUT_V]!.qualityLimitationDurations = [0, 1])],
      ['an object turns into an empty array', (s) => void (s[OUT_V]!.qualityLimitationDurations = [])],
      ['an array grows', (s) => void (s.P!.activeRids = ['f', 'h', 'q'])],
      ['an array shrinks to empty', (s) => void (s.P!.activeRids = [])],
      ['an array turns into another array of objects', (s) => void (s.P!.activeRids = [{ rid: 'f' }])],
      ['a nested object gains a key', (s) => void ((s[OUT_V]!.qualityLimitationDurations as Record<string, unknown>).extra = 1)],
      ['a nested value becomes an object', (s) => void ((s[OUT_V]!.qualityLimitationDurations as Record<string, unknown>).cpu = { x: [1] })],
      ['a nested object is replaced by a larger one', (s) => void (s[OUT_V]!.qualityLimitationDurations = { bandwidth: 0, cpu: 1, none: 1.002, other: 0, z: 1 })],
      ['a nested object keeps its keys in another order', (s) => void (s[OUT_V]!.qualityLimitationDurations = { other: 0, none: 1.002, cpu: 0, bandwidth: 0 })],
      ['a boolean flips', (s) => void (s[OUT_V]!.active = false)],
      ['a counter drops to zero', (s) => void (s[OUT_V]!.framesPerSecond = 0)],
      ['a report gains a property', (s) => void (s[OUT_V]!.psnrSum = { y: 30.1 })],
      ['a report gains a property holding an array with null', (s) => void (s[OUT_V]!.extension = [null, 1])],
      ['a value becomes null', (s) => void (s[OUT_V]!.encoderImplementation = null)],
      ['a report changes type', (s) => void (s[CODEC_V]!.type = 'media-source')],
      ['a report is replaced by a larger one under the same id', (s) => void (s[CODEC_V] = { ...s[CODEC_V]!, type: 'media-source', kind: 'video' })],
      ['a report gets an older timestamp of its own', (s) => void (s[CODEC_V]!.timestamp = T0 - 500)],
      ['every report disappears', (s) => { for (const k of Object.keys(s)) delete s[k]; }],
    ];
    for (const [name, change] of cases) {
      it(name, () => {
        const prev = sample0();
        const next = sample0();
        change(next);
        const d = statsDelta(prev, next);
        expect(d).not.toBeNull();
        expect(applyStatsDelta(prev, d!)).toEqual(next);
        expect(rtcstatsDecompress(prev, d)).toEqual(next);
      });
    }
  });

  it('a sample without any timestamps round-trips without `t`', () => {
    const prev: StatsSample = { A: { type: 'x', n: 1 }, B: { type: 'y', n: 2 } };
    const next: StatsSample = { A: { type: 'x', n: 3 }, C: { type: 'z', n: 4 } };
    const d = statsDelta(prev, next)!;
    expect(d).toEqual({ A: { n: 3 }, B: null, C: { type: 'z', n: 4 } });
    expect(applyStatsDelta(prev, d)).toEqual(next);
    expect(rtcstatsDecompress(prev, d)).toEqual(next);
  });
});

// ---------------------------------------------------------------------------
// Random sequences (support/random-stats.ts): every kind of change, nulls,
// vanishing properties and nested keys, type changes, own timestamps.
// ---------------------------------------------------------------------------

function sameDeep(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

const SEEDS = [1, 2, 3, 42, 1234, 99991, 20250923, 7, 0xdeadbeef, 31337];
const STEPS_PER_SEED = 250;
const SEQUENCES: [number, GenOptions][] = [
  ...SEEDS.map((s): [number, GenOptions] => [s, ANYTHING]),
  [555, { ...ANYTHING, timestamps: false }],
  [556, { ...ANYTHING, nullRate: 0.15 }],
  [557, { ...ANYTHING, vanishRate: 0, nullRate: 0.05 }],
  [558, { ...ANYTHING, replaceReports: false, vanishRate: 0.2 }],
];

function* allSteps(): Generator<[number, JsonSample, JsonSample]> {
  for (const [seed, opts] of SEQUENCES) {
    for (const [prev, next] of randomSequence(seed, STEPS_PER_SEED, opts)) yield [seed, prev, next];
  }
}

describe('statsDelta / applyStatsDelta on random sequences', () => {
  it('applyStatsDelta(prev, statsDelta(prev, next)) gives back next, for every step', () => {
    const coverage = {
      steps: 0, full: 0, removedReport: 0, newReport: 0, newReportWithNull: 0, ownTimestamp: 0, partialNested: 0,
      nullValue: 0, nestedNull: 0, nullToObject: 0, nullToArray: 0, objectToArray: 0, arrayChanged: 0, noT: 0,
    };
    for (const [seed, prev, next] of allSteps()) {
      coverage.steps++;
      const prevSnapshot = JSON.stringify(prev);
      const nextSnapshot = JSON.stringify(next);
      const d = statsDelta(prev, next);
      expect(JSON.stringify(prev)).toBe(prevSnapshot);
      expect(JSON.stringify(next)).toBe(nextSnapshot);
      if (d === null) {
        coverage.full++;
        continue;
      }
      const back = applyStatsDelta(prev, d);
      if (!sameDeep(back, next)) expect({ seed, prev, d, back }).toEqual({ seed, prev, d, back: next });
      // the delta crosses postMessage / IndexedDB / JSON files
      expect(applyStatsDelta(prev, deepCopy(d))).toEqual(next);
      expect(JSON.stringify(prev)).toBe(prevSnapshot);
      // what the deltas hold, so the test is known to exercise it
      if (!('t' in d)) coverage.noT++;
      for (const [id, change] of Object.entries(d)) {
        if (id === 't') continue;
        if (change === null) coverage.removedReport++;
        else if (typeof change === 'object' && !(id in prev)) {
          coverage.newReport++;
          if (Object.values(change).includes(null)) coverage.newReportWithNull++;
        } else if (typeof change === 'object') {
          if ('timestamp' in change) coverage.ownTimestamp++;
          for (const [name, v] of Object.entries(change)) {
            const old = prev[id]![name];
            const full = next[id]![name];
            if (v === null) coverage.nullValue++;
            if (isPlain(v) && isPlain(full) && Object.keys(v).length < Object.keys(full).length) coverage.partialNested++;
            if (isPlain(v) && isPlain(old) && Object.values(v).includes(null)) coverage.nestedNull++;
            if (old === null && isPlain(v)) coverage.nullToObject++;
            if (old === null && Array.isArray(v)) coverage.nullToArray++;
            if (isPlain(old) && Array.isArray(v)) coverage.objectToArray++;
            if (Array.isArray(old) && Array.isArray(v)) coverage.arrayChanged++;
          }
        }
      }
    }
    expect(coverage.steps).toBeGreaterThanOrEqual(3000);
    // most steps are expressible as a delta, many are not (these sequences are adversarial)
    expect(coverage.full).toBeGreaterThan(coverage.steps * 0.1);
    expect(coverage.full).toBeLessThan(coverage.steps * 0.5);
    // at least about half of what these seeds give (measured: 471, 472, 34, 1761, 316, 179, 31, 31, 30, 22, 852, 186)
    const minimum: Record<string, number> = {
      removedReport: 200, newReport: 200, newReportWithNull: 15, ownTimestamp: 800, partialNested: 150, nullValue: 80,
      nestedNull: 15, nullToObject: 15, nullToArray: 15, objectToArray: 10, arrayChanged: 400, noT: 80,
    };
    for (const [name, min] of Object.entries(minimum)) {
      expect([name, coverage[name as keyof typeof coverage] > min]).toEqual([name, true]);
    }
  });

  it('every non-null delta decodes with the rtcstats reader to exactly next', () => {
    let decoded = 0;
    let steps = 0;
    let withNull = 0;
    for (const [seed, prev, next] of allSteps()) {
      steps++;
      const d = statsDelta(prev, next);
      if (d === null) continue;
      const back = rtcstatsDecompress(prev, d);
      if (!sameDeep(back, next)) expect({ seed, prev, d, back }).toEqual({ seed, prev, d, back: next });
      if (JSON.stringify(next).includes('null')) withNull++;
      decoded++;
    }
    expect(steps).toBeGreaterThanOrEqual(3000);
    expect(decoded).toBeGreaterThan(steps * 0.5);
    expect(withNull).toBeGreaterThan(500); // null values are common in these sequences
  });

  it('statsDelta returns null exactly when no delta can make the rtcstats reader give next', () => {
    const reasons = new Map<string, number>();
    let deltas = 0;
    for (const [seed, prev, next] of allSteps()) {
      const why = whyNoDelta(prev, next);
      const d = statsDelta(prev, next);
      if ((d === null) !== why.length > 0) expect({ seed, prev, next, d }).toEqual({ seed, prev, next, why });
      for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      if (why.length === 0) deltas++;
    }
    expect(deltas).toBeGreaterThan(1500);
    // every reason occurs often (measured: 81, 458, 336, 281, 199, 271)
    const minimum: [string, number][] = [
      ['report without timestamp', 40], ['vanished property', 200], ['array to non-array', 150], ['null to primitive', 120],
      ['vanished nested key', 90], ['object to non-object', 120],
    ];
    for (const [r, min] of minimum) expect([r, (reasons.get(r) ?? 0) > min]).toEqual([r, true]);
  });

  it('each reason alone makes statsDelta return null', () => {
    const alone = new Map<string, number>();
    for (const [, prev, next] of allSteps()) {
      const why = whyNoDelta(prev, next);
      if (why.length !== 1) continue;
      expect(statsDelta(prev, next)).toBeNull();
      alone.set(why[0]!, (alone.get(why[0]!) ?? 0) + 1);
    }
    // measured: 30, 316, 192, 162, 111, 166
    const minimum: [string, number][] = [
      ['report without timestamp', 15], ['vanished property', 150], ['array to non-array', 90], ['null to primitive', 80],
      ['vanished nested key', 50], ['object to non-object', 80],
    ];
    for (const [r, min] of minimum) expect([r, (alone.get(r) ?? 0) > min]).toEqual([r, true]);
  });

  it('a receiver following the whole sequence (delta or complete sample, through JSON) stays in sync, with either reader', () => {
    let steps = 0;
    for (const [seed, opts] of SEQUENCES) {
      let ours: StatsSample | undefined;
      let theirs: Record<string, Report | null> | undefined;
      let sender: JsonSample | undefined;
      for (const [prev, next] of randomSequence(seed, STEPS_PER_SEED, opts)) {
        if (sender === undefined) {
          ours = deepCopy(prev); // first message: the complete sample
          theirs = deepCopy(prev);
          sender = prev;
        }
        const d = statsDelta(sender, next);
        const message = JSON.parse(JSON.stringify(d ?? next)) as StatsSample | StatsDelta;
        ours = d === null ? (message as StatsSample) : applyStatsDelta(ours, message as StatsDelta);
        theirs = d === null ? deepCopy(message as StatsSample) : rtcstatsDecompress(theirs as Sample, message);
        sender = next;
        expect(ours).toEqual(next);
        expect(theirs).toEqual(next);
        steps++;
      }
    }
    expect(steps).toBeGreaterThanOrEqual(3000);
  });
});
describe('CurrentStats', () => {
  it('gives the samples applyStatsDelta gives (key order included), over random sequences with complete samples between deltas', () => {
    let steps = 0;
    let fullSteps = 0;
    for (const [seed, opts] of SEQUENCES) {
      const current = new CurrentStats();
      let expected: StatsSample | undefined;
      let sender: JsonSample | undefined;
      const messages: [StatsSample | StatsDelta, string][] = [];
      for (const [prev, next] of randomSequence(seed, STEPS_PER_SEED, opts)) {
        if (sender === undefined) sender = prev;
        const d = statsDelta(sender, next);
        const message = deepCopy(d ?? next) as StatsSample | StatsDelta;
        messages.push([message, JSON.stringify(message)]);
        const got = current.add(message, d === null);
        expected = d === null ? next : applyStatsDelta(expected, message as StatsDelta);
        if (d === null) fullSteps++;
        // JSON text: the same reports, properties and order (the order fixes the order of the CSV's rows)
        if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ seed, steps, got }).toEqual({ seed, steps, got: expected });
        sender = next;
        steps++;
      }
      // the stored events are not changed by the samples changed in place after them
      for (const [message, text] of messages) expect(JSON.stringify(message)).toBe(text);
    }
    expect(steps).toBeGreaterThanOrEqual(3000);
    expect(fullSteps).toBeGreaterThan(steps * 0.1);
  });
});
