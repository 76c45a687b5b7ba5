import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { gunzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDump } from '../../src/core/export';
import { DEFAULT_REDACTION, redactDump } from '../../src/core/redact';
import { bundleFileName, makeSupportBundle } from '../../src/core/bundle';
import type { SessionDump } from '../../src/core/dump';
import { callDump } from './support/call';
import type { StoredEvent } from '../../src/core/trace';

const T = Date.UTC(2026, 10, 23, 9, 8, 7);
const SDP =
  'v=0\r\no=- 1 2 IN IP4 192.0.2.44\r\ns=-\r\nt=0 0\r\nm=audio 50000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.44\r\n' +
  'a=ice-ufrag:Secr\r\na=ice-pwd:verysecretpasswordvalue1\r\n' +
  'a=candidate:1 1 udp 2122260223 192.0.2.44 50000 typ host generation 0 ufrag Secr\r\n' +
  'a=candidate:2 1 udp 2122262783 2001:db8:abcd:12:1:2:3:4 50001 typ host generation 0 ufrag Secr\r\n';

function dump(): SessionDump {
  let seq = 0;
  const ev = (dt: number, pc: string | null, method: string, value: unknown, extra?: (string | number)[]): StoredEvent => ({
    sessionId: 's', frame: 0, seq: ++seq, t: T + dt, method, pc, value, ...(extra ? { extra } : {}),
  });
  const events = [
    ev(0, null, 'create', { url: 'https://meet.example.com/room?token=abc#x' }),
    ev(1, null, 'navigator.mediaDevices.getUserMedia', { audio: true }, ['gum-0']),
    ev(2, null, 'navigator.mediaDevices.getUserMediaOnSuccess', [['audio', 'id1', 'Jabra Evolve2 65', {}]], ['gum-0']),
    ev(3, 'PC_0', 'create', { iceServers: [{ urls: 'turn:198.51.100.9:3478', username: 'alice', credential: 'hunter2' }] }),
    ev(4, 'PC_0', 'createOfferOnSuccess', { type: 'offer', sdp: SDP }),
    ev(5, 'PC_0', 'onicecandidate', { candidate: 'candidate:1 1 udp 2122260223 192.0.2.44 50000 typ host generation 0 ufrag Secr', sdpMid: '0' }),
    ev(6, 'PC_0', 'onconnectionstatechange', 'connected'),
    ev(1000, 'PC_0', 'getStats', { L1: { type: 'local-candidate', timestamp: T + 1000, address: '192.0.2.44', port: 50000, usernameFragment: 'Secr' } }, undefined),
    ev(2000, 'PC_0', 'close', null),
  ];
  events[7]!.full = true;
  return {
    session: {
      id: 's', tabId: 1, url: 'https://meet.example.com/room?token=abc#x', origin: 'https://meet.example.com', title: 'Room',
      startTime: T, endTime: T + 3000, userAgent: 'Mozilla/5.0 Chrome/147.0.0.0', extensionVersion: '0.1.0',
      frames: [], connections: [], tags: {}, eventCount: events.length, statsCount: 1, lastEventTime: T + 2000, bytes: 0, rawBytes: 0,
    },
    events,
  };
}

