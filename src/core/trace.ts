// The trace model and every message that crosses a boundary
// (page hook → content script → background), each validated where it is received.
// Method names follow rtcstats: `createOffer`, `createOfferOnSuccess`,
// `onicecandidate`, `navigator.mediaDevices.getUserMedia`, `getStats`, ...

export const PROTOCOL_VERSION = 1;

/** One thing the page hook saw. */
export interface PageEntry {
  /** rtcstats method name */
  m: string;
  /** connection id within its frame (`PC_0`, ...), null for page-level entries */
  pc: string | null;
  /** JSON-safe value */
  v: unknown;
  /** correlation ids (e.g. `gum-0` on a getUserMedia call and its result) */
  x?: (string | number)[];
  /** wall clock, ms since epoch */
  t: number;
  /** getStats only: v is a complete sample, not a delta against the previous one */
  full?: true;
}

/** A page entry numbered by the content script of its frame. */
export interface FrameEntry extends PageEntry {
  /** per-frame sequence number, from 1, without gaps */
  s: number;
}

export interface FrameHello {
  /** unique per document, made by the frame's content script */
  frameKey: string;
  /** the top document's id when this frame is the top frame */
  pageId: string | null;
  url: string;
  origin: string;
  title: string;
  isTop: boolean;
  /** when the document started loading (performance.timeOrigin), ms since epoch */
  startTime: number;
}

/** `first`: the hook's number of the first entry (numbered from 1 per document, in posting order). */
export type PageToContent = { v: 1; kind: 'trace'; first: number; entries: PageEntry[] };
/** `received`: the content script has the hook's entries up to this number; the hook may forget them. */
export type ContentToPage = { v: 1; kind: 'config'; pollIntervalMs: number } | { v: 1; kind: 'received'; upTo: number };
export type ContentToBackground =
  | { v: 1; kind: 'hello'; frame: FrameHello }
  | { v: 1; kind: 'batch'; entries: FrameEntry[] };
export type BackgroundToContent = { v: 1; kind: 'ack'; upTo: number };
/** Asked of a tab's top frame, to find which page load a sub-frame belongs to. */
export type TopFrameQuery = { v: 1; kind: 'whoIsTop' };
export type TopFrameAnswer = { pageId: string; url: string; origin: string; title: string; startTime: number };

export const TRACE_PORT_NAME = 'webrtc-trace';

/** The stored form: an entry placed in a session. */
export interface StoredEvent {
  sessionId: string;
  /** index of the frame in the session's frame list */
  frame: number;
  seq: number;
  t: number;
  method: string;
  /** session-wide connection id (frame-qualified), or null */
  pc: string | null;
  value: unknown;
  extra?: (string | number)[];
  full?: true;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isString = (x: unknown): x is string => typeof x === 'string';
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const MAX_METHOD_LENGTH = 200;

function isPageEntryLike(e: unknown): e is PageEntry {
  if (!isObject(e)) return false;
  if (!isString(e.m) || e.m.length === 0 || e.m.length > MAX_METHOD_LENGTH) return false;
  if (!(e.pc === null || (isString(e.pc) && e.pc.length <= MAX_METHOD_LENGTH))) return false;
  if (!isFiniteNumber(e.t)) return false;
  if (e.x !== undefined && !(Array.isArray(e.x) && Array.from(e.x).every((i) => isString(i) || isFiniteNumber(i)))) return false;
  if (e.full !== undefined && e.full !== true) return false;
  return 'v' in e;
}

export function parsePageToContent(msg: unknown): PageToContent | null {
  if (!isObject(msg) || msg.v !== PROTOCOL_VERSION || msg.kind !== 'trace' || !Array.isArray(msg.entries)) return null;
  if (!Number.isSafeInteger(msg.first) || (msg.first as number) < 1) return null;
  return Array.from(msg.entries).every(isPageEntryLike) ? (msg as PageToContent) : null;
}

export function parseContentToPage(msg: unknown): ContentToPage | null {
  if (!isObject(msg) || msg.v !== PROTOCOL_VERSION) return null;
  if (msg.kind === 'config') return isFiniteNumber(msg.pollIntervalMs) ? (msg as ContentToPage) : null;
  if (msg.kind === 'received') return Number.isSafeInteger(msg.upTo) ? (msg as ContentToPage) : null;
  return null;
}

export function parseContentToBackground(msg: unknown): ContentToBackground | null {
  if (!isObject(msg) || msg.v !== PROTOCOL_VERSION) return null;
  if (msg.kind === 'hello') {
    const f = msg.frame;
    if (!isObject(f) || !isString(f.frameKey) || f.frameKey.length === 0 || f.frameKey.length > 100) return null;
    if (!(f.pageId === null || isString(f.pageId))) return null;
    if (!isString(f.url) || !isString(f.origin) || !isString(f.title) || typeof f.isTop !== 'boolean') return null;
    if (!isFiniteNumber(f.startTime)) return null;
    return msg as ContentToBackground;
  }
  if (msg.kind === 'batch' && Array.isArray(msg.entries)) {
    const ok = Array.from(msg.entries).every((e) => isPageEntryLike(e) && Number.isSafeInteger((e as FrameEntry).s) && (e as FrameEntry).s > 0);
    return ok ? (msg as ContentToBackground) : null;
  }
  return null;
}

export function parseBackgroundToContent(msg: unknown): BackgroundToContent | null {
  if (!isObject(msg) || msg.v !== PROTOCOL_VERSION || msg.kind !== 'ack') return null;
  return Number.isSafeInteger(msg.upTo) ? (msg as BackgroundToContent) : null;
}

export function isTopFrameQuery(msg: unknown): msg is TopFrameQuery {
  return isObject(msg) && msg.v === PROTOCOL_VERSION && msg.kind === 'whoIsTop';
}

/** Session-wide id of a connection: the first frame keeps the page's own ids. */
export function qualifiedPcId(frameIndex: number, pcId: string): string {
  return frameIndex === 0 ? pcId : `f${frameIndex}-${pcId}`;
}

/**
 * A session's trace in order: each frame's events in sequence order (which
 * getStats deltas depend on, even if the wall clock stepped back), frames
 * merged by wall clock (ties: the lower frame first).
 */
export function orderEvents(events: readonly StoredEvent[]): StoredEvent[] {
  const runs = new Map<number, StoredEvent[]>();
  for (const e of events) {
    const run = runs.get(e.frame);
    if (run) run.push(e);
    else runs.set(e.frame, [e]);
  }
  const queues = [...runs.entries()].sort((a, b) => a[0] - b[0]).map(([, run]) => run.sort((a, b) => a.seq - b.seq));
  const heads = queues.map(() => 0);
  const out: StoredEvent[] = [];
  while (out.length < events.length) {
    let pick = -1;
    for (let q = 0; q < queues.length; q++) {
      const head = queues[q]![heads[q]!];
      if (head && (pick < 0 || head.t < queues[pick]![heads[pick]!]!.t)) pick = q;
    }
    out.push(queues[pick]![heads[pick]!++]!);
  }
  return out;
}
