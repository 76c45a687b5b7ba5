// A connection's life from its events ("fabric" events in callstats' words):
// setup, gathering, signalling, disruptions, failures, ICE restarts,
// renegotiations, munged SDP. One event at a time, constant work each.

import type { ObservationLog } from './detector';
import { LocalDescriptions } from '../munging';
import type { ConnectionLifecycle, Disruption, SelectedPair } from './types';

/** `connecting` longer than this before `connected` is a slow connection (ObserveRTC). */
export const SLOW_CONNECT_MS = 5000;
/** a disruption at least this long is an observation (ObserveRTC: `disconnected` for ≥ 5 s) */
export const DISRUPTION_OBSERVATION_MS = 5000;
/**
 * Nothing received on the whole connection (transport / selected pair and all
 * inbound RTP) for at least this long is a disruption even when the state
 * never leaves `connected` (Chromium often ignores a blackout of a few
 * seconds). Two poll intervals at the default 1 s: one flat sample can be a
 * stats hiccup, and a 1 s blip is not what a user calls a disruption; with
 * audio at 50 packets/s and RTCP, 2 s of nothing on a call is never normal.
 */
export const MEDIA_GAP_MS = 2000;
/** a `disconnected` this soon after a media gap ended is that gap, seen late by ICE */
export const LATE_STATE_MS = 10_000;
/** the first srflx / relay candidate later than this after gathering started (rtcstats.com) */
export const SLOW_STUN_TURN_MS = 500;

type State = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** The ICE connection state read as a connection state (for browsers and traces without connectionState). */
function fromIceState(s: string): State | null {
  switch (s) {
    case 'new': return 'new';
    case 'checking': return 'connecting';
    case 'connected':
    case 'completed': return 'connected';
    case 'disconnected': return 'disconnected';
    case 'failed': return 'failed';
    case 'closed': return 'closed';
    default: return null;
  }
}

function fromConnectionState(s: string): State | null {
  return ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'].includes(s) ? (s as State) : null;
}

/** `{type, sdp}` from a description value (object, or a JSON string of one, or nothing). */
function description(value: unknown): { type: string | null; sdp: string | null } {
  let v = value;
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      v = JSON.parse(v);
    } catch {
      return { type: null, sdp: null };
    }
  }
  if (!v || typeof v !== 'object') return { type: null, sdp: null };
  const o = v as Record<string, unknown>;
  return { type: typeof o.type === 'string' ? o.type : null, sdp: typeof o.sdp === 'string' && o.sdp.length > 0 ? o.sdp : null };
}

const ufragOf = (sdp: string): string | null => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1] ?? null;

/** The candidate type of an onicecandidate value (`{candidate: "... typ srflx ..."}` or the line itself). */
function candidateType(value: unknown): string | null {
  const line = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { candidate?: unknown }).candidate : null;
  return typeof line === 'string' ? (/ typ (\w+)/.exec(line)?.[1] ?? null) : null;
}

/** One state machine fed either connection-state or ICE-state events. */
class StateTrack {
  seen = false;
  state: State = 'new';
  connectingSince: number | null = null;
  firstConnectedAt: number | null = null;
  everConnected = false;
  failedAt: number | null = null;
  disruptions: Disruption[] = [];
  /** a media-gap disruption, already ended, that a late `disconnected` was joined to */
  private late: Disruption | null = null;

