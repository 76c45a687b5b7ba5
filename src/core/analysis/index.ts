// The analysis of a session: connection lifecycles, observations, scores and
// a verdict, built incrementally (constant work per event or sample) so the
// same code runs live in the background and on imported dumps.

import type { SessionDump } from '../dump';
import { completeStatsSamples, type SessionRecord } from '../session';
import { applyStatsDelta, type StatsDelta, type StatsSample } from '../stats-delta';
import type { StoredEvent } from '../trace';
import { ObservationLog, severityRank } from './detector';
import { LifecycleTracker } from './lifecycle';
import { ConnectionMedia, TrackStates } from './media';
import { Average, mosBand, round, scoreBand } from './scores';
import { describe } from './text';
import type { AnalysisResult, Band, ConnectionAnalysis, Observation, Score, Scores, Verdict } from './types';

export type * from './types';
export { mos, rFactor, rToMos, delayImpairment, oneWayDelayMs, penaltyScore, penalties, scoreBand, mosBand, codecModel } from './scores';
export { T as THRESHOLDS } from './media';
export { SLOW_CONNECT_MS, DISRUPTION_OBSERVATION_MS, SLOW_STUN_TURN_MS } from './lifecycle';

interface Connection {
  life: LifecycleTracker;
  media: ConnectionMedia;
}

const MEDIA_FAILURES: Record<string, 'getusermedia-failed' | 'getdisplaymedia-failed'> = {
  'navigator.mediaDevices.getUserMediaOnFailure': 'getusermedia-failed',
  'navigator.getUserMediaOnFailure': 'getusermedia-failed',
  getUserMediaOnFailure: 'getusermedia-failed',
  'navigator.mediaDevices.getDisplayMediaOnFailure': 'getdisplaymedia-failed',
};

const MEDIA_REQUESTS = new Set(['navigator.mediaDevices.getUserMedia', 'navigator.getUserMedia', 'getUserMedia']);

export class SessionAnalyzer {
  private readonly log = new ObservationLog(describe);
  private readonly connections = new Map<string, Connection>();
  private readonly tracks = new TrackStates();
  /** the last complete sample per connection, to undo deltas when push() gets none */
  private readonly lastSample = new Map<string, StatsSample>();
  private echoReported = false;
  private samples = 0;

  constructor(private readonly session: SessionRecord) {}

  push(event: StoredEvent, sample?: StatsSample): void {
    if (event.pc === null) {
      this.pageEvent(event);
      return;
    }
    const c = this.connection(event.pc, event.t);
    if (event.method === 'getStats') {
      const full = sample ?? this.completeSample(event);
      if (!full) return;
      this.lastSample.set(event.pc, full);
      this.samples++;
      c.media.sample(event.t, full);
      return;
    }
    c.life.event(event.t, event.method, event.value);
  }

  private completeSample(event: StoredEvent): StatsSample | null {
    const value = event.value;
    if (!value || typeof value !== 'object') return null;
    const sample = event.full ? (value as StatsSample) : applyStatsDelta(this.lastSample.get(event.pc!), value as StatsDelta);
    return sample;
  }

  private connection(pcId: string, t: number): Connection {
    let c = this.connections.get(pcId);
    if (!c) {
      const info = this.session.connections.find((x) => x.id === pcId);
      const life = new LifecycleTracker(pcId, info ? Math.min(info.createdAt, t) : t, this.log);
      if (info?.configuration) life.configure(life.createdAt, info.configuration);
      c = { life, media: new ConnectionMedia(pcId, life, this.log, this.tracks) };
      this.connections.set(pcId, c);
    }
    return c;
  }

  private pageEvent(e: StoredEvent): void {
    this.tracks.event(e.method, e.value);
    const failure = MEDIA_FAILURES[e.method] ?? (e.method.endsWith('getDisplayMediaOnFailure') ? 'getdisplaymedia-failed' : undefined);
    if (failure) {
      const text = typeof e.value === 'string' ? e.value : JSON.stringify(e.value ?? '');
      const name = /^[A-Za-z]*Error\b/.exec(text)?.[0] ?? (text.split(':')[0] || 'unknown error');
      this.log.record(e.t, {
        type: failure, severity: failureSeverity(failure, name), category: 'media-capture', pcId: null, evidence: { error: name, message: text.slice(0, 200) },
      });
      return;
    }
    if (MEDIA_REQUESTS.has(e.method) && !this.echoReported && echoCancellationOff(e.value)) {
      this.echoReported = true;
      this.log.record(e.t, { type: 'echo-cancellation-off', severity: 'warning', category: 'configuration', pcId: null, evidence: { echoCancellation: false } });
    }
  }

  result(): AnalysisResult {
    const connections: ConnectionAnalysis[] = [];
    const total = { audio: new Average(), video: new Average(), connection: new Average() };
    for (const [pcId, c] of this.connections) {
      const lifecycle = c.life.lifecycle();
      const scores: Scores = {
        audio: toScore(c.media.audio, mosBand, 2),
        video: toScore(c.media.video, scoreBand, 1),
        connection: connectionScore(c.media.connection, lifecycle),
      };
      total.audio.merge(c.media.audio);
      total.video.merge(c.media.video);
      total.connection.merge(c.media.connection);
      connections.push({ pcId, lifecycle, scores, samples: c.media.samples });
    }
    const sessionConnection = toScore(total.connection, scoreBand, 1);
    // the session's connectivity is no better than its worst connection's lifecycle
    const worstLifecycle = connections
      .filter((c) => c.scores.connection !== null)
      .map((c) => ({ ...c.scores.connection!, inputs: { connection: c.pcId, ...c.scores.connection!.inputs } }))
      .sort((a, b) => a.value - b.value)[0];
    const scores: Scores = {
      audio: toScore(total.audio, mosBand, 2),
      video: toScore(total.video, scoreBand, 1),
      connection: sessionConnection && worstLifecycle && worstLifecycle.value < sessionConnection.value ? worstLifecycle : sessionConnection ?? worstLifecycle ?? null,
    };
    const observations = [...this.log.list].sort((a, b) => a.firstSeenAt - b.firstSeenAt).map((o) => ({ ...o, evidence: { ...o.evidence } }));
    return { verdict: verdict(scores, observations, connections), scores, connections, observations, samples: this.samples };
  }
}

