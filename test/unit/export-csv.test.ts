// CSV export: one row per stats sample, report and property; RFC 4180.

import { describe, it, expect } from 'vitest';
import { ByteWriter, csvField, csvPieces, csvValue } from '../../src/core/csv';
import { exportText } from '../../src/core/export';
import { seededRandom } from '../../src/core/random';
import type { SessionDump } from '../../src/core/dump';
import { completeStatsSamples, type SessionRecord } from '../../src/core/session';
import { statsDelta, type StatsSample } from '../../src/core/stats-delta';
import type { StoredEvent } from '../../src/core/trace';

const T = Date.UTC(2025, 8, 23, 4, 35, 15);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
function join(pieces: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function session(): SessionRecord {
  return {
    id: 's',
    tabId: 1,
    url: 'https://a.example/',
    origin: 'https://a.example',
    title: '',
    startTime: T,
    endTime: null,
    userAgent: '',
    extensionVersion: '0.1.0',
    frames: [],
    connections: [],
    tags: {},
    eventCount: 0,
    statsCount: 0,
    lastEventTime: T,
    bytes: 0,
    rawBytes: 0,
  };
}

const first: StatsSample = {
  OT1: { timestamp: T + 1000.5, type: 'outbound-rtp', kind: 'video', bytesSent: 100, active: true, qualityLimitationDurations: { none: 1.5, cpu: 0 } },
  D1: { timestamp: T + 1000.5, type: 'data-channel', label: 'chat, "general"\nroom', protocol: '=HYPERLINK("x")', state: null, ids: [1, 2] },
};
const second: StatsSample = {
  OT1: { ...first.OT1!, timestamp: T + 2000.25, bytesSent: 250 },
  D1: { ...first.D1!, timestamp: T + 2000.25 },
};

function dump(): SessionDump {
  const ev = (seq: number, frame: number, t: number, pc: string, value: unknown, full?: true): StoredEvent => ({
    sessionId: 's',
    frame,
    seq,
    t,
    method: 'getStats',
    pc,
    value,
    ...(full ? { full } : {}),
  });
  return {
    session: session(),
    events: [
      { sessionId: 's', frame: 0, seq: 1, t: T + 10, method: 'create', pc: 'PC_0', value: {} },
      ev(2, 0, T + 1001, 'PC_0', first, true),
      ev(3, 0, T + 2001, 'PC_0', statsDelta(first, second)!), // a delta
      // a report without timestamp (its row takes the getStats time), in another frame's connection
      ev(1, 1, T + 1500, 'f1-PC_0', { 'A,1': { type: 'transport', bytesSent: 7 } }, true),
    ],
  };
}

describe('CSV export (exportText)', () => {
  it('writes exactly the rows of the samples, in trace order, RFC 4180 quoted', () => {
    const rows = [
      'timestamp,pcId,statsId,type,kind,property,value',
      `${T + 1000.5},PC_0,OT1,outbound-rtp,video,bytesSent,100`,
      `${T + 1000.5},PC_0,OT1,outbound-rtp,video,active,true`,
      `${T + 1000.5},PC_0,OT1,outbound-rtp,video,qualityLimitationDurations,"{""none"":1.5,""cpu"":0}"`,
      `${T + 1000.5},PC_0,D1,data-channel,,label,"chat, ""general""\nroom"`,
      `${T + 1000.5},PC_0,D1,data-channel,,protocol,"'=HYPERLINK(""x"")"`,
      `${T + 1000.5},PC_0,D1,data-channel,,state,`,
      `${T + 1000.5},PC_0,D1,data-channel,,ids,"[1,2]"`,
      `${T + 1500},f1-PC_0,"A,1",transport,,bytesSent,7`,
      `${T + 2000.25},PC_0,OT1,outbound-rtp,video,bytesSent,250`,
      `${T + 2000.25},PC_0,OT1,outbound-rtp,video,active,true`,
      `${T + 2000.25},PC_0,OT1,outbound-rtp,video,qualityLimitationDurations,"{""none"":1.5,""cpu"":0}"`,
      `${T + 2000.25},PC_0,D1,data-channel,,label,"chat, ""general""\nroom"`,
      `${T + 2000.25},PC_0,D1,data-channel,,protocol,"'=HYPERLINK(""x"")"`,
      `${T + 2000.25},PC_0,D1,data-channel,,state,`,
      `${T + 2000.25},PC_0,D1,data-channel,,ids,"[1,2]"`,
    ];
    expect(exportText(dump(), 'csv')).toBe(rows.join('\r\n') + '\r\n');
  });

  it('gives the same bytes in pieces of whole rows, pieces of any size', () => {
    const whole = new TextEncoder().encode(exportText(dump(), 'csv'));
    for (const size of [1, 10, 200, 1 << 16]) {
      const pieces = [...csvPieces(dump(), size)];
      expect(join(pieces)).toEqual(whole);
      for (const piece of pieces) expect(decode(piece.subarray(-2))).toBe('\r\n');
      // a piece ends after the rows of the getStats that filled it
      if (size <= 10) expect(pieces.length).toBeGreaterThan(2);
    }
  });

  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvField('')).toBe('');
  });

  it('writes values: numbers and booleans as JavaScript does, null empty, objects as JSON, formulas defused', () => {
    expect(csvValue(1.5e-7)).toBe('1.5e-7');
    expect(csvValue(-3)).toBe('-3');
    expect(csvValue(false)).toBe('false');
    expect(csvValue(null)).toBe('');
    expect(csvValue({ a: [1] })).toBe('{"a":[1]}');
    expect(csvValue('-1')).toBe("'-1");
    expect(csvValue('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvValue('host')).toBe('host');
  });

  it('is only the header for a session without stats', () => {
    expect(exportText({ session: session(), events: [] }, 'csv')).toBe('timestamp,pcId,statsId,type,kind,property,value\r\n');
  });
});