  /** `join`: the media-gap disruption a `disconnected` belongs to (instead of a new one) */
  apply(t: number, next: State, join: Disruption | null = null): { from: State; to: State } {
    this.seen = true;
    const from = this.state;
    this.state = next;
    if (next === 'connecting' && this.connectingSince === null && !this.everConnected) this.connectingSince = t;
    if (next === 'connected') {
      if (!this.everConnected) this.firstConnectedAt = t;
      this.everConnected = true;
      this.late = null;
      const open = this.disruptions[this.disruptions.length - 1];
      if (open && open.end === null && !open.recovered && this.failedAt === null && from !== 'connected') {
        open.end = t;
        open.durationMs = t - open.start;
        open.recovered = true;
      }
    }
    if (next === 'disconnected' && this.everConnected && from !== 'disconnected') {
      const open = this.openDisruption();
      if (open) open.stateChangedAt ??= t; // a media gap seen first
      else if (join) {
        join.stateChangedAt ??= t;
        if (join.end !== null) this.late = join;
      } else this.disruptions.push({ start: t, end: null, durationMs: 0, stateChangedAt: t, recovered: false });
    }
    if (next === 'failed') {
      this.failedAt = t;
      if (this.late) {
        // the connection did not come back after all: the gap ends in the failure
        this.late.end = null;
        this.late.recovered = false;
        this.late = null;
      }
      const open = this.disruptions[this.disruptions.length - 1];
      if (open && open.end === null) open.durationMs = t - open.start;
    }
    if (next === 'connecting' || next === 'connected') this.failedAt = null;
    return { from, to: next };
  }

  openDisruption(): Disruption | null {
    const d = this.disruptions[this.disruptions.length - 1];
    return d && d.end === null && !d.recovered && this.failedAt === null ? d : null;
  }
}

export class LifecycleTracker {
  private readonly conn = new StateTrack();
  private readonly ice = new StateTrack();
  private gatheringStart: number | null = null;
  private gatheringDelay: number | null = null;
  private iceCheckingAt: number | null = null;
  private iceConnectivityDelay: number | null = null;
  private firstOfferAt: number | null = null;
  private offerRole: 'offerer' | 'answerer' | null = null;
  private signalingDelay: number | null = null;
  private offers = 0;
  private readonly created = new LocalDescriptions();
  private munged = 0;
  private localUfrag: string | null = null;
  private restarts: { at: number; completed: boolean }[] = [];
  private pendingRestart = false;
  /** an answer was applied after the pending restart started */
  private restartAnswered = false;
  private closedAt: number | null = null;
  private firstReflexive: number | null = null;
  pair: SelectedPair | null = null;
  pairSwitches = 0;
  private outcome: 'setup-failed' | 'dropped' | 'aborted' | null = null;
  private droppedAt: number | null = null;
  /** the iceServers / iceTransportPolicy of the configuration */
  private relayOnly = false;
  // media gaps: the receive counters of the previous sample, the last sample where
  // media arrived (null after a trickle without media: a quiet remote), the silence in progress
  private rx: { t: number; key: string | null; link: number | undefined; rtp: number | undefined } | null = null;
  private mediaAt: number | null = null;
  /** start: its estimate; from: since when nothing arrived for sure (a lower bound of its length); joined: the state's disruption it became */
  private silence: { start: number; from: number; joined: Disruption | null } | null = null;
  /** the last disruption found from a media gap, for a `disconnected` that comes after it ended */
  private lastGap: Disruption | null = null;

  constructor(
    readonly pcId: string,
    readonly createdAt: number,
    private readonly log: ObservationLog,
  ) {}

  /** the state machine that speaks for the connection: connectionState when the trace has it */
  private get main(): StateTrack {
    return this.conn.seen ? this.conn : this.ice;
  }

  get state(): State {
    return this.main.state;
  }

  get connected(): boolean {
    return this.main.state === 'connected';
  }

  get everConnected(): boolean {
    return this.main.everConnected;
  }

  /** The disruption in progress, for the media analysis to refine its start. */
  openDisruption(): Disruption | null {
    return this.main.openDisruption();
  }

  configure(t: number, configuration: unknown): void {
    if (!configuration || typeof configuration !== 'object') return;
    const c = configuration as Record<string, unknown>;
    if (c.iceTransportPolicy === 'relay' && !this.relayOnly) {
      this.relayOnly = true;
      this.log.record(t, { type: 'relay-only-policy', severity: 'info', category: 'configuration', pcId: this.pcId, evidence: { iceTransportPolicy: 'relay' } });
    }
  }

