// parseSdp / mainCodecs (src/core/view/sdp.ts): the folds of the event log.
// Expected codec orders of the real descriptions are derived in the test by
// looking each payload type of the m= line up in its section's text.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importDump } from '../../src/core/import';
import { readDescription } from '../../src/core/view/event-log';
import { mainCodecs, parseSdp } from '../../src/core/view/sdp';
import { fixture } from './support/fixtures';

const HAND_WRITTEN = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 2',
  // rtpmap lines in another order than the m= line: the m= line decides
  'm=audio 9 UDP/TLS/RTP/SAVPF 0 111 126',
  'c=IN IP4 0.0.0.0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:126 telephone-event/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=sendonly',
  'a=mid:0',
  'm=video 0 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=inactive',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'a=mid:2',
  'a=sctp-port:5000',
  '',
].join('\r\n');

describe('parseSdp on hand-written SDP', () => {
  const sections = parseSdp(HAND_WRITTEN);

  it('the session part first, then one section per m= line', () => {
    expect(sections.map((s) => s.kind)).toEqual(['session', 'audio', 'video', 'application']);
    const session = sections[0]!;
    expect(session.mid).toBeNull();
    expect(session.direction).toBeNull();
    expect(session.codecs).toEqual([]);
    expect(session.lines).toEqual(['v=0', 'o=- 4611731400430051336 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 2']);
  });

  it('mid, direction and codecs in the order of the m= line', () => {
    const audio = sections[1]!;
    expect(audio.mid).toBe('0');
    expect(audio.direction).toBe('sendonly');
    expect(audio.codecs).toEqual(['PCMU/8000', 'opus/48000/2', 'telephone-event/8000']);
    expect(audio.rejected).toBe(false);
    expect(audio.lines[0]).toBe('m=audio 9 UDP/TLS/RTP/SAVPF 0 111 126');
    expect(audio.lines).toHaveLength(7); // m=, c=, three rtpmap, direction, mid
    expect(mainCodecs(audio)).toEqual(['PCMU/8000', 'opus/48000/2']);
  });

  it('port 0 marks a rejected section', () => {
    const video = sections[2]!;
    expect(video.rejected).toBe(true);
    expect(video.mid).toBe('1');
    expect(video.direction).toBe('inactive');
    expect(video.codecs).toEqual(['VP8/90000', 'rtx/90000']);
    expect(mainCodecs(video)).toEqual(['VP8/90000']);
  });

  it('a data channel section has no codecs and no direction', () => {
    const data = sections[3]!;
    expect(data).toMatchObject({ kind: 'application', mid: '2', direction: null, codecs: [], rejected: false });
  });

  it('LF line ends read the same as CRLF', () => {
    expect(parseSdp(HAND_WRITTEN.replace(/\r\n/g, '\n'))).toEqual(sections);
  });

  it('a fragment that starts at an m= line has no session part', () => {
    const fragment = parseSdp('m=audio 9 RTP/AVP 8\na=rtpmap:8 PCMA/8000\na=recvonly\n');
    expect(fragment).toHaveLength(1);
    expect(fragment[0]).toMatchObject({ kind: 'audio', direction: 'recvonly', codecs: ['PCMA/8000'] });
  });

  it('a payload type without rtpmap is left out rather than shown wrong', () => {
    // static payload type 0 without its rtpmap line (allowed by RFC 4566)
    expect(parseSdp('v=0\r\nm=audio 9 RTP/AVP 0 111\r\na=rtpmap:111 opus/48000/2\r\n')[1]!.codecs).toEqual(['opus/48000/2']);
  });
});

/** The codecs of each m= section, found independently: each payload type of the m= line looked up in its block. */
function expectedCodecs(sdp: string): string[][] {
  const blocks = sdp.split(/\r?\n(?=m=)/).slice(1);
  return blocks.map((block) => {
    const formats = /^m=\S+ \d+ \S+ (.*)$/m.exec(block)![1]!.trim().split(/\s+/);
    return formats.map((pt) => new RegExp(`^a=rtpmap:${pt} (\\S+)`, 'm').exec(block)?.[1]).filter((c): c is string => c !== undefined);
  });
}

async function importFixture(relative: string) {
  return (await importDump(new Uint8Array(readFileSync(fixture(relative))))).dump;
}

describe('parseSdp on real descriptions', () => {
  it('Jitsi munged offer: H264 first as the m= line says, though its rtpmap lines come after VP8 and VP9', async () => {
    const dump = await importFixture('jitsi/google-standard-stats-p2p.jsonl');
    const e = dump.events.find((x) => x.pc === 'PC_0' && x.method === 'setLocalDescription')!;
    const { sdp } = readDescription(e.value)!;
    const sections = parseSdp(sdp);
    expect(sections.map((s) => [s.kind, s.mid, s.direction])).toEqual([
      ['session', null, null],
      ['audio', 'audio', 'sendrecv'],
      ['video', 'video', 'sendrecv'],
    ]);
    const expected = expectedCodecs(sdp);
    expect(sections.slice(1).map((s) => s.codecs)).toEqual(expected);
    const video = sections[2]!;
    // the munging this dump records: H264 moved before VP8 in the m= line only
    expect(sdp.indexOf('a=rtpmap:96 VP8/90000')).toBeLessThan(sdp.indexOf('a=rtpmap:102 H264/90000'));
    expect(mainCodecs(video)[0]).toBe('H264/90000');
    expect(mainCodecs(video)).toContain('VP8/90000');
    // every line is in exactly one fold
    expect(sections.reduce((n, s) => n + s.lines.length, 0)).toBe(sdp.split(/\r?\n/).filter((l) => l !== '').length);
  });

  it('webrtc-internals (Chrome 147): one bundled video section per description, directions of offer and answer', async () => {
    const dump = await importFixture('internals/chrome147-two-pc-loopback.json');
    const offer = readDescription(dump.events.find((x) => x.pc === '11-1' && x.method === 'createOfferOnSuccess')!.value)!;
    const answer = readDescription(dump.events.find((x) => x.pc === '12-2' && x.method === 'createAnswerOnSuccess')!.value)!;
    const o = parseSdp(offer.sdp);
    const a = parseSdp(answer.sdp);
    expect(o.map((s) => [s.kind, s.mid, s.direction, s.rejected])).toEqual([['session', null, null, false], ['video', '0', 'sendrecv', false]]);
    expect(a.map((s) => [s.kind, s.mid, s.direction, s.rejected])).toEqual([['session', null, null, false], ['video', '0', 'recvonly', false]]);
    expect(o[1]!.codecs).toEqual(expectedCodecs(offer.sdp)[0]);
    expect(o[1]!.codecs.length).toBeGreaterThan(10);
    expect(mainCodecs(o[1]!)).not.toContain('rtx/90000');
    expect(mainCodecs(o[1]!)[0]).toBe('VP8/90000');
  });
});