describe('CSV export over many samples', () => {
  it('writes every sample complete while values change, come back, and properties, types and kinds change', () => {
    // complete samples, stored as the capture stores them (a complete one, then deltas)
    const samples: StatsSample[] = [];
    for (let i = 0; i < 8; i++) {
      const r: Record<string, unknown> = { timestamp: T + i * 1000, type: i < 5 ? 'inbound-rtp' : 'outbound-rtp', bytes: [5, 7, 5, 5, 9, 9, 5, 7][i], flag: i % 2 === 0 };
      if (i % 3 !== 1) r.kind = 'audio';
      if (i >= 2 && i < 6) r.extra = { n: i % 2 };
      samples.push({ R1: r, R2: { timestamp: T + i * 1000 - 400, type: 'remote-inbound-rtp', rtt: i < 4 ? 0.25 : 0.5 } });
    }
    const events: StoredEvent[] = samples.map((s, i) => {
      const delta = i === 0 ? null : statsDelta(samples[i - 1], s);
      return { sessionId: 's', frame: 0, seq: i + 1, t: T + i * 1000 + 1, method: 'getStats', pc: 'PC_0', value: delta ?? s, ...(delta ? {} : { full: true as const }) };
    });
    expect(events.some((e) => !e.full)).toBe(true);
    // the rows, written out naively from the complete samples
    const expected = ['timestamp,pcId,statsId,type,kind,property,value'];
    for (const s of samples) {
      for (const [id, report] of Object.entries(s)) {
        const ts = report.timestamp as number;
        for (const [name, value] of Object.entries(report)) {
          if (['id', 'timestamp', 'type', 'kind'].includes(name)) continue;
          expected.push([ts, 'PC_0', id, report.type, report.kind ?? '', name, csvField(csvValue(value))].join(','));
        }
      }
    }
    const text = exportText({ session: session(), events }, 'csv');
    expect(text).toBe(expected.join('\r\n') + '\r\n');
    expect(decode(join([...csvPieces({ session: session(), events }, 50)]))).toBe(text);
  });
});