  event(t: number, method: string, value: unknown): void {
    switch (method) {
      case 'create':
      case 'setConfiguration':
        this.configure(t, value);
        break;
      case 'onconnectionstatechange': {
        const s = typeof value === 'string' ? fromConnectionState(value) : null;
        if (s) this.transition(this.conn, t, s);
        break;
      }
      case 'oniceconnectionstatechange': {
        const s = typeof value === 'string' ? fromIceState(value) : null;
        if (!s) break;
        if (value === 'checking' && this.iceCheckingAt === null) this.iceCheckingAt = t;
        if (s === 'connected') {
          if (this.iceConnectivityDelay === null && this.iceCheckingAt !== null) this.iceConnectivityDelay = t - this.iceCheckingAt;
          this.completeRestarts();
        }
        this.transition(this.ice, t, s);
        break;
      }
      case 'onicegatheringstatechange':
        if (value === 'gathering') {
          if (this.gatheringStart === null || this.gatheringDelay !== null) this.gatheringStart = t;
        } else if (value === 'complete' && this.gatheringStart !== null && this.gatheringDelay === null) {
          this.gatheringDelay = t - this.gatheringStart;
        }
        break;
      case 'onicecandidate': {
        const type = candidateType(value);
        if ((type === 'srflx' || type === 'relay') && this.firstReflexive === null && this.gatheringStart !== null) {
          this.firstReflexive = t;
          const after = t - this.gatheringStart;
          if (after > SLOW_STUN_TURN_MS) {
            this.log.record(t, {
              type: 'slow-stun-turn', severity: after > 2000 ? 'warning' : 'info', category: 'network', pcId: this.pcId,
              evidence: { candidateType: type, afterMs: after },
            }, this.gatheringStart);
          }
        }
        break;
      }
      case 'onicecandidateerror': {
        const v = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
        const code = typeof v.errorCode === 'number' ? v.errorCode : Number(v.error_code ?? NaN);
        this.log.record(t, {
          type: 'ice-candidate-error', severity: 'info', category: 'network', pcId: this.pcId,
          evidence: { url: String(v.url ?? ''), errorCode: Number.isFinite(code) ? code : 'unknown', errorText: String(v.errorText ?? v.error_text ?? '') },
        });
        break;
      }
      case 'createOfferOnSuccess':
      case 'createAnswerOnSuccess': {
        const d = description(value);
        if (d.sdp !== null) this.created.add(method === 'createOfferOnSuccess' ? 'offer' : 'answer', d.sdp);
        break;
      }
      case 'createOffer':
        if (value && typeof value === 'object' && (value as { iceRestart?: unknown }).iceRestart === true) this.restart(t);
        break;
      case 'restartIce':
        this.restart(t);
        break;
      case 'setLocalDescription':
        // setLocalDescription() without a description (perfect negotiation): the browser's own, which its success reports
        if (description(value).sdp === null) this.created.setImplicitly();
        else this.localDescription(t, value);
        break;
      case 'setLocalDescriptionOnSuccess':
        if (this.created.succeeded()) this.localDescription(t, value);
        break;
      case 'setRemoteDescription': {
        const d = description(value);
        if (d.type === 'offer') {
          this.offers++;
          if (this.firstOfferAt === null) {
            this.firstOfferAt = t;
            this.offerRole = 'answerer';
          }
        } else if (d.type === 'answer') {
          if (this.offerRole === 'offerer' && this.signalingDelay === null && this.firstOfferAt !== null) this.signalingDelay = t - this.firstOfferAt;
          if (this.pendingRestart) this.restartAnswered = true;
        }
        break;
      }
      case 'setLocalDescriptionOnFailure':
      case 'setRemoteDescriptionOnFailure':
      case 'createOfferOnFailure':
      case 'createAnswerOnFailure':
      case 'addIceCandidateOnFailure':
        this.log.record(t, {
          type: 'negotiation-failed', severity: method === 'addIceCandidateOnFailure' ? 'info' : 'warning', category: 'connectivity', pcId: this.pcId,
          evidence: { method: method.replace(/OnFailure$/, ''), error: typeof value === 'string' ? value.slice(0, 200) : JSON.stringify(value ?? '').slice(0, 200) },
        });
        break;
      case 'close': {
        // media that had stopped before the hang-up: a disruption that never recovered (often why the user hung up)
        const gap = this.closedAt === null ? this.ongoingGap() : null;
        if (gap) this.main.disruptions.push((this.silence!.joined = gap));
        this.closedAt ??= t;
        if (!this.main.everConnected && this.main.failedAt === null && this.outcome === null) this.outcome = 'aborted';
        this.main.state = 'closed';
        this.settleLive(t);
        break;
      }
    }
  }

