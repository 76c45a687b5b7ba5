// The shape of our chrome://webrtc-internals export (as Chrome 147 writes
// it) and the derived-series rules on a hand-built session.

import { describe, it, expect } from 'vitest';
import type { SessionDump } from '../../src/core/dump';
import { CALCULATORS, exportInternals, userAgentData, updateLogValue } from '../../src/core/internals-export';
import type { SessionRecord } from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { exportText } from '../../src/core/export';
import { seededRandom } from '../../src/core/random';

const T = 1758602115000;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.7727.138 Safari/537.36';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function session(): SessionRecord {
  return {
    id: 's1',
    tabId: 412,
    url: 'https://meet.example.com/room',
    origin: 'https://meet.example.com',
    title: 'Room',
    startTime: T,
    endTime: T + 60000,
    userAgent: UA,
    extensionVersion: '0.1.0',
    frames: [
      { key: 'top', frameId: 0, url: 'https://meet.example.com/room', origin: 'https://meet.example.com', isTop: true, firstSeen: T },
      { key: 'sub', frameId: 9, url: 'https://widget.example.net/call', origin: 'https://widget.example.net', isTop: false, firstSeen: T + 10 },
    ],
    connections: [
      { id: 'PC_0', frame: 0, createdAt: T + 100, closedAt: null, configuration: { iceServers: [{ urls: 'stun:stun.example.org' }] } },
      { id: 'f1-PC_0', frame: 1, createdAt: T + 200, closedAt: null, configuration: {} },
    ],
    tags: {},
    eventCount: 0,
    statsCount: 0,
    lastEventTime: T + 5000,
    bytes: 0,
    rawBytes: 0,
  };
}

const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