describe('csvPieces for a caller that keeps them all, or copies each', () => {
  /** getStats of 3 connections with `reports(i)` reports each at sample i, as the capture stores them */
  function growing(samples: number, reports: (i: number) => number): SessionDump {
    const events: StoredEvent[] = [];
    const last = new Map<string, StatsSample>();
    for (let i = 0; i < samples; i++) {
      for (let c = 0; c < 3; c++) {
        const pc = `PC_${c}`;
        const sample: StatsSample = {};
        for (let r = 0; r < reports(i); r++) {
          sample[`OT${r}`] = { timestamp: T + i * 1000, type: 'outbound-rtp', kind: 'video', bytesSent: i * 1000 + c, jitter: i / 1000, label: `track ${r}` };
        }
        const delta = last.has(pc) ? statsDelta(last.get(pc), sample) : null;
        last.set(pc, sample);
        events.push({ sessionId: 's', frame: 0, seq: events.length + 1, t: T + i * 1000, method: 'getStats', pc, value: delta ?? sample, ...(delta ? {} : { full: true as const }) });
      }
    }
    return { session: session(), events };
  }

  it('gives the same bytes, as consecutive views of one buffer when the rows go on as they started', () => {
    const steady = growing(200, () => 2);
    const pieces = [...csvPieces(steady, 1000, 'joined')];
    expect(pieces.length).toBeGreaterThan(10);
    expect(decode(join(pieces))).toBe(decode(join([...csvPieces(steady, 1000)])));
    pieces.forEach((p, i) => {
      expect(p.buffer).toBe(pieces[0]!.buffer);
      if (i > 0) expect(p.byteOffset).toBe(pieces[i - 1]!.byteOffset + pieces[i - 1]!.length);
    });
  });

  it('gives the same bytes when the rows outgrow the first guess (reports added later)', () => {
    const more = growing(200, (i) => (i < 20 ? 1 : 6));
    const pieces = [...csvPieces(more, 1000, 'joined')];
    expect(decode(join(pieces))).toBe(decode(join([...csvPieces(more, 1000)])));
    expect(new Set(pieces.map((p) => p.buffer)).size).toBeGreaterThan(1);
  });

  it("gives the same bytes to a caller that copies each piece, written over the last in one buffer ('copied')", () => {
    const more = growing(200, (i) => (i < 20 ? 1 : 6));
    const copies: Uint8Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for (const piece of csvPieces(more, 1000, 'copied')) {
      copies.push(piece.slice());
      buffers.add(piece.buffer);
      expect(piece.byteOffset).toBe(0);
    }
    expect(copies.length).toBeGreaterThan(10);
    expect(buffers.size).toBe(1);
    expect(decode(join(copies))).toBe(decode(join([...csvPieces(more, 1000)])));
  });

  it('gives the same bytes when the first guess is more than one buffer can hold', () => {
    // a first sample of 1 MB, then 5000 small ones: a guess of some 6 GB (a typed array holds at most 4 GB in Node 20)
    const samples: StatsSample[] = [{ R: { timestamp: T, type: 'data-channel', label: 'x'.repeat(1 << 20) } }];
    for (let i = 1; i <= 5000; i++) samples.push({ R: { timestamp: T + i, type: 'data-channel', label: 'y' } });
    const events: StoredEvent[] = samples.map((value, i) => ({ sessionId: 's', frame: 0, seq: i + 1, t: T + i, method: 'getStats', pc: 'PC_0', value, full: true }));
    const big = { session: session(), events };
    expect(decode(join([...csvPieces(big, 1000, 'joined')]))).toBe(decode(join([...csvPieces(big, 1000)])));
  });
});

