import { describe, it, expect } from 'vitest';
import {
  PROTOCOL_VERSION,
  parsePageToContent,
  parseContentToBackground,
  parseBackgroundToContent,
  parseContentToPage,
  isTopFrameQuery,
  qualifiedPcId,
  orderEvents,
  type StoredEvent,
} from '../../src/core/trace';
import { Rng } from './support/random-stats';
import { seededRandom } from '../../src/core/random';

type Obj = Record<string, unknown>;
const T = 1758602115670.25;

// Entries as the page hook sends them (rtcstats method names and value shapes).
function entries(): Obj[] {
  return [
    { m: 'create', pc: null, v: { hardwareConcurrency: 16, deviceMemory: 8 }, t: T },
    { m: 'navigator.mediaDevices.getUserMedia', pc: null, v: { audio: true, video: { width: 1280 } }, x: ['gum-0'], t: T + 3 },
    { m: 'navigator.mediaDevices.getUserMediaOnSuccess', pc: null, v: [['audio', 'a1', 's1']], x: ['gum-0', 7], t: T + 410 },
    { m: 'create', pc: 'PC_0', v: { iceServers: [], bundlePolicy: 'max-bundle' }, t: T + 500 },
    { m: 'createOffer', pc: 'PC_0', v: undefined, t: T + 501 },
    { m: 'createOfferOnSuccess', pc: 'PC_0', v: { type: 'offer', sdp: 'v=0\r\n' }, t: T + 503 },
    { m: 'onicecandidate', pc: 'PC_0', v: null, t: T + 520 },
    { m: 'getStats', pc: 'PC_0', v: { P: { type: 'peer-connection', timestamp: T + 1500 } }, t: T + 1500, full: true },
    { m: 'getStats', pc: 'PC_0', v: { t: T + 2500 }, t: T + 2500 },
  ];
}
const traceMsg = (e: unknown[] = entries()): Obj => ({ v: 1, kind: 'trace', first: 1, entries: e });
const batchMsg = (e: unknown[] = entries().map((x, i) => ({ ...x, s: i + 1 }))): Obj => ({ v: 1, kind: 'batch', entries: e });
const frame = (): Obj => ({
  frameKey: 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  pageId: null,
  url: 'https://webrtc.github.io/samples/src/content/peerconnection/pc1/',
  origin: 'https://webrtc.github.io',
  title: 'Peer connection',
  isTop: true,
  startTime: 1758602115000.5,
});
const helloMsg = (f: Obj = frame()): Obj => ({ v: 1, kind: 'hello', frame: f });

/** A copy of the entry with one field replaced (or removed when value is `REMOVE`). */
const REMOVE = Symbol('remove');
function withField(base: Obj, key: string, value: unknown): Obj {
  const copy: Obj = { ...base };
  if (value === REMOVE) delete copy[key];
  else copy[key] = value;
  return copy;
}

const good = entries()[3]!; // a connection entry
const goodGum = entries()[1]!; // with correlation ids

/** Malformed entries, each with what is wrong. */
const BAD_ENTRIES: [string, unknown][] = [
  ['null entry', null],
  ['number entry', 42],
  ['string entry', 'createOffer'],
  ['array entry', ['createOffer', 'PC_0', null, 1]],
  ['missing method', withField(good, 'm', REMOVE)],
  ['empty method', withField(good, 'm', '')],
  ['method not a string', withField(good, 'm', 39)],
  ['method far too long', withField(good, 'm', 'x'.repeat(5000))],
  ['missing pc', withField(good, 'pc', REMOVE)],
  ['pc undefined', withField(good, 'pc', undefined)],
  ['pc a number', withField(good, 'pc', 0)],
  ['pc an object', withField(good, 'pc', { id: 'PC_0' })],
  ['pc far too long', withField(good, 'pc', 'PC_'.repeat(2000))],
  ['missing time', withField(good, 't', REMOVE)],
  ['NaN time', withField(good, 't', NaN)],
  ['infinite time', withField(good, 't', Infinity)],
  ['time as string', withField(good, 't', '1758602115670')],
  ['time null', withField(good, 't', null)],
  ['missing value', withField(good, 'v', REMOVE)],
  ['extra not an array', withField(goodGum, 'x', 'gum-0')],
  ['extra null', withField(goodGum, 'x', null)],
  ['extra with an object', withField(goodGum, 'x', ['gum-0', { id: 1 }])],
  ['extra with null', withField(goodGum, 'x', [null])],
  ['extra with a boolean', withField(goodGum, 'x', [true])],
  ['extra with NaN', withField(goodGum, 'x', [NaN])],
  ['extra with an array', withField(goodGum, 'x', [['gum-0']])],
  ['full false', withField(good, 'full', false)],
  ['full 1', withField(good, 'full', 1)],
  ['full "true"', withField(good, 'full', 'true')],
  ['full null', withField(good, 'full', null)],
];