function failureSeverity(type: string, name: string): Observation['severity'] {
  // a user refusing or cancelling is a choice, not a fault; a device that cannot be opened is
  if (name === 'NotAllowedError' || name === 'AbortError' || name === 'PermissionDeniedError') return type === 'getdisplaymedia-failed' ? 'info' : 'warning';
  return name === 'NotReadableError' || name === 'NotFoundError' || name === 'TrackStartError' || name === 'DevicesNotFoundError' ? 'critical' : 'warning';
}

/** `audio: {echoCancellation: false}` (or `{exact: false}`, `{ideal: false}`), or legacy `googEchoCancellation: false`. */
function echoCancellationOff(constraints: unknown): boolean {
  if (!constraints || typeof constraints !== 'object') return false;
  const audio = (constraints as { audio?: unknown }).audio;
  if (!audio || typeof audio !== 'object') return false;
  const a = audio as Record<string, unknown>;
  const ec = a.echoCancellation;
  if (ec === false) return true;
  if (ec && typeof ec === 'object' && ((ec as { exact?: unknown }).exact === false || (ec as { ideal?: unknown }).ideal === false)) return true;
  const legacy = [a.mandatory, ...(Array.isArray(a.optional) ? a.optional : [])];
  return legacy.some((o) => o && typeof o === 'object' && (o as Record<string, unknown>).googEchoCancellation === false);
}

function toScore(avg: Average, band: (v: number) => Band, digits: number): Score | null {
  const v = avg.mean();
  if (v === null) return null;
  const value = round(v, digits);
  return { value, band: band(value), inputs: avg.inputs(), samples: avg.n };
}

/**
 * The connection score: the mean of the per-sample scores while connected,
 * then the lifecycle: a connection that never connected scores 0, each
 * disruption takes 0.5, a drop takes 1.
 */
function connectionScore(avg: Average, life: ConnectionAnalysis['lifecycle']): Score | null {
  if (life.setupFailed) return { value: 0, band: 'bad', inputs: { setupFailedAfterMs: life.setupFailed.afterMs }, samples: avg.n };
  const base = avg.mean();
  if (base === null) return null;
  const disruptions = life.disruptions.length;
  const value = round(Math.max(0, Math.min(5, base - 0.5 * disruptions - (life.dropped ? 1 : 0))), 1);
  return { value, band: scoreBand(value), inputs: { ...avg.inputs(), samplesScore: round(base, 2), disruptions, dropped: life.dropped ? 1 : 0 }, samples: avg.n };
}

const BAND_ORDER: Band[] = ['good', 'fair', 'poor', 'bad'];
const worse = (a: Band, b: Band): Band => (BAND_ORDER.indexOf(a) >= BAND_ORDER.indexOf(b) ? a : b);

/** The verdict: the worst of the score bands and of the observations (critical → poor, warning → fair; every connection failing → bad). */
export function verdict(scores: Scores, observations: Observation[], connections: ConnectionAnalysis[]): Verdict {
  let level: Band = 'good';
  for (const s of [scores.audio, scores.video, scores.connection]) if (s) level = worse(level, s.band);
  for (const o of observations) {
    if (o.severity === 'critical') level = worse(level, 'poor');
    else if (o.severity === 'warning') level = worse(level, 'fair');
  }
  const allFailed = connections.length > 0 && connections.every((c) => c.lifecycle.setupFailed !== null);
  if (allFailed) level = 'bad';

  const parts: string[] = [];
  if (connections.length === 0) parts.push('No peer connection in this session.');
  else if (allFailed) parts.push('No connection could be established.');
  const nums: string[] = [];
  if (scores.audio) nums.push(`audio MOS ${scores.audio.value.toFixed(2)}`);
  if (scores.video) nums.push(`video ${scores.video.value.toFixed(1)}/5`);
  if (scores.connection) nums.push(`connection ${scores.connection.value.toFixed(1)}/5`);
  if (nums.length > 0) parts.push(`Scores: ${nums.join(', ')}.`);
  const issues = observations
    .filter((o) => o.severity !== 'info')
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.firstSeenAt - b.firstSeenAt);
  if (issues.length === 0) parts.push('No problem found.');
  else {
    parts.push(...issues.slice(0, 3).map((o) => o.text));
    if (issues.length > 3) parts.push(`And ${issues.length - 3} more.`);
  }
  const label = { good: 'Good', fair: 'Fair', poor: 'Poor', bad: 'Bad' }[level];
  return { level, text: `${label}. ${parts.join(' ')}` };
}

/** The analysis of a whole dump (imported, or a stored session read back). */
export function analyzeDump(dump: SessionDump): AnalysisResult {
  const analyzer = new SessionAnalyzer(dump.session);
  const samples = completeStatsSamples(dump.events);
  for (const event of dump.events) {
    if (event.method === 'getStats' && event.pc !== null) {
      // completeStatsSamples walks the same events in the same order
      const next = samples.next();
      analyzer.push(event, next.done ? undefined : next.value.sample);
    } else {
      analyzer.push(event);
    }
  }
  return analyzer.result();
}
