import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  redactDump,
  redactText,
  redactTextWithReport,
  maskIPv4,
  maskIPv6,
  DEFAULT_REDACTION,
  type RedactionOptions,
} from '../../src/core/redact';
import type { SessionDump } from '../../src/core/dump';
import type { SessionRecord } from '../../src/core/session';
import type { StoredEvent } from '../../src/core/trace';
import { FIXTURES_DIR } from './support/fixtures';
import { importDump } from '../../src/core/import';

// ---------------------------------------------------------------------------
// A hand-built session: a call with host / srflx / relay candidates (IPv4 and
// IPv6), an answer from a peer behind NAT, candidate stats, getUserMedia with
// device labels, a TURN server with credentials, URLs with query strings.
// Addresses come from the documentation ranges and private ranges.
// ---------------------------------------------------------------------------

const T = 1763900000000;
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36';

const LOCAL_V4 = '192.168.1.23';
const LOCAL_V6 = '2001:db8:85a3::8a2e:370:7334';
const LOCAL_PUBLIC = '198.51.100.77';
const TURN_IP = '203.0.113.5'; // the TURN server, also the relay candidate's address
const STUN_IP = '198.51.100.1';
const REMOTE_V4 = '10.20.30.40';
const REMOTE_V6 = '2001:db8:1234:5678:abcd:ef01:2345:6789';
const REMOTE_PUBLIC = '192.0.2.44';
const REMOTE_PRFLX = '172.16.5.9';
const MDNS = '4a5b6c7d-1e2f-4a3b-9c8d-7e6f5a4b3c2d.local';

/** Every address that must be masked with the defaults (the TURN server's is kept). */
const MASKED_ADDRESSES = ['127.0.0.1', '0.0.0.0', LOCAL_V4, LOCAL_V6, LOCAL_PUBLIC, STUN_IP, REMOTE_V4, REMOTE_V6, REMOTE_PUBLIC, REMOTE_PRFLX];
/** Parts of the IPv6 addresses beyond their first half, which must not survive either. */
const V6_SECOND_HALVES = ['8a2e:370:7334', 'abcd:ef01:2345:6789'];

const OFFER_UFRAG = 'ofrQ7Zx1';
const ANSWER_UFRAG = 'ansW9kLm';
const OFFER_PWD = '9Jq2Vb8xL1mN4pR7sT0uW3yZ';
const ANSWER_PWD = 'Zt5Yc1Qa8Ws3Ed6Rf9Tg2Hb';
const TURN_USERNAME = '1763900000:alice.smith';
const TURN_CREDENTIAL = 'hunter2-Secret-Cred';
const LABELS = ['MacBook Pro Microphone (Built-in)', 'FaceTime HD Camera (05ac:8514)', 'Quarterly review - Slides', 'Jabra Evolve2 65'];
const PAGE_URL = 'https://meet.example.com/room/42?token=s3cr3tT0ken&name=Alice#debug=1';
const FRAME_URL = `http://${REMOTE_V4}:8080/embed/widget?session=abc123xyz&user=alice77#panel`;
const QUERY_PARTS = ['token=', 's3cr3tT0ken', 'name=Alice', '#debug', 'session=abc123xyz', 'user=alice77', '#panel'];

const FINGERPRINT = 'sha-256 3A:9F:0C:4E:B1:72:D8:55:E3:1A:6B:C4:90:2F:7D:E8:41:A6:0B:93:5C:D2:7E:18:F4:26:9B:C1:3D:E0:58:A7';

const offerCandidates = [
  `candidate:1467250027 1 udp 2122260223 ${LOCAL_V4} 51975 typ host generation 0 network-id 1 network-cost 10`,
  `candidate:3289912957 1 udp 2122197247 ${LOCAL_V6} 51976 typ host generation 0 network-id 2 network-cost 10`,
  `candidate:842163049 1 udp 1686052607 ${LOCAL_PUBLIC} 51975 typ srflx raddr ${LOCAL_V4} rport 51975 generation 0 network-id 1 network-cost 10`,
  `candidate:2813373409 1 udp 41885439 ${TURN_IP} 60001 typ relay raddr ${LOCAL_PUBLIC} rport 51975 generation 0 network-id 1 network-cost 10`,
  `candidate:4233069003 1 tcp 1518280447 ${LOCAL_V4} 9 typ host tcptype active generation 0 network-id 1 network-cost 10`,
];
const answerCandidates = [
  `candidate:2999745851 1 udp 2122260223 ${REMOTE_V4} 40000 typ host generation 0 network-id 1`,
  `candidate:1019916339 1 udp 2122197247 ${REMOTE_V6} 40002 typ host generation 0 network-id 2`,
  `candidate:3471623853 1 udp 1686052607 ${REMOTE_PUBLIC} 40000 typ srflx raddr ${REMOTE_V4} rport 40000 generation 0 network-id 1`,
];

function sdp(lines: string[]): string {
  return lines.join('\r\n') + '\r\n';
}