/** Inputs that are not messages at all. */
const JUNK: unknown[] = [
  null, undefined, 0, 1, -1, NaN, '', 'trace', '{"v":1,"kind":"trace","entries":[]}', true, false, [], [1, 'trace'],
  {}, { v: 1 }, { kind: 'trace' }, Symbol('x'), 10n, () => 1, new Date(0), new Map([['v', 1]]), Object.create(null),
];

describe('parsePageToContent', () => {
  it('accepts a well-formed trace message and returns it', () => {
    const msg = traceMsg();
    expect(parsePageToContent(msg)).toBe(msg);
    expect(PROTOCOL_VERSION).toBe(1);
  });

  it('accepts an entry with a value of any JSON type, including null and undefined', () => {
    for (const v of [null, undefined, 0, 'x', [], {}, [{ a: 1 }]]) {
      const msg = traceMsg([withField(good, 'v', v)]);
      expect(parsePageToContent(msg)).toBe(msg);
    }
  });

  it('accepts a long real method name and correlation ids of strings and numbers', () => {
    const msg = traceMsg([
      withField(good, 'm', 'navigator.mediaDevices.getDisplayMediaOnFailure'),
      withField(goodGum, 'x', ['gum-0', 0, -3, 1.5, '']),
    ]);
    expect(parsePageToContent(msg)).toBe(msg);
  });

  it('accepts full: true on a getStats entry', () => {
    const msg = traceMsg([entries()[7]!]);
    expect(parsePageToContent(msg)).toBe(msg);
  });

  it.each(BAD_ENTRIES)('rejects a message with a malformed entry: %s', (_name, bad) => {
    expect(parsePageToContent(traceMsg([bad]))).toBeNull();
    // one bad entry among good ones spoils the whole message
    expect(parsePageToContent(traceMsg([...entries(), bad, ...entries()]))).toBeNull();
  });

  it.each([
    ['version 2', { ...traceMsg(), v: 2 }],
    ['version "1"', { ...traceMsg(), v: '1' }],
    ['version 0', { ...traceMsg(), v: 0 }],
    ['no version', { kind: 'trace', entries: entries() }],
    ['kind batch', { ...traceMsg(), kind: 'batch' }],
    ['kind config', { ...traceMsg(), kind: 'config' }],
    ['no kind', { v: 1, entries: entries() }],
    ['no entries', { v: 1, kind: 'trace', first: 1 }],
    ['no number of the first entry', { v: 1, kind: 'trace', entries: entries() }],
    ['first entry numbered 0', { ...traceMsg(), first: 0 }],
    ['first entry numbered 1.5', { ...traceMsg(), first: 1.5 }],
    ['first entry numbered "1"', { ...traceMsg(), first: '1' }],
    ['entries an object', { v: 1, kind: 'trace', entries: { 0: entries()[0] } }],
    ['entries a string', { v: 1, kind: 'trace', entries: 'createOffer' }],
    ['entries null', { v: 1, kind: 'trace', entries: null }],
  ])('rejects a malformed message: %s', (_name, msg) => {
    expect(parsePageToContent(msg)).toBeNull();
  });

  it('rejects inputs that are not messages', () => {
    for (const junk of JUNK) expect(parsePageToContent(junk)).toBeNull();
  });

  // MessagePort / postMessage use structured clone, which keeps holes, and
  // Array.prototype.every skips them: a hole must not pass as a valid entry.
  it('rejects an entries array with holes (kept by structured clone)', () => {
    const sparse: unknown[] = new Array(3);
    sparse[0] = good;
    sparse[2] = good;
    const msg = structuredClone(traceMsg(sparse));
    expect(1 in (msg.entries as unknown[])).toBe(false); // the hole survived the clone
    expect(parsePageToContent(msg)).toBeNull();
    // the same entries without the hole are fine
    expect(parsePageToContent(traceMsg([good, good, good]))).not.toBeNull();
  });

  it('rejects correlation ids with holes', () => {
    const x: unknown[] = new Array(2);
    x[0] = 'gum-0';
    const msg = structuredClone(traceMsg([withField(goodGum, 'x', x)]));
    expect(parsePageToContent(msg)).toBeNull();
    expect(parsePageToContent(traceMsg([withField(goodGum, 'x', ['gum-0', 1])]))).not.toBeNull();
  });
});

