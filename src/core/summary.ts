// A one-screen summary of a captured session: what the demo prints and,
// later, what support engineers get from the command line.

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

/** The summary of an imported dump: its format, then formatSummary, then what the import warned about. */
export function formatImportSummary(result: ImportResult): string {
  const { session, events } = result.dump;
  const lines = [`Format:      ${FORMAT_NAMES[result.format] ?? result.format}${result.gzip ? ', gzip-compressed' : ''}`];
  lines.push(formatSummary(summarizeTrace(session, events)));
  if (result.warnings.length > 0) {
    lines.push(`Warnings:    ${result.warnings.length}`);
    for (const w of result.warnings) lines.push(`  - ${w}`);
  }
  return lines.join('\n');
}
