// A small summary of a live session, kept by the background as batches are
// stored, for the popup and the action badge: how many connections, which are
// still live, their state, and the current send / receive bitrate (from the
// last two getStats samples of each connection, through deriveMetrics).
// Pure code: fed with stored events in order, each at most once.

import { deriveMetrics } from './metrics';
import { SessionAnalyzer, type AnalysisResult, type Verdict } from './analysis';
import type { SessionRecord } from './session';
import { applyStatsDelta, type StatsDelta, type StatsSample } from './stats-delta';
import type { StoredEvent } from './trace';

/** RTCPeerConnectionState, plus what iceConnectionState says when a browser has no connectionState. */
export type ConnectionStateName = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** Worse first: what the popup shows as a session's worst state. */
const BADNESS: Record<ConnectionStateName, number> = { failed: 5, disconnected: 4, connecting: 3, new: 2, connected: 1, closed: 0 };

export interface LiveConnectionSummary {
  id: string;
  state: ConnectionStateName;
  /** created, and neither closed nor failed */
  live: boolean;
  /** bit/s over the last two samples; null until there are two */
  sendBps: number | null;
  recvBps: number | null;
}

export interface LiveSessionSummary {
  sessionId: string;
  tabId: number;
  title: string;
  url: string;
  startTime: number;
  /** every connection the session created */
  connections: number;
  /** connections created and not closed or failed */
  liveConnections: number;
  /** sums over the live connections; null when none has two samples yet */
  sendBps: number | null;
  recvBps: number | null;
  /** the worst state among the session's connections (closed ones count as closed); null without connections */
  worstState: ConnectionStateName | null;
  /** the most severe observation that holds now: the badge's colour */
  level: 'none' | 'warning' | 'critical';
  /** the analysis' verdict so far */
  verdict: Verdict | null;
  perConnection: LiveConnectionSummary[];
}

const CONNECTION_STATES = new Set<string>(['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed']);

/** iceConnectionState in the words of connectionState. */
function fromIceState(state: string): ConnectionStateName | null {
  if (state === 'checking') return 'connecting';
  if (state === 'completed') return 'connected';
  return CONNECTION_STATES.has(state) ? (state as ConnectionStateName) : null;
}

const sumOf = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0));

/**
 * A connection's send and receive bitrate between two complete samples: its
 * transports' bytes (everything the connection carries: media, RTCP, data
 * channels); without transport reports (Firefox), the selected candidate
 * pairs'; without those, the RTP streams'.
 */
export function connectionBitrate(prev: StatsSample | undefined, cur: StatsSample): { sendBps: number | null; recvBps: number | null } {
  const metrics = deriveMetrics(prev, cur);
  const reportsOf = (pick: (type: string, report: Record<string, unknown>) => boolean) =>
    Object.keys(metrics).filter((id) => {
      const r = cur[id];
      return r !== undefined && typeof r.type === 'string' && pick(r.type, r);
    });
  const sum = (ids: string[], name: string) => sumOf(ids.map((id) => metrics[id]![name]).filter((v): v is number => typeof v === 'number'));
  const levels = [
    reportsOf((type) => type === 'transport'),
    reportsOf((type, r) => type === 'candidate-pair' && (r.selected === true || r.nominated === true)),
  ];
  for (const ids of levels) {
    const sendBps = sum(ids, '[bytesSent_in_bits/s]');
    const recvBps = sum(ids, '[bytesReceived_in_bits/s]');
    if (sendBps !== null || recvBps !== null) return { sendBps, recvBps };
  }
  return {
    sendBps: sum(reportsOf((type) => type === 'outbound-rtp'), '[bytesSent_in_bits/s]'),
    recvBps: sum(reportsOf((type) => type === 'inbound-rtp'), '[bytesReceived_in_bits/s]'),
  };
}

interface ConnectionTrack {
  id: string;
  /** from connectionstatechange; null until the first one */
  state: ConnectionStateName | null;
  /** from iceconnectionstatechange, for browsers that never report connectionState */
  iceState: ConnectionStateName | null;
  closed: boolean;
  /** the last two complete samples */
  prev?: StatsSample;
  last?: StatsSample;
  /** the bitrate between them, computed when first asked for (a rebuild goes through thousands of samples) */
  rate?: { sendBps: number | null; recvBps: number | null };
}

export class LiveSessionTracker {
  private session: Pick<SessionRecord, 'id' | 'tabId' | 'title' | 'url' | 'startTime'>;
  private readonly connections = new Map<string, ConnectionTrack>();
  /** per frame, the highest sequence number applied: an event is never applied twice */
  private readonly applied = new Map<number, number>();
  /** the live analysis (observations, scores), fed the same events */
  private readonly analyzer: SessionAnalyzer;
  private analysis: AnalysisResult | null = null;
  /** events arrived since the analysis was last read */
  private stale = true;