describe('parseContentToBackground', () => {
  it('accepts a hello from a top frame and from a sub-frame', () => {
    const top = helloMsg();
    expect(parseContentToBackground(top)).toBe(top);
    const sub = helloMsg({ ...frame(), pageId: 'b1c2d3e4-top-frame-key', isTop: false, url: 'https://example.org/embed', origin: 'https://example.org', title: '' });
    expect(parseContentToBackground(sub)).toBe(sub);
  });

  it('accepts a batch of numbered entries', () => {
    const msg = batchMsg();
    expect(parseContentToBackground(msg)).toBe(msg);
    const one = batchMsg([{ ...good, s: Number.MAX_SAFE_INTEGER }]);
    expect(parseContentToBackground(one)).toBe(one);
  });

  it.each([
    ['no frame', { v: 1, kind: 'hello' }],
    ['frame null', helloMsg(null as unknown as Obj)],
    ['frameKey missing', helloMsg(withField(frame(), 'frameKey', REMOVE))],
    ['frameKey empty', helloMsg(withField(frame(), 'frameKey', ''))],
    ['frameKey too long', helloMsg(withField(frame(), 'frameKey', 'k'.repeat(1000)))],
    ['frameKey a number', helloMsg(withField(frame(), 'frameKey', 12))],
    ['pageId missing', helloMsg(withField(frame(), 'pageId', REMOVE))],
    ['pageId a number', helloMsg(withField(frame(), 'pageId', 1))],
    ['url missing', helloMsg(withField(frame(), 'url', REMOVE))],
    ['url null', helloMsg(withField(frame(), 'url', null))],
    ['origin a number', helloMsg(withField(frame(), 'origin', 443))],
    ['title missing', helloMsg(withField(frame(), 'title', REMOVE))],
    ['isTop a string', helloMsg(withField(frame(), 'isTop', 'true'))],
    ['isTop missing', helloMsg(withField(frame(), 'isTop', REMOVE))],
    ['startTime missing', helloMsg(withField(frame(), 'startTime', REMOVE))],
    ['startTime NaN', helloMsg(withField(frame(), 'startTime', NaN))],
    ['startTime a string', helloMsg(withField(frame(), 'startTime', '1758602115000'))],
    ['hello with version 2', { ...helloMsg(), v: 2 }],
  ])('rejects a malformed hello: %s', (_name, msg) => {
    expect(parseContentToBackground(msg)).toBeNull();
  });

  it.each([
    ['seq 0', 0],
    ['seq negative', -1],
    ['seq not an integer', 1.5],
    ['seq NaN', NaN],
    ['seq infinite', Infinity],
    ['seq beyond safe integers', 2 ** 53],
    ['seq a string', '1'],
    ['seq missing', REMOVE],
  ])('rejects a batch with a bad sequence number: %s', (_name, s) => {
    expect(parseContentToBackground(batchMsg([withField(good, 's', s)]))).toBeNull();
    const mixed = [{ ...good, s: 1 }, withField(good, 's', s), { ...good, s: 3 }];
    expect(parseContentToBackground(batchMsg(mixed))).toBeNull();
  });

  it.each(BAD_ENTRIES)('rejects a batch with a malformed entry: %s', (_name, bad) => {
    const numbered = bad !== null && typeof bad === 'object' && !Array.isArray(bad) ? { ...bad, s: 2 } : bad;
    expect(parseContentToBackground(batchMsg([{ ...good, s: 1 }, numbered]))).toBeNull();
  });

  it('rejects a batch whose entries array has holes', () => {
    const sparse: unknown[] = new Array(3);
    sparse[0] = { ...good, s: 1 };
    sparse[2] = { ...good, s: 3 };
    expect(parseContentToBackground(structuredClone(batchMsg(sparse)))).toBeNull();
    expect(parseContentToBackground(batchMsg([{ ...good, s: 1 }, { ...good, s: 2 }, { ...good, s: 3 }]))).not.toBeNull();
  });

  it.each([
    ['version 2', { ...batchMsg(), v: 2 }],
    ['no version', { kind: 'batch', entries: batchMsg().entries }],
    ['entries not an array', { v: 1, kind: 'batch', entries: { s: 1 } }],
    ['entries missing', { v: 1, kind: 'batch' }],
    ['unknown kind', { ...batchMsg(), kind: 'batches' }],
    ['a page message', traceMsg()],
    ['an ack', { v: 1, kind: 'ack', upTo: 3 }],
  ])('rejects a malformed message: %s', (_name, msg) => {
    expect(parseContentToBackground(msg)).toBeNull();
  });

  it('rejects inputs that are not messages', () => {
    for (const junk of JUNK) expect(parseContentToBackground(junk)).toBeNull();
  });
});

