// The event log of the panel (src/core/view/event-log.ts): categories,
// failures, the munged flag, the previous description for the diff, and the
// filters.

import { describe, expect, it } from 'vitest';
import { categoryOf, EventLog, filterRows, isFailure, readDescription, type LogCategory } from '../../src/core/view/event-log';
import type { StoredEvent } from '../../src/core/trace';

const T = 1758602115000;
let seq = 0;
const ev = (method: string, pc: string | null, value: unknown, t = T + seq): StoredEvent => ({ sessionId: 's', frame: 0, seq: ++seq, t, method, pc, value });

const sdp = (version: number, videoCodecs: string, direction = 'sendrecv') =>
  [
    'v=0',
    `o=- 1 ${version} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=mid:0',
    `a=${direction}`,
    'a=rtpmap:111 opus/48000/2',
    `m=video 9 UDP/TLS/RTP/SAVPF ${videoCodecs}`,
    'a=mid:1',
    `a=${direction}`,
    'a=rtpmap:96 VP8/90000',
    'a=rtpmap:98 VP9/90000',
    '',
  ].join('\r\n');
const OFFER = sdp(2, '96 98');
/** the same offer with VP9 moved first: what a page munging codec order sets */
const MUNGED = sdp(2, '98 96');

function build(events: StoredEvent[]) {
  const log = new EventLog();
  for (const e of events) log.add(e);
  return log.rows;
}

describe('categories and failures', () => {
  it('each traced method lands in the category a user filters by', () => {
    const cases: [string, string | null, LogCategory][] = [
      ['createOffer', 'pc', 'signaling'],
      ['createAnswerOnSuccess', 'pc', 'signaling'],
      ['setLocalDescription', 'pc', 'signaling'],
      ['setRemoteDescriptionOnFailure', 'pc', 'signaling'],
      ['onnegotiationneeded', 'pc', 'signaling'],
      ['onsignalingstatechange', 'pc', 'signaling'],
      ['onicecandidate', 'pc', 'ice'],
      ['addIceCandidate', 'pc', 'ice'],
      ['onicecandidateerror', 'pc', 'ice'],
      ['oniceconnectionstatechange', 'pc', 'ice'],
      ['onicegatheringstatechange', 'pc', 'ice'],
      ['restartIce', 'pc', 'ice'],
      ['setConfiguration', 'pc', 'ice'],
      ['onconnectionstatechange', 'pc', 'state'],
      ['createDataChannel', 'pc', 'datachannel'],
      ['ondatachannel', 'pc', 'datachannel'],
      ['addTrack', 'pc', 'media'],
      ['ontrack', 'pc', 'media'],
      ['navigator.mediaDevices.getUserMedia', null, 'media'],
      ['navigator.mediaDevices.getDisplayMediaOnFailure', null, 'media'],
      ['navigator.mediaDevices.enumerateDevices', null, 'media'],
      ['navigator.mediaDevices.ondevicechange', null, 'media'],
      ['MediaStreamTrack.onmute', null, 'media'],
      ['identity', null, 'page'],
      // webrtc-internals' own events
      ['transceiverAdded', 'pc', 'media'],
      ['transceiverModified', 'pc', 'media'],
      ['addTransceiver', 'pc', 'media'],
      ['somethingNew', 'pc', 'other'],
    ];
    expect(cases.map(([m, pc]) => [m, categoryOf(m, pc)])).toEqual(cases.map(([m, , c]) => [m, c]));
  });

  it('OnFailure results, failed states and ICE candidate errors are failures; other states are not', () => {
    expect(isFailure('setRemoteDescriptionOnFailure', 'OperationError: Failed to parse SessionDescription')).toBe(true);
    expect(isFailure('navigator.mediaDevices.getUserMediaOnFailure', 'NotAllowedError: Permission denied')).toBe(true);
    expect(isFailure('onconnectionstatechange', 'failed')).toBe(true);
    expect(isFailure('oniceconnectionstatechange', 'failed')).toBe(true);
    expect(isFailure('onicecandidateerror', { errorCode: 701, url: 'stun:stun.example.org:3478' })).toBe(true);
    expect(isFailure('onconnectionstatechange', 'disconnected')).toBe(false);
    expect(isFailure('oniceconnectionstatechange', 'connected')).toBe(false);
    expect(isFailure('setRemoteDescriptionOnSuccess', null)).toBe(false);
    // "failed" as a value of something that is not a state is no failure
    expect(isFailure('DataChannel.onmessage', 'failed')).toBe(false);
  });

  it('the rows carry category and failure flag; getStats is charted, not listed', () => {
    const rows = build([
      ev('create', 'pc1', { iceServers: [] }),
      ev('getStats', 'pc1', { T01: { type: 'transport' } }),
      ev('onicecandidateerror', 'pc1', { errorCode: 701 }),
      ev('onconnectionstatechange', 'pc1', 'failed'),
      ev('onconnectionstatechange', 'pc1', 'connected'),
    ]);
    expect(rows.map((r) => [r.method, r.category, r.failure])).toEqual([
      ['create', 'signaling', false],
      ['onicecandidateerror', 'ice', true],
      ['onconnectionstatechange', 'state', true],
      ['onconnectionstatechange', 'state', false],
    ]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(new EventLog().add(ev('getStats', 'pc1', {}))).toBeNull();
  });

  it('candidate rows are summarised as type, protocol, address and port', () => {
    const rows = build([
      ev('onicecandidate', 'pc1', { candidate: 'candidate:1 1 udp 2122260223 192.168.1.23 50000 typ host generation 0', sdpMid: '0' }),
      ev('addIceCandidate', 'pc1', { candidate: 'candidate:2 1 TCP 1518280447 203.0.113.7 9 typ srflx raddr 0.0.0.0 rport 0 tcptype active' }),
      ev('onicecandidate', 'pc1', { candidate: '' }),
    ]);
    expect(rows.map((r) => r.summary)).toEqual(['host udp 192.168.1.23:50000', 'srflx tcp 203.0.113.7:9', 'end of candidates']);
  });
});

describe('descriptions: munged flag and previous of the same side', () => {
  it('not munged when setLocalDescription sets what createOffer returned', () => {
    const rows = build([ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }), ev('setLocalDescription', 'pc1', { type: 'offer', sdp: OFFER })]);
    expect(rows[1]!.sdp).toMatchObject({ type: 'offer', text: OFFER, munged: false, previous: null });
    expect(rows[1]!.summary).not.toContain('munged');
  });

  it('munged when setLocalDescription differs from what createOffer / createAnswer returned', () => {
    const rows = build([
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }),
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: MUNGED }),
      ev('createAnswerOnSuccess', 'pc2', { type: 'answer', sdp: sdp(3, '96 98', 'recvonly') }),
      ev('setLocalDescription', 'pc2', { type: 'answer', sdp: sdp(3, '96', 'recvonly') }),
    ]);
    expect(rows[1]!.sdp!.munged).toBe(true);
    expect(rows[1]!.summary).toBe('offer · audio sendrecv, video sendrecv · munged');
    expect(rows[3]!.sdp!.munged).toBe(true);
    // the SDP of the munged one is folded as set: VP9 first
    expect(rows[1]!.sdp!.sections[2]!.codecs).toEqual(['VP9/90000', 'VP8/90000']);
    // createOffer's own result is never flagged
    expect(rows[0]!.sdp!.munged).toBe(false);
  });

  it('an implicit setLocalDescription() (no description) is listed, without SDP and not munged', () => {
    const rows = build([
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }),
      ev('setLocalDescription', 'pc1', null),
      ev('setLocalDescription', 'pc1', {}),
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]!.sdp).toBeUndefined();
    expect(rows[2]!.sdp).toBeUndefined();
    expect(rows[1]!.summary).not.toContain('munged');
  });

  it('not munged when the page created two offers and set the first; munged when it set neither', () => {
    const second = sdp(3, '96 98');
    const rows = build([
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }),
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: second }),
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: OFFER }),
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: sdp(4, '96 98') }),
      ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: sdp(5, '96 98') }),
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: MUNGED }),
    ]);
    expect(rows[2]!.sdp!.munged).toBe(false);
    expect(rows[5]!.sdp!.munged).toBe(true);
  });

  it('an implicit setLocalDescription(): the description its success reports is the local one, in the chain of previous ones', () => {
    const L1 = sdp(2, '96 98');
    const L2 = sdp(3, '96 98', 'sendonly');
    const L3 = sdp(4, '96', 'sendonly');
    const rows = build([
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: L1 }),
      ev('setLocalDescriptionOnSuccess', 'pc1', { type: 'offer', sdp: L1 }),
      ev('setLocalDescription', 'pc1', null),
      ev('setLocalDescriptionOnSuccess', 'pc1', { type: 'offer', sdp: L2 }),
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: L3 }),
    ]);
    expect(rows[3]!.sdp).toMatchObject({ text: L2, previous: L1, munged: false });
    expect(rows[4]!.sdp!.previous).toBe(L2);
    // an explicit one's success repeats it: not a new link in the chain
    expect(rows[1]!.sdp!.previous).toBeNull();
  });

  it('a description of another type than the created one is not called munged (rollback, remote offer answered)', () => {
    const rows = build([ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }), ev('setLocalDescription', 'pc1', { type: 'answer', sdp: MUNGED })]);
    expect(rows[1]!.sdp!.munged).toBe(false);
  });

  it('previous: the last description of the same side of the same connection', () => {
    const L1 = sdp(2, '96 98');
    const R1 = sdp(5, '96', 'recvonly');
    const L2 = sdp(3, '96 98', 'sendonly');
    const R2 = sdp(6, '96', 'inactive');
    const rows = build([
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: L1 }),
      ev('setRemoteDescription', 'pc1', { type: 'answer', sdp: R1 }),
      ev('setLocalDescription', 'pc2', { type: 'offer', sdp: sdp(9, '98') }),
      ev('setLocalDescription', 'pc1', { type: 'offer', sdp: L2 }),
      ev('setRemoteDescription', 'pc1', { type: 'answer', sdp: R2 }),
    ]);
    expect(rows.map((r) => r.sdp!.previous)).toEqual([null, null, null, L1, R1]);
  });

  it('descriptions written as "type: offer, sdp: ..." strings (webrtc-internals) read like objects', () => {
    const asText = (type: string, text: string) => `type: ${type}, sdp: ${text}`;
    expect(readDescription(asText('offer', OFFER))).toEqual({ type: 'offer', sdp: OFFER });
    expect(readDescription({ type: 'answer', sdp: OFFER })).toEqual({ type: 'answer', sdp: OFFER });
    expect(readDescription('')).toBeNull();
    expect(readDescription('type: offer, sdp: ')).toBeNull();
    expect(readDescription({ type: 'offer' })).toBeNull();

    const rows = build([
      ev('createOfferOnSuccess', 'pc1', asText('offer', OFFER)),
      ev('setLocalDescription', 'pc1', asText('offer', OFFER)),
      ev('createOfferOnSuccess', 'pc1', asText('offer', OFFER)),
      ev('setLocalDescription', 'pc1', asText('offer', MUNGED)),
    ]);
    expect(rows[1]!.sdp).toMatchObject({ type: 'offer', munged: false, previous: null });
    expect(rows[1]!.sdp!.sections.map((s) => [s.kind, s.mid, s.direction])).toEqual([
      ['session', null, null],
      ['audio', '0', 'sendrecv'],
      ['video', '1', 'sendrecv'],
    ]);
    expect(rows[3]!.sdp).toMatchObject({ munged: true, previous: OFFER });
  });
});

describe('filterRows', () => {
  const rows = build([
    ev('navigator.mediaDevices.getUserMedia', null, { audio: true }),
    ev('createOfferOnSuccess', 'pc1', { type: 'offer', sdp: OFFER }),
    ev('setLocalDescription', 'pc1', { type: 'offer', sdp: OFFER }),
    ev('setRemoteDescription', 'pc2', { type: 'offer', sdp: sdp(7, '96').replace('a=rtpmap:98 VP9/90000\r\n', '') }),
    ev('onicecandidateerror', 'pc2', { errorCode: 701, errorText: 'STUN host lookup received error.' }),
    ev('onconnectionstatechange', 'pc1', 'connected'),
  ]);
  const methods = (r: { method: string; pc: string | null }[]) => r.map((x) => `${x.pc ?? 'page'} ${x.method}`);

  it('no filter: every row', () => {
    expect(filterRows(rows, {})).toHaveLength(rows.length);
  });

  it('search finds text inside the SDP and inside values, case-insensitive, and method names', () => {
    expect(methods(filterRows(rows, { search: 'vp9' }))).toEqual(['pc1 createOfferOnSuccess', 'pc1 setLocalDescription']);
    expect(methods(filterRows(rows, { search: 'host LOOKUP' }))).toEqual(['pc2 onicecandidateerror']);
    expect(methods(filterRows(rows, { search: '  getusermedia ' }))).toEqual(['page navigator.mediaDevices.getUserMedia']);
    expect(filterRows(rows, { search: 'no such text' })).toEqual([]);
  });

  it('categories and failuresOnly', () => {
    expect(methods(filterRows(rows, { categories: new Set<LogCategory>(['state', 'ice']) }))).toEqual(['pc2 onicecandidateerror', 'pc1 onconnectionstatechange']);
    expect(methods(filterRows(rows, { failuresOnly: true }))).toEqual(['pc2 onicecandidateerror']);
  });

  it('a connection filter keeps that connection and the page rows', () => {
    expect(methods(filterRows(rows, { pc: 'pc2' }))).toEqual([
      'page navigator.mediaDevices.getUserMedia',
      'pc2 setRemoteDescription',
      'pc2 onicecandidateerror',
    ]);
    expect(methods(filterRows(rows, { pc: 'pc2', categories: new Set<LogCategory>(['signaling']), search: 'vp8' }))).toEqual(['pc2 setRemoteDescription']);
  });
});