/** Outbound video + inbound audio + codecs + transport, counters moving by a fixed step per second. */
function sample(i: number): StatsSample {
  const ts = T + 1000 + i * 1000 + 0.5;
  return {
    T01: { timestamp: ts, type: 'transport', bytesSent: 1000 * i, bytesReceived: 2000 * i, packetsSent: 10 * i, packetsReceived: 20 * i },
    COT01_96: { timestamp: ts, type: 'codec', mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 },
    CIT01_111: { timestamp: ts, type: 'codec', mimeType: 'audio/opus', payloadType: 111, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
    OT01V1: {
      timestamp: ts,
      type: 'outbound-rtp',
      kind: 'video',
      mid: '1',
      codecId: 'COT01_96',
      bytesSent: 12500 * i,
      packetsSent: 12 * i,
      framesEncoded: 30 * i,
      totalEncodeTime: 0.15 * i,
      ...(i >= 2 ? { qpSum: 600 * i } : {}),
    },
    IT01A2: {
      timestamp: ts,
      type: 'inbound-rtp',
      kind: 'audio',
      codecId: 'CIT01_111',
      packetsReceived: 50 * i,
      bytesReceived: 4000 * i,
      jitterBufferDelay: 48 * i, // 48000 samples a second, 1 ms each
      jitterBufferEmittedCount: 48000 * i,
      totalSamplesReceived: 48000 * i,
      concealedSamples: 480 * i,
      totalAudioEnergy: 0.01 * i,
      totalSamplesDuration: 1 * i,
    },
  };
}

function events(): StoredEvent[] {
  const list: Omit<StoredEvent, 'seq'>[] = [];
  const ev = (t: number, method: string, pc: string | null, value: unknown, extra?: (string | number)[], frame = 0) => {
    const e: Omit<StoredEvent, 'seq'> = { sessionId: 's1', frame, t, method, pc, value };
    if (extra) e.extra = extra;
    list.push(e);
  };
  ev(T + 1, 'create', null, { hardwareConcurrency: 12, deviceMemory: 16, screen: { width: 1920, height: 1080 } });
  ev(T + 10, 'navigator.mediaDevices.getUserMedia', null, { audio: true, video: { width: { ideal: 1280 } } }, ['gum-0']);
  ev(T + 11, 'navigator.mediaDevices.getDisplayMedia', null, { video: true }, ['gdm-0']);
  ev(T + 40, 'navigator.mediaDevices.getUserMediaOnSuccess', null, [['audio', 'a-id', 'Mic', {}], ['video', 'v-id', 'Cam', {}]], ['gum-0']);
  ev(T + 50, 'navigator.mediaDevices.getDisplayMediaOnFailure', null, 'NotAllowedError: Permission denied', ['gdm-0']);
  ev(T + 100, 'create', 'PC_0', { iceServers: [{ urls: 'stun:stun.example.org' }] });
  ev(T + 100, 'constraints', 'PC_0', { optional: [{ rtcStatsClientId: 'c1' }] });
  ev(T + 101, 'onnegotiationneeded', 'PC_0', null);
  ev(T + 102, 'createOffer', 'PC_0', { offerToReceiveAudio: true });
  ev(T + 103, 'createOfferOnSuccess', 'PC_0', OFFER);
  ev(T + 104, 'setLocalDescription', 'PC_0', OFFER);
  ev(T + 105, 'setLocalDescriptionOnSuccess', 'PC_0', OFFER);
  ev(T + 105, 'onsignalingstatechange', 'PC_0', 'have-local-offer');
  ev(T + 106, 'onicecandidate', 'PC_0', { candidate: 'candidate:1 1 udp 1 192.0.2.1 5000 typ host', sdpMLineIndex: 0, sdpMid: '0', usernameFragment: 'abcd' });
  ev(T + 107, 'onicecandidateerror', 'PC_0', { address: null, port: null, url: 'stun:stun.example.org', errorCode: 701, errorText: 'lookup failed' });
  ev(T + 108, 'addIceCandidate', 'PC_0', { candidate: 'candidate:2 1 udp 1 192.0.2.2 5001 typ host', sdpMid: '0', sdpMLineIndex: 0 });
  ev(T + 109, 'addIceCandidateOnFailure', 'PC_0', 'OperationError: Unknown ufrag');
  ev(T + 200, 'create', 'f1-PC_0', {}, undefined, 1);
  // getStats: a complete sample, then deltas, as the capture stores them
  let prev: StatsSample | undefined;
  for (let i = 0; i < 4; i++) {
    const s = sample(i);
    const delta = prev ? statsDelta(prev, s) : null;
    const e: Omit<StoredEvent, 'seq'> = { sessionId: 's1', frame: 0, t: T + 1000 + i * 1000, method: 'getStats', pc: 'PC_0', value: delta ?? s };
    if (delta === null) e.full = true;
    list.push(e);
    prev = s;
  }
  ev(T + 5000, 'close', 'PC_0', null);
  const seq = new Map<number, number>();
  return list.map((e) => ({ ...e, seq: (seq.set(e.frame, (seq.get(e.frame) ?? 0) + 1), seq.get(e.frame)!) }));
}

const dump = (): SessionDump => ({ session: session(), events: events() });
type Json = Record<string, unknown>;
const parsed = () => JSON.parse(exportInternals(dump())) as Json;

describe('exportInternals: the dump', () => {
  it('has the top-level keys of a Chrome 147 dump, in its order', () => {
    const d = parsed();
    expect(Object.keys(d)).toEqual(['deviceMemory', 'hardwareConcurrency', 'timestamp', 'getUserMedia', 'PeerConnections', 'UserAgent', 'UserAgentData']);
    expect(d.deviceMemory).toBe(16);
    expect(d.hardwareConcurrency).toBe(12);
    expect(d.timestamp).toBe(T + 60000);
    expect(d.UserAgent).toBe(UA);
    expect(d.UserAgentData).toEqual({
      brands: [{ brand: 'Chromium', version: '147' }, { brand: 'Google Chrome', version: '147' }],
      fullVersionList: [{ brand: 'Chromium', version: '147.0.7727.138' }, { brand: 'Google Chrome', version: '147.0.7727.138' }],
      mobile: false,
      platform: 'Linux',
    });
  });

  it('keys connections <rid>-<lid> (frame index + 1, count from 1) and keeps our id', () => {
    const pcs = parsed().PeerConnections as Record<string, Json>;
    expect(Object.keys(pcs)).toEqual(['1-1', '2-2']);
    expect(Object.keys(pcs['1-1']!)).toEqual(['pid', 'constraints', 'rtcConfiguration', 'stats', 'updateLog', 'url', 'webrtcLensConnectionId']);
    expect(Object.keys(pcs['2-2']!)).toEqual(['pid', 'rtcConfiguration', 'stats', 'updateLog', 'url', 'webrtcLensConnectionId']);
    expect(pcs['1-1']!.webrtcLensConnectionId).toBe('PC_0');
    expect(pcs['2-2']!.webrtcLensConnectionId).toBe('f1-PC_0');
    expect(pcs['1-1']!.pid).toBe(412);
    expect(pcs['1-1']!.url).toBe('https://meet.example.com/room');
    expect(pcs['2-2']!.url).toBe('https://widget.example.net/call');
    expect(pcs['1-1']!.rtcConfiguration).toBe('{"iceServers":[{"urls":"stun:stun.example.org"}]}');
    expect(pcs['1-1']!.constraints).toBe('{"optional":[{"rtcStatsClientId":"c1"}]}');
    expect(pcs['2-2']!.stats).toEqual({});
    expect(pcs['2-2']!.updateLog).toEqual([]);
  });

  it('writes the updateLog with JSON-string values and Chrome names', () => {
    const log = ((parsed().PeerConnections as Record<string, Json>)['1-1']!.updateLog) as { type: string; value: string; timestamp: number }[];
    for (const u of log) {
      expect(Object.keys(u)).toEqual(['type', 'value', 'timestamp']);
      expect(typeof u.value).toBe('string');
    }
    expect(log.map((u) => u.type)).toEqual([
      'onnegotiationneeded',
      'createOffer',
      'createOfferOnSuccess',
      'setLocalDescription',
      'setLocalDescriptionOnSuccess',
      'onsignalingstatechange',
      'onicecandidate',
      'onicecandidateerror',
      'addIceCandidate',
      'addIceCandidateFailed',
      'close',
    ]);
    const value = (type: string) => log.find((u) => u.type === type)!.value;
    expect(value('onnegotiationneeded')).toBe('');
    expect(value('close')).toBe('');
    expect(value('onsignalingstatechange')).toBe('"have-local-offer"');
    expect(JSON.parse(value('setLocalDescription'))).toEqual(OFFER);
    expect(value('createOfferOnSuccess').startsWith('{"type":"offer","sdp":"v=0\\r\\n')).toBe(true);
    expect(value('onicecandidate')).toBe('{"sdpMid":"0","sdpMLineIndex":0,"candidate":"candidate:1 1 udp 1 192.0.2.1 5000 typ host","usernameFragment":"abcd"}');
    expect(value('onicecandidateerror')).toBe('{"url":"stun:stun.example.org","address":null,"port":null,"error_text":"lookup failed","error_code":701}');
    expect(value('addIceCandidateFailed')).toBe('"OperationError: Unknown ufrag"');
    expect(log[0]!.timestamp).toBe(T + 101);
  });

  it('writes getUserMedia entries as Chrome does: request, then success or failure', () => {
    expect(parsed().getUserMedia).toEqual([
      { audio: '', origin: 'https://meet.example.com', pid: 412, request_id: 0, request_type: 'getUserMedia', rid: 1, timestamp: T + 10, video: '{"width":{"ideal":1280}}' },
      { origin: 'https://meet.example.com', pid: 412, request_id: 1, request_type: 'getDisplayMedia', rid: 1, timestamp: T + 11, video: '' },
      {
        audio_track_info: '{"id":"a-id","label":"Mic"}',
        pid: 412,
        request_id: 0,
        request_type: 'getUserMedia',
        rid: 1,
        stream_id: '',
        timestamp: T + 40,
        video_track_info: '{"id":"v-id","label":"Cam"}',
      },
      { error: 'NotAllowedError', error_message: 'Permission denied', pid: 412, request_id: 1, request_type: 'getDisplayMedia', rid: 1, timestamp: T + 50 },
    ]);
  });
});

describe('exportInternals: stats series', () => {
  const stats = () => ((parsed().PeerConnections as Record<string, Json>)['1-1']!.stats) as Record<string, { startTime: string; endTime: string; statsType: string; values: string }>;
  const values = (key: string) => JSON.parse(stats()[key]!.values) as unknown[];

  it('writes {startTime, endTime, statsType, values} with values a JSON string and ISO times', () => {
    for (const [key, s] of Object.entries(stats())) {
      expect(Object.keys(s), key).toEqual(['startTime', 'endTime', 'statsType', 'values']);
      expect(s.startTime, key).toMatch(ISO);
      expect(s.endTime, key).toMatch(ISO);
      expect(typeof s.values).toBe('string');
      expect(Array.isArray(JSON.parse(s.values))).toBe(true);
    }
    expect(stats()['OT01V1-bytesSent']).toEqual({
      startTime: new Date(T + 1000.5).toISOString(),
      endTime: new Date(T + 4000.5).toISOString(),
      statsType: 'outbound-rtp',
      values: '[0,12500,25000,37500]',
    });
  });

  it('has a -timestamp series per stats id, last of its first sample, from the complete samples (deltas undone)', () => {
    const keys = Object.keys(stats());
    for (const id of ['T01', 'COT01_96', 'CIT01_111', 'OT01V1', 'IT01A2']) {
      expect(values(`${id}-timestamp`)).toEqual([0, 1, 2, 3].map((i) => T + 1000 + i * 1000 + 0.5));
    }
    // Chrome's order: reports outbound, inbound, then the rest by id; in a report its
    // properties sorted, the derived series it can compute, then the timestamp
    const firstSample = keys.slice(0, keys.indexOf('T01-timestamp') + 1);
    expect(firstSample).toEqual([
      'OT01V1-bytesSent', 'OT01V1-codecId', 'OT01V1-framesEncoded', 'OT01V1-kind', 'OT01V1-mid', 'OT01V1-packetsSent', 'OT01V1-totalEncodeTime', 'OT01V1-type',
      'OT01V1-[codec]', 'OT01V1-timestamp',
      'IT01A2-bytesReceived', 'IT01A2-codecId', 'IT01A2-concealedSamples', 'IT01A2-jitterBufferDelay', 'IT01A2-jitterBufferEmittedCount', 'IT01A2-kind',
      'IT01A2-packetsReceived', 'IT01A2-totalAudioEnergy', 'IT01A2-totalSamplesDuration', 'IT01A2-totalSamplesReceived', 'IT01A2-type',
      'IT01A2-[codec]', 'IT01A2-timestamp',
      'CIT01_111-mimeType', 'CIT01_111-payloadType', 'CIT01_111-sdpFmtpLine', 'CIT01_111-type', 'CIT01_111-timestamp',
      'COT01_96-clockRate', 'COT01_96-mimeType', 'COT01_96-payloadType', 'COT01_96-type', 'COT01_96-timestamp',
      'T01-bytesReceived', 'T01-bytesSent', 'T01-packetsReceived', 'T01-packetsSent', 'T01-type', 'T01-timestamp',
    ]);
    expect(values('T01-bytesReceived')).toEqual([0, 2000, 4000, 6000]);
  });

  it('computes the derived series as Chrome, one point shorter where a previous sample is needed', () => {
    expect(values('OT01V1-[bytesSent_in_bits/s]')).toEqual([100000, 100000, 100000]);
    expect(values('OT01V1-[packetsSent/s]')).toEqual([12, 12, 12]);
    expect(values('OT01V1-[framesEncoded/s]')).toEqual([30, 30, 30]);
    expect(values('OT01V1-[totalEncodeTime/framesEncoded_in_ms]').map((v) => Math.round((v as number) * 1e9) / 1e9)).toEqual([5, 5, 5]);
    expect(values('OT01V1-[qpSum/framesEncoded]')).toEqual([20]); // qpSum only from the third sample
    expect(stats()['OT01V1-[qpSum/framesEncoded]']!.startTime).toBe(new Date(T + 4000.5).toISOString());
    expect(values('OT01V1-[codec]')).toEqual(['VP8 (96)', 'VP8 (96)', 'VP8 (96)', 'VP8 (96)']);
    expect(values('IT01A2-[codec]')[0]).toBe('opus (111, minptime=10;useinbandfec=1)');
    expect(values('IT01A2-[bytesReceived_in_bits/s]')).toEqual([32000, 32000, 32000]);
    expect(values('IT01A2-[packetsReceived/s]')).toEqual([50, 50, 50]);
    expect(values('IT01A2-[jitterBufferDelay/jitterBufferEmittedCount_in_ms]')).toEqual([1, 1, 1]);
    expect(values('IT01A2-[concealedSamples/totalSamplesReceived]')).toEqual([0.01, 0.01, 0.01]);
    expect((values('IT01A2-[Audio_Level_in_RMS]') as number[]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.1, 0.1, 0.1]);
    expect(values('T01-[bytesSent_in_bits/s]')).toEqual([8000, 8000, 8000]);
    expect(values('T01-[packetsReceived/s]')).toEqual([20, 20, 20]);
    // no series for what the reports do not have
    expect(stats()['IT01A2-[framesDecoded/s]']).toBeUndefined();
    expect(stats()['T01-[totalRoundTripTime/responsesReceived]']).toBeUndefined();
  });
});

describe('derived metrics: edge cases', () => {
  const get = (type: string, name: string) => CALCULATORS[type]!.find((c) => c.name === name)!;
  const r = (timestamp: number, x: Record<string, unknown>) => ({ timestamp, ...x });

  it('skips what cannot be computed: no previous, time not advancing, a counter not advancing', () => {
    const rate = get('outbound-rtp', '[packetsSent/s]');
    expect(rate.compute(undefined, r(1000, { packetsSent: 5 }), () => undefined)).toBeUndefined();
    expect(rate.compute(r(1000, { packetsSent: 1 }), r(1000, { packetsSent: 5 }), () => undefined)).toBeUndefined();
    expect(rate.compute(r(1000, {}), r(2000, { packetsSent: 5 }), () => undefined)).toBeUndefined();
    const ratio = get('candidate-pair', '[totalRoundTripTime/responsesReceived]');
    expect(ratio.compute(r(1000, { totalRoundTripTime: 1, responsesReceived: 2 }), r(2000, { totalRoundTripTime: 1, responsesReceived: 2 }), () => undefined)).toBeUndefined(); // 0/0
    expect(ratio.compute(r(1000, { totalRoundTripTime: 1, responsesReceived: 2 }), r(2000, { totalRoundTripTime: 2, responsesReceived: 2 }), () => undefined)).toBeUndefined(); // x/0
    expect(ratio.compute(r(1000, { totalRoundTripTime: 1, responsesReceived: 2 }), r(2000, { totalRoundTripTime: 1.5, responsesReceived: 4 }), () => undefined)).toBe(0.25);
  });

  it('rounds bit rates, keeps other rates exact', () => {
    const bits = get('transport', '[bytesSent_in_bits/s]');
    expect(bits.compute(r(1000, { bytesSent: 0 }), r(1003, { bytesSent: 1000 }), () => undefined)).toBe(Math.round((1000 * 8 * 1000) / 3));
    const frames = get('inbound-rtp', '[framesDecoded/s]');
    expect(frames.compute(r(1000, { framesDecoded: 0 }), r(1003, { framesDecoded: 1 }), () => undefined)).toBe(1000 / 3);
  });

  it('frames received − decoded − dropped, and the inter-frame delay standard deviation', () => {
    const diff = get('inbound-rtp', '[framesReceived-framesDecoded-framesDropped]');
    expect(diff.compute(undefined, r(1, { framesReceived: 10, framesDecoded: 8, framesDropped: 1 }), () => undefined)).toBe(1);
    expect(diff.compute(undefined, r(1, { framesReceived: 10, framesDecoded: 8 }), () => undefined)).toBeUndefined();
    const sd = get('inbound-rtp', '[interFrameDelayStDev_in_ms]');
    // two frames 30 and 50 ms apart: mean 40 ms, standard deviation 10 ms
    const prev = r(1000, { framesDecoded: 1, totalInterFrameDelay: 0, totalSquaredInterFrameDelay: 0 });
    const cur = r(2000, { framesDecoded: 3, totalInterFrameDelay: 0.08, totalSquaredInterFrameDelay: 0.03 * 0.03 + 0.05 * 0.05 });
    expect(sd.compute(prev, cur, () => undefined) as number).toBeCloseTo(10, 9);
  });

  it('updateLogValue', () => {
    expect(updateLogValue('onconnectionstatechange', 'connected')).toBe('"connected"');
    expect(updateLogValue('onicecandidate', null)).toBe('');
    expect(updateLogValue('ontrack', { kind: 'audio' })).toBe('{"kind":"audio"}');
    expect(updateLogValue('setRemoteDescription', { sdp: 'v=0', type: 'answer' })).toBe('{"type":"answer","sdp":"v=0"}');
    expect(updateLogValue('setLocalDescription', {})).toBe('{}');
  });

  it('UserAgentData for other browsers', () => {
    expect(userAgentData('Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0')).toEqual({ brands: [], fullVersionList: [], mobile: false, platform: 'macOS' });
    const edge = userAgentData('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.3485.54');
    expect(edge.brands).toEqual([{ brand: 'Chromium', version: '140' }, { brand: 'Microsoft Edge', version: '140' }]);
    expect(userAgentData('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36')).toMatchObject({ mobile: true, platform: 'Android' });
    expect(userAgentData('')).toEqual({ brands: [], fullVersionList: [], mobile: false, platform: '' });
  });
});

/**
 * One report R whose property p<k> takes the values of lists[k], sample by
 * sample: exportInternals and the pieces (exportText) must write each series
 * as JSON.stringify of its list.
 */
function expectSeriesOfLists(lists: unknown[][]): void {
    const events: StoredEvent[] = lists[0]!.map((_, i) => {
      const report: Record<string, unknown> = { timestamp: T + i * 1000, type: 'transport' };
      lists.forEach((list, k) => (report[`p${k}`] = list[i]));
      return { sessionId: 's1', frame: 0, seq: i + 1, t: T + i * 1000, method: 'getStats', pc: 'PC_0', value: { R: report }, full: true };
    });
    const dump: SessionDump = { session: session(), events };
    type Out = { PeerConnections: Record<string, { stats: Record<string, { values: string }> }> };
    for (const text of [exportInternals(dump), exportText(dump, 'internals')]) {
      const stats = (JSON.parse(text) as Out).PeerConnections['1-1']!.stats;
      lists.forEach((list, k) => expect(stats[`R-p${k}`]!.values, `p${k}`).toBe(JSON.stringify(list)));
    }
}

describe('exportInternals: values text', () => {
  it('writes each series as JSON.stringify writes the list of its values, numbers of every size and values that are not numbers alike', () => {
    const xs: unknown[][] = [
      [0, 1, -1, 2.5, 1e21, 1e-7, 0.1 + 0.2, 2 ** 53, -1234.5678],
      [1, 2, 'n/a', 4],
      ['on', 7, { a: 1 }, null],
      [true, false, 3],
    ];
    const n = xs[0]!.length;
    const events: StoredEvent[] = [];
    for (let i = 0; i < n; i++) {
      const report: Record<string, unknown> = { timestamp: T + i * 1000, type: 'transport' };
      xs.forEach((list, k) => {
        if (i < list.length) report[`p${k}`] = list[i];
      });
      events.push({ sessionId: 's1', frame: 0, seq: i + 1, t: T + i * 1000, method: 'getStats', pc: 'PC_0', value: { R: report }, full: true });
    }
    const out = JSON.parse(exportInternals({ session: session(), events })) as { PeerConnections: Record<string, { stats: Record<string, { values: string }> }> };
    const stats = out.PeerConnections['1-1']!.stats;
    xs.forEach((list, k) => expect(stats[`R-p${k}`]!.values, `p${k}`).toBe(JSON.stringify(list)));
  });

  it('writes runs of one value (written once and repeated) as JSON.stringify does, in the whole text and in pieces', () => {
    const random = seededRandom(7);
    const pick = <V>(list: V[]): V => list[Math.floor(random() * list.length)]!;
    const odd = ['say "hi"', 'back\\slash', 'line\nbreak', 'é\u2028😀', '\ud800', '', 'plain'];
    const oneValue = (): unknown =>
      pick([() => Math.floor(random() * 5), () => random() * 1e6, () => pick([NaN, Infinity, -0, 1e21]), () => pick(odd), () => pick([null, true, { a: '"' }])])();
    // per property: runs of random length (1 to 20) of one value; some properties numbers only
    const lists: unknown[][] = [];
    for (let k = 0; k < 12; k++) {
      const list: unknown[] = [];
      const numbersOnly = k % 2 === 0;
      while (list.length < 120) {
        const value = numbersOnly ? pick([0, 1.5, random() * 100, Math.round(random() * 3)]) : oneValue();
        for (let n = 1 + Math.floor(random() * 20); n > 0; n--) list.push(value);
      }
      lists.push(list.slice(0, 120));
    }
    expectSeriesOfLists(lists);
  });

  it('writes series of the same values (written once) and series alike only in length, first and last value each as its own list', () => {
    // p0 = p1 (the same list), p2 differs from them in the middle only, p3 holds a string and an object in the middle
    const lists: unknown[][] = [
      [1.5, 2.25, 3.125, 9],
      [1.5, 2.25, 3.125, 9],
      [1.5, 7.75, 3.125, 9],
      [1.5, 'x', { a: 'é"' }, 9],
      [1.5, 'x', { a: 'é"' }, 9],
    ];
    expectSeriesOfLists(lists);
  });
});

describe('exportInternals: date series', () => {
  it('writes Date.toLocaleString of each value, also for times in the same second', () => {
    const times = [T + 100, T + 900, T + 1000, T + 1999, T + 2500, T + 100];
    const events: StoredEvent[] = times.map((at, i) => ({
      sessionId: 's1', frame: 0, seq: i + 1, t: T + i * 1000, method: 'getStats', pc: 'PC_0', full: true,
      value: { IT1: { timestamp: T + i * 1000, type: 'inbound-rtp', kind: 'audio', lastPacketReceivedTimestamp: at } },
    }));
    const out = JSON.parse(exportInternals({ session: session(), events })) as { PeerConnections: Record<string, { stats: Record<string, { values: string }> }> };
    const stats = Object.values(out.PeerConnections)[0]!.stats;
    expect(JSON.parse(stats['IT1-[lastPacketReceivedTimestamp]']!.values)).toEqual(times.map((at) => new Date(at).toLocaleString()));
  });
});
