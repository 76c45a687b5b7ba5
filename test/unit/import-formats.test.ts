// importDump on hand-made dumps of every variant, with the expected samples
// worked out by hand from each format's rules (docs/formats.md and
// ../shared/docs/formats.md).

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { exportDump } from '../../src/core/export';
import { exportRtcstats } from '../../src/core/rtcstats';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { parseDateString } from '../../src/core/formats/common';
import { internalsConfiguration, internalsEventName, internalsValue, splitSeriesKey } from '../../src/core/formats/internals-import';
import { decompressMethod, decompressStatsProperty, decompressStatsType } from '../../src/core/formats/rtcstats-compression';
import { fixture } from './support/fixtures';

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
const jsonl = (...lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
const samplesOf = (events: StoredEvent[], pc: string): StatsSample[] =>
  [...completeStatsSamples(events)].filter((s) => s.event.pc === pc).map((s) => s.sample);

const T = 1_700_000_000_000;

describe('rtcstats file format 3', () => {
  it('reads what exportRtcstats writes: the same events and complete samples', async () => {
    const session: SessionRecord = {
      id: 'orig', tabId: 3, url: 'https://app.example/call?x=1', origin: 'https://app.example', title: 'Call', startTime: T, endTime: T + 5000,
      userAgent: 'UA/1', extensionVersion: '0.1.0', frames: [], connections: [], tags: { room: 'r1' }, eventCount: 0, statsCount: 0,
      lastEventTime: 0, bytes: 0, rawBytes: 0,
    };
    const s1: StatsSample = { OT1: { type: 'outbound-rtp', timestamp: T + 1000, bytesSent: 10, q: { a: 1, b: 2 } }, C1: { type: 'codec', timestamp: T + 1000 } };
    const s2: StatsSample = { OT1: { type: 'outbound-rtp', timestamp: T + 2000, bytesSent: 20, q: { a: 1, b: 3 } }, C1: { type: 'codec', timestamp: T + 2000 } };
    const s3: StatsSample = { OT1: { type: 'outbound-rtp', timestamp: T + 3000, bytesSent: 30 } }; // q and C1 went away: a complete line
    let seq = 0;
    const ev = (t: number, method: string, pc: string | null, value: unknown, extra?: (string | number)[]): StoredEvent => {
      const e: StoredEvent = { sessionId: 'orig', frame: 0, seq: ++seq, t: T + t, method, pc, value, full: method === 'getStats' ? true : undefined };
      if (e.full === undefined) delete e.full;
      if (extra) e.extra = extra;
      return e;
    };
    const events = [
      ev(1, 'create', null, { hardwareConcurrency: 8 }),
      ev(5, 'create', 'PC_0', { iceServers: [] }),
      ev(6, 'navigator.mediaDevices.getUserMedia', null, { audio: true }, ['gum-0']),
      ev(1001, 'getStats', 'PC_0', s1),
      ev(2001, 'getStats', 'PC_0', s2),
      ev(3001, 'getStats', 'PC_0', s3),
      ev(4000, 'close', 'PC_0', null),
    ];
    const r = await importDump(enc(exportRtcstats(session, events)));
    expect(r.format).toBe('rtcstats');
    expect(r.warnings).toEqual([]);
    expect(r.dump.events.map((e) => [e.t, e.method, e.pc, e.extra])).toEqual(events.map((e) => [e.t, e.method, e.pc, e.extra]));
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([s1, s2, s3]);
    const s = r.dump.session;
    expect([s.url, s.origin, s.title, s.userAgent, s.startTime, s.endTime, s.extensionVersion]).toEqual([
      session.url, session.origin, 'Call', 'UA/1', T, T + 5000, '0.1.0',
    ]);
    expect(s.tags).toEqual({ room: 'r1' });
    expect(s.connections).toEqual([{ id: 'PC_0', frame: 0, createdAt: T + 5, closedAt: T + 4000, configuration: { iceServers: [] } }]);
  });

  it('undoes method, property-name and type compression and rtcstats deltas; renamed ids stay as found', async () => {
    const text = jsonl(
      'RTCStatsDump',
      { fileFormat: 3, url: 'https://x.example/room', userAgent: 'UA', startTime: T },
      [39, 'PC_0', { iceServers: [] }, T + 5],
      [2, 'PC_0', null, '2-0', 10],
      ['g', 'PC_0', {
        0: { type: 2, 80: 1000, 79: 10, 12: '1', 96: { none: 1, cpu: 0 } },
        1: { type: 14, 4: 96, 6: 'video/VP8' },
        2: { type: 3, 75: 0.05, t: T + 900 },
        t: T + 1000,
      }, 'connected-0', 985],
      ['g', 'PC_0', { 0: { 80: 2000, 79: 20, 96: { cpu: 0.5 } }, 2: { 75: 0.04, t: T + 1900 }, t: T + 2000 }, 1000],
      ['g', 'PC_0', { 1: null, 3: { type: 10, 113: 1 }, t: T + 3000 }, 1000],
      [36, 'PC_0', null, 500],
    );
    const r = await importDump(enc(text));
    expect(r.dump.events.map((e) => e.method)).toEqual(['create', 'createOffer', 'getStats', 'getStats', 'getStats', 'close']);
    expect(r.dump.events.map((e) => e.t)).toEqual([T + 5, T + 15, T + 1000, T + 2000, T + 3000, T + 3500]);
    expect(r.dump.events[1]!.extra).toEqual(['2-0']);
    expect(r.dump.events[2]!.extra).toEqual(['connected-0']); // rtcstats-js' getStats reason
    const out = { type: 'outbound-rtp', codecId: '1' };
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([
      {
        0: { ...out, bytesSent: 1000, packetsSent: 10, qualityLimitationDurations: { none: 1, cpu: 0 }, timestamp: T + 1000 },
        1: { type: 'codec', payloadType: 96, mimeType: 'video/VP8', timestamp: T + 1000 },
        2: { type: 'remote-inbound-rtp', roundTripTime: 0.05, timestamp: T + 900 },
      },
      {
        0: { ...out, bytesSent: 2000, packetsSent: 20, qualityLimitationDurations: { none: 1, cpu: 0.5 }, timestamp: T + 2000 },
        1: { type: 'codec', payloadType: 96, mimeType: 'video/VP8', timestamp: T + 2000 },
        2: { type: 'remote-inbound-rtp', roundTripTime: 0.04, timestamp: T + 1900 },
      },
      {
        0: { ...out, bytesSent: 2000, packetsSent: 20, qualityLimitationDurations: { none: 1, cpu: 0.5 }, timestamp: T + 3000 },
        2: { type: 'remote-inbound-rtp', roundTripTime: 0.04, timestamp: T + 3000 }, // rtcstats: the common timestamp
        3: { type: 'peer-connection', dataChannelsOpened: 1, timestamp: T + 3000 },
      },
    ]);
    expect(r.dump.session.connections.map((c) => c.id)).toEqual(['PC_0']);
    expect(r.dump.session.statsCount).toBe(3);
  });

  it('keeps unknown and custom events, and getStats lines it cannot read, as events', async () => {
    const text = jsonl(
      'RTCStatsDump',
      { fileFormat: 3 },
      [':annotation', null, { note: 'user clicked mute' }, T],
      ['somethingNew', 'PC_3', [1, 2], 5],
      ['getStats', null, { A: { type: 'x' } }, 5],
      ['getStats', 'PC_3', 'oops', 5],
      { not: 'an event' },
    );
    const r = await importDump(enc(text));
    expect(r.dump.events.map((e) => [e.method, e.pc, e.value])).toEqual([
      [':annotation', null, { note: 'user clicked mute' }],
      ['somethingNew', 'PC_3', [1, 2]],
      [':getStats-unreadable', null, { A: { type: 'x' } }],
      [':getStats-unreadable', 'PC_3', 'oops'],
    ]);
    expect(r.warnings.join('\n')).toMatch(/not event arrays were skipped \(first: line 7\)/);
    expect(r.warnings.join('\n')).toMatch(/getStats-unreadable/);
    expect(r.dump.session.startTime).toBe(T); // no startTime in the metadata: the first event
    expect(r.dump.session.connections.map((c) => c.id)).toEqual(['PC_3']);
  });

  it('takes Chrome\'s unmarked complete samples (rid-lid ids) as complete: reports that went away are gone', async () => {
    const text = jsonl(
      'RTCStatsDump',
      { fileFormat: 3, userAgent: 'Chrome' },
      ['create', '21-1', { iceServers: [] }, T],
      ['getStats', '21-1', { P: { id: 'P', type: 'peer-connection', timestamp: T + 1000 }, CP1: { id: 'CP1', type: 'candidate-pair', timestamp: T + 1000, state: 'in-progress' } }, 1000],
      ['getStats', '21-1', { P: { id: 'P', type: 'peer-connection', timestamp: T + 2000 }, CP2: { id: 'CP2', type: 'candidate-pair', timestamp: T + 2000, state: 'succeeded' } }, 1000],
    );
    const r = await importDump(enc(text));
    expect(samplesOf(r.dump.events, '21-1')).toEqual([
      { P: { type: 'peer-connection', timestamp: T + 1000 }, CP1: { type: 'candidate-pair', timestamp: T + 1000, state: 'in-progress' } },
      { P: { type: 'peer-connection', timestamp: T + 2000 }, CP2: { type: 'candidate-pair', timestamp: T + 2000, state: 'succeeded' } },
    ]);
  });

  it('reads a dump saved as UTF-16 with a byte order mark', async () => {
    const text = jsonl('RTCStatsDump', { fileFormat: 3, url: 'https://ü.example/' }, ['create', 'PC_0', {}, T]);
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      le[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      le[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    const r = await importDump(le);
    expect(r.format).toBe('rtcstats');
    expect(r.dump.session.url).toBe('https://ü.example/');
    expect(r.dump.events).toHaveLength(1);
  });

  it('reads CRLF line endings and warns about another fileFormat', async () => {
    const text = ['RTCStatsDump', JSON.stringify({ fileFormat: 4 }), JSON.stringify(['create', 'PC_0', {}, T]), ''].join('\r\n');
    const r = await importDump(enc(text));
    expect(r.dump.events).toHaveLength(1);
    expect(r.warnings).toEqual(['the metadata says fileFormat 4; read as file format 3']);
  });
});

describe('legacy rtcstats (fileFormat 2)', () => {
  const legacy = jsonl(
    { url: 'https://l.example/x', origin: 'https://l.example', userAgent: 'UA2', fileFormat: 2, clientProtocol: '1.0' },
    ['create', 'PC_0', { iceServers: [] }, T + 1],
    ['getstats', 'PC_0', {
      A: { timestamp: 0, type: 'candidate-pair', bytesSent: 1 },
      B: { timestamp: 0, type: 'local-candidate', port: 5 },
      R: { timestamp: T + 500, type: 'remote-inbound-rtp', rtt: 1 },
      timestamp: T + 1000,
    }, T + 1001],
    ['getstats', 'PC_0', { A: { timestamp: 0, bytesSent: 2 }, N: { timestamp: 0, type: 'codec', mimeType: 'audio/opus' }, timestamp: T + 2000 }, T + 2001],
    ['getstats', 'PC_0', { R: { rtt: 2 }, A: { timestamp: 0 }, timestamp: T + 3000 }, T + 3001],
    ['ondtlsstatechange', 'PC_0', 'connected', T + 3500],
    [':custom', null, { a: 1 }, T + 3600],
  );

  it('reads the older delta scheme into complete samples', async () => {
    const r = await importDump(enc(legacy));
    expect(r.format).toBe('rtcstats-legacy');
    expect(r.dump.events.map((e) => [e.t, e.method, e.pc])).toEqual([
      [T + 1, 'create', 'PC_0'],
      [T + 1001, 'getStats', 'PC_0'],
      [T + 2001, 'getStats', 'PC_0'],
      [T + 3001, 'getStats', 'PC_0'],
      [T + 3500, 'ondtlsstatechange', 'PC_0'],
      [T + 3600, ':custom', null],
    ]);
    const R = { timestamp: T + 500, type: 'remote-inbound-rtp', rtt: 1 };
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([
      { A: { timestamp: T + 1000, type: 'candidate-pair', bytesSent: 1 }, B: { timestamp: T + 1000, type: 'local-candidate', port: 5 }, R },
      // B left out while its timestamp followed the sample clock: gone; R (stale RTCP time) left out: unchanged
      { A: { timestamp: T + 2000, type: 'candidate-pair', bytesSent: 2 }, R, N: { timestamp: T + 2000, type: 'codec', mimeType: 'audio/opus' } },
      // R without a timestamp: changed, same time; N gone
      { A: { timestamp: T + 3000, type: 'candidate-pair', bytesSent: 2 }, R: { ...R, rtt: 2 } },
    ]);
    const s = r.dump.session;
    expect([s.url, s.origin, s.userAgent, s.startTime, s.endTime]).toEqual(['https://l.example/x', 'https://l.example', 'UA2', T + 1, T + 3600]);
    expect(r.metadata?.clientProtocol).toBe('1.0');
  });

  it('reads a file without the metadata line, with a warning', async () => {
    const r = await importDump(enc(jsonl(['create', 'PC_0', {}, T], ['getStats', 'PC_0', { X: { type: 'codec', timestamp: T } }, T + 1])));
    expect(r.format).toBe('rtcstats-legacy');
    expect(r.warnings).toEqual(['no metadata line: the file starts with events']);
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([{ X: { type: 'codec', timestamp: T } }]);
  });
});

describe('Jitsi rtcstats', () => {
  it('reads connectionInfo (also as JSON text), sequence numbers and Jitsi events', async () => {
    const info = { path: '/room', origin: 'https://meet.example', url: 'https://meet.example/room', userAgent: 'UA3', clientProtocol: '3.1_STANDARD', statsFormat: 'chrome_standard' };
    const text = jsonl(
      ['connectionInfo', null, JSON.stringify(info), T + 9000],
      ['identity', null, { displayName: 'me', confName: 'room', nested: { x: 1 } }, T + 1, 1],
      ['create', 'PC_0', { iceServers: [] }, T + 2, 2],
      ['ondtlsstatechange', 'PC_0', 'connected', T + 3, 3],
      ['ondtlserror', 'PC_0', 'handshake failed', T + 4, 4],
      ['getstats', 'PC_0', { S: { timestamp: 0, type: 'inbound-rtp', packetsReceived: 5 }, timestamp: T + 5 }, T + 5, 5],
    );
    const r = await importDump(enc(text));
    expect(r.format).toBe('jitsi');
    expect(r.dump.events.map((e) => [e.method, e.extra])).toEqual([
      ['identity', [1]],
      ['create', [2]],
      ['ondtlsstatechange', [3]],
      ['ondtlserror', [4]],
      ['getStats', [5]],
    ]);
    expect(r.dump.session.tags).toEqual({ displayName: 'me', confName: 'room' });
    expect([r.dump.session.url, r.dump.session.origin, r.dump.session.userAgent]).toEqual([info.url, info.origin, 'UA3']);
    expect(r.metadata).toMatchObject({ statsFormat: 'chrome_standard', connectionTime: T + 9000 });
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([{ S: { timestamp: T + 5, type: 'inbound-rtp', packetsReceived: 5 } }]);
  });
});

describe('webrtc-internals', () => {
  const iso = (t: number): string => new Date(t).toISOString();
  const series = (statsType: string, values: unknown[], start: number, end: number) => ({
    startTime: iso(start), endTime: iso(end), statsType, values: JSON.stringify(values),
  });

  it('current variant: -timestamp series back into complete samples, remote reports joining the next poll', async () => {
    const polls = [T + 1000, T + 2000, T + 3000];
    const dump = {
      getUserMedia: [
        { origin: 'https://a.example', pid: 5, rid: 7, request_id: 0, request_type: 'getUserMedia', timestamp: T + 10, audio: '', video: '{"width":640}' },
        { pid: 5, rid: 7, request_id: 0, request_type: 'getUserMedia', timestamp: T + 20, error: 'NotAllowedError', error_message: 'Permission denied' },
      ],
      PeerConnections: {
        '7-1': {
          pid: 5,
          url: 'https://a.example/call',
          rtcConfiguration: '{"iceServers":[]}',
          updateLog: [
            { type: 'oniceconnectionstatechange', value: '"connected"', timestamp: T + 100 },
            { type: 'transceiverAdded', value: '{"mid":null}', timestamp: T + 50 },
            { type: 'setLocalDescriptionOnSuccess', value: '', timestamp: T + 150 },
          ],
          stats: {
            'P-timestamp': series('peer-connection', polls, polls[0]!, polls[2]!),
            'P-type': series('peer-connection', ['peer-connection', 'peer-connection', 'peer-connection'], polls[0]!, polls[2]!),
            'P-dataChannelsOpened': {},
            'OT-timestamp': series('outbound-rtp', polls, polls[0]!, polls[2]!),
            'OT-bytesSent': series('outbound-rtp', [1, 2, 3], polls[0]!, polls[2]!),
            'OT-frameWidth': series('outbound-rtp', [640, 640], polls[1]!, polls[2]!), // appeared late
            'OT-targetBitrate': series('outbound-rtp', [5, 6], polls[0]!, polls[1]!), // went away
            'OT-[bytesSent_in_bits/s]': series('outbound-rtp', [8, 8], polls[1]!, polls[2]!),
            'RI-timestamp': series('remote-inbound-rtp', [T + 900, T + 2500], T + 900, T + 2500),
            'RI-roundTripTime': series('remote-inbound-rtp', [0.1, 0.2], T + 900, T + 2500),
          },
        },
      },
      UserAgent: 'UA4',
      UserAgentData: [{ brand: 'Chromium', version: '120' }],
    };
    const r = await importDump(enc(JSON.stringify(dump)));
    expect(r.format).toBe('webrtc-internals');
    expect(r.dump.events.map((e) => [e.t - T, e.method, e.pc])).toEqual([
      [10, 'navigator.mediaDevices.getUserMedia', null],
      [20, 'navigator.mediaDevices.getUserMediaOnFailure', null],
      [50, 'transceiverAdded', '7-1'],
      [100, 'oniceconnectionstatechange', '7-1'],
      [150, 'setLocalDescriptionOnSuccess', '7-1'],
      [1000, 'getStats', '7-1'],
      [2000, 'getStats', '7-1'],
      [3000, 'getStats', '7-1'],
    ]);
    expect(r.dump.events.slice(0, 5).map((e) => e.value)).toEqual([
      { audio: true, video: { width: 640 } },
      { error: 'NotAllowedError', error_message: 'Permission denied' },
      { mid: null },
      'connected',
      null,
    ]);
    expect(r.dump.events[0]!.extra).toEqual(['5-7-0']);
    const P = (t: number) => ({ timestamp: t, type: 'peer-connection' });
    const OT = (t: number, more: object) => ({ timestamp: t, type: 'outbound-rtp', ...more });
    expect(samplesOf(r.dump.events, '7-1')).toEqual([
      { P: P(T + 1000), OT: OT(T + 1000, { bytesSent: 1, targetBitrate: 5 }), RI: { timestamp: T + 900, type: 'remote-inbound-rtp', roundTripTime: 0.1 } },
      { P: P(T + 2000), OT: OT(T + 2000, { bytesSent: 2, frameWidth: 640, targetBitrate: 6 }) },
      { P: P(T + 3000), OT: OT(T + 3000, { bytesSent: 3, frameWidth: 640 }), RI: { timestamp: T + 2500, type: 'remote-inbound-rtp', roundTripTime: 0.2 } },
    ]);
    expect(r.derived).toEqual({ '7-1': { OT: { '[bytesSent_in_bits/s]': { statsType: 'outbound-rtp', times: [T + 2000, T + 3000], values: [8, 8] } } } });
    expect(r.dump.session.connections).toEqual([{ id: '7-1', frame: 0, createdAt: T + 50, closedAt: null, configuration: { iceServers: [] } }]);
    expect([r.dump.session.url, r.dump.session.origin, r.dump.session.userAgent]).toEqual(['https://a.example/call', 'https://a.example', 'UA4']);
    expect(r.metadata?.UserAgentData).toEqual([{ brand: 'Chromium', version: '120' }]);
    expect(r.warnings).toEqual([]);
  });

  it('remote reports stamped after the last poll: a sample per time, reports of the same time in one', async () => {
    const polls = [T + 1000, T + 2000];
    const late = [T + 900, T + 2500, T + 2600];
    const dump = {
      PeerConnections: {
        '1-1': {
          pid: 1, url: 'https://a.example/', rtcConfiguration: '{}', updateLog: [],
          stats: {
            'P-timestamp': series('peer-connection', polls, polls[0]!, polls[1]!),
            'RI-timestamp': series('remote-inbound-rtp', late, late[0]!, late[2]!),
            'RI-roundTripTime': series('remote-inbound-rtp', [0.1, 0.2, 0.3], late[0]!, late[2]!),
            'RO-timestamp': series('remote-outbound-rtp', [T + 2600], T + 2600, T + 2600),
          },
        },
      },
    };
    const r = await importDump(enc(JSON.stringify(dump)));
    const RI = (t: number, roundTripTime: number) => ({ timestamp: t, type: 'remote-inbound-rtp', roundTripTime });
    expect(r.dump.events.map((e) => e.t - T)).toEqual([1000, 2000, 2500, 2600]);
    expect(samplesOf(r.dump.events, '1-1')).toEqual([
      { P: { timestamp: T + 1000, type: 'peer-connection' }, RI: RI(T + 900, 0.1) },
      { P: { timestamp: T + 2000, type: 'peer-connection' } },
      { RI: RI(T + 2500, 0.2) },
      { RI: RI(T + 2600, 0.3), RO: { timestamp: T + 2600, type: 'remote-outbound-rtp' } },
    ]);
  });

  it('older variant: locale times, event names without "on", bare and text values, non-JSON configuration, no -timestamp series', async () => {
    const start = Date.UTC(2020, 5, 2, 8, 25, 35);
    const dump = {
      getUserMedia: [],
      PeerConnections: {
        '1234-1': {
          pid: 1234,
          url: 'https://old.example/',
          rtcConfiguration: '{ iceServers: [stun:stun.example.org:3478, turn:turn.example.org], iceTransportPolicy: all, iceCandidatePoolSize: 0, sdpSemantics: "unified-plan" }',
          constraints: '{ optional: [{rtcStatsClientId: abc}] }',
          updateLog: [
            { time: '6/2/2020, 10:25:33 AM', type: 'createOffer', value: 'options: {offerToReceiveVideo: 1}' },
            { time: '6/2/2020, 10:25:33 AM', type: 'negotiationneeded', value: '' },
            { time: '6/2/2020, 10:25:34 AM', type: 'createOfferOnSuccess', value: 'type: offer, sdp: v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
            { time: '6/2/2020, 10:25:34 AM', type: 'onIceCandidate', value: 'sdpMid: audio, sdpMLineIndex: 0, candidate: candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host' },
            { time: '6/2/2020, 10:25:35 AM', type: 'iceconnectionstatechange', value: 'connected' },
            { time: '6/2/2020, 10:25:35 AM', type: 'onRenegotiationNeeded', value: '' },
            { time: '2.6.2020, 10:25:36', type: 'somethingNew', value: 'whatever it says' },
          ],
          stats: {
            'ssrc_1_send-bytesSent': series('ssrc', ['100', '200', '300'], start, start + 2000),
            'ssrc_1_send-googRtt': series('ssrc', ['7', '9'], start + 1000, start + 2000),
            'bweforvideo-googAvailableSendBandwidth': series('VideoBwe', ['1000', '2000', '3000'], start, start + 2000),
            'Conn-audio-1-0-googRtt': series('googCandidatePair', ['1', '2'], start, start + 1000),
          },
        },
      },
      UserAgent: 'UA5',
    };
    const r = await importDump(enc(JSON.stringify(dump)));
    expect(r.format).toBe('webrtc-internals');
    const log = r.dump.events.filter((e) => e.method !== 'getStats');
    expect(log.map((e) => [e.method, e.value])).toEqual([
      ['createOffer', 'options: {offerToReceiveVideo: 1}'],
      ['onnegotiationneeded', null],
      ['createOfferOnSuccess', { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }],
      ['onicecandidate', { sdpMid: 'audio', sdpMLineIndex: 0, candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host' }],
      ['oniceconnectionstatechange', 'connected'],
      ['onnegotiationneeded', null],
      ['somethingNew', 'whatever it says'],
    ]);
    // locale times are the recording machine's local time, read as local time here
    expect(log.map((e) => e.t)).toEqual([
      new Date(2020, 5, 2, 10, 25, 33).getTime(), new Date(2020, 5, 2, 10, 25, 33).getTime(),
      new Date(2020, 5, 2, 10, 25, 34).getTime(), new Date(2020, 5, 2, 10, 25, 34).getTime(),
      new Date(2020, 5, 2, 10, 25, 35).getTime(), new Date(2020, 5, 2, 10, 25, 35).getTime(),
      new Date(2020, 5, 2, 10, 25, 36).getTime(),
    ]);
    expect(r.dump.session.connections[0]!.configuration).toEqual({
      iceServers: [{ urls: 'stun:stun.example.org:3478' }, { urls: 'turn:turn.example.org' }],
      iceTransportPolicy: 'all',
      iceCandidatePoolSize: 0,
      sdpSemantics: 'unified-plan',
    });
    expect((r.metadata?.connections as Record<string, { constraints: unknown }>)['1234-1']!.constraints).toEqual({ optional: [{ rtcStatsClientId: 'abc' }] });
    // times interpolated between startTime and endTime; reports of one poll in one sample
    expect(samplesOf(r.dump.events, '1234-1')).toEqual([
      {
        ssrc_1_send: { timestamp: start, type: 'ssrc', bytesSent: '100' },
        bweforvideo: { timestamp: start, type: 'VideoBwe', googAvailableSendBandwidth: '1000' },
        'Conn-audio-1-0': { timestamp: start, type: 'googCandidatePair', googRtt: '1' },
      },
      {
        ssrc_1_send: { timestamp: start + 1000, type: 'ssrc', bytesSent: '200', googRtt: '7' },
        bweforvideo: { timestamp: start + 1000, type: 'VideoBwe', googAvailableSendBandwidth: '2000' },
        'Conn-audio-1-0': { timestamp: start + 1000, type: 'googCandidatePair', googRtt: '2' },
      },
      {
        ssrc_1_send: { timestamp: start + 2000, type: 'ssrc', bytesSent: '300', googRtt: '9' },
        bweforvideo: { timestamp: start + 2000, type: 'VideoBwe', googAvailableSendBandwidth: '3000' },
      },
    ]);
    expect(r.warnings.join('\n')).toMatch(/interpolated/);
    expect(r.metadata?.UserAgentData).toBeUndefined();
  });

  it('reports a few ms apart make one poll (Firefox); reports whose timestamp stands still join the polls one by one', async () => {
    const dump = {
      PeerConnections: {
        '1-1': {
          updateLog: [],
          stats: {
            'A-timestamp': series('outbound-rtp', [T + 1000, T + 2000, T + 3000], T + 1000, T + 3000),
            'A-x': series('outbound-rtp', [1, 2, 3], T + 1000, T + 3000),
            'B-timestamp': series('inbound-rtp', [T + 1003, T + 2004, T + 3002], T + 1003, T + 3002),
            'B-y': series('inbound-rtp', [4, 5, 6], T + 1003, T + 3002),
            'S-timestamp': series('googComponent', [T + 500, T + 500], T + 500, T + 500),
            'S-z': series('googComponent', [7, 8], T + 500, T + 500),
          },
        },
      },
    };
    const r = await importDump(enc(JSON.stringify(dump)));
    const all = [...completeStatsSamples(r.dump.events)];
    expect(all.map((x) => x.event.t)).toEqual([T + 1003, T + 2004, T + 3002]);
    expect(all.map((x) => x.sample)).toEqual([
      { A: { timestamp: T + 1000, type: 'outbound-rtp', x: 1 }, B: { timestamp: T + 1003, type: 'inbound-rtp', y: 4 }, S: { timestamp: T + 500, type: 'googComponent', z: 7 } },
      { A: { timestamp: T + 2000, type: 'outbound-rtp', x: 2 }, B: { timestamp: T + 2004, type: 'inbound-rtp', y: 5 }, S: { timestamp: T + 500, type: 'googComponent', z: 8 } },
      { A: { timestamp: T + 3000, type: 'outbound-rtp', x: 3 }, B: { timestamp: T + 3002, type: 'inbound-rtp', y: 6 } },
    ]);
  });

  it('reads back what exportDump(…, \'internals\') writes: the same samples per connection', async () => {
    for (const file of ['jitsi/firefox-standard-stats-sfu.jsonl', 'legacy/chrome48-format0.json', 'internals/chrome147-two-pc-loopback.json']) {
      const original = await importDump(new Uint8Array(readFileSync(fixture(file))));
      const again = await importDump(await exportDump(original.dump, 'internals'));
      expect(again.format).toBe('webrtc-internals');
      const perConnection = (events: StoredEvent[]): StatsSample[][] => {
        const by = new Map<string, StatsSample[]>();
        for (const { event, sample } of completeStatsSamples(events)) by.set(event.pc!, [...(by.get(event.pc!) ?? []), sample]);
        return [...by.values()];
      };
      expect(perConnection(again.dump.events), file).toEqual(perConnection(original.dump.events));
    }
  });

  it('places entries without a readable time at the start, with a warning', async () => {
    const dump = {
      getUserMedia: [{ pid: 1, rid: 2, request_id: 0, audio: '' }],
      PeerConnections: { '2-1': { updateLog: [{ type: 'createOffer', value: '' }, { type: 'close', value: '', timestamp: T + 5 }] } },
    };
    const r = await importDump(enc(JSON.stringify(dump)));
    expect(r.dump.events.map((e) => [e.t, e.method])).toEqual([
      [T + 5, 'navigator.mediaDevices.getUserMedia'],
      [T + 5, 'createOffer'],
      [T + 5, 'close'],
    ]);
    expect(r.warnings).toHaveLength(2);
    expect(r.dump.session.connections[0]!.closedAt).toBe(T + 5);
  });

  it('keeps a connection without events, and an empty dump is a session without events', async () => {
    const r = await importDump(enc(JSON.stringify({ PeerConnections: { '1-1': { pid: 1, updateLog: [], stats: {} } }, UserAgent: 'UA', timestamp: T })));
    expect(r.dump.session.connections.map((c) => c.id)).toEqual(['1-1']);
    expect(r.dump.events).toEqual([]);
    const empty = await importDump(enc(JSON.stringify({ getUserMedia: [], PeerConnections: {}, UserAgent: 'UA' })));
    expect(empty.format).toBe('webrtc-internals');
    expect(empty.dump.events).toEqual([]);
    expect(empty.dump.session.endTime).toBe(empty.dump.session.startTime);
  });
});

describe('legacy rtcstats format 0', () => {
  it('reads PeerConnections lists (either case), numeric timestamps and complete samples', async () => {
    const dump = {
      url: 'https://f0.example/', userAgent: 'UA6',
      getUserMedia: [{ time: new Date(T).toISOString(), type: 'navigator.mediaDevices.getUserMedia', value: { audio: true } }],
      PeerConnections: {
        PC_0: [
          { timestamp: T + 10, type: 'create', value: { iceServers: [] } },
          { timestamp: T + 20, type: 'getStats', value: { A: { id: 'A', type: 'codec', timestamp: T + 20, n: 1 } } },
          { timestamp: T + 30, type: 'getStats', value: { A: { id: 'A', type: 'codec', timestamp: T + 30, n: 2 } } },
          { timestamp: T + 40, type: 'mysteryEvent' },
        ],
      },
    };
    const r = await importDump(enc(JSON.stringify(dump, null, 1)));
    expect(r.format).toBe('rtcstats-format0');
    expect(r.dump.events.map((e) => [e.t - T, e.method, e.pc, e.value === null])).toEqual([
      [0, 'navigator.mediaDevices.getUserMedia', null, false],
      [10, 'create', 'PC_0', false],
      [20, 'getStats', 'PC_0', false],
      [30, 'getStats', 'PC_0', false],
      [40, 'mysteryEvent', 'PC_0', true],
    ]);
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([{ A: { type: 'codec', timestamp: T + 20, n: 1 } }, { A: { type: 'codec', timestamp: T + 30, n: 2 } }]);
    expect(r.dump.events[3]!.full).toBeUndefined(); // stored as a delta against the first
  });
});

describe('untrusted keys', () => {
  it('"__proto__" in a dump sets no prototype and pollutes nothing', async () => {
    const iso = (t: number): string => new Date(t).toISOString();
    const series = (values: unknown[]) => ({ startTime: iso(T), endTime: iso(T + 1000), statsType: 'x', values: JSON.stringify(values) });
    const proto = '"__proto__"';
    const inputs = [
      // webrtc-internals: a connection, a report and a derived series named __proto__
      `{"PeerConnections":{${proto}:{"updateLog":[],"stats":{"__proto__-timestamp":${JSON.stringify(series([T, T + 1000]))},` +
        `"__proto__-[polluted]":${JSON.stringify(series([1, 2]))},"A-timestamp":${JSON.stringify(series([T, T + 1000]))},` +
        `"A-__proto__":${JSON.stringify(series([{ polluted: 1 }, { polluted: 2 }]))}}},"B":{${proto}:{"polluted":1}}},${proto}:{"polluted":1}}`,
      // rtcstats: stats ids and property names
      `RTCStatsDump\n{"fileFormat":3,"tags":{${proto}:"x"}}\n["getStats","PC_0",{${proto}:{"polluted":1},"A":{${proto}:{"polluted":1},"n":1},"t":${T}},${T}]\n` +
        `["getStats","PC_0",{${proto}:{"polluted":2},"A":{${proto}:{"polluted":2}},"t":${T + 1}},1]\n`,
      // legacy: the same in the older delta scheme
      `{"fileFormat":2}\n["getstats","PC_0",{${proto}:{"polluted":1},"A":{${proto}:{"polluted":1},"timestamp":0},"timestamp":${T}},${T}]\n` +
        `["getstats","PC_0",{${proto}:{"polluted":2},"A":{${proto}:{"polluted":2},"timestamp":0},"timestamp":${T + 1}},${T + 1}]\n`,
    ];
    for (const text of inputs) {
      const r = await importDump(enc(text));
      for (const { sample } of completeStatsSamples(r.dump.events)) {
        expect(Object.getPrototypeOf(sample)).toBe(Object.prototype);
        for (const report of Object.values(sample)) expect(Object.getPrototypeOf(report)).toBe(Object.prototype);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>)['[polluted]']).toBeUndefined();
      expect(Object.getPrototypeOf(r.derived ?? {})).toBe(Object.prototype);
    }
  });
});

describe('helpers', () => {
  it('parses the date strings old dumps carry', () => {
    expect(parseDateString('2016-01-28T18:24:19.012Z')).toBe(Date.UTC(2016, 0, 28, 18, 24, 19, 12));
    expect(parseDateString('6/2/2020, 10:25:33 PM')).toBe(new Date(2020, 5, 2, 22, 25, 33).getTime());
    expect(parseDateString('02.06.2020, 10:25:33')).toBe(new Date(2020, 5, 2, 10, 25, 33).getTime());
    expect(parseDateString('2026/5/6 下午9:58:00')).toBe(new Date(2026, 4, 6, 21, 58, 0).getTime());
    expect(parseDateString('25/12/2020 08:00:00')).toBe(new Date(2020, 11, 25, 8, 0, 0).getTime());
    expect(parseDateString('no date here')).toBeNaN();
  });

  it('splits series keys whose ids contain dashes', () => {
    expect(splitSeriesKey('OT01V1-bytesSent')).toEqual(['OT01V1', 'bytesSent']);
    expect(splitSeriesKey('Conn-audio-1-0-googRtt')).toEqual(['Conn-audio-1-0', 'googRtt']);
    expect(splitSeriesKey('IT01V1-[framesReceived-framesDecoded-framesDropped]')).toEqual(['IT01V1', '[framesReceived-framesDecoded-framesDropped]']);
    expect(splitSeriesKey('nodash')).toBeNull();
  });

  it('normalizes event names and values of webrtc-internals', () => {
    expect(['icecandidate', 'onIceCandidate', 'iceConnectionStateChange', 'signalingstatechange', 'datachannel', 'track'].map(internalsEventName)).toEqual([
      'onicecandidate', 'onicecandidate', 'oniceconnectionstatechange', 'onsignalingstatechange', 'ondatachannel', 'ontrack',
    ]);
    expect(['addIceCandidate', 'createOfferOnSuccess', 'transceiverAdded', 'constructor', 'addStream', 'onAddStream', 'addIceCandidateFailed'].map(internalsEventName)).toEqual([
      'addIceCandidate', 'createOfferOnSuccess', 'transceiverAdded', 'constructor', 'addStream', 'onaddstream', 'addIceCandidateOnFailure',
    ]);
    expect(internalsValue('"stable"')).toBe('stable');
    expect(internalsValue('stable')).toBe('stable');
    expect(internalsValue('new')).toBe('new');
    expect(internalsValue('')).toBeNull();
    expect(internalsValue('{"a":1}')).toEqual({ a: 1 });
    expect(internalsConfiguration('{ iceServers: [], bundlePolicy: max-bundle }')).toEqual({ iceServers: [], bundlePolicy: 'max-bundle' });
    expect(internalsConfiguration('not a configuration')).toBe('not a configuration');
  });

  it('knows rtcstats\' compression tables (own entries only)', () => {
    expect([decompressMethod('g'), decompressMethod(39), decompressMethod('65'), decompressMethod('constructor')]).toEqual([
      'getStats', 'create', 'navigator.mediaDevices.getUserMediaOnFailure', 'constructor',
    ]);
    expect(['t', '80', '166', '176', '13', 'toString', 'bytesSent'].map(decompressStatsProperty)).toEqual([
      'timestamp', 'bytesSent', 'issuerCertificateId', 'ccfbMessagesReceived', '13', 'toString', 'bytesSent',
    ]);
    expect([decompressStatsType(1), decompressStatsType('14'), decompressStatsType('codec'), decompressStatsType(15)]).toEqual([
      'inbound-rtp', 'codec', 'codec', 15,
    ]);
  });
});

describe('rtcstats file format 3: stored deltas', () => {
  it("keeps a delta line's own delta (names decompressed) as the stored value; a complete line is stored as a delta", async () => {
    const text =
      'RTCStatsDump\n{"fileFormat":3}\n' +
      `["getStats","PC_0",{"A":{"type":"codec","timestamp":${T},"n":1,"m":"x"}},"full",${T}]\n` +
      // property 14 is packetsReceived in rtcstats' table; m repeats its unchanged value
      `["g","PC_0",{"A":{"14":5,"m":"x"},"t":${T + 1000}},1000]\n` +
      `["getStats","PC_0",{"A":{"type":"codec","timestamp":${T + 2000},"n":1,"m":"x","packetsReceived":9}},"full",1000]\n`;
    const r = await importDump(enc(text));
    const stats = r.dump.events.filter((e) => e.method === 'getStats');
    expect(stats[1]!.value).toEqual({ A: { packetsReceived: 5, m: 'x' }, t: T + 1000 });
    expect(stats[1]!.full).toBeUndefined();
    expect(stats[2]!.value).toEqual({ A: { packetsReceived: 9 }, t: T + 2000 }); // complete in the file, a delta when stored
    expect(samplesOf(r.dump.events, 'PC_0')).toEqual([
      { A: { type: 'codec', timestamp: T, n: 1, m: 'x' } },
      { A: { type: 'codec', timestamp: T + 1000, n: 1, m: 'x', packetsReceived: 5 } },
      { A: { type: 'codec', timestamp: T + 2000, n: 1, m: 'x', packetsReceived: 9 } },
    ]);
  });
});
