import { describe, it, expect } from 'vitest';
import { gzipSync, gunzipSync } from 'node:zlib';
import { encodeChunk, decodeChunk, samplesBefore } from '../../src/core/chunk';
import { completeStatsSamples } from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';
import { ANYTHING, Rng, randomSamples, type GenOptions, type JsonSample } from './support/random-stats';

const T = 1758602115000;
const SESSION_ID = '6f1c0a52-9d3e-4b8a-a1f2-3c4d5e6f7a8b';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);


// ---------------------------------------------------------------------------
// A frame's run of events, stored the way the page sends them.
// ---------------------------------------------------------------------------
const mkA = (i: number, extra: StatsSample = {}): StatsSample => ({
  P: { type: 'peer-connection', timestamp: T + 1000 * i, dataChannelsOpened: 0 },
  OT1: { type: 'outbound-rtp', timestamp: T + 1000 * i, packetsSent: 100 * i, q: { none: i, cpu: 0 } },
  ...extra,
});
/** Samples of PC_0: a candidate that goes, a property that vanishes (i = 4) and comes back (i = 5). */
function samplesA(): StatsSample[] {
  const out = [1, 2, 3, 4, 5, 6].map((i) => mkA(i, i <= 2 ? { Ir1: { type: 'remote-candidate', timestamp: T + 1000 * i, port: 3478 } } : {}));
  delete out[3]!.OT1!.q; // i = 4
  return out;
}
const mkB = (i: number): StatsSample => ({ D1: { type: 'data-channel', timestamp: T + 500 + 1000 * i, messagesSent: i, label: 'chat', note: i === 2 ? null : 'x' } });
function samplesB(): StatsSample[] {
  return [1, 2, 3, 4].map(mkB);
}

/** getStats events as the poller stores them: complete at the indexes given and when no delta can say it. */
function statsEvents(pc: string, samples: StatsSample[], fullAt: number[]): Omit<StoredEvent, 'seq'>[] {
  let previous: StatsSample | undefined;
  return samples.map((sample, i) => {
    const delta = fullAt.includes(i) ? null : statsDelta(previous, sample);
    previous = sample;
    const t = (sample[Object.keys(sample)[0]!]!.timestamp as number) + 3;
    return { sessionId: SESSION_ID, frame: 2, t, method: 'getStats', pc, value: delta ?? sample, ...(delta === null ? { full: true as const } : {}) };
  });
}

/** One frame's events in sequence order: page-level calls, two connections' stats interleaved by time. */
function run(): StoredEvent[] {
  const page: Omit<StoredEvent, 'seq'>[] = [
    { sessionId: SESSION_ID, frame: 2, t: T + 10, method: 'navigator.mediaDevices.getUserMedia', pc: null, value: { audio: true }, extra: ['gum-0'] },
    { sessionId: SESSION_ID, frame: 2, t: T + 400, method: 'navigator.mediaDevices.getUserMediaOnSuccess', pc: null, value: [['audio', 't1', 's1']], extra: ['gum-0', 3] },
    { sessionId: SESSION_ID, frame: 2, t: T + 500, method: 'create', pc: 'PC_0', value: { bundlePolicy: 'max-bundle' } },
    { sessionId: SESSION_ID, frame: 2, t: T + 501, method: 'createOffer', pc: 'PC_0', value: undefined },
    { sessionId: SESSION_ID, frame: 2, t: T + 520, method: 'onicecandidate', pc: 'PC_0', value: null },
  ];
  const stats = [...statsEvents('PC_0', samplesA(), [0]), ...statsEvents('PC_1', samplesB(), [0])].sort((a, b) => a.t - b.t);
  return [...page, ...stats].map((e, i) => ({ ...e, seq: 101 + i }));
}