const OFFER = sdp([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  'm=audio 51975 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  `c=IN IP4 ${LOCAL_PUBLIC}`,
  'a=rtcp:9 IN IP4 0.0.0.0',
  ...offerCandidates.map((c) => `a=${c}`),
  `a=ice-ufrag:${OFFER_UFRAG}`,
  `a=ice-pwd:${OFFER_PWD}`,
  'a=ice-options:trickle',
  `a=fingerprint:${FINGERPRINT}`,
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=sendrecv',
  'a=msid:6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ssrc:1001 cname:Hk2mX9pQ4rT7vW1y',
  'm=video 51975 UDP/TLS/RTP/SAVPF 96 97',
  `c=IN IP4 ${LOCAL_PUBLIC}`,
  'a=rtcp:9 IN IP4 0.0.0.0',
  `a=ice-ufrag:${OFFER_UFRAG}`,
  `a=ice-pwd:${OFFER_PWD}`,
  'a=ice-options:trickle',
  `a=fingerprint:${FINGERPRINT}`,
  'a=setup:actpass',
  'a=mid:1',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=ssrc:2002 cname:Hk2mX9pQ4rT7vW1y',
]);

const ANSWER = sdp([
  'v=0',
  'o=- 7390123456789012345 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=msid-semantic: WMS',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
  `c=IN IP4 ${REMOTE_PUBLIC}`,
  `a=rtcp:40001 IN IP4 ${REMOTE_PUBLIC}`,
  ...answerCandidates.map((c) => `a=${c}`),
  `a=ice-ufrag:${ANSWER_UFRAG}`,
  `a=ice-pwd:${ANSWER_PWD}`,
  'a=fingerprint:sha-256 0A:0A:F2:5D:EB:93:D8:1A:22:1C:CA:A5:2A:C7:82:6E:DE:94:6C:E6:77:84:6B:43:04:44:D2:57:B4:25:4A:EA',
  'a=setup:active',
  'a=mid:0',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'm=video 40000 UDP/TLS/RTP/SAVPF 96',
  `c=IN IP6 ${REMOTE_V6}`,
  `a=ice-ufrag:${ANSWER_UFRAG}`,
  `a=ice-pwd:${ANSWER_PWD}`,
  'a=setup:active',
  'a=mid:1',
  'a=recvonly',
  'a=rtpmap:96 VP8/90000',
]);

const CONFIGURATION = {
  iceServers: [
    { urls: [`turn:${TURN_IP}:3478?transport=udp`, 'turns:turn.example.com:443?transport=tcp'], username: TURN_USERNAME, credential: TURN_CREDENTIAL },
    { urls: `stun:${STUN_IP}:3478` },
  ],
  iceTransportPolicy: 'all',
  bundlePolicy: 'max-bundle',
};