describe('parseBackgroundToContent', () => {
  it('accepts an acknowledgement', () => {
    for (const upTo of [0, 1, 4711, Number.MAX_SAFE_INTEGER]) {
      const msg = { v: 1, kind: 'ack', upTo };
      expect(parseBackgroundToContent(msg)).toBe(msg);
    }
  });

  it.each([
    ['upTo not an integer', { v: 1, kind: 'ack', upTo: 1.5 }],
    ['upTo a string', { v: 1, kind: 'ack', upTo: '5' }],
    ['upTo NaN', { v: 1, kind: 'ack', upTo: NaN }],
    ['upTo beyond safe integers', { v: 1, kind: 'ack', upTo: 2 ** 53 }],
    ['upTo missing', { v: 1, kind: 'ack' }],
    ['version 2', { v: 2, kind: 'ack', upTo: 5 }],
    ['kind config', { v: 1, kind: 'config', upTo: 5 }],
  ])('rejects %s', (_name, msg) => {
    expect(parseBackgroundToContent(msg)).toBeNull();
  });

  it('rejects inputs that are not messages', () => {
    for (const junk of JUNK) expect(parseBackgroundToContent(junk)).toBeNull();
  });
});

describe('parseContentToPage', () => {
  it('accepts a poll interval', () => {
    for (const pollIntervalMs of [1000, 250, 60000, 1500.5]) {
      const msg = { v: 1, kind: 'config', pollIntervalMs };
      expect(parseContentToPage(msg)).toBe(msg);
    }
  });

  it('accepts the receipt of entries', () => {
    const msg = { v: 1, kind: 'received', upTo: 42 };
    expect(parseContentToPage(msg)).toBe(msg);
  });

  it.each([
    ['interval NaN', { v: 1, kind: 'config', pollIntervalMs: NaN }],
    ['interval infinite', { v: 1, kind: 'config', pollIntervalMs: Infinity }],
    ['interval a string', { v: 1, kind: 'config', pollIntervalMs: '1000' }],
    ['interval missing', { v: 1, kind: 'config' }],
    ['version 2', { v: 2, kind: 'config', pollIntervalMs: 1000 }],
    ['kind ack', { v: 1, kind: 'ack', pollIntervalMs: 1000 }],
    ['received without a number', { v: 1, kind: 'received' }],
    ['received up to 2.5', { v: 1, kind: 'received', upTo: 2.5 }],
    ['received up to "3"', { v: 1, kind: 'received', upTo: '3' }],
  ])('rejects %s', (_name, msg) => {
    expect(parseContentToPage(msg)).toBeNull();
  });

  it('rejects inputs that are not messages', () => {
    for (const junk of JUNK) expect(parseContentToPage(junk)).toBeNull();
  });
});

