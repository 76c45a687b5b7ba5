// importDump on every real dump in ../shared/fixtures/dumps.
//
// The expected numbers were derived from the raw files, independently of the
// importer, by a throw-away Node script (zlib for the .gz, JSON.parse per
// line or per file), e.g. for a Jitsi file:
//   node -e 'const ls=require("fs").readFileSync(f,"utf8").split("\n").filter(Boolean).slice(1).map(JSON.parse);
//            count(ls, a => String(a[1]));                          // events per connection (null = page-level)
//            count(ls.filter(a => a[0]==="getstats"), a => a[1])'   // stats samples per connection
// rtcstats: the lines after the first two, by their second element;
// format 0: the length of each peerConnections list and of getUserMedia, the
// entries of type getStats; webrtc-internals: updateLog lengths, and as the
// sample count the number of distinct values in the -timestamp series of the
// connection's non-remote reports (one getStats poll each); derived series:
// the non-empty "<id>-[...]" keys. The "known values" are read straight from
// the raw lines / series named in each case (the last line of a connection
// holds the property as sent, its timestamp being the line's top-level
// timestamp where the report's own is 0).

import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importDump } from '../../src/core/import';
import type { DumpFormat, ImportResult } from '../../src/core/dump';
import { completeStatsSamples } from '../../src/core/session';
import type { StatsSample } from '../../src/core/stats-delta';
import { FIXTURES_DIR } from './support/fixtures';

const DIR = FIXTURES_DIR;

interface Expected {
  format: DumpFormat;
  gzip: boolean;
  connections: string[];
  /** events per connection id ('null' = page-level) */
  events: Record<string, number>;
  /** getStats samples per connection id */
  samples: Record<string, number>;
  userAgent: string;
  url: string;
  check(r: ImportResult, last: Map<string, StatsSample>): void;
}

const CHROME_99_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.51 Safari/537.36';