  private localDescription(t: number, value: unknown): void {
    const d = description(value);
    if (d.type === 'offer') {
      this.offers++;
      if (this.firstOfferAt === null) {
        this.firstOfferAt = t;
        this.offerRole = 'offerer';
      }
    } else if (d.type === 'answer') {
      if (this.offerRole === 'answerer' && this.signalingDelay === null && this.firstOfferAt !== null) this.signalingDelay = t - this.firstOfferAt;
      if (this.pendingRestart) this.restartAnswered = true;
    }
    if (d.sdp !== null && d.type !== null) {
      if (this.created.setLocal(d.type, d.sdp)) {
        this.munged++;
        this.log.record(t, { type: 'munged-sdp', severity: 'info', category: 'configuration', pcId: this.pcId, evidence: { descriptionType: d.type, count: this.munged } });
      }
      const ufrag = ufragOf(d.sdp);
      if (ufrag !== null) {
        if (this.localUfrag !== null && ufrag !== this.localUfrag && !this.pendingRestart) this.restart(t);
        this.localUfrag = ufrag;
      }
    }
    if (d.type === 'answer' && this.pendingRestart) this.restartAnswered = true;
  }

  private restart(t: number): void {
    if (this.pendingRestart) return;
    this.pendingRestart = true;
    this.restartAnswered = false;
    this.restarts.push({ at: t, completed: false });
  }

  private completeRestarts(): void {
    if (!this.pendingRestart) return;
    this.pendingRestart = false;
    this.restarts[this.restarts.length - 1]!.completed = true;
  }

  private transition(track: StateTrack, t: number, s: State): void {
    const main = this.main === track;
    if (main) this.tick(t); // time-based conditions up to this moment, in the old state
    const firstState = !track.seen;
    const silence = main && track.everConnected ? this.silence : null;
    if (silence && !silence.joined && s === 'failed' && track.state === 'connected' && (this.rx?.t ?? t) - silence.from >= MEDIA_GAP_MS) {
      // media stopped, then the connection failed without passing through `disconnected`
      track.disruptions.push((silence.joined = { start: silence.start, end: null, durationMs: 0, stateChangedAt: t, recovered: false }));
    }
    const late = main && !this.silence && this.lastGap?.end != null && t - this.lastGap.end <= LATE_STATE_MS ? this.lastGap : null;
    const { from } = track.apply(t, s, s === 'disconnected' ? late : null);
    if (silence && !silence.joined && s === 'disconnected') {
      // the state saw the silence too: one disruption, from when media stopped
      const d = track.openDisruption();
      if (d) {
        d.start = Math.min(d.start, silence.start);
        silence.joined = d;
      }
    }
    if (s === 'connected') this.completeRestarts();
    if (this.main !== track) return;
    // observations from the state machine that speaks for the connection
    if (s === 'connected' && from !== 'connected') {
      this.log.settle('slow-connect', this.pcId);
      const d = track.disruptions[track.disruptions.length - 1];
      if (d && d.recovered && d.end === t) this.settleDisruption(d);
    }
    if (s === 'failed' && from !== 'failed') {
      // a connection that never connected: the setup failure below says it all (with how long it took)
      if (!firstState && !track.everConnected) this.log.withdraw('slow-connect', this.pcId);
      this.log.settle('slow-connect', this.pcId);
      if (firstState) {
        // the trace starts with the failure (a connection adopted mid-call, a cut dump): whether it ever connected is unknown
        this.log.record(t, { type: 'connection-failed', severity: 'critical', category: 'connectivity', pcId: this.pcId, evidence: { history: 'unknown' } });
      } else if (!track.everConnected) {
        this.outcome = 'setup-failed';
        const afterMs = t - this.createdAt;
        this.log.record(t, { type: 'setup-failed', severity: 'critical', category: 'connectivity', pcId: this.pcId, evidence: { afterMs } }, this.createdAt);
      } else {
        this.outcome = 'dropped';
        this.droppedAt = t;
        const d = track.disruptions[track.disruptions.length - 1];
        const open = d && !d.recovered && d.end === null ? d : null;
        this.log.settle('ice-disconnected', this.pcId);
        this.log.record(t, {
          type: 'connection-dropped', severity: 'critical', category: 'connectivity', pcId: this.pcId,
          evidence: { connectedForMs: t - (track.firstConnectedAt ?? t), disruptions: track.disruptions.length },
        }, open ? open.start : t);
      }
    }
  }