describe('makeSupportBundle', () => {
  it('names the zip after the site and the local start time', () => {
    const d = new Date(T);
    const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}-` +
      `${String(d.getHours()).padStart(2, '0')}${String(d.getMinutes()).padStart(2, '0')}${String(d.getSeconds()).padStart(2, '0')}`;
    expect(bundleFileName('https://meet.example.com/room?x', T)).toBe(`webrtc-meet.example.com-${stamp}.zip`);
    expect(bundleFileName('not a url', T)).toMatch(/^webrtc-page-\d{8}-\d{6}\.zip$/);
  });

  it('holds the rtcstats dump (gzip), the webrtc-internals dump, a README and the redaction list', async () => {
    const bundle = await makeSupportBundle(dump());
    const files = unzipSync(bundle.bytes);
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(4);
    expect(names).toContain('README.txt');
    expect(names).toContain('REDACTED.txt');
    const rtcstats = names.find((n) => n.endsWith('.rtcstats.jsonl.gz'))!;
    const internals = names.find((n) => n.endsWith('.webrtc-internals.json'))!;
    expect(gunzipSync(files[rtcstats]!).toString('utf8').startsWith('RTCStatsDump\n')).toBe(true);
    expect(JSON.parse(strFromU8(files[internals]!))).toHaveProperty('PeerConnections');
    const readme = strFromU8(files['README.txt']!);
    expect(readme).toContain('Mozilla/5.0 Chrome/147.0.0.0');
    expect(readme).toContain('version 0.1.0');
    expect(readme).toContain(new Date(T).toISOString());
    expect(readme).toMatch(/PC_0 .*connected, closed/);
    // the analysis: verdict, scores, observations
    expect(readme).toMatch(/^Verdict: +(Good|Fair|Poor|Bad)\. /m);
    expect(readme).toMatch(/^Scores: +/m);
    expect(readme).toMatch(/^Observations: \d+$/m);
    expect(strFromU8(files['REDACTED.txt']!)).toMatch(/IP addresses/);
  });

  it('is a zip that another reader checks entry by entry (CRC-32 and sizes: Python\'s zipfile)', async () => {
    const bundle = await makeSupportBundle(dump());
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const file = join(dir, bundle.fileName);
      writeFileSync(file, bundle.bytes);
      const check = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(z.testzip(), len(z.namelist()))';
      expect(execFileSync('python3', ['-c', check, file], { encoding: 'utf8' }).trim()).toBe('None 4');
      const unzipped = unzipSync(bundle.bytes);
      const internals = Object.keys(unzipped).find((n) => n.endsWith('.webrtc-internals.json'))!;
      expect(strFromU8(unzipped[internals]!)).toBe(new TextDecoder().decode(await exportDump(redactDump(dump(), DEFAULT_REDACTION).dump, 'internals')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('README: the verdict, the scores and the observations of the call', async () => {
    const bundle = await makeSupportBundle(callDump(40, (i) => (i >= 10 && i < 30 ? { lossPct: 10 } : {})));
    const readme = strFromU8(unzipSync(bundle.bytes)['README.txt']!);
    expect(readme).toMatch(/^Verdict: +(Fair|Poor|Bad)\. .*packet loss/m);
    expect(readme).toMatch(/^Scores: +audio MOS [\d.]+ \(\w+; rttMs /m);
    expect(readme).toMatch(/^ +video [\d.]+\/5 \(/m);
    expect(readme).toMatch(/^ +\+1\d\.\d s +warning +high-loss +Incoming packet loss on PC_0 \(audio remote-audio\) was high/m);
  });

  it('leaves no local address, device label, ICE username or password, TURN credential or URL query in any file', async () => {
    const bundle = await makeSupportBundle(dump());
    const files = unzipSync(bundle.bytes);
    const text = Object.entries(files)
      .map(([name, bytes]) => (name.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : strFromU8(bytes)))
      .join('\n');
    for (const secret of ['192.0.2.44', '2001:db8:abcd:12:1:2:3:4', ':1:2:3:4', 'Jabra', 'Secr', 'verysecretpasswordvalue1', 'alice', 'hunter2', 'token=abc']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('192.0.2.x');
    expect(text).toContain('198.51.100.9'); // the TURN server's own address may stay
  });

  it('keeps what the user chose not to mask', async () => {
    const bundle = await makeSupportBundle(dump(), { ipAddresses: false, deviceLabels: false, urlQueryAndFragment: true, usernames: true });
    const files = unzipSync(bundle.bytes);
    const internals = strFromU8(files[Object.keys(files).find((n) => n.endsWith('.json'))!]!);
    expect(internals).toContain('192.0.2.44');
    expect(internals).not.toContain('hunter2');
  });
});