  constructor(session: Pick<SessionRecord, 'id' | 'tabId' | 'title' | 'url' | 'startTime'> & Partial<Pick<SessionRecord, 'connections'>>) {
    this.session = session;
    this.analyzer = new SessionAnalyzer({ ...session, connections: session.connections ?? [] } as SessionRecord);
  }

  /** The analysis of everything applied so far (recomputed only after new events). */
  result(): AnalysisResult {
    if (this.stale || !this.analysis) {
      this.analysis = this.analyzer.result();
      this.stale = false;
    }
    return this.analysis;
  }

  get tabId(): number {
    return this.session.tabId;
  }

  /** Applies stored events (in order); events already applied (same frame, same or lower seq) are skipped. */
  update(session: Pick<SessionRecord, 'id' | 'tabId' | 'title' | 'url' | 'startTime'> | null, events: readonly StoredEvent[]): void {
    if (session) this.session = session;
    for (const e of events) {
      if (e.seq <= (this.applied.get(e.frame) ?? 0)) continue;
      this.applied.set(e.frame, e.seq);
      this.stale = true;
      if (e.pc !== null) this.apply(e);
      else this.analyzer.push(e);
    }
  }

  private connection(id: string): ConnectionTrack {
    let c = this.connections.get(id);
    if (!c) {
      c = { id, state: null, iceState: null, closed: false };
      this.connections.set(id, c);
    }
    return c;
  }

  private apply(e: StoredEvent): void {
    const c = this.connection(e.pc!);
    if (e.method !== 'getStats') this.analyzer.push(e);
    switch (e.method) {
      case 'onconnectionstatechange':
        if (typeof e.value === 'string' && CONNECTION_STATES.has(e.value)) c.state = e.value as ConnectionStateName;
        break;
      case 'oniceconnectionstatechange':
        if (typeof e.value === 'string') c.iceState = fromIceState(e.value) ?? c.iceState;
        break;
      case 'close':
        c.closed = true;
        break;
      case 'getStats': {
        // A delta needs the sample before it; without one (a summary rebuilt mid-way) wait for the next complete sample.
        if (!e.full && !c.last) break;
        const sample = e.full ? (e.value as StatsSample) : applyStatsDelta(c.last, e.value as StatsDelta);
        this.analyzer.push(e, sample);
        c.prev = c.last;
        c.last = sample;
        c.rate = undefined;
        break;
      }
    }
  }

  summary(): LiveSessionSummary {
    const perConnection: LiveConnectionSummary[] = [...this.connections.values()].map((c) => {
      const state: ConnectionStateName = c.closed ? 'closed' : (c.state ?? c.iceState ?? 'new');
      const live = state !== 'closed' && state !== 'failed';
      if (!live || !c.last) return { id: c.id, state, live, sendBps: null, recvBps: null };
      c.rate ??= connectionBitrate(c.prev, c.last);
      return { id: c.id, state, live, ...c.rate };
    });
    const live = perConnection.filter((c) => c.live);
    const worst = perConnection.reduce<ConnectionStateName | null>((w, c) => (w === null || BADNESS[c.state] > BADNESS[w] ? c.state : w), null);
    const analysis = this.result();
    const active = analysis.observations.filter((o) => o.active);
    const level = active.some((o) => o.severity === 'critical') ? 'critical' : active.some((o) => o.severity === 'warning') ? 'warning' : 'none';
    return {
      level,
      verdict: analysis.samples > 0 || analysis.observations.length > 0 ? analysis.verdict : null,
      sessionId: this.session.id,
      tabId: this.session.tabId,
      title: this.session.title,
      url: this.session.url,
      startTime: this.session.startTime,
      connections: perConnection.length,
      liveConnections: live.length,
      sendBps: sumOf(live.map((c) => c.sendBps).filter((v): v is number => v !== null)),
      recvBps: sumOf(live.map((c) => c.recvBps).filter((v): v is number => v !== null)),
      worstState: worst,
      perConnection,
    };
  }
}

/**
 * How a connection or ICE connection state is shown (CSS classes state-good,
 * state-warn, state-bad, state-muted): a closed connection is over, not failed.
 */
export function stateTone(state: string | null): 'good' | 'warn' | 'bad' | 'muted' {
  if (state === 'connected' || state === 'completed') return 'good';
  if (state === 'failed') return 'bad';
  if (state === 'disconnected' || state === 'connecting' || state === 'checking' || state === 'new') return 'warn';
  return 'muted';
}