describe('isTopFrameQuery', () => {
  it('recognizes the query and nothing else', () => {
    expect(isTopFrameQuery({ v: 1, kind: 'whoIsTop' })).toBe(true);
    expect(isTopFrameQuery({ v: 2, kind: 'whoIsTop' })).toBe(false);
    expect(isTopFrameQuery({ v: 1, kind: 'hello' })).toBe(false);
    expect(isTopFrameQuery(traceMsg())).toBe(false);
    for (const junk of JUNK) expect(isTopFrameQuery(junk)).toBe(false);
  });
});

// ---------------------------------------------------------------------------
// No parser throws, whatever it is given; what it accepts is well-formed.
// ---------------------------------------------------------------------------

const KEYS = ['v', 'kind', 'entries', 'frame', 'upTo', 'pollIntervalMs', 'm', 'pc', 't', 'x', 's', 'full', 'frameKey', 'pageId', 'url', 'origin', 'title', 'isTop', 'startTime', 'length', 'constructor', '__proto__', 'toString'];
const ATOMS: unknown[] = [
  null, undefined, 0, 1, -1, 2, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '', '1', 'trace', 'batch', 'hello', 'ack', 'config',
  'whoIsTop', 'PC_0', 'x'.repeat(300), true, false, 10n, Symbol('s'), [], {},
];

function randomJunk(r: () => number, depth: number): unknown {
  const p = r();
  if (depth <= 0 || p < 0.5) return ATOMS[Math.floor(r() * ATOMS.length)];
  if (p < 0.7) {
    const n = Math.floor(r() * 4);
    return Array.from({ length: n }, () => randomJunk(r, depth - 1));
  }
  const o: Obj = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) o[KEYS[Math.floor(r() * KEYS.length)]!] = randomJunk(r, depth - 1);
  return o;
}

/** A valid message with one random part replaced by junk. */
function mutated(r: () => number): unknown {
  const bases = [traceMsg(), batchMsg(), helloMsg(), { v: 1, kind: 'ack', upTo: 3 }, { v: 1, kind: 'config', pollIntervalMs: 1000 }];
  const msg = structuredClone(bases[Math.floor(r() * bases.length)]!) as Obj;
  const targets: Obj[] = [msg];
  if (Array.isArray(msg.entries)) for (const e of msg.entries as Obj[]) targets.push(e);
  if (msg.frame) targets.push(msg.frame as Obj);
  const target = targets[Math.floor(r() * targets.length)]!;
  const key = r() < 0.7 ? (Object.keys(target)[Math.floor(r() * Object.keys(target).length)] ?? 'v') : KEYS[Math.floor(r() * KEYS.length)]!;
  if (r() < 0.2) delete target[key];
  else target[key] = randomJunk(r, 2);
  return msg;
}

function isWellFormedEntry(e: unknown, numbered: boolean): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Obj;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  return (
    typeof x.m === 'string' && x.m.length > 0 &&
    (x.pc === null || typeof x.pc === 'string') &&
    finite(x.t) && 'v' in x &&
    (x.x === undefined || (Array.isArray(x.x) && x.x.every((i) => typeof i === 'string' || finite(i)))) &&
    (x.full === undefined || x.full === true) &&
    (!numbered || (Number.isInteger(x.s) && (x.s as number) > 0))
  );
}

describe('parsers never throw, and accept only well-formed messages', () => {
  it('on thousands of random and mutated inputs', () => {
    const r = seededRandom(0x7ace);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 6000; i++) {
      const input = i % 2 === 0 ? randomJunk(r, 4) : mutated(r);
      let results: unknown[] = [];
      expect(() => {
        results = [
          parsePageToContent(input),
          parseContentToBackground(input),
          parseBackgroundToContent(input),
          parseContentToPage(input),
          isTopFrameQuery(input),
        ];
      }).not.toThrow();
      const [page, content, ack, config] = results as (Obj | null)[];
      for (const result of [page, content, ack, config]) {
        if (result === null) rejected++;
        else {
          accepted++;
          expect(result).toBe(input); // accepted messages are passed through unchanged
        }
      }
      if (page) {
        expect(page.v).toBe(1);
        expect(page.kind).toBe('trace');
        expect((page.entries as unknown[]).every((e) => isWellFormedEntry(e, false))).toBe(true);
      }
      if (content) {
        expect(content.v).toBe(1);
        if (content.kind === 'batch') {
          expect((content.entries as unknown[]).every((e) => isWellFormedEntry(e, true))).toBe(true);
        } else {
          expect(content.kind).toBe('hello');
          const f = content.frame as Obj;
          expect(typeof f.frameKey === 'string' && f.frameKey.length > 0).toBe(true);
          expect(typeof f.isTop).toBe('boolean');
          expect(Number.isFinite(f.startTime)).toBe(true);
        }
      }
      if (ack) expect(Number.isSafeInteger(ack.upTo)).toBe(true);
      if (config) expect(Number.isFinite(config.pollIntervalMs)).toBe(true);
    }
    // the mutations keep many messages valid, so both paths are exercised
    expect(accepted).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(500);
  });
});