const EXPECTED: Record<string, Expected> = {
  'rtcstats/chrome140-gum-only.jsonl': {
    format: 'rtcstats',
    gzip: false,
    connections: [],
    events: { null: 4 },
    samples: {},
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
    url: '/samples/src/content/getusermedia/gum/',
    check(r) {
      const [create, gum, ok, close] = r.dump.events;
      expect(create!.method).toBe('create'); // 39
      expect((create!.value as { hardwareConcurrency: number }).hardwareConcurrency).toBe(16);
      expect(gum!.method).toBe('navigator.mediaDevices.getUserMedia'); // 60
      expect(gum!.extra).toEqual(['60-0']);
      expect(ok!.method).toBe('navigator.mediaDevices.getUserMediaOnSuccess'); // 61
      expect(close!.value).toBe(1001);
      expect(r.dump.session.origin).toBe('https://webrtc.github.io');
      expect(r.dump.session.startTime).toBe(1758602115667); // metadata startTime
      expect(r.dump.events.map((e) => e.t)).toEqual([1758602115670, 1758602117823, 1758602118863, 1758602121216]);
      expect(r.metadata?.clientProtocol).toBe('rtcstats#4.0');
    },
  },
  'internals/chrome147-two-pc-loopback.json': {
    format: 'webrtc-internals',
    gzip: false,
    connections: ['11-1', '12-2'],
    events: { '11-1': 32 + 20, '12-2': 18 + 11 }, // updateLog + samples
    samples: { '11-1': 20, '12-2': 11 },
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36',
    url: 'http://172.18.217.133:8081/',
    check(r, last) {
      // last values of "OT01V4059607022-bytesSent" / "-timestamp" and "RIV4059607022-roundTripTime"
      expect(last.get('11-1')!.OT01V4059607022!.bytesSent).toBe(42938);
      expect(last.get('11-1')!.OT01V4059607022!.timestamp).toBe(1778075895791.049);
      expect(last.get('11-1')!.OT01V4059607022!.type).toBe('outbound-rtp');
      expect(last.get('11-1')!.RIV4059607022!.roundTripTime).toBe(0.0010379999999999999);
      // bracketed series are not properties: kept in `derived` (23 and 25 non-empty "-[" series)
      expect(Object.keys(last.get('11-1')!.OT01V4059607022!).some((k) => k.startsWith('['))).toBe(false);
      const count = (pc: string): number => Object.values(r.derived![pc]!).reduce((n, byName) => n + Object.keys(byName).length, 0);
      expect(count('11-1')).toBe(23);
      expect(count('12-2')).toBe(25);
      // JSON-quoted states and descriptions, unknown event kinds kept
      const of = (pc: string, method: string) => r.dump.events.filter((e) => e.pc === pc && e.method === method);
      expect(of('11-1', 'onconnectionstatechange').map((e) => e.value)).toEqual(['connecting', 'connected', 'connecting', 'connected']);
      expect((of('12-2', 'setRemoteDescription')[0]!.value as { type: string }).type).toBe('offer');
      expect(of('11-1', 'onicecandidateerror')).toHaveLength(1);
      expect(of('11-1', 'transceiverAdded')).toHaveLength(1);
      expect(r.dump.session.connections[0]!.configuration).toEqual({ iceServers: [{ urls: ['stun:stun.l.google.com:19302'] }] });
      expect((r.metadata?.UserAgentData as { platform: string }).platform).toBe('Windows');
      for (const e of r.dump.events) if (e.method === 'getStats') expect(e.full).toBe(true);
    },
  },
  'internals/chrome142-gum-only.json.gz': {
    format: 'webrtc-internals',
    gzip: true,
    connections: [],
    events: { null: 2 },
    samples: {},
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
    url: 'https://webrtc.github.io',
    check(r) {
      const [request, success] = r.dump.events;
      expect(request!.method).toBe('navigator.mediaDevices.getUserMedia');
      expect(request!.value).toEqual({ video: true });
      expect(request!.t).toBe(1758566123065.025);
      expect(success!.method).toBe('navigator.mediaDevices.getUserMediaOnSuccess');
      expect((success!.value as { video_track_info: { label: string } }).video_track_info.label).toBe('Logitech BRIO (046d:085e)');
      expect(request!.extra).toEqual(success!.extra);
      expect(Array.isArray(r.metadata?.UserAgentData)).toBe(true);
    },
  },
  'jitsi/google-standard-stats-p2p.jsonl': {
    format: 'jitsi',
    gzip: false,
    connections: ['PC_0', 'PC_1'],
    events: { null: 9, PC_0: 77, PC_1: 147 },
    samples: { PC_0: 29, PC_1: 52 },
    userAgent: CHROME_99_WIN,
    url: 'https://0.0.0.0:8080/BottomBacteriasPinStraight',
    check(r, last) {
      // last getstats of PC_0: {"timestamp":0,"totalAudioEnergy":0.004036104209804352,...}, top-level timestamp 1605197654353
      expect(last.get('PC_0')!.RTCAudioSource_1!.totalAudioEnergy).toBe(0.004036104209804352);
      expect(last.get('PC_0')!.RTCAudioSource_1!.timestamp).toBe(1605197654353);
      expect(last.get('PC_1')!.RTCAudioSource_3!.audioLevel).toBe(0.00006103701895199438);
      expect(r.dump.events.filter((e) => e.method === 'identity')).toHaveLength(4);
      expect(r.dump.session.tags.displayName).toBe('andrei-win-1'); // from identity
    },
  },
  'jitsi/chrome-standard-pc-reconnect.jsonl': {
    format: 'jitsi',
    gzip: false,
    connections: ['PC_1', 'PC_0', 'PC_2'],
    events: { null: 106, PC_0: 55, PC_1: 31, PC_2: 29 },
    samples: { PC_0: 3, PC_1: 2, PC_2: 2 },
    userAgent: CHROME_99_WIN,
    url: 'https://192.168.245.128:8080/ProblematicLandmarksAssociateAbout',
    check(r, last) {
      expect(last.get('PC_0')!.RTCAudioSource_2!.totalAudioEnergy).toBe(9.191783502261934e-8);
      // after ICE failed, the last lines of PC_1 / PC_2 list 4 / 3 reports: the candidates are gone
      expect(Object.keys(last.get('PC_1')!)).toHaveLength(4);
      expect(Object.keys(last.get('PC_2')!)).toHaveLength(3);
      expect(r.dump.events.filter((e) => e.method === 'dominantSpeaker')).toHaveLength(1); // a Jitsi event, kept
      expect(r.dump.events[0]!.t).toBe(1647265401378); // the first line after connectionInfo
    },
  },
  'jitsi/firefox-standard-stats-sfu.jsonl': {
    format: 'jitsi',
    gzip: false,
    connections: ['PC_0'],
    events: { null: 6, PC_0: 148 },
    samples: { PC_0: 79 },
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101 Firefox/118.0',
    url: 'https://meet.jit.si//absentbreakdownspicturesame',
    check(r, last) {
      // last line: "b1dd866a":{"timestamp":1605199514545,"bytesReceived":27127875,...} (its own timestamp)
      expect(last.get('PC_0')!.b1dd866a!.bytesReceived).toBe(27127875);
      expect(last.get('PC_0')!.b1dd866a!.timestamp).toBe(1605199514545);
      expect(r.metadata?.statsFormat).toBe('firefox');
    },
  },
  'jitsi/safari-standard-stats.jsonl': {
    format: 'jitsi',
    gzip: false,
    connections: ['PC_0'],
    events: { null: 6, PC_0: 174 },
    samples: { PC_0: 82 },
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
    url: 'https://meet.jit.si//absentbreakdownspicturesame',
    check(r, last) {
      const pair = last.get('PC_0')!['RTCIceCandidatePair_9xo/S95y_r8mj4mBN']!;
      expect(pair.bytesReceived).toBe(13284560);
      expect(pair.timestamp).toBe(1605199607726);
      expect(r.dump.session.endTime).toBe(1605199607729); // the last line's time
    },
  },
  'legacy/chrome48-format0.json': {
    format: 'rtcstats-format0',
    gzip: false,
    connections: ['PC_0', 'PC_1'],
    events: { null: 2, PC_0: 46, PC_1: 51 },
    samples: { PC_0: 13, PC_1: 13 },
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/48.0.2564.82 Chrome/48.0.2564.82 Safari/537.36',
    url: 'https://localhost//samples/src/content/peerconnection/pc1/',
    check(r, last) {
      const ssrc = last.get('PC_1')!.ssrc_2153724675_recv!;
      expect(ssrc.packetsReceived).toBe(591);
      expect(ssrc.googDecodingPLC).toBe('4');
      expect('id' in ssrc).toBe(false); // the repeated id is dropped, as in every sample of the model
      expect(r.dump.session.tags).toEqual({ rtcStatsClientId: 'the-clientid', rtcStatsPeerId: 'the-peer', rtcStatsConferenceId: 'the-conferenceid' });
      expect(r.dump.events[0]).toMatchObject({ method: 'getUserMedia', pc: null, t: Date.parse('2016-01-28T18:24:19.012Z') });
    },
  },
};

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fixtureFiles(path) : name === 'README.md' ? [] : [relative(DIR, path)];
  });
}

