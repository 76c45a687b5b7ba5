// A one-screen summary of a captured session: what the demo prints and,
// later, what support engineers get from the command line.

import { analyzeDump, type AnalysisResult, type ConnectionLifecycle, type Score } from './analysis';
import type { ImportResult } from './dump';
import type { SessionRecord } from './session';
import type { StoredEvent } from './trace';

export interface ConnectionSummary {
  id: string;
  events: number;
  statsSamples: number;
  /**
   * last connectionState seen, or null; for a trace without connectionstatechange
   * events (older browsers and dumps) the last iceConnectionState, `completed` read as `connected`
   */
  finalState: string | null;
  reachedConnected: boolean;
  closed: boolean;
  durationMs: number;
}

export interface TraceSummary {
  url: string;
  userAgent: string;
  startTime: number;
  endTime: number | null;
  events: number;
  statsSamples: number;
  pageEvents: number;
  connections: ConnectionSummary[];
}

export function summarizeTrace(session: SessionRecord, events: StoredEvent[]): TraceSummary {
  const connections = new Map<string, ConnectionSummary & { first: number; last: number; iceState: string | null; iceConnected: boolean; sawState: boolean }>();
  let pageEvents = 0;
  for (const e of events) {
    if (e.pc === null) {
      pageEvents++;
      continue;
    }
    let c = connections.get(e.pc);
    if (!c) {
      c = {
        id: e.pc, events: 0, statsSamples: 0, finalState: null, reachedConnected: false, closed: false, durationMs: 0, first: e.t, last: e.t,
        iceState: null, iceConnected: false, sawState: false,
      };
      connections.set(e.pc, c);
    }
    c.events++;
    c.last = Math.max(c.last, e.t);
    if (e.method === 'getStats') c.statsSamples++;
    if (e.method === 'onconnectionstatechange' && typeof e.value === 'string') {
      c.finalState = e.value;
      c.sawState = true;
      if (e.value === 'connected') c.reachedConnected = true;
    }
    if (e.method === 'oniceconnectionstatechange' && typeof e.value === 'string') {
      c.iceState = e.value === 'completed' ? 'connected' : e.value;
      if (c.iceState === 'connected') c.iceConnected = true;
    }
    if (e.method === 'close') c.closed = true;
  }
  // connections the session knows but that have no event (an imported dump can declare those)
  for (const known of session.connections) {
    if (!connections.has(known.id)) {
      connections.set(known.id, {
        id: known.id, events: 0, statsSamples: 0, finalState: null, reachedConnected: false, closed: known.closedAt !== null,
        durationMs: 0, first: known.createdAt, last: known.createdAt, iceState: null, iceConnected: false, sawState: false,
      });
    }
  }
  return {
    url: session.url,
    userAgent: session.userAgent,
    startTime: session.startTime,
    endTime: session.endTime,
    events: events.length,
    statsSamples: events.filter((e) => e.method === 'getStats').length,
    pageEvents,
    connections: [...connections.values()].map(({ first, last, iceState, iceConnected, sawState, ...c }) =>
      sawState ? { ...c, durationMs: last - first } : { ...c, finalState: iceState, reachedConnected: iceConnected, durationMs: last - first },
    ),
  };
}

export function formatSummary(s: TraceSummary): string {
  const duration = s.endTime === null ? 'still running' : `${((s.endTime - s.startTime) / 1000).toFixed(1)} s`;
  const lines = [
    `Page:        ${s.url}`,
    `Browser:     ${s.userAgent}`,
    `Started:     ${isoTime(s.startTime)} (${duration})`,
    `Events:      ${s.events} (${s.pageEvents} page-level, ${s.statsSamples} getStats samples)`,
    `Connections: ${s.connections.length}`,
  ];
  for (const c of s.connections) {
    const outcome = c.closed ? 'closed' : (c.finalState ?? 'new');
    lines.push(
      `  ${c.id.padEnd(10)} ${String(c.events).padStart(5)} events  ${String(c.statsSamples).padStart(4)} samples  ` +
        `${(c.durationMs / 1000).toFixed(1).padStart(6)} s  ${c.reachedConnected ? 'connected' : 'never connected'}, ${outcome}`,
    );
  }
  return lines.join('\n');
}