describe('encodeChunk / decodeChunk', () => {
  it('the fixture stores complete samples and deltas as the page does', () => {
    const events = run().filter((e) => e.method === 'getStats');
    // PC_0: q vanishes in its 4th sample; PC_1: note turns from null back into a string in its 3rd
    expect(events.map((e) => `${e.pc}${e.full ? ' full' : ''}`)).toEqual([
      'PC_0 full', 'PC_1 full', 'PC_0', 'PC_1', 'PC_0', 'PC_1 full', 'PC_0 full', 'PC_1', 'PC_0', 'PC_0',
    ]);
    expect(events[2]!.value).toEqual({ t: T + 2000, OT1: { packetsSent: 200, q: { none: 2 } } });
  });

  it('gives back the same events (seq, t, method, pc, value, correlation ids) in sequence order, in the session and frame given', async () => {
    const events = run();
    const decoded = await decodeChunk(await encodeChunk(events), 'another-session', 7);
    expect(decoded).toHaveLength(events.length);
    expect(decoded.map((e) => [e.sessionId, e.frame, e.seq, e.t, e.method, e.pc, e.extra])).toEqual(
      events.map((e) => ['another-session', 7, e.seq, e.t, e.method, e.pc, e.extra]),
    );
    expect(decoded.slice(0, 5).map((e) => e.value)).toEqual([{ audio: true }, [['audio', 't1', 's1']], { bundlePolicy: 'max-bundle' }, undefined, null]);
    expect(decoded.slice(0, 5).map((e) => e.full)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('gives every getStats event as its complete sample, so a chunk decodes alone', async () => {
    const decoded = (await decodeChunk(await encodeChunk(run()), SESSION_ID, 2)).filter((e) => e.method === 'getStats');
    expect(decoded.every((e) => e.full === true)).toBe(true);
    expect(decoded.filter((e) => e.pc === 'PC_0').map((e) => e.value)).toEqual(samplesA());
    expect(decoded.filter((e) => e.pc === 'PC_1').map((e) => e.value)).toEqual(samplesB());
    // and so through completeStatsSamples, as the store and the export read them
    const got = [...completeStatsSamples(decoded)];
    expect(got.filter((g) => g.event.pc === 'PC_0').map((g) => g.sample)).toEqual(samplesA());
    expect(got.filter((g) => g.event.pc === 'PC_1').map((g) => g.sample)).toEqual(samplesB());
  });

  it('holds no session or frame (they come from where the chunk is stored), and names its format', async () => {
    const text = gunzipSync(await encodeChunk(run())).toString('utf8');
    expect(text).not.toContain(SESSION_ID);
    expect(text).not.toContain('"sessionId"');
    expect(text).not.toContain('"frame"');
    expect((JSON.parse(text) as { format: unknown }).format).toBe(1);
  });

  it('rejects a chunk of another format, or one that is not gzip', async () => {
    const other = new Uint8Array(gzipSync(JSON.stringify({ format: 2, events: [], stats: {} })));
    await expect(decodeChunk(other, SESSION_ID, 0)).rejects.toThrow(/format/);
    await expect(decodeChunk(enc('[]'), SESSION_ID, 0)).rejects.toThrow();
  });

  it('an empty run, and a run without stats', async () => {
    expect(await decodeChunk(await encodeChunk([]), SESSION_ID, 0)).toEqual([]);
    const page = run().filter((e) => e.method !== 'getStats');
    expect(await decodeChunk(await encodeChunk(page), SESSION_ID, 2)).toEqual(page);
  });

  it('reports and properties that come, go and come back; constant, null and nested values', async () => {
    const samples: StatsSample[] = [
      { A: { type: 'a', timestamp: 1, n: 1, o: { x: 1 }, k: 'same', z: null }, B: { type: 'b', timestamp: 1, arr: [1, { y: 2 }] } },
      { A: { type: 'a', timestamp: 2, n: 2, o: { x: 1 }, k: 'same', z: null, only2: [null] } },
      {},
      { B: { type: 'b2', timestamp: 4, other: { deep: { deeper: [1, 2] } } }, A: { timestamp: 4, type: 'a', k: 'same', o: { x: 1 } } },
      { A: { type: 'a', timestamp: 5, n: null, o: { x: 2 }, k: 'same' }, B: { type: 'b2', timestamp: 5 }, C: { type: 'c' } },
    ];
    const events: StoredEvent[] = samples.map((value, i) => ({ sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + i, method: 'getStats', pc: 'PC_9', value, full: true }));
    const decoded = await decodeChunk(await encodeChunk(events), SESSION_ID, 0);
    expect(decoded.map((e) => e.value)).toEqual(samples);
    // absent stays absent (toEqual would take a property holding undefined for an absent one)
    expect(Object.keys(decoded[1]!.value as StatsSample)).toEqual(['A']);
    expect(Object.keys((decoded[3]!.value as StatsSample).A!).sort()).toEqual(['k', 'o', 'timestamp', 'type']);
    expect(Object.keys(decoded[2]!.value as StatsSample)).toEqual([]);
    expect('z' in (decoded[4]!.value as StatsSample).A!).toBe(false);
    expect((decoded[4]!.value as StatsSample).A!.n).toBeNull();
  });

  it('a run that starts with deltas decodes right given the complete samples just before it', async () => {
    const events = run();
    const cut = events.findIndex((e) => e.seq === 113);
    const head = events.slice(0, cut);
    const tail = events.slice(cut);
    // both connections start the tail with a delta
    expect(tail.map((e) => `${e.pc}${e.full ? ' full' : ''}`)).toEqual(['PC_1', 'PC_0', 'PC_0']);
    const before = new Map<string, StatsSample>([['PC_0', samplesA()[3]!], ['PC_1', samplesB()[2]!]]);
    const beforeCopy = structuredClone(before);
    const tailCopy = structuredClone(tail);
    const bytes = await encodeChunk(tail, before);
    expect(before).toEqual(beforeCopy);
    expect(tail).toEqual(tailCopy);
    // decoded alone, without the head
    const decoded = await decodeChunk(bytes, SESSION_ID, 2);
    expect(decoded.map((e) => [e.pc, e.value, e.full])).toEqual([
      ['PC_1', samplesB()[3], true],
      ['PC_0', samplesA()[4], true],
      ['PC_0', samplesA()[5], true],
    ]);
    // both chunks together: the whole run
    const both = [...(await decodeChunk(await encodeChunk(head), SESSION_ID, 2)), ...decoded];
    expect([...completeStatsSamples(both)].map((g) => g.sample)).toEqual([...completeStatsSamples(run())].map((g) => g.sample));
  });

  it('without those samples, a run that starts with a delta decodes to only what the delta carries', async () => {
    const events = run();
    const tail = events.slice(events.findIndex((e) => e.seq === 113));
    const decoded = await decodeChunk(await encodeChunk(tail), SESSION_ID, 2);
    // the stored deltas said: messagesSent 4 at T + 4500; packetsSent 500 and q at T + 5000
    expect(decoded[0]!.value).toEqual({ D1: { messagesSent: 4, timestamp: T + 4500 } });
    expect(decoded[1]!.value).toEqual({ OT1: { packetsSent: 500, q: { none: 5, cpu: 0 }, timestamp: T + 5000 } });
    expect(decoded[0]!.value).not.toEqual(samplesB()[3]);
  });

  it('keeps other events marked full as they are', async () => {
    const odd: StoredEvent = { sessionId: SESSION_ID, frame: 0, seq: 1, t: T, method: 'getStats', pc: null, value: { X: { type: 'x' } }, full: true };
    expect(await decodeChunk(await encodeChunk([odd]), SESSION_ID, 0)).toEqual([odd]);
  });

  it('keeps the correlation ids of getStats events', async () => {
    const events = run().map((e) => (e.method === 'getStats' ? { ...e, extra: ['poll', e.seq] } : e));
    const decoded = await decodeChunk(await encodeChunk(events), SESSION_ID, 2);
    expect(decoded.map((e) => e.extra)).toEqual(events.map((e) => e.extra));
  });

  it('a realistic run of repeated stats is much smaller than the JSON of its events', async () => {
    const events = realisticRun(300);
    const json = JSON.stringify(events).length;
    const bytes = await encodeChunk(events);
    // measured, 300 samples of 16 reports 1 s apart: 42810 bytes for 429427 characters of JSON (1/10),
    // and 0.61 of the same JSON gzipped (70007 bytes: columns compress better than row deltas)
    expect(bytes.length * 8).toBeLessThan(json);
    expect(bytes.length).toBeLessThan(gzipSync(JSON.stringify(events)).length * 0.75);
    // and its samples are right
    const decoded = await decodeChunk(bytes, SESSION_ID, 0);
    expect([...completeStatsSamples(decoded)].map((g) => g.sample)).toEqual([...completeStatsSamples(events)].map((g) => g.sample));
    expect(events.filter((e) => e.full)).toHaveLength(10);
  });
});

// ---------------------------------------------------------------------------
// Realistic Chrome-like stats: a video and an audio sender and receiver.
// ---------------------------------------------------------------------------
function realisticRun(count: number): StoredEvent[] {
  const rng = new Rng(2025);
  const samples: StatsSample[] = [];
  let c = { vs: 0, vb: 0, as: 0, ab: 0, vr: 0, vrb: 0, ar: 0, arb: 0, fe: 0, fd: 0, qp: 0, e: 0 };
  for (let i = 0; i < count; i++) {
    const ts = T + 1000 * i + rng.int(8) / 8;
    c = {
      vs: c.vs + 180 + rng.int(40), vb: c.vb + 180000 + rng.int(40000), as: c.as + 50, ab: c.ab + 4000 + rng.int(300),
      vr: c.vr + 170 + rng.int(40), vrb: c.vrb + 170000 + rng.int(40000), ar: c.ar + 50, arb: c.arb + 4000 + rng.int(300),
      fe: c.fe + 30, fd: c.fd + 29 + rng.int(2), qp: c.qp + 800 + rng.int(100), e: c.e + rng.next() * 0.01,
    };
    samples.push({
      P: { type: 'peer-connection', timestamp: ts, dataChannelsOpened: 0, dataChannelsClosed: 0 },
      T01: { type: 'transport', timestamp: ts, bytesSent: c.vb + c.ab, bytesReceived: c.vrb + c.arb, packetsSent: c.vs + c.as, packetsReceived: c.vr + c.ar, dtlsState: 'connected', iceState: 'connected', selectedCandidatePairId: 'CPa_b', tlsVersion: 'FEFD', dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', srtpCipher: 'AES_CM_128_HMAC_SHA1_80' },
      CPa_b: { type: 'candidate-pair', timestamp: ts, transportId: 'T01', localCandidateId: 'Ia', remoteCandidateId: 'Ib', state: 'succeeded', nominated: true, bytesSent: c.vb + c.ab, bytesReceived: c.vrb + c.arb, totalRoundTripTime: i * 0.012, currentRoundTripTime: 0.012, availableOutgoingBitrate: 2500000 - rng.int(100) * 1000, requestsSent: i + 4, responsesReceived: i + 4 },
      Ia: { type: 'local-candidate', timestamp: ts, transportId: 'T01', address: '192.168.1.23', port: 54321, protocol: 'udp', candidateType: 'host', priority: 2122260223 },
      Ib: { type: 'remote-candidate', timestamp: ts, transportId: 'T01', address: '192.168.1.42', port: 61234, protocol: 'udp', candidateType: 'host', priority: 2122260223 },
      OT01V1: { type: 'outbound-rtp', timestamp: ts, ssrc: 1, kind: 'video', transportId: 'T01', codecId: 'COT01_96', mid: '1', mediaSourceId: 'SV1', packetsSent: c.vs, bytesSent: c.vb, headerBytesSent: c.vs * 24, frameWidth: 1280, frameHeight: 720, framesPerSecond: 30, framesSent: c.fe, framesEncoded: c.fe, keyFramesEncoded: 1 + Math.floor(i / 60), qpSum: c.qp, totalEncodeTime: c.fe * 0.004, qualityLimitationReason: 'none', qualityLimitationDurations: { none: i, cpu: 0, bandwidth: 0, other: 0 }, encoderImplementation: 'libvpx', active: true, scalabilityMode: 'L1T1' },
      OT01A2: { type: 'outbound-rtp', timestamp: ts, ssrc: 2, kind: 'audio', transportId: 'T01', codecId: 'COT01_111', mid: '0', mediaSourceId: 'SA2', packetsSent: c.as, bytesSent: c.ab, headerBytesSent: c.as * 24, active: true },
      IT01V3: { type: 'inbound-rtp', timestamp: ts, ssrc: 3, kind: 'video', transportId: 'T01', codecId: 'CIT01_96', mid: '1', trackIdentifier: 'f0e1d2c3-b4a5-4968-8776-655443322110', packetsReceived: c.vr, bytesReceived: c.vrb, packetsLost: rng.int(3), jitter: 0.003 + rng.int(5) / 1000, framesDecoded: c.fd, framesReceived: c.fd, frameWidth: 1280, frameHeight: 720, framesPerSecond: 29 + rng.int(2), totalDecodeTime: c.fd * 0.003, jitterBufferDelay: c.fd * 0.05, jitterBufferEmittedCount: c.fd, decoderImplementation: 'libvpx' },
      IT01A4: { type: 'inbound-rtp', timestamp: ts, ssrc: 4, kind: 'audio', transportId: 'T01', codecId: 'CIT01_111', mid: '0', trackIdentifier: '4e4f3d4b-687a-4f10-9994-9bb28748d063', packetsReceived: c.ar, bytesReceived: c.arb, packetsLost: 0, jitter: 0.001, audioLevel: Math.round(rng.next() * 1000) / 1000, totalAudioEnergy: c.e, totalSamplesReceived: 48000 * i, concealedSamples: 960, jitterBufferDelay: i * 1.2, jitterBufferEmittedCount: 48000 * i },
      RIV1: { type: 'remote-inbound-rtp', timestamp: ts - 400, ssrc: 1, kind: 'video', transportId: 'T01', codecId: 'COT01_96', localId: 'OT01V1', packetsLost: 0, jitter: 0.002, roundTripTime: 0.011, totalRoundTripTime: i * 0.011, roundTripTimeMeasurements: i },
      SV1: { type: 'media-source', timestamp: ts, kind: 'video', trackIdentifier: '2a3b4c5d-6e7f-4081-9293-a4b5c6d7e8f9', width: 1280, height: 720, frames: c.fe, framesPerSecond: 30 },
      SA2: { type: 'media-source', timestamp: ts, kind: 'audio', trackIdentifier: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', audioLevel: Math.round(rng.next() * 1000) / 1000, totalAudioEnergy: c.e * 2, totalSamplesDuration: i },
      COT01_96: { type: 'codec', timestamp: ts, payloadType: 96, transportId: 'T01', mimeType: 'video/VP8', clockRate: 90000 },
      COT01_111: { type: 'codec', timestamp: ts, payloadType: 111, transportId: 'T01', mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
      CIT01_96: { type: 'codec', timestamp: ts, payloadType: 96, transportId: 'T01', mimeType: 'video/VP8', clockRate: 90000 },
      CIT01_111: { type: 'codec', timestamp: ts, payloadType: 111, transportId: 'T01', mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
    });
  }
  // the poller: a complete sample every 30, deltas otherwise
  let previous: StatsSample | undefined;
  return samples.map((sample, i) => {
    const delta = i % 30 === 0 ? null : statsDelta(previous, sample);
    previous = sample;
    return { sessionId: SESSION_ID, frame: 0, seq: i + 1, t: T + 1000 * i + 2, method: 'getStats', pc: 'PC_0', value: delta ?? sample, ...(delta === null ? { full: true as const } : {}) };
  });
}

// ---------------------------------------------------------------------------
// Random runs: samples with every kind of change, cut into chunks at random
// places, each chunk encoded with the samples before it (as the store does).
// ---------------------------------------------------------------------------
function randomRun(seed: number, opts: GenOptions): { events: StoredEvent[]; truth: Map<string, JsonSample[]> } {
  const rng = new Rng(seed);
  const truth = new Map<string, JsonSample[]>([['PC_0', randomSamples(seed * 7, 60, opts)], ['PC_1', randomSamples(seed * 7 + 1, 60, opts)]]);
  const left = new Map([...truth].map(([pc, s]) => [pc, [...s]]));
  const previous = new Map<string, JsonSample>();
  const count = new Map<string, number>();
  const events: StoredEvent[] = [];
  let t = T;
  for (let seq = 1; [...left.values()].some((s) => s.length > 0); seq++) {
    t += rng.chance(0.05) ? -rng.int(2000) : rng.int(500);
    const pc = rng.pick([...left].filter(([, s]) => s.length > 0).map(([id]) => id));
    if (rng.chance(0.2)) {
      events.push({ sessionId: SESSION_ID, frame: 1, seq, t, method: 'oniceconnectionstatechange', pc, value: rng.pick(['checking', 'connected', 'disconnected']), ...(rng.chance(0.5) ? { extra: [seq] } : {}) });
      continue;
    }
    const sample = left.get(pc)!.shift()!;
    const n = count.get(pc) ?? 0;
    const delta = n % 15 === 0 ? null : statsDelta(previous.get(pc), sample);
    previous.set(pc, sample);
    count.set(pc, n + 1);
    events.push({ sessionId: SESSION_ID, frame: 1, seq, t, method: 'getStats', pc, value: delta ?? sample, ...(delta === null ? { full: true as const } : {}) });
  }
  return { events, truth };
}

describe('encodeChunk / decodeChunk on random runs cut into chunks', () => {
  const configs: [number, GenOptions][] = [
    ...[1, 2, 3, 4, 5, 6].map((s): [number, GenOptions] => [s, ANYTHING]),
    [7, { ...ANYTHING, timestamps: false }],
    [8, { ...ANYTHING, nullRate: 0.15 }],
  ];

  it('the chunks together give back every event and every complete sample (each encoded with samplesBefore, as compaction does)', async () => {
    let chunks = 0;
    let startedWithDelta = 0;
    let decodes = 0;
    for (const [seed, opts] of configs) {
      const rng = new Rng(seed + 1000);
      const { events, truth } = randomRun(seed, opts);
      // cut into runs, as compaction does, each encoded with the samples at the end of the chunks before
      const stored: Uint8Array[] = [];
      async function* newestFirst(): AsyncGenerator<StoredEvent[]> {
        for (let i = stored.length - 1; i >= 0; i--) {
          decodes++;
          yield decodeChunk(stored[i]!, SESSION_ID, 1);
        }
      }
      for (let from = 0; from < events.length;) {
        const to = Math.min(events.length, from + 1 + rng.int(40));
        const runEvents = events.slice(from, to);
        const before = await samplesBefore(runEvents, newestFirst());
        const firstStats = runEvents.find((e) => e.method === 'getStats');
        if (firstStats && !firstStats.full && before.has(firstStats.pc!)) startedWithDelta++;
        stored.push(await encodeChunk(runEvents, before));
        chunks++;
        from = to;
      }
      const decoded = (await Promise.all(stored.map((c) => decodeChunk(c, SESSION_ID, 1)))).flat();
      expect(decoded.map((e) => [e.seq, e.t, e.method, e.pc, e.extra])).toEqual(events.map((e) => [e.seq, e.t, e.method, e.pc, e.extra]));
      const got = [...completeStatsSamples(decoded)];
      for (const [pc, samples] of truth) expect(got.filter((g) => g.event.pc === pc).map((g) => g.sample)).toEqual(samples);
      const others = (list: StoredEvent[]) => list.filter((e) => e.method !== 'getStats').map((e) => e.value);
      expect(others(decoded)).toEqual(others(events));
    }
    expect(chunks).toBeGreaterThan(40);
    expect(startedWithDelta).toBeGreaterThan(15);
    // fewer decodes than reading every chunk before each (what compaction did): about one or two a chunk
    expect(decodes).toBeLessThan(chunks * 3);
  });

  it('samplesBefore reads the newest chunk only when it has a sample of every connection that needs one, and none when the run starts with complete samples', async () => {
    const events = run(); // PC_0 and PC_1, each complete first, then deltas
    const cut = events.findIndex((e) => e.method === 'getStats' && e.pc === 'PC_1' && !e.full && e.seq > events.find((f) => f.method === 'getStats' && f.pc === 'PC_0' && !f.full)!.seq);
    const older = await encodeChunk(events.slice(0, 2));
    const newer = await encodeChunk(events.slice(2, cut));
    const truth = new Map<string, StatsSample>();
    for (const { event, sample } of completeStatsSamples(events.slice(0, cut))) truth.set(event.pc!, sample);
    const read: string[] = [];
    async function* newestFirst(): AsyncGenerator<StoredEvent[]> {
      for (const [name, chunk] of [['newer', newer], ['older', older]] as const) {
        read.push(name);
        yield decodeChunk(chunk, SESSION_ID, 2);
      }
    }
    expect(await samplesBefore(events.slice(cut), newestFirst())).toEqual(truth);
    expect(read).toEqual(['newer']);
    read.length = 0;
    expect(await samplesBefore(events.slice(0, cut), newestFirst())).toEqual(new Map());
    expect(read).toEqual([]);
  });

  it('every decoded getStats event is its complete sample, whatever the cut', async () => {
    let samples = 0;
    for (const [seed, opts] of configs) {
      const { events, truth } = randomRun(seed, opts);
      const half = Math.floor(events.length / 2);
      const before = new Map<string, StatsSample>();
      for (const { event, sample } of completeStatsSamples(events.slice(0, half))) before.set(event.pc!, sample);
      const decoded = await decodeChunk(await encodeChunk(events.slice(half), before), SESSION_ID, 1);
      for (const [pc, all] of truth) {
        const done = events.slice(0, half).filter((e) => e.method === 'getStats' && e.pc === pc).length;
        const own = decoded.filter((e) => e.method === 'getStats' && e.pc === pc);
        expect(own.every((e) => e.full === true)).toBe(true);
        expect(own.map((e) => e.value)).toEqual(all.slice(done));
        samples += own.length;
      }
    }
    expect(samples).toBeGreaterThan(configs.length * 50);
  });
});
