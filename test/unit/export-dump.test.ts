// exportDump: every format, plain and gzip; file names; the synthetic session.

import { describe, it, expect } from 'vitest';
import { concatBytes, webStreamsGzip } from '../../src/core/gzip';

const gunzip = (bytes: Uint8Array) => webStreamsGzip.gunzip(bytes, Infinity);
import { csvPieces } from '../../src/core/csv';
import { chunks, exportDump, exportFileName, exportPieces, exportText, type ExportFormat } from '../../src/core/export';
import { nodeGzip } from '../../src/cli/node-gzip';
import { exportInternals } from '../../src/core/internals-export';
import { exportRtcstats, readRtcstats } from '../../src/core/rtcstats';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import type { StatsReport } from '../../src/core/stats-delta';
import { SYNTHETIC_FULL_SAMPLE_EVERY, syntheticSession } from '../../src/core/synthetic';
import { orderEvents } from '../../src/core/trace';

const small = syntheticSession({ connections: 2, minutes: 1, pollMs: 1000, seed: 7 });
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('exportDump', () => {
  it('dispatches to the exporter of each format', async () => {
    expect(decode(await exportDump(small, 'rtcstats'))).toBe(exportRtcstats(small.session, small.events));
    expect(decode(await exportDump(small, 'internals'))).toBe(exportInternals(small));
    expect(decode(await exportDump(small, 'csv'))).toBe([...csvPieces(small)].map(decode).join('')); // its own pieces: 1 MB, not kept whole
    for (const f of ['rtcstats', 'internals', 'csv'] as const) expect(exportText(small, f)).toBe(decode(await exportDump(small, f)));
  });

  it.each(['rtcstats', 'internals', 'csv'] as ExportFormat[])('%s: the gzip output gunzips to the plain output', async (format) => {
    const plain = await exportDump(small, format);
    const gz = await exportDump(small, format, { gzip: true });
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.length).toBeLessThan(plain.length / 3);
    // (compared as text: vitest's toEqual on megabytes of Uint8Array is slow)
    const back = await gunzip(gz);
    expect(back.length).toBe(plain.length);
    expect(decode(back)).toBe(decode(plain));
  });

  it('webrtc-internals pauses (empty pieces) while it builds a connection\'s series, every few samples, and gzips the same with them', async () => {
    const pieces = [...exportPieces(small, 'internals')];
    const samples = small.events.filter((e) => e.method === 'getStats').length;
    const pauses = pieces.filter((p) => p.length === 0).length;
    expect(pauses).toBeGreaterThanOrEqual(samples / 64); // (2 connections of 60 samples: a pause every 32 samples of each)
    expect(decode(concatBytes(pieces))).toBe(exportInternals(small));
    expect(decode(await gunzip(await nodeGzip.gzip(pieces)))).toBe(exportInternals(small));
  });

  it('keeps non-ASCII text (UTF-8)', async () => {
    const dump = { ...small, session: { ...small.session, title: 'Réunion – 会议' } };
    const text = decode(await exportDump(dump, 'rtcstats', { gzip: true }).then(gunzip));
    expect(text).toContain('"title":"Réunion – 会议"');
  });
});

describe('chunks', () => {
  it('copies the pieces into chunks of the size, one buffer reused, a piece split where a chunk fills', () => {
    const pieces = [[1, 2, 3], [], [4], [5, 6, 7, 8, 9, 10, 11], [12]].map((p) => new Uint8Array(p));
    const seen: number[][] = [];
    const buffers = new Set<ArrayBufferLike>();
    for (const chunk of chunks(pieces, 4)) {
      seen.push([...chunk]); // (a copy: the next chunk is written over this one)
      buffers.add(chunk.buffer);
    }
    expect(seen).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(buffers.size).toBe(1);
    expect([...chunks([new Uint8Array([1, 2, 3, 4, 5])], 4)].map((c) => c.length)).toEqual([4, 1]);
    expect([...chunks([], 4)]).toEqual([]);
  });

  it("gives every format's bytes when its pieces are copied ones", () => {
    for (const format of ['rtcstats', 'internals', 'csv'] as const) {
      const copies = Array.from(chunks(exportPieces(small, format, 'copied'), 1000), (c) => c.slice()); // (each copied before the next is made)
      expect(decode(concatBytes(copies)), format).toBe(exportText(small, format));
    }
  });
});

describe('exportFileName', () => {
  const s: Pick<SessionRecord, 'url' | 'origin' | 'startTime'> = {
    url: 'https://meet.example.com/room/abc?x=1',
    origin: 'https://meet.example.com',
    startTime: Date.UTC(2025, 8, 23, 4, 35, 15, 123),
  };
  it('names the host, the start time (UTC) and the format', () => {
    expect(exportFileName(s, 'rtcstats', false)).toBe('webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.rtcstats.jsonl');
    expect(exportFileName(s, 'rtcstats', true)).toBe('webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.rtcstats.jsonl.gz');
    expect(exportFileName(s, 'internals', false)).toBe('webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.webrtc-internals.json');
    expect(exportFileName(s, 'csv', true)).toBe('webrtc-lens_meet.example.com_2025-09-23T04-35-15Z.stats.csv.gz');
    expect(exportFileName(s, 'rtcstats', true, 3)).toBe('webrtc-lens_meet.example.com_2025-09-23T04-35-15Z_3-page-loads.rtcstats.jsonl.gz');
  });
  it('is safe for any URL', () => {
    expect(exportFileName({ ...s, url: 'file:///C:/x.html', origin: 'null' }, 'csv')).toBe('webrtc-lens_page_2025-09-23T04-35-15Z.stats.csv');
    expect(exportFileName({ ...s, url: 'not a url', origin: 'https://a:b@x.test' }, 'csv')).toMatch(/^webrtc-lens_[A-Za-z0-9._-]+_2025/);
    expect(exportFileName({ ...s, url: 'http://[::1]:8080/', origin: '' }, 'csv')).toMatch(/^webrtc-lens_[A-Za-z0-9._-]+_2025-09-23T04-35-15Z\.stats\.csv$/);
    expect(exportFileName({ ...s, startTime: NaN }, 'csv')).toBe('webrtc-lens_meet.example.com_unknown-time.stats.csv');
  });
});