/** ISO time, or the raw number when it is outside what a Date can hold (a damaged dump). */
function isoTime(t: number): string {
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

const FORMAT_NAMES: Record<ImportResult['format'], string> = {
  rtcstats: 'rtcstats (file format 3)',
  'rtcstats-legacy': 'legacy rtcstats (fileFormat 2)',
  'rtcstats-format0': 'legacy rtcstats (format 0)',
  jitsi: 'Jitsi rtcstats',
  'webrtc-internals': 'chrome://webrtc-internals',
};

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function formatScore(name: string, s: Score | null, scale: string): string | null {
  if (!s) return null;
  const inputs = Object.entries(s.inputs)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? String(v) : v}`)
    .join(', ');
  return `${name} ${s.value}${scale} (${s.band}; ${inputs})`;
}

function formatLifecycle(l: ConnectionLifecycle): string {
  const parts: string[] = [];
  if (l.setupFailed) parts.push(`setup failed after ${secs(l.setupFailed.afterMs)}`);
  else if (l.setupDelayMs !== null) parts.push(`connected in ${secs(l.setupDelayMs)}`);
  else if (l.aborted) parts.push('closed before connecting');
  else parts.push('never connected');
  if (l.disruptions.length > 0) {
    parts.push(`${l.disruptions.length} disruption${l.disruptions.length > 1 ? 's' : ''} (${l.disruptions.map((d) => `${secs(d.durationMs)}${d.recovered ? '' : ', not recovered'}`).join('; ')})`);
  }
  if (l.dropped) parts.push('dropped');
  if (l.iceRestarts.length > 0) parts.push(`${l.iceRestarts.length} ICE restart(s), ${l.iceRestarts.filter((r) => r.completed).length} completed`);
  if (l.selectedPair) {
    const p = l.selectedPair;
    parts.push(p.relayed ? `relayed (TURN over ${p.relayProtocol ?? '?'})` : `direct (${p.localType ?? '?'} → ${p.remoteType ?? '?'}${p.protocol ? `, ${p.protocol}` : ''})`);
  }
  if (l.candidatePairSwitches > 0) parts.push(`${l.candidatePairSwitches} candidate-pair switch(es)`);
  if (l.renegotiations > 0) parts.push(`${l.renegotiations} renegotiation(s)`);
  if (l.mungedSdp > 0) parts.push(`${l.mungedSdp} munged SDP`);
  return parts.join(', ');
}

/** The analysis as text: verdict, scores, each connection's lifecycle, the observations with their time into the session. */
export function formatAnalysis(a: AnalysisResult, startTime: number): string {
  const lines = [`Verdict:     ${a.verdict.text}`];
  const scores = [formatScore('audio MOS', a.scores.audio, ''), formatScore('video', a.scores.video, '/5'), formatScore('connection', a.scores.connection, '/5')].filter(
    (x): x is string => x !== null,
  );
  lines.push(`Scores:      ${scores.length > 0 ? scores[0] : 'none (no media statistics)'}`);
  for (const x of scores.slice(1)) lines.push(`             ${x}`);
  for (const c of a.connections) {
    lines.push(`  ${c.pcId.padEnd(10)} ${formatLifecycle(c.lifecycle)}`);
    const s = [c.scores.audio && `audio MOS ${c.scores.audio.value}`, c.scores.video && `video ${c.scores.video.value}/5`, c.scores.connection && `connection ${c.scores.connection.value}/5`].filter(Boolean);
    if (s.length > 0) lines.push(`  ${''.padEnd(10)} ${s.join(', ')}`);
  }
  lines.push(`Observations: ${a.observations.length}`);
  for (const o of a.observations) {
    const at = `+${((o.firstSeenAt - startTime) / 1000).toFixed(1)} s`;
    lines.push(`  ${at.padStart(9)}  ${o.severity.padEnd(8)} ${o.type.padEnd(24)} ${o.text}`);
  }
  return lines.join('\n');
}

/** The summary of an imported dump: its format, then formatSummary and the analysis, then what the import warned about. */
export function formatImportSummary(result: ImportResult): string {
  const { session, events } = result.dump;
  const lines = [`Format:      ${FORMAT_NAMES[result.format] ?? result.format}${result.gzip ? ', gzip-compressed' : ''}`];
  lines.push(formatSummary(summarizeTrace(session, events)));
  lines.push(formatAnalysis(analyzeDump(result.dump), session.startTime));
  if (result.warnings.length > 0) {
    lines.push(`Warnings:    ${result.warnings.length}`);
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}