describe('importDump on the real fixtures', () => {
  it('has an expectation for every fixture file', () => {
    expect(fixtureFiles(DIR).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, x] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const r = await importDump(new Uint8Array(readFileSync(join(DIR, file))));
      expect(r.format).toBe(x.format);
      expect(r.gzip).toBe(x.gzip);
      const { session, events } = r.dump;
      expect(session.connections.map((c) => c.id)).toEqual(x.connections);
      const perPc: Record<string, number> = {};
      for (const e of events) perPc[String(e.pc)] = (perPc[String(e.pc)] ?? 0) + 1;
      expect(perPc).toEqual(x.events);
      const samples: Record<string, number> = {};
      const last = new Map<string, StatsSample>();
      for (const { event, sample } of completeStatsSamples(events)) {
        samples[event.pc!] = (samples[event.pc!] ?? 0) + 1;
        last.set(event.pc!, sample);
      }
      expect(samples).toEqual(x.samples);
      expect(session.userAgent).toBe(x.userAgent);
      expect(session.url).toBe(x.url);
      // the session record the capture would have
      expect(session.tabId).toBe(-1);
      expect(session.id).toMatch(/^import-[0-9a-f]{16}$/);
      expect(session.eventCount).toBe(events.length);
      expect(session.statsCount).toBe(Object.values(x.samples).reduce((a, b) => a + b, 0));
      expect(session.frames).toHaveLength(1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.every((e) => e.frame === 0 && e.sessionId === session.id && Number.isFinite(e.t))).toBe(true);
      expect(session.endTime).not.toBeNull();
      expect(session.endTime!).toBeGreaterThanOrEqual(session.startTime);
      x.check(r, last);
    });
  }

  it('gives the same session id to the same content, gzip-compressed or not', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'jitsi/safari-standard-stats.jsonl')));
    const gz = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    const [a, b] = await Promise.all([importDump(bytes), importDump(gz)]);
    expect(b.gzip).toBe(true);
    expect(b.dump.session.id).toBe(a.dump.session.id);
    expect(b.dump.events).toEqual(a.dump.events);
  });

  it('gives another id to content that differs in one byte, wherever it is (and at an odd offset in memory)', async () => {
    const bytes = new Uint8Array(readFileSync(join(DIR, 'jitsi/safari-standard-stats.jsonl')));
    const ids = new Set<string>([(await importDump(bytes)).dump.session.id]);
    // a byte of a sample's text changed near the start, in the middle and near the end
    for (const at of [bytes.indexOf(0x31, 200), bytes.indexOf(0x31, bytes.length >> 1), bytes.lastIndexOf(0x31)]) {
      const changed = bytes.slice();
      changed[at] = 0x32; // '1' → '2'
      ids.add((await importDump(changed)).dump.session.id);
    }
    expect(ids.size).toBe(4);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1); // the same bytes, not aligned to four
    shifted.set(bytes);
    expect((await importDump(shifted)).dump.session.id).toBe((await importDump(bytes)).dump.session.id);
  });
});