  /**
   * The receive counters of a sample, for media gaps: `link` the bytes received on
   * the transport(s) or the selected pair (`key` names the source: a new one is a
   * new baseline), `rtp` the sum of the inbound RTP streams' packetsReceived,
   * `lastPacketAt` the pair's (else the newest inbound stream's) lastPacketReceivedTimestamp.
   * Media arrives when `rtp` advances; `link` alone advancing is a trickle (consent
   * checks, RTCP) from a remote that sends no media: not a disruption, and the
   * silence after it is not one either. Without inbound RTP there is no judgement
   * (an idle or send-only connection receives little: the state speaks for it).
   */
  traffic(t: number, key: string | null, link: number | undefined, rtp: number | undefined, lastPacketAt: number | undefined): void {
    const prev = this.rx;
    this.rx = { t, key, link, rtp };
    const comparable = prev !== null && rtp !== undefined && prev.rtp !== undefined && prev.key === key && (prev.link === undefined) === (link === undefined);
    const dLink = comparable && link !== undefined ? link - prev.link! : 0;
    const dRtp = comparable ? rtp - prev.rtp! : 0;
    if (!comparable || dLink < 0 || dRtp < 0) {
      // a new baseline (first sample, pair switch, a stream gone, counter reset): no judgement until media arrives
      this.silence = null;
      this.mediaAt = null;
      return;
    }
    if (dRtp > 0) {
      const s = this.silence;
      const m = this.main;
      if (s && !s.joined && m.everConnected && m.state === 'connected' && this.closedAt === null && prev.t - s.from >= MEDIA_GAP_MS) {
        // media is back: it came between the last silent sample and this one
        const end = (prev.t + t) / 2;
        const d: Disruption = { start: s.start, end, durationMs: end - s.start, stateChangedAt: null, recovered: true };
        m.disruptions.push(d);
        this.lastGap = d;
        this.settleDisruption(d);
      }
      this.silence = null;
      this.mediaAt = t;
      return;
    }
    if (dLink > 0) {
      // a trickle without media: a remote that stopped sending, not a broken connection
      this.silence = null;
      this.mediaAt = null;
      return;
    }
    if (!this.silence) {
      if (this.mediaAt === null) return;
      // the first silent sample: the last packet came at lastPacketAt (when the stats say so and it fits) or between the two samples
      const since = this.mediaAt;
      const last = lastPacketAt !== undefined && lastPacketAt <= t && lastPacketAt >= since - 5000 ? lastPacketAt : null;
      this.silence = last !== null ? { start: last, from: last, joined: null } : { start: (since + t) / 2, from: since, joined: null };
    }
    const gap = this.ongoingGap();
    if (gap && gap.durationMs >= DISRUPTION_OBSERVATION_MS) {
      // said while it lasts, not only once media is back (the live badge); the recovery settles the same episode
      this.log.raise(t, gap.start, {
        type: 'ice-disconnected', severity: 'warning', category: 'connectivity', pcId: this.pcId, evidence: { durationMs: gap.durationMs, recovered: false },
      });
    }
  }

  private settleDisruption(d: Disruption): void {
    if (d.durationMs >= DISRUPTION_OBSERVATION_MS) {
      this.log.raise(d.end!, d.start, {
        type: 'ice-disconnected', severity: 'warning', category: 'connectivity', pcId: this.pcId, evidence: { durationMs: d.durationMs, recovered: true },
      });
    }
    this.log.settle('ice-disconnected', this.pcId);
  }

