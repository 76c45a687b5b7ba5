// The event log of a session: one row per traced event (getStats samples are
// charted, not listed), with a category for filtering, failures marked, and
// each description's SDP folded per m-section, flagged when the page munged it
// (setLocalDescription differs from what createOffer/createAnswer returned)
// and linked to the previous description of the same side for a diff.

import { LocalDescriptions } from '../munging';
import type { StoredEvent } from '../trace';
import { parseSdp, type SdpSection } from './sdp';

export type LogCategory = 'signaling' | 'ice' | 'state' | 'media' | 'datachannel' | 'page' | 'other';
export const LOG_CATEGORIES: readonly LogCategory[] = ['signaling', 'ice', 'state', 'media', 'datachannel', 'page', 'other'];

export interface SdpInfo {
  type: string;
  text: string;
  sections: SdpSection[];
  /** setLocalDescription only: differs from the description createOffer/createAnswer returned */
  munged: boolean;
  /** the previous description of the same side (local or remote), for a diff */
  previous: string | null;
}

export interface LogRow {
  /** position in the session's list of rows */
  index: number;
  t: number;
  pc: string | null;
  method: string;
  category: LogCategory;
  failure: boolean;
  /** one line for the list */
  summary: string;
  value: unknown;
  sdp?: SdpInfo;
}

const FAILED_STATES = new Set(['failed']);

export function categoryOf(method: string, pc: string | null): LogCategory {
  if (/DataChannel|datachannel/.test(method)) return 'datachannel';
  if (/state/i.test(method) && method.startsWith('on')) return /ice/i.test(method) ? 'ice' : method === 'onsignalingstatechange' ? 'signaling' : 'state';
  // case-sensitive: `ice` would also match navigator.mediaDevices and devicechange
  if (/[cC]andidate|Ice|setConfiguration/.test(method)) return 'ice';
  if (/Offer|Answer|Description|negotiationneeded|create$|constraints|close/.test(method)) return 'signaling';
  if (/track|Track|Stream|[tT]ransceiver|getUserMedia|getDisplayMedia|enumerateDevices|devicechange|RTCRtp|MediaStreamTrack/.test(method)) return 'media';
  return pc === null ? 'page' : 'other';
}

export function isFailure(method: string, value: unknown): boolean {
  if (/OnFailure$|Failed$|^onicecandidateerror$|\.onerror$/.test(method)) return true;
  return /statechange$/.test(method) && typeof value === 'string' && FAILED_STATES.has(value);
}

/** {type, sdp} from a description as recorded, or as some dumps write it ("type: offer, sdp: v=0…"). */
export function readDescription(value: unknown): { type: string; sdp: string } | null {
  if (value && typeof value === 'object') {
    const v = value as { type?: unknown; sdp?: unknown };
    if (typeof v.sdp === 'string' && v.sdp.length > 0) return { type: typeof v.type === 'string' ? v.type : '', sdp: v.sdp };
    return null;
  }
  if (typeof value === 'string') {
    const m = /^type: (\w*), sdp: ([\s\S]*)$/.exec(value);
    if (m && m[2]) return { type: m[1]!, sdp: m[2] };
  }
  return null;
}

function shortJson(value: unknown, max = 160): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A candidate line in a few words: `host udp 192.168.1.2:50000`. */
function candidateSummary(value: unknown): string {
  const line = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { candidate?: unknown }).candidate : null;
  if (typeof line !== 'string') return shortJson(value);
  if (line === '') return 'end of candidates';
  const parts = line.replace(/^a=/, '').split(' ');
  const typ = parts.indexOf('typ');
  const proto = parts[2] ?? '';
  return `${typ > 0 ? parts[typ + 1] : '?'} ${proto.toLowerCase()} ${parts[4] ?? ''}:${parts[5] ?? ''}`;
}

function summaryOf(method: string, value: unknown, sdp: SdpInfo | undefined): string {
  if (sdp) {
    const media = sdp.sections.filter((s) => s.kind !== 'session');
    return `${sdp.type} · ${media.map((s) => `${s.kind}${s.direction ? ` ${s.direction}` : ''}`).join(', ')}${sdp.munged ? ' · munged' : ''}`;
  }
  if (method === 'onicecandidate' || method === 'addIceCandidate') return candidateSummary(value);
  return shortJson(value);
}

/** Builds rows as events arrive (constant work per event). */
/** Per connection: its local descriptions (for the munged flag), and the last local and remote SDP (for the diff). */
interface PcDescriptions {
  created: LocalDescriptions;
  local: string | null;
  remote: string | null;
}

export class EventLog {
  readonly rows: LogRow[] = [];
  private readonly perPc = new Map<string, PcDescriptions>();

  add(e: StoredEvent): LogRow | null {
    if (e.method === 'getStats') return null;
    let sdp: SdpInfo | undefined;
    const description = /Description|OfferOnSuccess|AnswerOnSuccess/.test(e.method) ? readDescription(e.value) : null;
    let state = e.pc !== null ? this.perPc.get(e.pc) : undefined;
    if (!state && e.pc !== null && (description || e.method === 'setLocalDescription')) {
      this.perPc.set(e.pc, (state = { created: new LocalDescriptions(), local: null, remote: null }));
    }
    // setLocalDescription() without a description: the browser makes one, which its success reports
    if (state && e.method === 'setLocalDescription' && !description) state.created.setImplicitly();
    if (description && state) {
      const info: SdpInfo = { type: description.type, text: description.sdp, sections: parseSdp(description.sdp), munged: false, previous: null };
      if (e.method === 'createOfferOnSuccess' || e.method === 'createAnswerOnSuccess') {
        state.created.add(description.type, description.sdp);
      } else if (e.method === 'setLocalDescription') {
        info.munged = state.created.setLocal(description.type, description.sdp);
        info.previous = state.local;
        state.local = description.sdp;
      } else if (e.method === 'setLocalDescriptionOnSuccess' && state.created.succeeded()) {
        info.previous = state.local;
        state.local = description.sdp;
      } else if (e.method === 'setRemoteDescription') {
        info.previous = state.remote;
        state.remote = description.sdp;
      }
      sdp = info;
    }
    const row: LogRow = {
      index: this.rows.length,
      t: e.t,
      pc: e.pc,
      method: e.method,
      category: categoryOf(e.method, e.pc),
      failure: isFailure(e.method, e.value),
      summary: summaryOf(e.method, e.value, sdp),
      value: e.value,
    };
    if (sdp) row.sdp = sdp;
    this.rows.push(row);
    return row;
  }
}

export interface LogFilter {
  pc?: string | null;
  categories?: ReadonlySet<LogCategory>;
  failuresOnly?: boolean;
  /** case-insensitive, in the method and the value */
  search?: string;
}

export function filterRows(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
  const needle = filter.search?.trim().toLowerCase() ?? '';
  return rows.filter((r) => {
    if (filter.pc !== undefined && r.pc !== filter.pc && r.pc !== null) return false;
    if (filter.categories && !filter.categories.has(r.category)) return false;
    if (filter.failuresOnly && !r.failure) return false;
    if (needle && !r.method.toLowerCase().includes(needle) && !(r.sdp?.text ?? shortJson(r.value, 1e6)).toLowerCase().includes(needle)) return false;
    return true;
  });
}