describe('syntheticSession', () => {
  it('is a session of N calls with offer/answer, ICE and state events, and getStats every pollMs', () => {
    const d = syntheticSession({ connections: 3, minutes: 2, pollMs: 500 });
    expect(d.session.connections.map((c) => c.id)).toEqual(['PC_0', 'PC_1', 'PC_2']);
    expect(d.session.eventCount).toBe(d.events.length);
    for (const pc of ['PC_0', 'PC_1', 'PC_2']) {
      const methods = d.events.filter((e) => e.pc === pc).map((e) => e.method);
      for (const m of ['create', 'createOffer', 'setLocalDescription', 'setRemoteDescription', 'onicecandidate', 'addIceCandidate', 'onconnectionstatechange', 'close']) {
        expect(methods, `${pc} ${m}`).toContain(m);
      }
      const stats = d.events.filter((e) => e.pc === pc && e.method === 'getStats');
      expect(stats.length).toBe(240);
      // stored as the capture stores them: complete every 30, deltas between
      stats.forEach((e, i) => expect(e.full === true, `${pc} sample ${i}`).toBe(i % SYNTHETIC_FULL_SAMPLE_EVERY === 0));
    }
    expect(d.events.filter((e) => e.pc === null).map((e) => e.method)).toEqual([
      'create',
      'navigator.mediaDevices.getUserMedia',
      'navigator.mediaDevices.getUserMediaOnSuccess',
    ]);
    // one frame, sequence numbers in time order
    expect(d.events.map((e) => e.seq)).toEqual(d.events.map((_, i) => i + 1));
    expect(orderEvents(d.events)).toEqual(d.events);
  });

  it('has Chrome-like reports with counters that only go up', () => {
    const d = syntheticSession({ connections: 1, minutes: 3 });
    let prev: Record<string, StatsReport> | undefined;
    let checked = 0;
    for (const { sample } of completeStatsSamples(d.events)) {
      const types = new Set(Object.values(sample).map((r) => r.type));
      for (const t of ['peer-connection', 'transport', 'candidate-pair', 'local-candidate', 'remote-candidate', 'certificate', 'codec', 'outbound-rtp', 'inbound-rtp', 'remote-inbound-rtp', 'remote-outbound-rtp', 'media-source', 'media-playout']) {
        expect(types.has(t), t).toBe(true);
      }
      const kinds = Object.values(sample).filter((r) => r.type === 'inbound-rtp' || r.type === 'outbound-rtp').map((r) => `${String(r.type)}/${String(r.kind)}`);
      expect(kinds.sort()).toEqual(['inbound-rtp/audio', 'inbound-rtp/video', 'outbound-rtp/audio', 'outbound-rtp/video']);
      if (prev) {
        for (const [id, r] of Object.entries(sample)) {
          for (const name of ['bytesSent', 'bytesReceived', 'packetsSent', 'packetsReceived', 'framesEncoded', 'framesDecoded', 'jitterBufferEmittedCount', 'totalSamplesReceived']) {
            if (typeof r[name] === 'number') {
              expect(r[name] as number, `${id}.${name}`).toBeGreaterThanOrEqual(prev[id]![name] as number);
              checked++;
            }
          }
          expect(r.timestamp as number).toBeGreaterThanOrEqual(prev[id]!.timestamp as number);
        }
      }
      prev = sample;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('is deterministic and exports to every format', async () => {
    expect(syntheticSession({ connections: 1, minutes: 1, seed: 3 })).toEqual(syntheticSession({ connections: 1, minutes: 1, seed: 3 }));
    const back = readRtcstats(exportRtcstats(small.session, small.events));
    expect(back.events.filter((e) => e.method === 'getStats')).toHaveLength(120); // 2 calls × 60
    const internals = JSON.parse(exportInternals(small)) as { PeerConnections: Record<string, { stats: Record<string, { values: string }> }> };
    expect(Object.keys(internals.PeerConnections)).toEqual(['1-1', '1-2']);
    const stats = internals.PeerConnections['1-1']!.stats;
    const rate = Object.keys(stats).find((k) => /^OT01V\d+-\[bytesSent_in_bits\/s\]$/.test(k))!;
    const bits = JSON.parse(stats[rate]!.values) as number[];
    expect(bits).toHaveLength(59);
    for (const b of bits) expect(b).toBeGreaterThan(200_000);
  });
});