describe('CSV values written as bytes', () => {
  /** A sequence of values of property `v`, as the capture stores them (a complete sample, then deltas), and the rows written naively from the complete samples. */
  function exported(values: unknown[]): { text: string; expected: string } {
    const samples: StatsSample[] = values.map((v, i) => ({
      R: { timestamp: T + i * 1000, type: 'inbound-rtp', kind: 'audio', v, constant: 0.25, label: 'Réunion – 会议 🎧', count: 7 },
    }));
    const events: StoredEvent[] = samples.map((s, i) => {
      const delta = i === 0 ? null : statsDelta(samples[i - 1], s);
      return { sessionId: 's', frame: 0, seq: i + 1, t: T + i * 1000, method: 'getStats', pc: 'PC_0', value: delta ?? s, ...(delta ? {} : { full: true as const }) };
    });
    const expected = ['timestamp,pcId,statsId,type,kind,property,value'];
    for (const { sample } of completeStatsSamples(events)) {
      const report = sample.R!;
      const ts = report.timestamp as number;
      for (const name of ['v', 'constant', 'label', 'count']) {
        expected.push([ts, 'PC_0', 'R', 'inbound-rtp', 'audio', name, csvField(csvValue(report[name]))].join(','));
      }
    }
    return { text: exportText({ session: session(), events }, 'csv'), expected: expected.join('\r\n') + '\r\n' };
  }

  it('writes numbers as String(n) does: edge values, repeated and changing', () => {
    const edges = [
      0, 0, -0, 1, -1, 9, 10, 99, 100, 101, 1e15, 1e15 - 1, 12345678901234, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), 1e21, 1.5e300, Number.MAX_VALUE, -1e-7, 5e-324, 1e-7, 0.1, 0.1, 0.1 + 0.2,
      -2.5, 1758602116670.412, NaN, NaN, Infinity, -Infinity, 42, 42, 42.5, 42,
    ];
    const { text, expected } = exported(edges);
    expect(text).toBe(expected);
    expect(text).toContain(',v,9007199254740991\r\n');
    expect(text).toContain(',v,-9007199254740991\r\n');
    expect(text).toContain(',v,1e+21\r\n');
    expect(text).toContain(',v,5e-324\r\n');
    expect(text).toContain(',v,NaN\r\n');
  });

  it('writes random numbers as String(n) does', () => {
    const random = seededRandom(11);
    const values: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const sign = random() < 0.3 ? -1 : 1;
      const magnitude = 10 ** Math.floor(random() * 20);
      const kind = Math.floor(random() * 4);
      // integers of every length, fractions, numbers far from 1, and repeats
      if (kind === 0) values.push(sign * Math.floor(random() * magnitude));
      else if (kind === 1) values.push(sign * random() * magnitude);
      else if (kind === 2) values.push(sign * random() * 10 ** Math.floor(random() * 600 - 300));
      else values.push(values.at(-1) ?? 0);
    }
    const { text, expected } = exported(values);
    expect(text).toBe(expected);
  });

  it('writes strings, booleans, null and objects, repeated and changing, non-ASCII included', () => {
    const { text, expected } = exported(['é', 'é', 'é', '–x', 'a"b', 'a"b', null, null, true, true, false, { x: 1 }, { x: 1 }, [1, 'ü'], 'x'.repeat(5000), 7, 'é']);
    expect(text).toBe(expected);
    expect(text).toContain(',label,Réunion – 会议 🎧\r\n');
    expect(text).toContain(`,v,${'x'.repeat(5000)}\r\n`);
  });

  it('writes a safe integer as String(n) does (ByteWriter.integer)', () => {
    const random = seededRandom(5);
    const numbers = [0, -0, 1, -1, 9, 10, 11, 99, 100, 999, 1000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 31, -(2 ** 31), 2 ** 32 + 1];
    for (let digits = 1; digits <= 15; digits++) numbers.push(10 ** digits - 1, 10 ** digits, -(10 ** digits));
    for (let i = 0; i < 5000; i++) numbers.push(Math.floor((random() - 0.5) * 2 * Number.MAX_SAFE_INTEGER * 10 ** -Math.floor(random() * 16)));
    const writer = new ByteWriter(64);
    for (const n of numbers) {
      expect(Number.isSafeInteger(n)).toBe(true);
      writer.reserve(17);
      writer.integer(n);
      expect(decode(writer.take())).toBe(String(n));
    }
  });

  it('writes any number as String(n) does (ByteWriter.number)', () => {
    const random = seededRandom(23);
    const numbers = [
      0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, Number.EPSILON, 0.1 + 0.2, 1 / 3, -2 / 3,
      1e-6, 1.5e-6, 9.99e-7, 1e-7, 0.000001234, 1e15 - 0.5, 1e15 + 0.5, 1e14 + 0.1, 999999999999999.9, 123456789012345.6, 99999999999999.98,
      2 ** 53 + 2, -(2 ** 60), 1e21, 1.5e300, 0.5, -0.5, 1.05, 2.675, 1.005, 8.325, 1758602116670.412, 1758602116670.4126, 0.000999,
    ];
    for (let i = 0; i < 20000; i++) {
      const sign = random() < 0.3 ? -1 : 1;
      // few decimals at every magnitude (most stats), and doubles of full precision
      const decimals = Math.floor(random() * 10);
      const whole = Math.floor(random() * 10 ** Math.floor(random() * 16));
      numbers.push(sign * (whole + Math.floor(random() * 10 ** decimals) / 10 ** decimals));
      numbers.push(sign * Math.floor(random() * 10 ** decimals) / 10 ** Math.floor(random() * 12));
      numbers.push(sign * random() * 10 ** Math.floor(random() * 40 - 20));
    }
    const writer = new ByteWriter(64);
    let written = '';
    for (const n of numbers) {
      writer.reserve(32);
      writer.number(n);
      written += decode(writer.take()) + ' ';
    }
    expect(written).toBe(numbers.map(String).join(' ') + ' ');
  });

  it('encodes text as TextEncoder does (ByteWriter.text)', () => {
    const texts = ['', 'plain', 'é', 'aé', 'Réunion – 会议 🎧', '🎧', 'a\ud800b', '\udc00', 'x'.repeat(300) + 'ü'];
    const writer = new ByteWriter(16);
    for (const text of texts) {
      const expected = new TextEncoder().encode(text);
      writer.reserve(3 * text.length);
      writer.text(text);
      expect(writer.take()).toEqual(expected);
    }
  });
});