function fullStats(): Record<string, Record<string, unknown>> {
  const ts = T + 5000.5;
  return {
    'I-host': { timestamp: ts, type: 'local-candidate', transportId: 'T01', isRemote: false, networkType: 'wifi', ip: LOCAL_V4, address: LOCAL_V4, port: 51975, protocol: 'udp', candidateType: 'host', priority: 2122260223, usernameFragment: OFFER_UFRAG, foundation: '1467250027' },
    'I-host6': { timestamp: ts, type: 'local-candidate', transportId: 'T01', address: LOCAL_V6, port: 51976, protocol: 'udp', candidateType: 'host', usernameFragment: OFFER_UFRAG },
    'I-srflx': { timestamp: ts, type: 'local-candidate', transportId: 'T01', address: LOCAL_PUBLIC, port: 51975, relatedAddress: LOCAL_V4, relatedPort: 51975, candidateType: 'srflx', url: `stun:${STUN_IP}:3478`, usernameFragment: OFFER_UFRAG },
    'I-relay': { timestamp: ts, type: 'local-candidate', transportId: 'T01', address: TURN_IP, port: 60001, relatedAddress: LOCAL_PUBLIC, relatedPort: 51975, candidateType: 'relay', relayProtocol: 'udp', url: `turn:${TURN_IP}:3478?transport=udp`, usernameFragment: OFFER_UFRAG },
    'I-remote': { timestamp: ts, type: 'remote-candidate', transportId: 'T01', isRemote: true, address: REMOTE_PUBLIC, port: 40000, candidateType: 'srflx', relatedAddress: REMOTE_V4, usernameFragment: ANSWER_UFRAG },
    'I-remote6': { timestamp: ts, type: 'remote-candidate', transportId: 'T01', isRemote: true, address: REMOTE_V6, port: 40002, candidateType: 'host', usernameFragment: ANSWER_UFRAG },
    'CP-1': { timestamp: ts, type: 'candidate-pair', transportId: 'T01', localCandidateId: 'I-srflx', remoteCandidateId: 'I-remote', state: 'succeeded', nominated: true, bytesSent: 64000, currentRoundTripTime: 0.041, googLocalAddress: `${LOCAL_PUBLIC}:51975`, googRemoteAddress: `${REMOTE_PUBLIC}:40000` },
    T01: { timestamp: ts, type: 'transport', selectedCandidatePairId: 'CP-1', iceLocalUsernameFragment: OFFER_UFRAG, iceRole: 'controlling', iceState: 'connected', dtlsState: 'connected' },
    'IT-a': { timestamp: ts, type: 'inbound-rtp', kind: 'audio', trackIdentifier: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9', mid: '0', packetsReceived: 250 },
  };
}

function events(): StoredEvent[] {
  let seq = 0;
  const ev = (t: number, method: string, pc: string | null, value: unknown, extra?: (string | number)[], full?: true): StoredEvent => ({
    sessionId: 's1',
    frame: 0,
    seq: ++seq,
    t: T + t,
    method,
    pc,
    value,
    ...(extra ? { extra } : {}),
    ...(full ? { full } : {}),
  });
  const cand = (candidate: string, ufrag: string) => ({ candidate: `${candidate} ufrag ${ufrag}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: ufrag });
  return [
    ev(0, 'create', null, {
      hardwareConcurrency: 8,
      url: PAGE_URL,
      userAgentData: { brands: [{ brand: 'Not.A/Brand', version: '8.0.0.0' }, { brand: 'Chromium', version: '147' }], platform: 'macOS' },
    }),
    ev(10, 'navigator.mediaDevices.getUserMedia', null, { audio: true, video: { width: 1280 } }, ['gum-0']),
    ev(600, 'navigator.mediaDevices.getUserMediaOnSuccess', null, [
      ['audio', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', LABELS[0], { deviceId: 'default', groupId: 'a7f3e9', echoCancellation: true }],
      ['video', '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', LABELS[1], { deviceId: '8b2c71', width: 1280, height: 720 }],
    ], ['gum-0']),
    ev(700, 'navigator.mediaDevices.getDisplayMediaOnSuccess', null, [['video', '9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a', LABELS[2], { displaySurface: 'window' }]], ['gdm-0']),
    // an imported dump's enumerateDevices result, with labels
    ev(710, 'navigator.mediaDevices.enumerateDevicesOnSuccess', null, [{ deviceId: 'c0ffee', kind: 'audioinput', label: LABELS[3], groupId: 'g1' }], ['enum-0']),
    ev(800, 'create', 'PC_0', CONFIGURATION),
    ev(810, 'addTrack', 'PC_0', 'audio:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d stream:6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'),
    ev(815, 'createDataChannel', 'PC_0', ['chat', { ordered: true }]),
    ev(820, 'createOffer', 'PC_0', null),
    ev(830, 'createOfferOnSuccess', 'PC_0', { type: 'offer', sdp: OFFER }),
    ev(831, 'setLocalDescription', 'PC_0', { type: 'offer', sdp: OFFER }),
    ev(840, 'setLocalDescriptionOnSuccess', 'PC_0', { type: 'offer', sdp: OFFER }),
    ev(841, 'onicecandidate', 'PC_0', { candidate: `candidate:1 1 udp 2122262783 ${MDNS} 51977 typ host generation 0 ufrag ${OFFER_UFRAG}`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: OFFER_UFRAG }),
    ...offerCandidates.map((c, i) => ev(842 + i, 'onicecandidate', 'PC_0', cand(c, OFFER_UFRAG))),
    ev(900, 'onicecandidate', 'PC_0', null),
    ev(901, 'onicecandidateerror', 'PC_0', { address: LOCAL_V4, port: 51977, url: `stun:${STUN_IP}:3478`, errorCode: 701, errorText: 'STUN binding request timed out.' }),
    ev(950, 'setRemoteDescription', 'PC_0', { type: 'answer', sdp: ANSWER }),
    ev(960, 'setRemoteDescriptionOnSuccess', 'PC_0', null),
    ...answerCandidates.map((c, i) => ev(961 + i, 'addIceCandidate', 'PC_0', cand(c, ANSWER_UFRAG))),
    ev(970, 'addIceCandidateOnSuccess', 'PC_0', null),
    ev(1000, 'oniceconnectionstatechange', 'PC_0', 'connected'),
    ev(5000, 'getStats', 'PC_0', fullStats(), undefined, true),
    // a delta: a peer-reflexive remote candidate appears, bytes move on
    ev(6000, 'getStats', 'PC_0', {
      'I-prflx': { type: 'remote-candidate', transportId: 'T01', address: REMOTE_PRFLX, port: 40010, candidateType: 'prflx', usernameFragment: ANSWER_UFRAG },
      'CP-1': { bytesSent: 128000 },
      t: T + 6000.5,
    }),
    ev(7000, 'ondatachannel', 'PC_0', { id: 1, label: 'chat', protocol: '', ordered: true, negotiated: false }),
    ev(9000, 'MediaStreamTrack.onended', null, 'audio:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
    ev(9500, 'close', 'PC_0', null),
  ];
}

function session(): SessionRecord {
  return {
    id: 'a9b8c7d6-e5f4-4321-8765-0fedcba98765',
    tabId: 17,
    url: PAGE_URL,
    origin: 'https://meet.example.com',
    title: 'Room 42 - Example Meet',
    startTime: T,
    endTime: T + 10000,
    userAgent: UA,
    extensionVersion: '0.1.0',
    frames: [
      { key: 'k-top', frameId: 0, url: PAGE_URL, origin: 'https://meet.example.com', isTop: true, firstSeen: T },
      { key: 'k-sub', frameId: 3, url: FRAME_URL, origin: `http://${REMOTE_V4}:8080`, isTop: false, firstSeen: T + 5 },
    ],
    connections: [{ id: 'PC_0', frame: 0, createdAt: T + 800, closedAt: T + 9500, configuration: structuredClone(CONFIGURATION) }],
    tags: { rtcStatsClientId: 'client-7' },
    eventCount: 30,
    statsCount: 2,
    lastEventTime: T + 9500,
    bytes: 40000,
    rawBytes: 40000,
  };
}

function dump(): SessionDump {
  return { session: session(), events: events() };
}

// ---------------------------------------------------------------------------

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Occurrences of an address as a whole token (not inside a longer address or number; `ip:port` counts). */
function countAddress(text: string, address: string): number {
  const re = isIP(address) === 4
    ? new RegExp(`(?<![\\w.])${escapeRe(address)}(?!\\w|\\.\\d)`, 'g')
    : new RegExp(`(?<![\\w:])${escapeRe(address)}(?![\\w:])`, 'g');
  return [...text.matchAll(re)].length;
}
function countLiteral(text: string, literal: string): number {
  return text.split(literal).length - 1;
}
function findEvent(d: SessionDump, method: string, n = 0): StoredEvent {
  const found = d.events.filter((e) => e.method === method);
  if (!found[n]) throw new Error(`no ${method} #${n}`);
  return found[n]!;
}
function statsOf(d: SessionDump, n = 0): Record<string, Record<string, unknown>> {
  return findEvent(d, 'getStats', n).value as Record<string, Record<string, unknown>>;
}
const DEFAULTS: RedactionOptions = DEFAULT_REDACTION;

describe('masked forms', () => {
  it('IPv4 keeps three octets, IPv6 its first four groups, and neither is a valid address', () => {
    expect(maskIPv4('192.0.2.17')).toBe('192.0.2.x');
    expect(maskIPv4('0.0.0.0')).toBe('0.0.0.x');
    expect(maskIPv6('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3:0:x:x:x:x');
    expect(maskIPv6('2001:0DB8:0000:0001:0:0:0:1')).toBe('2001:db8:0:1:x:x:x:x');
    expect(maskIPv6('fe80::1')).toBe('fe80:0:0:0:x:x:x:x');
    expect(maskIPv6('::ffff:192.0.2.17')).toBe('::ffff:192.0.2.x');
    for (const masked of ['192.0.2.x', '2001:db8:85a3:0:x:x:x:x', '::ffff:192.0.2.x']) expect(isIP(masked)).toBe(0);
  });

  it('leaves what only looks like an address alone', () => {
    const untouched = [
      UA,
      'Chrome/147.0.0.0',
      MDNS,
      'stun:stun.l.google.com:19302',
      `a=fingerprint:${FINGERPRINT}`,
      '2025-09-22T18:35:25.000Z at 18:35:25.000',
      '1.2.3.4.5',
      '[0:0:0:x:x:x:x:x]',
      'x.x.x.x',
      'c=IN IP6 ::',
      'a=rtpmap:111 opus/48000/2',
      'RTCCertificate_FC:8C:37:5C:EE:9C',
    ];
    for (const text of untouched) expect(redactText(text, DEFAULTS)).toBe(text);
  });

  it('is idempotent on text', () => {
    const once = redactText(OFFER + ANSWER, DEFAULTS);
    expect(redactText(once, DEFAULTS)).toBe(once);
  });
});

describe('redactDump with the defaults', () => {
  const input = dump();
  const before = JSON.stringify(input);
  const { dump: out, report } = redactDump(input, DEFAULTS);
  const json = JSON.stringify(out);

  it('leaves no original address, label, ufrag, password, username, credential or query anywhere', () => {
    for (const a of [...MASKED_ADDRESSES, ...V6_SECOND_HALVES]) expect(json, a).not.toContain(a);
    for (const secret of [...LABELS, OFFER_UFRAG, ANSWER_UFRAG, OFFER_PWD, ANSWER_PWD, TURN_USERNAME, 'alice.smith', TURN_CREDENTIAL, ...QUERY_PARTS]) {
      expect(json, secret).not.toContain(secret);
    }
    expect(json).not.toContain('"credential"');
  });

  it('keeps the first three octets / the first half in place', () => {
    const offer = (findEvent(out, 'createOfferOnSuccess').value as { sdp: string }).sdp;
    const lines = offer.split('\r\n');
    expect(lines[1]).toBe('o=- 4611731400430051336 2 IN IP4 127.0.0.x');
    expect(lines).toContain('c=IN IP4 198.51.100.x');
    expect(lines).toContain('a=rtcp:9 IN IP4 0.0.0.x');
    expect(lines).toContain('a=candidate:1467250027 1 udp 2122260223 192.168.1.x 51975 typ host generation 0 network-id 1 network-cost 10');
    expect(lines).toContain('a=candidate:3289912957 1 udp 2122197247 2001:db8:85a3:0:x:x:x:x 51976 typ host generation 0 network-id 2 network-cost 10');
    expect(lines).toContain('a=candidate:842163049 1 udp 1686052607 198.51.100.x 51975 typ srflx raddr 192.168.1.x rport 51975 generation 0 network-id 1 network-cost 10');
    expect(lines).toContain('a=ice-ufrag:redacted-ufrag-1');
    expect(lines).toContain('a=ice-pwd:redacted-pwd-1');
    // nothing else in the SDP changed
    const original = OFFER.split('\r\n');
    expect(lines).toHaveLength(original.length);
    const changed = lines.filter((l, i) => l !== original[i]);
    expect(changed.every((l) => /^(o=|c=|a=rtcp:|a=candidate:|a=ice-ufrag:|a=ice-pwd:)/.test(l))).toBe(true);

    const answer = (findEvent(out, 'setRemoteDescription').value as { sdp: string }).sdp;
    expect(answer).toContain('a=rtcp:40001 IN IP4 192.0.2.x\r\n');
    expect(answer).toContain('c=IN IP6 2001:db8:1234:5678:x:x:x:x\r\n');
    expect(answer).toContain('typ srflx raddr 10.20.30.x rport 40000');

    const stats = statsOf(out);
    expect(stats['I-host']).toMatchObject({ address: '192.168.1.x', ip: '192.168.1.x', port: 51975 });
    expect(stats['I-host6']!.address).toBe('2001:db8:85a3:0:x:x:x:x');
    expect(stats['I-srflx']).toMatchObject({ address: '198.51.100.x', relatedAddress: '192.168.1.x', url: 'stun:198.51.100.x:3478' });
    expect(stats['I-remote']).toMatchObject({ address: '192.0.2.x', relatedAddress: '10.20.30.x' });
    expect(stats['CP-1']).toMatchObject({ googLocalAddress: '198.51.100.x:51975', googRemoteAddress: '192.0.2.x:40000' });
    expect(statsOf(out, 1)['I-prflx']!.address).toBe('172.16.5.x');
    expect(findEvent(out, 'onicecandidateerror').value).toMatchObject({ address: '192.168.1.x', url: 'stun:198.51.100.x:3478', errorCode: 701 });
    expect((findEvent(out, 'addIceCandidate', 1).value as { candidate: string }).candidate).toContain(' 2001:db8:1234:5678:x:x:x:x 40002 typ host');
  });

  it('keeps the TURN server address: its URLs and the relay candidate on it, not the relay raddr', () => {
    const create = findEvent(out, 'create', 1).value as typeof CONFIGURATION;
    expect(create.iceServers[0]!.urls).toEqual([`turn:${TURN_IP}:3478?transport=udp`, 'turns:turn.example.com:443?transport=tcp']);
    expect(out.session.connections[0]!.configuration).toEqual(create);
    expect(statsOf(out)['I-relay']).toMatchObject({ address: TURN_IP, relatedAddress: '198.51.100.x', url: `turn:${TURN_IP}:3478?transport=udp` });
    expect((findEvent(out, 'onicecandidate', 4).value as { candidate: string }).candidate).toContain(
      `${TURN_IP} 60001 typ relay raddr 198.51.100.x rport 51975`,
    );
    expect(report.keptTurnServerAddresses).toEqual([{ address: TURN_IP, occurrences: countAddress(before, TURN_IP) }]);
    expect(report.lines.join('\n')).toContain(`TURN server addresses kept: ${TURN_IP}`);
  });

  it('replaces labels, ufrags, passwords and usernames with stable stand-ins', () => {
    const gum = findEvent(out, 'navigator.mediaDevices.getUserMediaOnSuccess').value as unknown[][];
    expect(gum.map((t) => t[2])).toEqual(['<redacted label 1>', '<redacted label 2>']);
    expect(gum[0]![3]).toEqual({ deviceId: 'default', groupId: 'a7f3e9', echoCancellation: true }); // settings kept
    expect((findEvent(out, 'navigator.mediaDevices.getDisplayMediaOnSuccess').value as unknown[][])[0]![2]).toBe('<redacted label 3>');
    expect(findEvent(out, 'navigator.mediaDevices.enumerateDevicesOnSuccess').value).toEqual([
      { deviceId: 'c0ffee', kind: 'audioinput', label: '<redacted label 4>', groupId: 'g1' },
    ]);
    // the offer's ufrag has one stand-in in SDP, candidates and stats
    const offerUfrag = 'redacted-ufrag-1';
    const answerUfrag = 'redacted-ufrag-2';
    expect(findEvent(out, 'onicecandidate', 1).value).toMatchObject({ usernameFragment: offerUfrag });
    expect((findEvent(out, 'onicecandidate', 1).value as { candidate: string }).candidate).toMatch(new RegExp(`ufrag ${offerUfrag}$`));
    expect(statsOf(out)['T01']!.iceLocalUsernameFragment).toBe(offerUfrag);
    expect(statsOf(out)['I-host']!.usernameFragment).toBe(offerUfrag);
    expect(statsOf(out)['I-remote']!.usernameFragment).toBe(answerUfrag);
    expect(findEvent(out, 'addIceCandidate').value).toMatchObject({ usernameFragment: answerUfrag });
    expect((findEvent(out, 'setRemoteDescription').value as { sdp: string }).sdp).toContain(`a=ice-ufrag:${answerUfrag}\r\n`);
    const server = (findEvent(out, 'create', 1).value as { iceServers: Record<string, unknown>[] }).iceServers[0]!;
    expect(server.username).toBe('<redacted username 1>');
    expect('credential' in server).toBe(false);
  });

  it('strips query and fragment from the session, frame and page-level URLs only', () => {
    expect(out.session.url).toBe('https://meet.example.com/room/42');
    expect(out.session.frames.map((f) => f.url)).toEqual(['https://meet.example.com/room/42', 'http://10.20.30.x:8080/embed/widget']);
    expect(out.session.frames[1]!.origin).toBe('http://10.20.30.x:8080');
    expect((findEvent(out, 'create').value as { url: string }).url).toBe('https://meet.example.com/room/42');
    // ICE server URLs are not page URLs
    expect(json).toContain('?transport=udp');
  });

  it('leaves the rest alone', () => {
    expect(out.session.userAgent).toBe(UA);
    expect((findEvent(out, 'create').value as { userAgentData: unknown }).userAgentData).toEqual(
      (findEvent(input, 'create').value as { userAgentData: unknown }).userAgentData,
    );
    expect(json).toContain('"version":"8.0.0.0"');
    expect(json).toContain(MDNS);
    expect(findEvent(out, 'createDataChannel').value).toEqual(['chat', { ordered: true }]);
    expect(findEvent(out, 'ondatachannel').value).toMatchObject({ label: 'chat' });
    expect(statsOf(out)['IT-a']!.trackIdentifier).toBe('f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9');
    expect(json).toContain(FINGERPRINT);
    expect(out.session.title).toBe(input.session.title);
    expect(out.session.tags).toEqual(input.session.tags);
    expect(out.events.map(({ value: _v, ...rest }) => rest)).toEqual(input.events.map(({ value: _v, ...rest }) => rest));
    expect(Object.keys(out.session)).toEqual(Object.keys(input.session));
  });

  it('does not change the input, and shares no object with it', () => {
    expect(JSON.stringify(input)).toBe(before);
    expect(input).toEqual(dump());
    const outStats = statsOf(out);
    outStats['I-host']!.address = 'changed';
    (out.session.connections[0]!.configuration as { iceTransportPolicy: string }).iceTransportPolicy = 'relay';
    ((findEvent(out, 'create').value as { userAgentData: { platform: string } }).userAgentData).platform = 'changed';
    out.session.frames[0]!.url = 'changed';
    expect(JSON.stringify(input)).toBe(before);
  });

  it('reports what it masked, with counts that match the input', () => {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(report.counts.ipAddresses).toBe(sum(MASKED_ADDRESSES.map((a) => countAddress(before, a))));
    expect(report.distinct.ipAddresses).toBe(MASKED_ADDRESSES.length);
    expect(report.counts.deviceLabels).toBe(sum(LABELS.map((l) => countLiteral(before, l))));
    expect(report.distinct.deviceLabels).toBe(4);
    // session url, top frame url, page-level create url, sub-frame url
    expect(report.counts.urlQueryAndFragment).toBe(countLiteral(before, PAGE_URL) + countLiteral(before, FRAME_URL));
    expect(report.counts.urlQueryAndFragment).toBe(4);
    expect(report.distinct.urlQueryAndFragment).toBe(2);
    const iceSecrets = [OFFER_UFRAG, ANSWER_UFRAG, OFFER_PWD, ANSWER_PWD, TURN_USERNAME];
    expect(report.counts.usernames).toBe(sum(iceSecrets.map((s) => countLiteral(before, s))));
    expect(report.distinct.usernames).toBe(iceSecrets.length);
    // the create event and the session's copy of the configuration
    expect(report.counts.credentials).toBe(2);
    expect(report.distinct.credentials).toBe(1);

    const maskedForms = MASKED_ADDRESSES.map((a) => (isIP(a) === 4 ? maskIPv4(a) : maskIPv6(a)));
    expect(report.examples.ipAddresses).toHaveLength(3);
    for (const e of report.examples.ipAddresses) expect(maskedForms).toContain(e);
    expect(report.examples.deviceLabels).toEqual(['<redacted label 1>', '<redacted label 2>', '<redacted label 3>']);
    expect(report.examples.urlQueryAndFragment).toEqual(['https://meet.example.com/room/42', 'http://10.20.30.x:8080/embed/widget']);
    expect(report.lines).toHaveLength(6);
    expect(report.lines[0]).toBe(
      `IP addresses: 10 addresses masked (${report.counts.ipAddresses} occurrences); IPv4 keeps its first three octets, IPv6 its first four groups, e.g. ${report.examples.ipAddresses.join(', ')}`,
    );
    expect(report.lines[1]).toBe('Device labels: 4 labels replaced (4 occurrences), e.g. <redacted label 1>, <redacted label 2>, <redacted label 3>');
    expect(report.lines[2]).toBe(
      'URL query strings and fragments: removed from 2 URLs (4 occurrences), e.g. https://meet.example.com/room/42, http://10.20.30.x:8080/embed/widget',
    );
    expect(report.lines[4]).toBe('TURN credentials: 2 occurrences removed (always)');
  });

  it('never prints an original value in the report', () => {
    const text = JSON.stringify(report);
    for (const secret of [...MASKED_ADDRESSES, ...LABELS, OFFER_UFRAG, ANSWER_UFRAG, OFFER_PWD, ANSWER_PWD, TURN_USERNAME, TURN_CREDENTIAL, ...QUERY_PARTS]) {
      expect(text, secret).not.toContain(secret);
    }
  });

  it('finds nothing more to mask in its own output', () => {
    const again = redactDump(out, DEFAULTS);
    expect(again.dump).toEqual(out);
    expect(again.report.counts).toEqual({ ipAddresses: 0, deviceLabels: 0, urlQueryAndFragment: 0, usernames: 0, credentials: 0 });
  });
});

describe('redactDump with one option off', () => {
  const before = JSON.stringify(dump());
  const run = (options: Partial<RedactionOptions>) => {
    const r = redactDump(dump(), { ...DEFAULT_REDACTION, ...options });
    return { ...r, json: JSON.stringify(r.dump) };
  };

  it('ipAddresses: every address stays as recorded, the rest is masked', () => {
    const { json, report } = run({ ipAddresses: false });
    for (const a of MASKED_ADDRESSES) expect(countAddress(json, a), a).toBe(countAddress(before, a));
    expect(report.counts.ipAddresses).toBe(0);
    expect(report.keptTurnServerAddresses).toEqual([]);
    expect(report.lines[0]).toBe('IP addresses: kept as recorded (masking turned off)');
    for (const secret of [LABELS[0]!, OFFER_UFRAG, 's3cr3tT0ken']) expect(json).not.toContain(secret);
  });

  it('deviceLabels', () => {
    const { json, report } = run({ deviceLabels: false });
    for (const l of LABELS) expect(json).toContain(l);
    expect(report.counts.deviceLabels).toBe(0);
    expect(json).not.toContain(LOCAL_V4);
  });

  it('urlQueryAndFragment', () => {
    const { dump: out, json, report } = run({ urlQueryAndFragment: false });
    expect(out.session.url).toBe(PAGE_URL);
    expect(out.session.frames[1]!.url).toBe(FRAME_URL.replace(REMOTE_V4, '10.20.30.x')); // the address is still masked
    expect((findEvent(out, 'create').value as { url: string }).url).toBe(PAGE_URL);
    expect(report.counts.urlQueryAndFragment).toBe(0);
    expect(json).not.toContain(LABELS[1]);
  });

  it('usernames: ufrags, passwords and usernames stay, credentials are still removed', () => {
    const { json, report } = run({ usernames: false });
    for (const s of [OFFER_UFRAG, ANSWER_UFRAG, OFFER_PWD, ANSWER_PWD, TURN_USERNAME]) expect(countLiteral(json, s), s).toBe(countLiteral(before, s));
    expect(json).not.toContain(TURN_CREDENTIAL);
    expect(json).not.toContain('"credential"');
    expect(report.counts.usernames).toBe(0);
    expect(report.counts.credentials).toBe(2);
  });

  it('keepTurnServerAddresses: off masks the TURN server too', () => {
    const { json, report } = run({ keepTurnServerAddresses: false });
    expect(json).not.toContain(TURN_IP);
    expect(json).toContain('turn:203.0.113.x:3478?transport=udp');
    expect(report.keptTurnServerAddresses).toEqual([]);
    expect(report.distinct.ipAddresses).toBe(MASKED_ADDRESSES.length + 1);
  });

  it('everything off: only credentials go', () => {
    const { dump: out, report } = run({ ipAddresses: false, deviceLabels: false, urlQueryAndFragment: false, usernames: false });
    const withoutCredentials = dump();
    for (const config of [findEvent(withoutCredentials, 'create', 1).value, withoutCredentials.session.connections[0]!.configuration]) {
      delete (config as typeof CONFIGURATION).iceServers[0]!.credential;
    }
    expect(out).toEqual(withoutCredentials);
    expect(report.counts).toEqual({ ipAddresses: 0, deviceLabels: 0, urlQueryAndFragment: 0, usernames: 0, credentials: 2 });
  });
});

describe('redactDump on shapes of imported dumps', () => {
  const one = (method: string, pc: string | null, value: unknown): SessionDump => ({
    session: { ...session(), connections: [] },
    events: [{ sessionId: 's1', frame: 0, seq: 1, t: T, method, pc, value }],
  });

  it('labels in Jitsi / legacy getUserMedia results and in JSON held in strings (webrtc-internals track_info)', () => {
    const jitsi = redactDump(one('navigator.mediaDevices.getUserMediaOnSuccess', null, { id: 'stream-1', tracks: [{ id: 't1', kind: 'audio', label: LABELS[0] }] }), DEFAULTS);
    expect(jitsi.dump.events[0]!.value).toEqual({ id: 'stream-1', tracks: [{ id: 't1', kind: 'audio', label: '<redacted label 1>' }] });
    const internals = redactDump(one('getUserMediaOnSuccess', null, {
      request_type: 'getUserMedia',
      audio_track_info: 'null',
      video_track_info: JSON.stringify({ id: '4096', label: LABELS[1] }),
    }), DEFAULTS);
    expect(internals.dump.events[0]!.value).toMatchObject({ audio_track_info: 'null', video_track_info: '{"id":"4096","label":"<redacted label 1>"}' });
  });

  it('a configuration held as a JSON string loses its credential; candidate values held as JSON strings are masked', () => {
    const config = JSON.stringify({ iceServers: [{ urls: `turn:${TURN_IP}:3478`, username: 'bob', credential: TURN_CREDENTIAL }] });
    const out = redactDump(one('create', 'PC_0', config), DEFAULTS);
    expect(JSON.parse(out.dump.events[0]!.value as string)).toEqual({ iceServers: [{ urls: `turn:${TURN_IP}:3478`, username: '<redacted username 1>' }] });
    const candidate = JSON.stringify({ sdpMid: '0', sdpMLineIndex: 0, candidate: `${offerCandidates[2]} ufrag ${OFFER_UFRAG}` });
    const value = redactDump(one('onicecandidate', 'PC_0', candidate), DEFAULTS).dump.events[0]!.value as string;
    expect(value).not.toContain(LOCAL_PUBLIC);
    expect(value).not.toContain(OFFER_UFRAG);
    expect(value).toContain('198.51.100.x 51975 typ srflx raddr 192.168.1.x');
  });

  it('IPv6 TURN hosts are kept in brackets and as relay addresses', () => {
    const turn6 = '2001:db8:ffff::10';
    const d = one('onicecandidate', 'PC_0', { candidate: `candidate:9 1 udp 41885439 ${turn6} 60001 typ relay raddr ${LOCAL_V6} rport 1 ufrag x`, url: `turns:[${turn6}]:443?transport=tcp` });
    const value = redactDump(d, DEFAULTS).dump.events[0]!.value as { candidate: string; url: string };
    expect(value.url).toBe(`turns:[${turn6}]:443?transport=tcp`);
    expect(value.candidate).toContain(`${turn6} 60001 typ relay raddr 2001:db8:85a3:0:x:x:x:x rport 1`);
  });
});

// ---------------------------------------------------------------------------
// Real SDP: chrome147-two-pc-loopback.json (webrtc-internals), and the raw
// text of every fixture file.
// ---------------------------------------------------------------------------

const FIXTURES = FIXTURES_DIR;

/** The addresses an SDP or candidate text names, read the plain way (independent of src/). */
function addressesIn(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /c=IN IP[46] ([^\s\\"]+)/g,
    /o=\S+ \S+ \S+ IN IP[46] ([^\s\\"]+)/g,
    /a=rtcp:\d+ IN IP[46] ([^\s\\"]+)/g,
    /candidate:\S+ \d+ \w+ \d+ ([^\s\\"]+) \d+ typ \w+(?: raddr ([^\s\\"]+))?/gi,
    /"(?:address|ip|relatedAddress)"\s*:\s*"([^"\\]+)"/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) for (const a of m.slice(1)) if (a && isIP(a) !== 0) found.push(a);
  }
  return [...new Set(found)];
}

describe('redactText on real dumps', () => {
  it('masks every address of the SDPs and candidates in chrome147-two-pc-loopback.json', () => {
    const file = JSON.parse(readFileSync(join(FIXTURES, 'internals/chrome147-two-pc-loopback.json'), 'utf8')) as {
      PeerConnections: Record<string, { updateLog: { type: string; value: string }[] }>;
    };
    const texts: string[] = [];
    for (const pc of Object.values(file.PeerConnections)) {
      for (const entry of pc.updateLog) {
        let value: unknown;
        try {
          value = JSON.parse(entry.value);
        } catch {
          continue;
        }
        if (value && typeof value === 'object') {
          const { sdp, candidate } = value as { sdp?: unknown; candidate?: unknown };
          if (typeof sdp === 'string' && sdp.length > 0) texts.push(sdp);
          if (typeof candidate === 'string') texts.push(candidate);
        }
      }
    }
    const sdps = texts.filter((t) => t.startsWith('v=0'));
    expect(sdps.length).toBeGreaterThanOrEqual(8);
    const all = new Set<string>();
    for (const text of texts) {
      const addresses = addressesIn(text);
      for (const a of addresses) all.add(a);
      const redacted = redactText(text, DEFAULTS);
      for (const a of addresses) expect(countAddress(redacted, a), `${a} in ${redacted.slice(0, 80)}`).toBe(0);
      expect(addressesIn(redacted)).toEqual([]);
      // the structure is unchanged: same lines, only address and ICE credential lines differ
      const lines = redacted.split('\r\n');
      const original = text.split('\r\n');
      expect(lines).toHaveLength(original.length);
      for (let i = 0; i < lines.length; i++) {
        if (lines[i] !== original[i]) expect(lines[i]).toMatch(/^(o=|c=|a=rtcp:|a=candidate:|a=ice-ufrag:redacted-ufrag-\d+$|a=ice-pwd:redacted-pwd-\d+$|candidate:)/);
      }
      for (const m of text.matchAll(/a=ice-(?:ufrag|pwd):(\S+)/g)) expect(redacted).not.toContain(`:${m[1]}\r\n`);
    }
    expect([...all].sort()).toEqual(['0.0.0.0', '127.0.0.1']);
    // the mDNS host candidates stay
    expect(redactText(texts.find((t) => t.includes('.local'))!, DEFAULTS)).toMatch(/[0-9a-f-]{36}\.local \d+ typ host/);
  });

  const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(json|jsonl|gz)$/.test(f)).sort();

  it('finds the fixture files', () => {
    expect(files.length).toBe(8);
  });

  for (const file of files) {
    it(`leaves no address of ${file} in its redacted raw text`, () => {
      const bytes = readFileSync(join(FIXTURES, file));
      const raw = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
      const { text, report } = redactTextWithReport(raw, { ...DEFAULT_REDACTION, keepTurnServerAddresses: false });
      const addresses = addressesIn(raw);
      for (const a of addresses) expect(countAddress(text, a), a).toBe(0);
      expect(addressesIn(text)).toEqual([]);
      expect(report.counts.ipAddresses).toBeGreaterThanOrEqual(addresses.length);
      for (const m of raw.matchAll(/a=ice-ufrag:([^\s\\"]+)/g)) expect(text).not.toContain(`a=ice-ufrag:${m[1]}\\r`);
      // product versions in user agents stay
      for (const m of raw.matchAll(/Chrome\/[\d.]+/g)) expect(text).toContain(m[0]);
      if (/two-pc|jitsi|legacy/.test(file)) expect(addresses.length).toBeGreaterThan(0);
    });

    it(`leaves no display name or TURN username of ${file} in its redacted dump`, async () => {
      const bytes = readFileSync(join(FIXTURES, file));
      const raw = file.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
      // people's names (Jitsi's identity entry) and TURN usernames, read from the raw text
      const names = [...raw.matchAll(/"(?:displayName|username)"\s*:\s*"([^"\\]+)"/g)].map((m) => m[1]!);
      if (file.startsWith('jitsi')) expect(names.length).toBeGreaterThan(0);
      const { dump } = await importDump(new Uint8Array(bytes));
      const text = JSON.stringify(redactDump(dump, DEFAULT_REDACTION).dump);
      for (const name of names) expect(text).not.toContain(`"${name}"`);
    });
  }
});