describe('qualifiedPcId', () => {
  it('keeps the page ids of the first frame and prefixes those of other frames', () => {
    expect(qualifiedPcId(0, 'PC_0')).toBe('PC_0');
    expect(qualifiedPcId(0, 'PC_12')).toBe('PC_12');
    expect(qualifiedPcId(1, 'PC_0')).toBe('f1-PC_0');
    expect(qualifiedPcId(12, 'PC_3')).toBe('f12-PC_3');
  });

  it('gives distinct ids to the same page id in different frames', () => {
    const ids = [0, 1, 2, 3, 10, 11].flatMap((f) => ['PC_0', 'PC_1'].map((pc) => qualifiedPcId(f, pc)));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('orderEvents', () => {
  type Named = StoredEvent & { name: string };
  const ev = (name: string, t: number, frame: number, seq: number): Named => ({
    name, sessionId: 's1', frame, seq, t, method: 'getStats', pc: 'PC_0', value: null,
  });
  const names = (events: StoredEvent[]): string[] => events.map((e) => (e as Named).name);

  it('orders by wall clock across frames; at equal times the lower frame first, within a frame by sequence', () => {
    const events = [
      ev('e', 2000, 0, 9),
      ev('c', 1000, 1, 1),
      ev('a', 1000, 0, 1),
      ev('f', 2000, 1, 2),
      ev('b', 1000, 0, 2),
      ev('d', 1000.5, 0, 3),
      ev('z', 999.999, 5, 100),
    ];
    expect(names(orderEvents(events))).toEqual(['z', 'a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps a frame in sequence order when its wall clock steps back', () => {
    // frame 0's clock steps back by 800 ms after its second event (NTP correction)
    const events = [
      ev('a1', 1000, 0, 1),
      ev('a2', 2000, 0, 2),
      ev('a3', 1200, 0, 3),
      ev('a4', 2200, 0, 4),
    ];
    expect(names(orderEvents([...events].reverse()))).toEqual(['a1', 'a2', 'a3', 'a4']);
    // the same sequence numbers in another order give the same result
    expect(names(orderEvents([events[2]!, events[0]!, events[3]!, events[1]!]))).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('merges two frames by the time of the next event of each (a step back holds a frame back)', () => {
    const events = [
      ev('a1', 1000, 0, 1),
      ev('a2', 3000, 0, 2),
      ev('a3', 1500, 0, 3), // clock stepped back: still after a2
      ev('a4', 3500, 0, 4),
      ev('b1', 1100, 1, 1),
      ev('b2', 2000, 1, 2),
      ev('b3', 3200, 1, 3),
      ev('b4', 4000, 1, 4),
    ];
    // after a1 and b1, frame 0 waits at a2 (3000): b2 comes first; then a2 (3000 < 3200),
    // a3 (1500 < 3200), b3 (3200 < 3500), a4, b4
    expect(names(orderEvents(events))).toEqual(['a1', 'b1', 'b2', 'a2', 'a3', 'b3', 'a4', 'b4']);
  });

  it('at equal times takes the lower frame first, whatever the input order and frame numbers', () => {
    const events = [ev('c1', 500, 7, 1), ev('b1', 500, 2, 1), ev('a1', 500, 0, 1), ev('b2', 500, 2, 2), ev('a2', 600, 0, 2)];
    expect(names(orderEvents(events))).toEqual(['a1', 'b1', 'b2', 'c1', 'a2']);
    expect(names(orderEvents([...events].reverse()))).toEqual(['a1', 'b1', 'b2', 'c1', 'a2']);
  });

  it('keeps every event (the same objects) and does not reorder or change its input', () => {
    const events = [ev('b', 2, 1, 1), ev('a2', 3, 0, 2), ev('a1', 1, 0, 1), ev('b2', 0, 1, 2)];
    const before = [...events];
    const snapshot = JSON.stringify(events);
    const out = orderEvents(events);
    expect(out).toHaveLength(4);
    expect(new Set(out)).toEqual(new Set(events));
    for (const e of out) expect(events).toContain(e);
    expect(events).toEqual(before);
    for (let i = 0; i < events.length; i++) expect(events[i]).toBe(before[i]);
    expect(JSON.stringify(events)).toBe(snapshot);
    expect(out).not.toBe(events);
    // frame 0: a1 (1), a2 (3); frame 1: b (2), b2 (0, its clock stepped back)
    expect(names(out)).toEqual(['a1', 'b', 'b2', 'a2']);
  });

  it('gives nothing for nothing, and a single frame in sequence order', () => {
    expect(orderEvents([])).toEqual([]);
    expect(names(orderEvents([ev('x3', 5, 3, 3), ev('x1', 9, 3, 1), ev('x2', 1, 3, 2)]))).toEqual(['x1', 'x2', 'x3']);
  });

  /** Random frames: sequence numbers from 1, clocks that mostly advance and sometimes step back. */
  function randomTrace(rng: Rng): Named[] {
    const events: Named[] = [];
    const frames = 1 + rng.int(5);
    for (let f = 0; f < frames; f++) {
      const frame = f * (1 + rng.int(3)); // frame indexes need not be contiguous
      let t = 1000 + rng.int(50);
      const n = rng.int(40);
      for (let seq = 1; seq <= n; seq++) {
        const q = rng.next();
        t += q < 0.1 ? -rng.int(500) : q < 0.3 ? 0 : rng.int(100);
        events.push(ev(`${frame}:${seq}`, t, frame, seq));
      }
    }
    // stored order is not time order: shuffle
    for (let i = events.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    return events;
  }

  it('on random traces: a permutation; each frame in sequence order; each pick the earliest head (lower frame on ties)', () => {
    const rng = new Rng(0x0de5);
    let steppedBack = 0;
    let interleaved = 0;
    for (let round = 0; round < 300; round++) {
      const events = randomTrace(rng);
      const out = orderEvents(events);
      expect(out).toHaveLength(events.length);
      expect(new Set(out)).toEqual(new Set(events));
      // what is left of each frame, in sequence order
      const left = new Map<number, Named[]>();
      for (const e of events) left.set(e.frame, [...(left.get(e.frame) ?? []), e]);
      for (const run of left.values()) run.sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < out.length; i++) {
        const e = out[i] as Named;
        const run = left.get(e.frame)!;
        expect(run[0]).toBe(e); // the next of its frame
        for (const [frame, other] of left) {
          const head = other[0];
          if (frame === e.frame || head === undefined) continue;
          expect(e.t < head.t || (e.t === head.t && e.frame < frame)).toBe(true);
        }
        run.shift();
        if (i > 0 && out[i - 1]!.frame !== e.frame) interleaved++;
        if (i > 0 && out[i - 1]!.frame === e.frame && e.t < out[i - 1]!.t) steppedBack++;
      }
    }
    expect(steppedBack).toBeGreaterThan(100);
    expect(interleaved).toBeGreaterThan(1000);
  });

  it('when no clock steps back, it is the sort by time, frame and sequence', () => {
    const rng = new Rng(77);
    for (let round = 0; round < 200; round++) {
      const events = randomTrace(rng);
      const perFrame = new Map<number, number>();
      const monotonic = [...events].sort((a, b) => a.seq - b.seq).map((e) => {
        const t = Math.max(e.t, perFrame.get(e.frame) ?? -Infinity);
        perFrame.set(e.frame, t);
        return { ...e, t };
      });
      const bySort = [...monotonic].sort((a, b) => a.t - b.t || a.frame - b.frame || a.seq - b.seq);
      expect(names(orderEvents(monotonic))).toEqual(names(bySort));
    }
  });
});