  /** Time-based conditions (slow connect, a long disconnection): at every event and sample of the connection. */
  tick(t: number): void {
    const m = this.main;
    if (m.state === 'connecting' && !m.everConnected && m.connectingSince !== null) {
      const since = m.connectingSince;
      if (t - since > SLOW_CONNECT_MS) {
        this.log.raise(t, since, { type: 'slow-connect', severity: 'warning', category: 'connectivity', pcId: this.pcId, evidence: { connectingForMs: t - since } });
      }
    }
    if (this.pendingRestart && this.restartAnswered && m.state === 'connected') this.completeRestarts();
    const d = m.openDisruption();
    if (d) {
      d.durationMs = t - d.start;
      if (d.durationMs >= DISRUPTION_OBSERVATION_MS) {
        this.log.raise(t, d.start, {
          type: 'ice-disconnected', severity: 'warning', category: 'connectivity', pcId: this.pcId, evidence: { durationMs: d.durationMs, recovered: false },
        });
      }
    }
  }

  /**
   * Media stopped on a connection whose state still says connected, for at
   * least MEDIA_GAP_MS up to the last silent sample: a disruption that is on.
   */
  private ongoingGap(): Disruption | null {
    const s = this.silence;
    const m = this.main;
    const last = this.rx?.t;
    if (!s || s.joined || last === undefined || !m.everConnected || m.state !== 'connected' || this.closedAt !== null) return null;
    if (last - s.from < MEDIA_GAP_MS) return null;
    return { start: s.start, end: null, durationMs: last - s.start, stateChangedAt: null, recovered: false };
  }

  private settleLive(t: number): void {
    this.tick(t);
    for (const type of ['slow-connect', 'ice-disconnected']) this.log.settle(type, this.pcId);
  }

  /** The selected candidate pair seen in a sample. */
  selectPair(t: number, pairId: string, pair: SelectedPair, previousId: string | null): void {
    if (previousId !== null && previousId !== pairId) this.pairSwitches++;
    const changed = !this.pair || this.pair.relayed !== pair.relayed || this.pair.relayProtocol !== pair.relayProtocol || this.pair.protocol !== pair.protocol;
    this.pair = pair;
    if (!changed) return;
    if (pair.relayed) {
      this.log.record(t, {
        type: 'turn-used', severity: 'info', category: 'network', pcId: this.pcId,
        evidence: { relayProtocol: pair.relayProtocol ?? 'unknown', remoteType: pair.remoteType ?? 'unknown' },
      });
      if (pair.relayProtocol === 'tcp' || pair.relayProtocol === 'tls') {
        this.log.record(t, { type: 'turn-over-tcp-tls', severity: 'warning', category: 'network', pcId: this.pcId, evidence: { relayProtocol: pair.relayProtocol } });
      }
    } else if (pair.protocol === 'tcp') {
      this.log.record(t, { type: 'ice-over-tcp', severity: 'info', category: 'network', pcId: this.pcId, evidence: { protocol: 'tcp' } });
    }
  }

  lifecycle(): ConnectionLifecycle {
    const m = this.main;
    return {
      pcId: this.pcId,
      createdAt: this.createdAt,
      state: this.closedAt !== null ? 'closed' : m.state,
      setupDelayMs: m.firstConnectedAt === null ? null : m.firstConnectedAt - this.createdAt,
      gatheringDelayMs: this.gatheringDelay,
      connectivityDelayMs: this.iceConnectivityDelay,
      signalingDelayMs: this.signalingDelay,
      setupFailed: this.outcome === 'setup-failed' && m.failedAt !== null ? { afterMs: m.failedAt - this.createdAt } : null,
      aborted: this.outcome === 'aborted',
      disruptions: [...m.disruptions.map((d) => ({ ...d })), ...[this.ongoingGap()].filter((d) => d !== null)],
      dropped: this.outcome === 'dropped' && this.droppedAt !== null ? { at: this.droppedAt } : null,
      iceRestarts: this.restarts.map((r) => ({ ...r })),
      candidatePairSwitches: this.pairSwitches,
      selectedPair: this.pair ? { ...this.pair } : null,
      renegotiations: Math.max(0, this.offers - 1),
      mungedSdp: this.munged,
      closedAt: this.closedAt,
    };
  }
}

